"""``blastscan report merged.json`` keeps the organisation section (issue 16): a merged
report renders again from its JSON as ``blastscan merge`` rendered it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.reports.base import OutputFormat
from blastscan.scanner.cli.main import app

runner = CliRunner()
TOKEN = "c7f2e9a4-1b3d-4a8e-95c0-6d2f8e1b4a73"  # random, the shape of a Railway token
WORKFLOW = """\
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: railway up
        env:
          RAILWAY_TOKEN: ${{ secrets.RAILWAY_TOKEN }}
"""
REPOS = {
    "api": {".env.production": f"RAILWAY_TOKEN={TOKEN}\n"},
    "jobs": {"run.sh": f"export RAILWAY_TOKEN={TOKEN}\nrailway volume delete\n"},
    "deploy": {".github/workflows/deploy.yml": WORKFLOW},
}
# The HTML's provenance rows say how it was rendered (merge: outside a scan; report: from
# a JSON file), which the JSON does not keep: compared without them.
_PROVENANCE = ("<dt>provenance</dt>", "<dt>commit</dt>", "<dt>branch</dt>", "<dt>scanned</dt>")


def _merged(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, files in REPOS.items():
        for rel, text in files.items():
            (tmp_path / name / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name / rel).write_text(text)
        done = runner.invoke(app, [str(tmp_path / name), "--no-history", "-f", "json",
                                   "-o", str(reports / f"{name}.json")])
        assert done.exit_code in (0, 1), done.output
    return reports


def _without_provenance(page: str) -> str:
    return "\n".join(line for line in page.splitlines()
                     if not line.strip().startswith(_PROVENANCE))


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_a_merged_report_renders_again_byte_for_byte(tmp_path: Path, fmt: OutputFormat) -> None:
    reports = _merged(tmp_path)
    files = sorted(map(str, reports.glob("*.json")))
    merged, again = tmp_path / "org.json", tmp_path / f"again.{fmt.value}"
    direct = tmp_path / f"direct.{fmt.value}"
    assert runner.invoke(app, ["merge", *files, "-f", "json", "-o", str(merged)]).exit_code == 1
    assert runner.invoke(app, ["merge", *files, "-f", fmt.value, "-o", str(direct)]).exit_code == 1
    org = json.loads(merged.read_text())["organisation"]
    # The section carries every part, so the round trip is not of an empty one.
    assert org["ranking"]
    assert org["cross_repository_paths"]
    assert org["cross_repository_by_reference"]
    done = runner.invoke(app, ["report", str(merged), "-f", fmt.value, "-o", str(again)])
    assert done.exit_code == 1, done.output
    if fmt is OutputFormat.HTML:
        assert "cross-repository" in again.read_text()
        assert _without_provenance(again.read_text()) == _without_provenance(direct.read_text())
    else:
        assert again.read_bytes() == direct.read_bytes()


def test_a_single_repository_report_keeps_its_references(tmp_path: Path) -> None:
    reports = _merged(tmp_path)
    again = tmp_path / "again.json"
    done = runner.invoke(app, ["report", str(reports / "deploy.json"), "-f", "json",
                               "-o", str(again)])
    assert done.exit_code == 0, done.output
    assert json.loads(again.read_text())["references"]
    assert again.read_bytes() == (reports / "deploy.json").read_bytes()


def test_a_forged_organisation_field_is_named_not_echoed(tmp_path: Path) -> None:
    reports = _merged(tmp_path)
    merged = tmp_path / "org.json"
    runner.invoke(app, ["merge", *map(str, reports.glob("*.json")), "-f", "json",
                        "-o", str(merged)])
    doc = json.loads(merged.read_text())
    doc["organisation"]["cross_repository_paths"][0]["severity"] = "\x1b]8;;evil\x07"
    merged.write_text(json.dumps(doc))
    done = runner.invoke(app, ["report", str(merged), "-f", "text"])
    assert done.exit_code == 2, done.output
    assert "organisation.cross_repository_paths[0].severity" in done.output
    assert "\x1b" not in done.output
