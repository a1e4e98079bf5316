"""The agent workspace beyond the tree: agent config, --home stores and --env, via the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app

TOKEN = "120f366c-2543-4e20-bfb0-c7d2720bd00f"
LOGIN = "529e38fa-2c08-4180-878b-1f20d6f2780a"
AWS_ID, AWS_SECRET = "AKIAIQPBV3UE3HEBPE6G", "qJxIpQ6+XAwoshYMz/x2W5gCmFhDMhF2kTMxT60P"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _scan(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return _write(tmp_path / "repo", {
        ".cursor/mcp.json": json.dumps({"mcpServers": {"railway": {
            "command": "npx", "args": ["-y", "@railway/mcp-server"],
            "env": {"RAILWAY_API_TOKEN": TOKEN}}}}),
        ".claude/settings.json": json.dumps({"permissions": {"allow": ["Bash(railway:*)"]}}),
        "README.md": "nothing here\n",
    })


def test_token_in_cursor_mcp_config_is_an_agent_config_credential(repo: Path) -> None:
    report = _scan(str(repo))
    (cred,) = report["credentials"]
    assert cred["locations"][0]["source"] == "agent-config"
    assert cred["locations"][0]["path"] == ".cursor/mcp.json"
    reasons = [e["reason"] for e in cred["evidence"]]
    assert "handed to the agent's MCP server 'railway'" in reasons
    assert "the agent is allowed to run Bash(railway:*)" in reasons
    assert report["gate"]["status"] == "fail"
    hops = [(h["kind"], h["label"]) for h in report["paths"][0]["hops"]]
    assert hops[:2] == [("source", ".cursor/mcp.json:1 [agent-config]"),
                        ("agent-tool", "MCP server railway")]


def test_home_finds_a_railway_login_linked_to_production_and_an_aws_profile(
        repo: Path, tmp_path: Path) -> None:
    home = _write(tmp_path / "home", {
        ".railway/config.json": json.dumps({
            "projects": {"/w/app": {"name": "app", "environmentName": "production"}},
            "user": {"token": LOGIN}}),
        ".aws/credentials": f"[prod-admin]\naws_access_key_id = {AWS_ID}\n"
                            f"aws_secret_access_key = {AWS_SECRET}\n",
    })
    without = _scan(str(repo))
    report = _scan(str(repo), "--home", str(home))
    assert len(report["credentials"]) == len(without["credentials"]) + 2
    by_path = {c["locations"][0]["path"]: c for c in report["credentials"]}
    railway = by_path["~/.railway/config.json"]
    assert railway["locations"][0]["source"] == "home"
    assert any("linked to environment 'production'" in e["reason"] for e in railway["evidence"])
    aws = by_path["~/.aws/credentials"]
    assert aws["provider"] == "aws"
    assert aws["environments"] == ["production"]
    assert any("prod-admin" in e["reason"] for e in aws["evidence"])


def test_home_must_be_a_directory(repo: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [str(repo), "--home", str(tmp_path / "nope")])
    assert result.exit_code == 2


def test_env_reads_the_environment_only_when_asked(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_live_eqlidtfaOUwJy0FSlMTVm8cxdcvM7NOYndCqD3oJ")
    assert all(c["provider"] != "stripe" for c in _scan(str(repo))["credentials"])
    report = _scan(str(repo), "--env")
    (stripe,) = [c for c in report["credentials"] if c["provider"] == "stripe"]
    assert stripe["locations"] == [{"path": "env:STRIPE_SECRET_KEY", "line": 1,
                                    "source": "environment", "commit": None,
                                    "column": 19, "end_column": 67}]
    assert stripe["environments"] == ["production"]


def test_github_pat_in_mcp_config_reaches_production_database_through_a_workflow(
        tmp_path: Path) -> None:
    repo = _write(tmp_path / "repo", {
        ".cursor/mcp.json": json.dumps({"mcpServers": {"github": {
            "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
            "env": {"GITHUB_PERSONAL_ACCESS_TOKEN":
                    "ghp_7wUlTyJ1CimQ5gRVr7G3q7rvDw1WJs7deKlb"}}}}),
        ".github/workflows/migrate.yml": (
            "on: push\njobs:\n  migrate:\n    runs-on: ubuntu-latest\n"
            "    environment: production\n    steps:\n"
            "      - run: psql \"$DATABASE_URL\" -f migrate.sql\n"
            "        env:\n          DATABASE_URL: ${{ secrets.PROD_DATABASE_URL }}\n"),
    })
    report = _scan(str(repo))
    (path,) = [p for p in report["paths"] if p["action"] == "postgres.data.drop"]
    assert path["severity"] == "critical"
    assert path["environment"] == "production"
    labels = [h["label"] for h in path["hops"]]
    assert "workflow secret PROD_DATABASE_URL" in labels
    assert any("runs them with their secrets" in w for w in path["why"])
