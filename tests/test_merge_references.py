"""``blastscan merge`` joins by reference (issue 16): a credential found in one repository,
named by another repository's production workflow without the secret itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from blastscan.scanner.cli.main import app

runner = CliRunner()
TOKEN = "8d41c7e2-5a9b-4f03-b6e8-7c2d19a4f5e0"  # random, the shape of a Railway token
OTHER = "e3a90b15-27cd-4e8f-9b61-d4f07c3a52b8"  # another random one

WORKFLOW = """\
name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: {env}
    steps:
      - run: railway up
        env:
          RAILWAY_TOKEN: ${{{{ secrets.{name} }}}}
"""
SECRET_LINE = 10  # the ``secrets.`` line of WORKFLOW


def _report(root: Path, name: str, files: dict[str, str]) -> Path:
    repo = root / "repos" / name
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    out = root / "reports"
    out.mkdir(exist_ok=True)
    target = out / f"{name}.json"
    result = runner.invoke(app, [str(repo), "--no-history", "-f", "json", "-o", str(target)])
    assert result.exit_code in (0, 1), result.output
    return target


def _org(tmp_path: Path, workflow: str, own: dict[str, str] | None = None) -> dict[str, Any]:
    api = _report(tmp_path, "api", {".env": f"RAILWAY_TOKEN={TOKEN}\n"})
    deploy = _report(tmp_path, "deploy", {".github/workflows/deploy.yml": workflow, **(own or {})})
    result = runner.invoke(app, ["merge", str(api), str(deploy), "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    assert TOKEN not in result.output
    assert OTHER not in result.output
    org: dict[str, Any] = json.loads(result.output)["organisation"]
    return org


def test_a_production_workflow_naming_another_repositorys_token_is_a_cross_entry(
        tmp_path: Path) -> None:
    org = _org(tmp_path, WORKFLOW.format(env="production", name="RAILWAY_TOKEN"))
    (entry,) = org["cross_repository_by_reference"]
    (cred,) = org["ranking"]
    assert entry["repository"] == "deploy"
    assert entry["credential"] == cred["credential"]
    assert entry["name"] == "RAILWAY_TOKEN"
    assert entry["environment"] == "production"
    assert entry["evidence"] == f"deploy/.github/workflows/deploy.yml:{SECRET_LINE}"
    assert entry["found_in"] == ["api"]
    assert "referenced by name only" in entry["why"]
    assert "api/.env:1" in entry["why"]
    # Never more than the evidence shows: not a fingerprint join, so not a holder.
    assert cred["repositories"] == ["api"]
    assert all(x["repository"] != "deploy" for x in org["cross_repository_paths"])


def test_the_workflow_reference_is_recorded_in_the_single_repository_report(
        tmp_path: Path) -> None:
    report = _report(tmp_path, "deploy", {".github/workflows/deploy.yml": WORKFLOW.format(
        env="production", name="RAILWAY_TOKEN")})
    doc = json.loads(report.read_text())
    assert doc["references"] == [{"name": "RAILWAY_TOKEN", "path": ".github/workflows/deploy.yml",
                                  "line": SECRET_LINE, "environments": ["production"]}]


def test_a_name_no_credential_carries_joins_nothing(tmp_path: Path) -> None:
    org = _org(tmp_path, WORKFLOW.format(env="production", name="RAILWAY_API_TOKEN"))
    assert org["cross_repository_by_reference"] == []


def test_a_job_not_proven_to_run_in_production_joins_nothing(tmp_path: Path) -> None:
    org = _org(tmp_path, WORKFLOW.format(env="staging", name="RAILWAY_TOKEN"))
    assert org["cross_repository_by_reference"] == []


def test_a_name_the_repository_holds_itself_is_its_own_credential(tmp_path: Path) -> None:
    org = _org(tmp_path, WORKFLOW.format(env="production", name="RAILWAY_TOKEN"),
               own={".env": f"RAILWAY_TOKEN={OTHER}\n"})
    assert org["cross_repository_by_reference"] == []
    assert len(org["ranking"]) == 2


def test_a_forged_reference_skips_the_report_with_its_field(tmp_path: Path) -> None:
    api = _report(tmp_path, "api", {".env": f"RAILWAY_TOKEN={TOKEN}\n"})
    deploy = _report(tmp_path, "deploy", {".github/workflows/deploy.yml": WORKFLOW.format(
        env="production", name="RAILWAY_TOKEN")})
    doc = json.loads(deploy.read_text())
    doc["references"][0]["environments"] = ["\x1b[2Jeverywhere"]
    deploy.write_text(json.dumps(doc))
    merged = tmp_path / "org.json"
    result = runner.invoke(app, ["merge", str(api), str(deploy), "-f", "json", "-o", str(merged)])
    assert result.exit_code == 1  # an unreadable report fails the gate
    org = json.loads(merged.read_text())["organisation"]
    assert org["skipped"] == [{"file": "deploy", "reason": org["skipped"][0]["reason"]}]
    assert "references[0].environments[0]" in org["skipped"][0]["reason"]
    assert "\x1b" not in result.output
    assert "\x1b" not in merged.read_text()
    assert org["cross_repository_by_reference"] == []


def test_the_human_formats_show_the_entry_apart_from_the_fingerprint_joins(
        tmp_path: Path) -> None:
    api = _report(tmp_path, "api", {".env": f"RAILWAY_TOKEN={TOKEN}\n"})
    deploy = _report(tmp_path, "deploy", {".github/workflows/deploy.yml": WORKFLOW.format(
        env="production", name="RAILWAY_TOKEN")})
    for fmt in ("text", "markdown", "html"):
        out = tmp_path / f"org.{fmt}"
        runner.invoke(app, ["merge", str(api), str(deploy), "-f", fmt, "-o", str(out)])
        page = out.read_text()
        assert "eferenced by name only" in page, fmt
        assert f"deploy/.github/workflows/deploy.yml:{SECRET_LINE}" in page, fmt
        assert TOKEN not in page
