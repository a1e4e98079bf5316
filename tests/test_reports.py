"""Reporter tests: golden files, the JSON contract, determinism and escaping.

Golden files live in ``tests/golden/``. After an intended change to a report, refresh
them and review the diff before committing::

    BLASTSCAN_UPDATE_GOLDEN=1 pytest tests/test_reports.py

With the variable set, golden tests rewrite their file instead of comparing.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path as FsPath
from typing import Any, cast

import pytest

from blastscan.reports.base import OutputFormat, render
from blastscan.reports.json_report import render_json
from blastscan.reports.text import render_text
from blastscan.scanner.models import Gate, Hop, Location, ScanResult, SkipReason, Summary

from report_samples import incident_result

GOLDEN = FsPath(__file__).parent / "golden"

# The canonical values of design.md, spelled out here (not taken from the enums) so that
# a change to a model enum that would break the contract fails a test.
PROVIDERS = {
    "railway", "aws", "gcp", "azure", "github", "gitlab", "stripe", "supabase",
    "postgres", "mysql", "mongodb", "redis", "kubernetes", "vercel", "generic",
}  # fmt: skip
ENVIRONMENTS = {"production", "staging", "development", "test", "unknown"}
SOURCES = {"worktree", "git-history", "agent-config", "home", "environment"}
SEVERITIES = ["critical", "high", "medium", "low", "info"]


def _check_golden(name: str, actual: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("BLASTSCAN_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"{golden} is missing: run with BLASTSCAN_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def _reversed(result: ScanResult) -> ScanResult:
    """The same facts with every collection reversed: reporters must sort, not trust."""
    return dataclasses.replace(
        result,
        credentials=result.credentials[::-1],
        paths=result.paths[::-1],
        summary=dataclasses.replace(
            result.summary, files_skipped=result.summary.files_skipped[::-1]
        ),
    )


def test_text_golden() -> None:
    _check_golden("incident.txt", render_text(incident_result(), color=False, width=100))


def test_json_golden() -> None:
    _check_golden("incident.json", render_json(incident_result()))


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_renders_deterministically(fmt: OutputFormat) -> None:
    first = render(incident_result(), fmt)
    assert first
    assert first.endswith("\n")
    assert render(incident_result(), fmt) == first
    assert render(_reversed(incident_result()), fmt) == first


def test_unknown_format_is_rejected() -> None:
    # assert_never raises at run time too, so a member added without a case cannot pass.
    with pytest.raises(AssertionError):
        render(incident_result(), cast(OutputFormat, "no-such-format"))


def _keys(obj: dict[str, Any]) -> list[str]:
    return list(obj)


def test_json_follows_the_contract() -> None:
    doc = json.loads(render_json(incident_result()))
    assert _keys(doc) == [
        "schema_version", "tool", "target", "fingerprint_scheme", "gate", "summary",
        "credentials", "paths", "examples", "remediations",
    ]  # fmt: skip
    assert doc["fingerprint_scheme"] == "hmac-sha256:0123456789abcdef"
    assert doc["examples"] == []
    assert doc["summary"]["examples"] == 0
    assert doc["schema_version"] == 1
    assert doc["tool"] == {"name": "blastscan", "version": "0.1.0"}
    assert doc["gate"] == {"status": "fail", "fail_on": "critical", "failing_paths": ["p-3f2a"],
                           "review_only": []}

    summary = doc["summary"]
    assert {"files_scanned", "files_skipped", "credentials", "paths", "by_severity"} <= set(summary)
    assert _keys(summary["files_skipped"]) == sorted(str(r) for r in SkipReason)
    assert _keys(summary["by_severity"]) == SEVERITIES
    assert summary["credentials"] == len(doc["credentials"]) == 3
    assert summary["paths"] == len(doc["paths"]) == sum(summary["by_severity"].values()) == 4

    credential_ids = set()
    for cred in doc["credentials"]:
        assert {"id", "fingerprint", "redacted", "provider", "kind", "scope", "environments",
                "confidence", "locations", "evidence", "decoded_from"} <= set(cred)  # fmt: skip
        assert re.fullmatch(r"hmac-sha256:[0-9a-f]{64}", cred["fingerprint"])
        assert cred["provider"] in PROVIDERS
        assert set(cred["environments"]) <= ENVIRONMENTS
        for location in cred["locations"]:
            assert _keys(location) == ["path", "line", "source", "commit", "column",
                                       "end_column"]
            assert location["source"] in SOURCES
        for evidence in cred["evidence"]:
            assert _keys(evidence) == ["path", "line", "reason"]
        credential_ids.add(cred["id"])

    remediation_ids = [entry["id"] for entry in doc["remediations"]]
    assert len(set(remediation_ids)) == len(remediation_ids)
    for entry in doc["remediations"]:
        assert _keys(entry) == ["id", "narrower", "steps", "sources"]
        assert all(_keys(step) == ["action", "why", "sources", "uncertain"]
                   for step in entry["steps"])
    assert {p["remediation"] for p in doc["paths"]} == set(remediation_ids), "no unused entry"
    for path in doc["paths"]:
        assert _keys(path) == [
            "id", "severity", "credential", "environment", "resource", "action",
            "destructive", "backups_in_blast_radius", "hops", "why", "mitigations",
            "label_scope_mismatch", "accepted", "baseline_expired", "remediation",
        ]  # fmt: skip
        assert path["remediation"] in remediation_ids
        assert path["severity"] in SEVERITIES
        assert path["environment"] in ENVIRONMENTS
        assert path["credential"] in credential_ids
        assert all(_keys(hop) == ["kind", "label"] for hop in path["hops"])
    ranks = [SEVERITIES.index(p["severity"]) for p in doc["paths"]]
    assert ranks == sorted(ranks), "paths are listed worst first"


def test_text_leads_with_the_verdict() -> None:
    lines = render_text(incident_result()).splitlines()
    assert lines[0].startswith("FAIL  1 critical path: ")
    assert "railway.volume.delete in production" in lines[0]
    assert "! backups in blast radius" in render_text(incident_result())


def test_text_passing_gate() -> None:
    result = incident_result()
    passing = dataclasses.replace(result, gate=Gate(False, result.gate.fail_on, ()))
    first = render_text(passing).splitlines()[0]
    assert first == "PASS  no path at or above critical outside the baseline (1 accepted)"
    empty = dataclasses.replace(passing, credentials=(), paths=())
    assert render_text(empty).splitlines()[0] == "PASS  no path at or above critical"
    assert json.loads(render_json(empty))["summary"]["by_severity"]["critical"] == 0


def _hostile() -> ScanResult:
    """Repository text that rich would take for markup or emoji codes if it were parsed."""
    result = incident_result()
    evil = "src/[bold]evil[/bold]/:fire:.env"
    account = result.credentials[2]
    credential = dataclasses.replace(account.credential, locations=(Location(evil, 1),))
    path = result.paths[3]
    hops = (Hop("source", f"{evil}:1"), *path.hops[1:])
    return dataclasses.replace(
        result,
        credentials=(dataclasses.replace(account, credential=credential),),
        paths=(dataclasses.replace(path, hops=hops, why=("[red]not markup[/red]",)),),
    )


@pytest.mark.parametrize("color", [False, True])
def test_text_escapes_repository_text(color: bool) -> None:
    text = render_text(_hostile(), color=color, width=200)
    assert "src/[bold]evil[/bold]/:fire:.env:1" in text
    assert "[red]not markup[/red]" in text


def test_no_ansi_without_color(monkeypatch: pytest.MonkeyPatch) -> None:
    # The environment of the machine running the scan must not switch colour on.
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "40")
    text = render_text(incident_result())
    assert "\x1b" not in text
    assert text == render_text(incident_result(), width=100)
    assert max(map(len, text.splitlines())) <= 100
    assert "\x1b[" in render_text(incident_result(), color=True), "colour is still possible"


def test_summary_counts_tolerate_repeated_reasons() -> None:
    result = incident_result()
    skipped = ((SkipReason.BINARY, 2), (SkipReason.BINARY, 3))
    summary = Summary(files_scanned=1, files_skipped=skipped, suppressed=0, filtered=0)
    doc = json.loads(render_json(dataclasses.replace(result, summary=summary)))
    assert doc["summary"]["files_skipped"]["binary"] == 5


def test_the_verdict_names_the_operation_the_code_invokes(tmp_path: FsPath) -> None:
    from blastscan.reports.base import OutputFormat, render

    from support import scan

    (tmp_path / ".env").write_text("RAILWAY_TOKEN=3f9c2a1e-8b7d-4c6e-a5f4-0d1e2f3a4b5c\n")
    (tmp_path / "deploy.py").write_text(
        'import os, requests\nTOKEN = os.environ["RAILWAY_TOKEN"]\n'
        'requests.post("https://backboard.railway.app/graphql/v2",\n'
        '              headers={"Authorization": f"Bearer {TOKEN}"},\n'
        '              json={"query": "mutation { serviceDelete(id: \\"svc\\") }"})\n')
    result = scan(tmp_path, history=False)
    for fmt in (OutputFormat.TEXT, OutputFormat.MARKDOWN, OutputFormat.HTML):
        assert "can reach railway.service.delete in production" in render(result, fmt)
