"""The HTML report: self-contained, escaped, deterministic, strict about its variables.

Rendered for the hand-built incident of ``report_samples`` and for a real scan of the
incident fixture. The browser-side checks (filters, console, network) are in
``test_html_browser.py``.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import re

import pytest
from jinja2 import UndefinedError

from blastscan.reports import html as html_report
from blastscan.reports.html import render_html
from blastscan.reports.html_layout import layout
from blastscan.scanner.models import (
    Evidence,
    Gate,
    Hop,
    Location,
    ScanResult,
    Severity,
    SourceKind,
)

from report_samples import incident_result
from support import FIXTURES, scan

EVIL = "<script>alert(1)</script>\"'"


@pytest.fixture(scope="module")
def incident_scan() -> ScanResult:
    return scan(FIXTURES / "incident")


def hostile_result() -> ScanResult:
    """Repository text everywhere the report shows some: file names, facts, labels, reasons."""
    result = incident_result()
    account = result.credentials[2]
    evil_file = f"src/{EVIL}.env"
    credential = dataclasses.replace(
        account.credential,
        locations=(Location(evil_file, 1), Location(evil_file, 2, SourceKind.GIT_HISTORY, EVIL)),
        facts=(("variable", f"TOKEN_{EVIL}"),),
    )
    reach = dataclasses.replace(
        account.reach, evidence=(Evidence(evil_file, 3, f"sent to {EVIL}"),), mismatch=EVIL,
    )
    path = result.paths[3]
    hops = (Hop("source", f"{evil_file}:1"), Hop("credential", EVIL), *path.hops[2:])
    evil_path = dataclasses.replace(
        path, hops=hops, why=(f"why {EVIL}", f"UNCERTAIN: {EVIL}"), mitigations=(EVIL,),
        mismatch=EVIL, resource=EVIL,
    )
    return dataclasses.replace(
        result,
        target=EVIL,
        credentials=(dataclasses.replace(account, credential=credential, reach=reach),),
        paths=(evil_path,),
    )


@pytest.mark.parametrize("which", ["sample", "scan"])
def test_renders_a_complete_report(which: str, incident_scan: ScanResult) -> None:
    result = incident_result() if which == "sample" else incident_scan
    page = render_html(result)
    assert page.startswith("<!DOCTYPE html>")
    assert page.endswith("</html>\n")
    assert '<span class="badge">FAIL</span>' in page
    # The scan's verdict names the first of its tied paths by action (reports/common.py).
    action = "railway.volume.delete" if which == "sample" else "railway.project.delete"
    assert f"{action} in production" in page
    assert page.count('<article class="card') == len(result.paths)
    assert page.count("<tr id=") == len(result.credentials)
    # One graph per credential, of its own paths only (issue 21).
    graphs = [layout(dataclasses.replace(result, paths=tuple(
        p for p in result.paths if p.credential_id == rc.credential.id)))
        for rc in result.credentials]
    assert page.count("<svg") == len([g for g in graphs if g.nodes]) == len(result.credentials)
    assert page.count('<g class="node') == sum(len(g.nodes) for g in graphs) > 0
    for severity, count in ((Severity.CRITICAL, 1), (Severity.MEDIUM, 1)):
        if which == "sample":
            assert f"<strong>{count}</strong> {severity}" in page
    for rc in result.credentials:
        assert html.escape(rc.credential.fingerprint) in page


@pytest.mark.parametrize("which", ["sample", "scan", "hostile"])
def test_makes_no_external_request(which: str, incident_scan: ScanResult) -> None:
    samples = {"sample": incident_result, "scan": lambda: incident_scan, "hostile": hostile_result}
    result = samples[which]()
    page = render_html(result)
    assert not re.search(r"""\b(?:src|href|action|xlink:href)\s*=""", page, re.IGNORECASE)
    assert not re.search(r"url\s*\(", page, re.IGNORECASE)
    assert "@import" not in page
    assert "default-src 'none'" in page


def test_the_csp_allows_exactly_the_inline_script() -> None:
    page = render_html(incident_result())
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page


def test_hostile_repository_text_is_inert() -> None:
    page = render_html(hostile_result())
    assert "<script>alert" not in page
    assert "alert(1)" in page, "the text is shown, escaped, not dropped"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39;"
    assert escaped in page
    for shown in (f"src/{escaped}.env:1", f"TOKEN_{escaped}", f"sent to {escaped}",
                  f"UNCERTAIN: {escaped}", f"why {escaped}"):
        assert shown in page, shown
    assert page.count("<script") == 1  # only the report's own filter script


def test_without_javascript_everything_is_visible() -> None:
    page = render_html(incident_result())
    assert '<form id="filters" class="filters" hidden>' in page  # the script un-hides it
    body = page.split("<body>", 1)[1].split("<script>", 1)[0]
    assert not re.search(r"<(?:article|tr|section)\b[^>]*\bhidden\b", body)


def test_output_is_deterministic() -> None:
    first = render_html(incident_result())
    assert render_html(incident_result()) == first
    reversed_result = dataclasses.replace(
        incident_result(),
        credentials=incident_result().credentials[::-1],
        paths=incident_result().paths[::-1],
    )
    assert render_html(reversed_result) == first


def test_a_missing_variable_fails_loudly() -> None:
    context = html_report.context(incident_result(), script_hash="sha256-x")
    html_report.template().render(context)
    for key in ("verdict", "blocks", "paths"):
        partial = {k: v for k, v in context.items() if k != key}
        with pytest.raises(UndefinedError):
            html_report.template().render(partial)


def test_uncertainty_and_protections_are_reported() -> None:
    page = render_html(incident_result())
    assert "backups are in the blast radius" in page
    assert "no deletion protection found in the repository" in page
    assert "Railway project token" in page


def test_an_empty_result_renders() -> None:
    passing = dataclasses.replace(incident_result(), gate=Gate(False, Severity.CRITICAL, ()))
    assert "no path at or above critical outside the baseline (1 accepted)" in render_html(passing)
    empty = dataclasses.replace(passing, credentials=(), paths=())
    page = render_html(empty)
    assert '<span id="verdict">no path at or above critical</span>' in page
    assert '<span class="badge">PASS</span>' in page
    assert "No credentials found." in page
    assert "<svg" not in page
