"""``blastscan merge`` (issue 16): one organisation report from many repositories' reports."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from blastscan.reports.base import OutputFormat, render
from blastscan.scanner.cli.main import app
from blastscan.scanner.org import reading
from blastscan.scanner.org.joining import Join
from blastscan.scanner.org.merge import merge

runner = CliRunner()
TOKEN = "5b0e8d2a-93c4-4f6e-8a17-2c9d04e6b3f1"  # random, the shape of a Railway token
SCHEMA = Path(__file__).parent / "sarif-schema-2.1.0.json"


def _repo(root: Path, name: str, files: dict[str, str]) -> Path:
    repo = root / "repos" / name
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    return repo


def _report(repo: Path, out: Path, env: dict[str, str] | None = None) -> Path:
    out.mkdir(exist_ok=True)
    target = out / f"{repo.name}.json"
    result = runner.invoke(app, [str(repo), "--no-history", "-f", "json", "-o", str(target)],
                           env=env)
    assert result.exit_code in (0, 1), result.output
    return target


def _three(tmp_path: Path) -> list[Path]:
    files = {
        "api": {".env.production": f"RAILWAY_TOKEN={TOKEN}\n"},
        "web": {"deploy/railway.py": f'RAILWAY_TOKEN = "{TOKEN}"\n'},
        "jobs": {"run.sh": f"export RAILWAY_TOKEN={TOKEN}\nrailway volume delete\n"},
    }
    return [_report(_repo(tmp_path, n, f), tmp_path / "reports") for n, f in files.items()]


def _merged(files: list[Path], *args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["merge", *map(str, files), "-f", "json", *args])
    assert TOKEN not in result.output
    return result.exit_code, json.loads(result.output) if result.exit_code in (0, 1) else {}


def test_one_token_in_three_repositories_is_one_credential_with_three(tmp_path: Path) -> None:
    code, report = _merged(_three(tmp_path))
    assert code == 1  # the token reaches a production delete
    (cred,) = report["credentials"]
    assert [loc["path"] for loc in cred["locations"]] == [
        "api/.env.production", "jobs/run.sh", "web/deploy/railway.py"]
    (top,) = report["organisation"]["ranking"]
    assert top["credential"] == cred["id"]
    assert top["fingerprint"] == cred["fingerprint"]
    assert top["repositories"] == ["api", "jobs", "web"]
    assert top["production_paths"] > 0
    assert [r["name"] for r in report["organisation"]["repositories"]] == ["api", "jobs", "web"]
    assert report["fingerprint_scheme"] == report["organisation"]["fingerprint_scheme"]
    assert report["gate"]["status"] == "fail"
    assert set(report["gate"]["failing_paths"]) <= {p["id"] for p in report["paths"]}


def test_a_path_proven_in_one_repository_is_open_from_the_others(tmp_path: Path) -> None:
    _, report = _merged(_three(tmp_path))
    cross = report["organisation"]["cross_repository_paths"]
    # jobs/run.sh names no environment; api's .env.production proves production.
    from_jobs = [x for x in cross if x["repository"] == "jobs"]
    assert any(x["environment"] == "production" and "api" in x["proven_in"] for x in from_jobs)
    own = json.loads((tmp_path / "reports" / "jobs.json").read_text())
    own_ids = {p["id"] for p in own["paths"]}
    assert all(x["path"] not in own_ids for x in from_jobs)


def test_the_merged_report_does_not_depend_on_the_order_reports_arrive(tmp_path: Path) -> None:
    files = _three(tmp_path)
    texts = []
    for order in (files, files[::-1], [files[1], files[2], files[0]]):
        join = Join()
        for file in order:
            join.add(file.stem, reading.read(file))
        texts.append(render(join.finish(), OutputFormat.JSON))
    assert texts[0] == texts[1] == texts[2]
    assert texts[0] == render(merge(files), OutputFormat.JSON)


def test_reports_under_different_keys_are_refused(tmp_path: Path) -> None:
    api = _report(_repo(tmp_path, "api", {".env": f"RAILWAY_TOKEN={TOKEN}\n"}),
                  tmp_path / "reports", env={"BLASTSCAN_FINGERPRINT_KEY": "org-one"})
    web = _report(_repo(tmp_path, "web", {".env": f"RAILWAY_TOKEN={TOKEN}\n"}),
                  tmp_path / "reports", env={"BLASTSCAN_FINGERPRINT_KEY": "org-two"})
    result = runner.invoke(app, ["merge", str(api), str(web)])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "fingerprint scheme hmac-sha256:" in line
    assert "BLASTSCAN_FINGERPRINT_KEY" in line
    assert "org-one" not in line


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "sarif"])
def test_every_format_carries_the_organisation_section(tmp_path: Path, fmt: str) -> None:
    result = runner.invoke(app, ["merge", *map(str, _three(tmp_path)), "-f", fmt])
    assert result.exit_code == 1
    assert TOKEN not in result.output
    if fmt == "sarif":
        log = json.loads(result.output)
        jsonschema.Draft4Validator(json.loads(SCHEMA.read_text())).validate(log)
        org = log["runs"][0]["properties"]["organisation"]
        assert org["ranking"][0]["repositories"] == ["api", "jobs", "web"]
    else:
        assert "organisation: 3 repositories" in result.output
        assert "api, jobs, web" in result.output
        # The verdict speaks of the repositories merged, not of one workspace.
        assert "an agent in any of these 3 repositories can reach" in result.output
        assert "this workspace" not in result.output


def test_hostile_reports_are_skipped_with_a_reason_and_fail_the_gate(tmp_path: Path) -> None:
    good = _report(_repo(tmp_path, "docs", {"README.md": "nothing here\n"}), tmp_path / "r")
    bad = tmp_path / "r"
    (bad / "notjson.json").write_text("{ nope")
    forged = json.loads(good.read_text())
    forged["credentials"] = [{"id": "c-1", "fingerprint": "\x1b[2J::error::x", "line": "7"}]
    (bad / "forged.json").write_text(json.dumps(forged))
    (bad / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (bad / "other.json").write_text(json.dumps({"schema_version": 1, "tool": {"name": "x"}}))
    os.mkfifo(bad / "fifo.json")
    files = [good, *(bad / f"{n}.json" for n in ("notjson", "forged", "deep", "other", "fifo"))]
    result = runner.invoke(app, ["merge", *map(str, files), "-f", "json"])
    assert result.exit_code == 1  # nothing critical found, but what was skipped is unknown
    report = json.loads(result.stdout)
    skipped = {s["file"]: s["reason"] for s in report["organisation"]["skipped"]}
    assert set(skipped) == {"notjson", "forged", "deep", "other", "fifo"}
    assert "not valid JSON" in skipped["notjson"]
    assert skipped["forged"].startswith("credentials[0].")
    assert skipped["forged"].endswith(": missing")
    assert "not a blastscan report" in skipped["other"]
    assert "FIFO" in skipped["fifo"]
    assert "\x1b" not in result.output
    assert "::error::" not in result.output
    assert [r["name"] for r in report["organisation"]["repositories"]] == ["docs"]


def test_a_report_over_the_size_bound_is_skipped(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from blastscan.scanner.config import named_files

    monkeypatch.setattr(named_files, "REPORT_LIMIT", 1024)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"schema_version": 1, "pad": "x" * 4096}))
    result = merge([big])
    assert result.organisation is not None
    (skipped,) = result.organisation.skipped
    assert "larger than" in skipped.reason
    assert result.gate.failed
