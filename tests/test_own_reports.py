"""blastscan never reads its own reports as credentials or evidence (issue 18, case 8)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.reports.base import OutputFormat, render
from blastscan.scanner.cli.main import app
from blastscan.scanner.models import ScanResult, SkipReason
from blastscan.scanner.pipeline import own_reports

from support import FIXTURES, scan

runner = CliRunner()
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"  # Stripe's documented example key, live prefix


def _verdict(result: ScanResult) -> tuple[object, ...]:
    return (sorted(c.credential.id for c in result.credentials),
            sorted(p.id for p in result.paths), result.gate.failed)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "incident", tmp_path / "t")
    return tmp_path / "t"


def _write_every_report(tree: Path) -> int:
    result = scan(tree, history=False)
    for fmt in OutputFormat:
        (tree / f"report.{fmt.value}").write_text(render(result, fmt), encoding="utf-8")
    for fmt in ("json", "dot"):
        got = runner.invoke(app, ["graph", str(tree), "--no-history", "-f", fmt,
                                  "-o", str(tree / f"graph.{fmt}")])
        assert got.exit_code == 0, got.output
    got = runner.invoke(app, ["baseline", "create", str(tree), "--reason", "r", "--owner", "o"])
    assert got.exit_code == 0, got.output
    return len(OutputFormat) + 3


def test_every_format_is_recognised_and_nothing_else(tree: Path) -> None:
    _write_every_report(tree)
    reports = sorted(p for p in tree.iterdir() if p.name.startswith(("report.", "graph.",
                                                                      ".blastscan-baseline")))
    assert all(own_reports.recognise(p.read_text()) for p in reports)
    for p in tree.rglob("*"):
        if p.is_file() and p not in reports:
            assert own_reports.recognise(p.read_text(errors="replace")) is None, p
    assert own_reports.recognise('{"schema_version": 1, "tool": {"name": "other"}}') is None
    assert own_reports.recognise("PASS  all good\n") is None  # a text report has its footer


def test_reports_in_the_tree_change_nothing(tree: Path) -> None:
    clean = scan(tree, history=False)
    written = _write_every_report(tree)
    again = scan(tree, history=False)
    assert _verdict(again) == _verdict(clean)
    assert dict(again.summary.files_skipped)[SkipReason.OWN_REPORT] == written
    assert again.summary.files_scanned == clean.summary.files_scanned


def test_a_key_pasted_into_a_forged_report_is_still_found(tree: Path) -> None:
    result = scan(tree, history=False)
    forged = json.loads(render(result, OutputFormat.JSON))
    forged["target"] = f"STRIPE_SECRET_KEY={STRIPE}"
    (tree / "report.json").write_text(json.dumps(forged, indent=2))
    again = scan(tree, history=False)
    assert dict(again.summary.files_skipped)[SkipReason.OWN_REPORT] == 1
    found = [c for c in again.credentials if c.credential.provider == "stripe"]
    assert [loc.path for loc in found[0].credential.locations] == ["report.json"]


def test_reports_committed_to_history_are_not_credentials(tree: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tree)]
    subprocess.run([*git, "init", "-q"], check=True)
    clean = scan(tree, history=False)
    (tree / "blastscan.sarif").write_text(render(clean, OutputFormat.SARIF))
    (tree / "blastscan.json").write_text(render(clean, OutputFormat.JSON))
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "reports"], check=True)
    for name in ("blastscan.sarif", "blastscan.json"):
        (tree / name).unlink()
    with_history = scan(tree, history=True)
    assert len(with_history.credentials) == len(clean.credentials)
    assert dict(with_history.summary.files_skipped)[SkipReason.OWN_REPORT] == 2


def test_also_write_gives_the_same_report_as_its_own_scan(tree: Path, tmp_path: Path) -> None:
    md, sarif = tmp_path / "summary.md", tmp_path / "out.sarif"
    got = runner.invoke(app, ["scan", str(tree), "--no-history", "-f", "sarif", "-o", str(sarif),
                              "--also-write", f"markdown:{md}"])
    assert got.exit_code == 1, got.output  # the incident fixture fails the gate
    alone = runner.invoke(app, ["scan", str(tree), "--no-history", "-f", "markdown"])
    assert md.read_text() == alone.output
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    bad = runner.invoke(app, ["scan", str(tree), "--also-write", "pdf:x.pdf"])
    assert bad.exit_code == 2
