"""Markdown reporter: golden files, length caps, the escaping of hostile text, the CLI.

Refresh the golden files after an intended change with
``BLASTSCAN_UPDATE_GOLDEN=1 pytest tests/test_markdown.py`` and review the diff.
Hostile-text tests render the Markdown with markdown-it-py (CommonMark plus tables,
installed with rich) and inspect the HTML a viewer would show.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path as FsPath

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from blastscan.reports import markdown
from blastscan.reports.markdown import Escaped, md_escape, render_markdown
from blastscan.reports.remediation.schema import is_source
from blastscan.scanner.cli.main import app
from blastscan.scanner.models import Gate, Hop, Location, Path, ScanResult, Severity

from report_samples import incident_paths, incident_result
from support import FIXTURES

GOLDEN = FsPath(__file__).parent / "golden"
HOSTILE = ("a|b[x](http://e)", "<script>alert(1)</script>", "![i](http://e/i.png)",
           "`code` *em* _em_ ~~s~~ # h $x$ \\| www.e.com &lt;b&gt;")  # fmt: skip


def _check_golden(name: str, actual: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("BLASTSCAN_UPDATE_GOLDEN") == "1":
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"{golden} is missing: run with BLASTSCAN_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def _html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def test_sample_golden() -> None:
    _check_golden("incident.md", render_markdown(incident_result()))


def test_fixture_scan_golden(incident: ScanResult) -> None:
    _check_golden("incident-scan.md", render_markdown(incident))


def test_verdict_first_and_short(incident: ScanResult) -> None:
    lines = render_markdown(incident_result()).splitlines()
    assert lines[0].startswith("### ❌ blastscan: 1 critical path")
    assert "**1 critical**" in lines[2]
    assert len(render_markdown(incident).splitlines()) < 60


def test_passing_gate() -> None:
    result = dataclasses.replace(incident_result(), gate=Gate(False, Severity.CRITICAL, ()))
    first = render_markdown(result).splitlines()[0]
    expected = "no path at or above critical outside the baseline (1 accepted)"
    assert first == f"### ✅ blastscan: {expected}"
    empty = dataclasses.replace(result, credentials=(), paths=())
    text = render_markdown(empty)
    assert "No critical or high path." in text
    assert "No credentials found." in text


def test_rows_are_capped() -> None:
    result = incident_result()
    critical = incident_paths()[3]
    many = tuple(dataclasses.replace(critical, id=f"p-{i:04d}") for i in range(30))
    text = render_markdown(dataclasses.replace(result, paths=many))
    assert f"…and {30 - markdown.MAX_PATH_ROWS} more critical or high paths" in text
    assert f"…and {30 - markdown.MAX_PATH_ROWS} more operations of this credential." in text
    assert text.count("| p-00") == markdown.MAX_PATH_ROWS
    # Capped means it does not grow with the paths: 15 and 30 paths (both past every cap)
    # give as many lines; the budget includes the sourced fix (issue 15), one line a step.
    fewer = render_markdown(dataclasses.replace(result, paths=many[:15]))
    assert len(text.splitlines()) == len(fewer.splitlines()) < 75


@pytest.mark.parametrize("evil", HOSTILE)
def test_escape_renders_literally(evil: str) -> None:
    html = _html(f"| h |\n| --- |\n| {md_escape(evil)} |\n")
    assert html.count("<td>") == 1, "one cell: no '|' split it"
    for tag in ("<a ", "<img", "<script", "<code", "<em", "<strong", "<s>", "<h1"):
        assert tag not in html


def _hostile() -> ScanResult:
    result = incident_result()
    account = result.credentials[2]
    evil = "src/a|b[x](http://e)/<script>.env"
    credential = dataclasses.replace(account.credential, locations=(Location(evil, 1),),
                                     redacted="`|<b>…")
    critical: Path = incident_paths()[3]
    path = dataclasses.replace(
        critical, hops=(Hop("source", f"{evil}:1"), *critical.hops[1:]),
        why=("[click](javascript:alert(1)) <img src=x onerror=alert(1)>",),
        action="x.delete|<i>", mismatch="staging*label* ![i](http://e)")
    return dataclasses.replace(
        result, credentials=(dataclasses.replace(account, credential=credential),),
        paths=(path,))


def test_hostile_repository_text_is_inert() -> None:
    text = render_markdown(_hostile())
    html = _html(text)
    for tag in ("<img", "<script", "<i>", "<b>", "<code", 'href="javascript', 'href="http://e'):
        assert tag not in html, tag
    # The only links are blastscan's own remediation sources (validated https URLs).
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', html)
    assert links
    assert html.count("<a ") == len(links)
    assert all(is_source(href) and href == shown for href, shown in links)
    # Both tables keep their column counts: no cell was split by a '|'.
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL)
    cells = [row.count("<th>") + row.count("<td>") for row in rows]
    assert cells == [7, 7, 6, 6]
    assert "src/a\\|b\\[x\\](http:\\//e)/&lt;script&gt;.env:1" in text


def test_template_refuses_unescaped_strings() -> None:
    template = markdown._ENV.from_string("{{ value }}")
    with pytest.raises(TypeError, match="unescaped"):
        template.render(value="<b>")
    assert template.render(value=md_escape("<b>")) == "&lt;b&gt;"
    assert isinstance(md_escape("x"), Escaped)


def test_cli_markdown() -> None:
    result = CliRunner().invoke(app, [str(FIXTURES / "incident"), "--format", "markdown"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("### ❌ blastscan: ")
    assert "railway.volume.delete" in result.output
