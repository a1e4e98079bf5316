"""SARIF reporter: golden files, schema validity, stable fingerprints, locations, the CLI.

Refresh the golden files after an intended change with
``BLASTSCAN_UPDATE_GOLDEN=1 pytest tests/test_sarif.py`` and review the diff.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from functools import cache
from pathlib import Path as FsPath
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from blastscan.reports.sarif import FINGERPRINT_KEY, render_sarif
from blastscan.reports.sarif_rules import REVIEW_RULE
from blastscan.scanner.cli.main import app
from blastscan.scanner.models import Location, ScanResult, SourceKind

from report_samples import incident_result
from support import FIXTURES, scan

GOLDEN = FsPath(__file__).parent / "golden"
SCHEMA = FsPath(__file__).parent / "sarif-schema-2.1.0.json"
SCENARIOS = sorted(p for p in (FIXTURES / "scenarios").iterdir() if p.is_dir())


def _check_golden(name: str, actual: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("BLASTSCAN_UPDATE_GOLDEN") == "1":
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"{golden} is missing: run with BLASTSCAN_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


@cache
def _validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _sarif(result: ScanResult) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render_sarif(result))
    errors = sorted(_validator().iter_errors(log), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    for result in log["runs"][0]["results"]:  # GitHub rejects the whole log otherwise
        assert result["locations"]
        assert all("physicalLocation" in location for location in result["locations"])
    return log


def _results(result: ScanResult) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = _sarif(result)["runs"][0]["results"]
    return results


def test_sample_golden() -> None:
    _sarif(incident_result())
    _check_golden("incident.sarif", render_sarif(incident_result()))


def test_fixture_scan_golden(incident: ScanResult) -> None:
    _sarif(incident)
    _check_golden("incident-scan.sarif", render_sarif(incident))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_scenario_scans_are_valid_sarif(scenario: FsPath) -> None:
    result = scan(scenario)
    log = _sarif(result)
    assert len(log["runs"][0]["results"]) == len(result.paths)


def test_run_shape() -> None:
    log = _sarif(incident_result())
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("blastscan", "0.1.0")
    ids = [rule["id"] for rule in driver["rules"]]
    # One rule per operation and severity: GitHub ranks alerts by the rule's severity, so
    # the staging (medium) volume delete is not shown as critical.
    assert ids == sorted(ids) == ["BS-railway.variables.read/high",
                                  "BS-railway.volume.delete/critical",
                                  "BS-railway.volume.delete/medium", REVIEW_RULE]
    volume, staging = driver["rules"][1], driver["rules"][2]
    assert volume["properties"]["security-severity"] == "9.5"
    assert staging["properties"]["security-severity"] == "5.5"
    assert staging["defaultConfiguration"]["level"] == "warning"
    assert volume["properties"]["tags"] == ["security", "secrets", "railway"]
    # The rule's help is the concrete, sourced fix (issue 15), not generic advice.
    assert "projectTokenCreate" in volume["help"]["markdown"]
    assert "Wiping a volume deletes all backups" in volume["help"]["text"]
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    assert "invocations" not in run


def test_results_follow_the_paths() -> None:
    results = _results(incident_result())
    assert [r["level"] for r in results] == ["error", "error", "warning", "note"]
    critical = results[0]
    assert critical["ruleId"] == "BS-railway.volume.delete/critical"
    physical = critical["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {
        "uri": "tools/analytics/export_bookings.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 7}
    flow = critical["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [f["location"]["message"]["text"].split(":")[0] for f in flow] == [
        "source", "credential", "scope", "environment", "resource", "operation"]
    assert "physicalLocation" in flow[0]["location"]
    assert all("physicalLocation" not in f["location"] for f in flow[1:])
    assert critical["properties"]["backups_in_blast_radius"] is True
    assert results[-1]["ruleId"] == REVIEW_RULE
    assert len({r["partialFingerprints"][FINGERPRINT_KEY] for r in results}) == len(results)


def test_fingerprints_do_not_move_with_the_line() -> None:
    result = incident_result()
    moved = []
    for resolved in result.credentials:
        shifted = tuple(dataclasses.replace(loc, line=loc.line + 40)
                        for loc in resolved.credential.locations)
        credential = dataclasses.replace(resolved.credential, locations=shifted)
        moved.append(dataclasses.replace(resolved, credential=credential))
    before = _results(result)
    after = _results(dataclasses.replace(result, credentials=tuple(moved)))
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before]
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]


def _with_location(location: Location) -> ScanResult:
    result = incident_result()
    account = result.credentials[2]
    credential = dataclasses.replace(account.credential, locations=(location,))
    return dataclasses.replace(result, credentials=(
        *result.credentials[:2], dataclasses.replace(account, credential=credential)))


@pytest.mark.parametrize(("path", "source", "kind"), [
    ("env:RAILWAY_TOKEN", SourceKind.ENVIRONMENT, "variable"),
    ("~/.railway/config.json", SourceKind.HOME, "resource"),
])  # fmt: skip
def test_non_repository_locations_are_logical(path: str, source: SourceKind, kind: str) -> None:
    location = _results(_with_location(Location(path, 1, source)))[0]["locations"][0]
    assert location["logicalLocations"] == [
        {"name": path.removeprefix("env:"), "fullyQualifiedName": path, "kind": kind}]
    # GitHub rejects a log with a logical-only location: anchor where the repository uses it.
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "tools/analytics/export_bookings.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12},
    }


def test_non_repository_location_without_evidence_is_anchored_at_the_root() -> None:
    result = _with_location(Location("env:RAILWAY_TOKEN", 1, SourceKind.ENVIRONMENT))
    account = result.credentials[2]
    bare = dataclasses.replace(account, reach=dataclasses.replace(account.reach, evidence=()))
    result = dataclasses.replace(result, credentials=(*result.credentials[:2], bare))
    for sarif_result in _results(result):
        for location in sarif_result["locations"]:
            assert "physicalLocation" in location
    location = _results(result)[0]["locations"][0]
    assert location["physicalLocation"] == {"artifactLocation": {"uri": ".",
                                                                 "uriBaseId": "%SRCROOT%"}}


def test_history_location_keeps_the_commit_in_properties() -> None:
    commit = "3e8c1f0a9b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e"
    location = Location("old dir/secret.py", 3, SourceKind.GIT_HISTORY, commit)
    sarif_location = _results(_with_location(location))[0]["locations"][0]
    assert sarif_location["physicalLocation"]["artifactLocation"]["uri"] == "old%20dir/secret.py"
    assert sarif_location["properties"] == {"source": "git-history", "commit": commit}


def test_empty_result_is_valid() -> None:
    empty = dataclasses.replace(incident_result(), credentials=(), paths=())
    run = _sarif(empty)["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


def test_cli_sarif() -> None:
    result = CliRunner().invoke(app, [str(FIXTURES / "incident"), "--format", "sarif"])
    assert result.exit_code == 1, result.output
    log = json.loads(result.output)
    assert not list(_validator().iter_errors(log))
    assert log["runs"][0]["results"]


def test_results_past_githubs_limit_are_capped_worst_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from blastscan.reports import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    (run,) = _sarif(incident_result())["runs"]
    assert [r["level"] for r in run["results"]] == ["error", "error"]  # the worst two kept
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning"
    assert note["message"]["text"].startswith("2 of 4 paths left out of SARIF")


def test_the_cli_warns_on_stderr_when_sarif_is_capped(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: FsPath) -> None:
    from blastscan.reports import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 1)
    got = CliRunner().invoke(app, ["scan", str(FIXTURES / "incident"), "--no-history",
                                   "-f", "sarif", "-o", str(tmp_path / "out.sarif")])
    assert got.exit_code == 1
    assert "blastscan: warning: " in got.output
    assert "left out of SARIF" in got.output


def test_the_alert_points_at_the_working_tree_not_at_history(tmp_path: FsPath) -> None:
    import subprocess

    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    pat = "ghp_3fStrhv4zbuIzMIVkmEVuMphPjbqwWZcOTjg"  # the github detector's own sample
    (tmp_path / "a.env").write_text(f"GITHUB_TOKEN={pat}\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "a"], check=True)
    (tmp_path / "a.env").unlink()
    (tmp_path / "z.env").write_text(f"\nGITHUB_TOKEN={pat}\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "z"], check=True)
    got = CliRunner().invoke(app, ["scan", str(tmp_path), "--history", "-f", "sarif"])
    first = json.loads(got.output)["runs"][0]["results"][0]
    where = first["locations"][0]["physicalLocation"]
    assert (where["artifactLocation"]["uri"], where["region"]["startLine"]) == ("z.env", 2)
    related = {r["physicalLocation"]["artifactLocation"]["uri"] for r in first["relatedLocations"]}
    assert "a.env" in related


def test_regions_carry_the_columns_the_detector_saw(incident: ScanResult) -> None:
    """Issue 21: full regions where the finding has them. The region of the account token
    covers exactly the token's characters in the file (checked by shape, never printed)."""
    results = _results(incident)
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
    assert region["endLine"] == region["startLine"]
    file = FIXTURES / "incident" / "tools" / "analytics" / "export_bookings.py"
    line = file.read_text(encoding="utf-8").splitlines()[region["startLine"] - 1]
    covered = line[region["startColumn"] - 1:region["endColumn"] - 1]
    assert re.fullmatch(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", covered)
    assert all(r["locations"][0]["physicalLocation"]["region"] == region for r in results)


def test_no_end_is_claimed_where_the_secret_is_not_the_text() -> None:
    """A database URL's password starts inside the URL the detector matched: a start
    column, no end (the region runs to the end of the line)."""
    result = scan(FIXTURES / "scenarios" / "rails_db")
    region = _results(result)[0]["locations"][0]["physicalLocation"]["region"]
    assert "startColumn" in region
    assert "endColumn" not in region


def test_rules_link_the_providers_documentation(incident: ScanResult) -> None:
    rules = _sarif(incident)["runs"][0]["tool"]["driver"]["rules"]
    assert all(rule["helpUri"].startswith("https://") for rule in rules)
    stripe = _sarif(scan(FIXTURES / "scenarios" / "stripe_test"))["runs"][0]["tool"]["driver"]
    assert {r.get("helpUri") for r in stripe["rules"]} >= {
        "https://docs.stripe.com/api/customers/delete"}
    review = [r for r in _sarif(incident_result())["runs"][0]["tool"]["driver"]["rules"]
              if r["id"] == REVIEW_RULE]
    assert review
    assert "helpUri" not in review[0], "no documentation link is made up"
