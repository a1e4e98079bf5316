"""The founding incident, end to end: an account-wide Railway token in an unrelated file."""

from __future__ import annotations

from pathlib import Path

import pytest

from blastscan.scanner.models import Environment, ScanResult, Scope, Severity

from support import FIXTURES, scan


def test_incident_fails_the_gate(incident: ScanResult) -> None:
    assert incident.gate.failed
    assert incident.gate.failing_paths


def test_incident_token_is_account_wide_and_spans_production(incident: ScanResult) -> None:
    (item,) = incident.credentials
    assert item.credential.provider == "railway"
    assert item.reach.kind == "account_token"
    assert item.reach.scope is Scope.ACCOUNT
    assert {Environment.PRODUCTION, Environment.STAGING} <= set(item.reach.environments)
    assert item.credential.locations[0].label() == "tools/analytics/export_bookings.py:7"
    reasons = [e.reason for e in item.reach.evidence]
    assert any("Authorization: Bearer" in r and "backboard.railway.app" in r for r in reasons)


def test_incident_has_critical_production_volume_delete_with_backups(incident: ScanResult) -> None:
    volume = [p for p in incident.paths if p.action == "railway.volume.delete"
              and p.environment is Environment.PRODUCTION]
    assert len(volume) == 1
    path = volume[0]
    assert path.severity is Severity.CRITICAL
    assert path.destructive
    assert path.backups_in_blast_radius is True
    assert path.id in incident.gate.failing_paths
    kinds = [h.kind for h in path.hops]
    assert kinds == ["source", "credential", "scope", "environment", "resource", "operation"]
    assert path.hops[0].label == "tools/analytics/export_bookings.py:7"
    assert any("Wiping a volume deletes all backups" in w for w in path.why)


def test_staging_project_token_has_no_critical_path(staging: ScanResult) -> None:
    assert not staging.gate.failed
    (item,) = staging.credentials
    assert item.reach.kind == "project_token"
    assert item.reach.environments == (Environment.STAGING,)
    assert staging.paths, "the staging token still reaches staging deletes"
    assert all(p.severity is Severity.MEDIUM for p in staging.paths)


def test_placeholders_and_example_keys_report_nothing() -> None:
    result = scan(FIXTURES / "placeholders")
    assert result.credentials == ()
    assert result.paths == ()
    assert not result.gate.failed
    assert result.summary.filtered > 0, "the placeholders were seen and filtered, not missed"


def test_fail_on_medium_fails_the_staging_fixture() -> None:
    result = scan(FIXTURES / "staging", fail_on=Severity.MEDIUM)
    assert result.gate.failed
    assert len(result.gate.failing_paths) == len(result.paths)


def test_incident_json_follows_the_contract() -> None:
    import json

    from blastscan.reports.json_report import render_json

    first = render_json(scan(FIXTURES / "incident"))
    assert first == render_json(scan(FIXTURES / "incident")), "byte-identical across runs"
    report = json.loads(first)
    assert report["schema_version"] == 1
    assert report["gate"]["status"] == "fail"
    (cred,) = report["credentials"]
    assert cred["fingerprint"].startswith("hmac-sha256:")
    assert len(cred["fingerprint"]) == 76
    assert cred["redacted"] == "382f…"
    assert cred["locations"] == [{"path": "tools/analytics/export_bookings.py", "line": 7,
                                  "source": "worktree", "commit": None, "column": 18,
                                  "end_column": 54}]
    critical = [p for p in report["paths"] if p["severity"] == "critical"]
    assert {p["action"] for p in critical} >= {"railway.volume.delete"}
    assert set(report["gate"]["failing_paths"]) == {p["id"] for p in critical}


def test_parallel_and_serial_scans_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import shutil

    from blastscan.reports.json_report import render_json
    from blastscan.scanner.pipeline import filescan

    for copy in range(30):  # enough files for several worker chunks
        shutil.copytree(FIXTURES / "incident", tmp_path / f"repo{copy}")
    serial = render_json(scan(tmp_path, jobs=1))
    monkeypatch.setattr(filescan, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(filescan, "_CHUNK", 7)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert filescan._workers(2, 200) == 2, "the pool is really used"
    assert render_json(scan(tmp_path, jobs=2)) == serial
