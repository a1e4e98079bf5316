"""``blastscan explain``: the full chain for a path or credential, exit 2 for unknown ids."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from blastscan.scanner.cli.main import app

from support import FIXTURES

runner = CliRunner()
INCIDENT = str(FIXTURES / "incident")


def _report() -> dict[str, list[dict[str, str]]]:
    return json.loads(runner.invoke(app, [INCIDENT, "-f", "json"]).output)  # type: ignore[no-any-return]


def test_explain_a_path() -> None:
    path = next(p for p in _report()["paths"] if p["action"] == "railway.volume.delete")
    result = runner.invoke(app, ["explain", path["id"], INCIDENT])
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"path {path['id']}" in out
    assert "tools/analytics/export_bookings.py:7" in out  # where the agent reads it
    assert "tools/analytics/export_bookings.py:14" in out  # evidence with file:line
    assert "hops:" in out
    assert "[operation] railway.volume.delete" in out
    assert "mitigations:" in out
    assert "fails the gate" in out
    assert "not in a baseline" in out


def test_explain_ends_with_how_to_close_it_as_the_json_says() -> None:
    report: dict[str, Any] = json.loads(runner.invoke(app, [INCIDENT, "-f", "json"]).output)
    path = next(p for p in report["paths"] if p["action"] == "railway.volume.delete")
    fix = next(r for r in report["remediations"] if r["id"] == path["remediation"])
    out = runner.invoke(app, ["explain", path["id"], INCIDENT]).output
    closing = out[out.index("to close it:"):]
    assert f"use instead: {fix['narrower']}" in closing
    assert all(step["action"] in closing for step in fix["steps"])
    assert "RAILWAY_TOKEN" in closing  # the Railway project-token step, not generic advice


def test_explain_a_credential_lists_all_its_paths() -> None:
    report = _report()
    credential = report["credentials"][0]
    by_fingerprint = runner.invoke(app, ["explain", credential["fingerprint"], INCIDENT])
    by_id = runner.invoke(app, ["explain", credential["id"], INCIDENT])
    assert by_id.exit_code == by_fingerprint.exit_code == 0
    assert by_id.output == by_fingerprint.output
    mine = [p["id"] for p in report["paths"] if p["credential"] == credential["id"]]
    assert all(f"path {pid}" in by_id.output for pid in mine)


def test_unknown_id_exits_2_with_one_line() -> None:
    result = runner.invoke(app, ["explain", "p-000000000000", INCIDENT])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "p-000000000000" in result.output
