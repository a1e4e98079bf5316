"""``blastscan providers`` prints the knowledge base as text or deterministic JSON."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from blastscan.detectors.knowledge.loader import load
from blastscan.scanner.cli.main import app

runner = CliRunner()


def test_providers_text_lists_every_provider() -> None:
    result = runner.invoke(app, ["providers"])
    assert result.exit_code == 0, result.output
    assert "Railway (railway)" in result.output
    assert "account_token [account]: volume.delete (volumeDelete)" in result.output
    assert f"{len(load())} providers" in result.output


def test_providers_json_is_deterministic_and_complete() -> None:
    first = runner.invoke(app, ["providers", "--format", "json"])
    second = runner.invoke(app, ["providers", "--format", "json"])
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    data = json.loads(first.output)["providers"]
    assert [p["id"] for p in data] == sorted(load())
    railway = next(p for p in data if p["id"] == "railway")
    assert {k["id"] for k in railway["kinds"]} >= {"account_token", "project_token"}
    assert all(k["source"] for p in data for k in p["kinds"])
