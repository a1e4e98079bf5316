"""Baselines through the CLI: round trip, expiry, staleness, and no churn on edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from blastscan.scanner.cli.main import app

from support import FIXTURES

runner = CliRunner()
SOURCE = "tools/analytics/export_bookings.py"


def _repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "incident", target)
    return target


def _baseline(command: str, target: Path, *extra: str) -> Path:
    out = target / ".blastscan-baseline.json"
    result = runner.invoke(app, ["baseline", command, str(target), "--reason", "reviewed",
                                 "--owner", "security", *extra])
    assert result.exit_code == 0, result.output
    return out


def _scan(target: Path, *args: str) -> tuple[int, dict[str, object]]:
    out = runner.invoke(app, [str(target), "--no-history", "-f", "json",
                              "--baseline", str(target / ".blastscan-baseline.json"), *args])
    return out.exit_code, json.loads(out.output) if out.exit_code in (0, 1) else {}


def test_round_trip_then_expiry_gates_again(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    assert runner.invoke(app, [str(target), "--no-history"]).exit_code == 1
    file = _baseline("create", target)
    text = file.read_text()
    assert '"line"' not in text
    assert "382f" not in text
    code, report = _scan(target)
    assert code == 0
    paths = report["paths"]
    assert isinstance(paths, list)
    assert all(p["accepted"] == {"reason": "reviewed", "owner": "security", "expires": None}
               for p in paths)
    data = json.loads(text)
    for entry in data["entries"]:
        entry["expires"] = "2001-01-01"
    file.write_text(json.dumps(data))
    code, report = _scan(target)
    assert code == 1
    assert report["summary"]["baseline"]["expired"] > 0  # type: ignore[index]
    text_report = runner.invoke(app, [str(target), "--no-history", "--baseline", str(file)])
    assert "expired" in text_report.output


def test_future_expiry_still_accepts(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    _baseline("create", target, "--expires", "2999-12-31")
    assert _scan(target)[0] == 0


def test_edits_do_not_churn_the_baseline(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    before = _baseline("create", target).read_bytes()
    source = target / SOURCE
    lines = source.read_text().splitlines(keepends=True)
    # Move the secret down, re-indent nothing but whitespace, and edit unrelated lines.
    edited = ["# a new header comment\n", "\n", *lines, "\n# trailing note\n"]
    source.write_text("".join(edited))
    (target / "README.md").write_text("rewritten\n")
    assert _scan(target)[0] == 0
    assert _baseline("update", target).read_bytes() == before


def test_reindent_does_not_churn(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    env = target / "app" / "settings.py"
    env.parent.mkdir(exist_ok=True)
    env.write_text('def conf():\n    return {"RAILWAY_TOKEN": "x"}\n')
    before = _baseline("create", target).read_bytes()
    env.write_text('def conf():\n        return {"RAILWAY_TOKEN": "x"}\n')
    assert _baseline("update", target).read_bytes() == before


def test_stale_entries_are_reported(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    _baseline("create", target)
    (target / SOURCE).write_text("print('no secret here any more')\n")
    code, report = _scan(target)
    assert code == 0
    stale = report["summary"]["baseline"]["stale"]  # type: ignore[index]
    assert stale
    assert stale[0]["path"] == SOURCE
    text = runner.invoke(app, [str(target), "--no-history", "--baseline",
                               str(target / ".blastscan-baseline.json")]).output
    assert "stale" in text


def test_a_new_copy_of_the_secret_gates(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    _baseline("create", target)
    shutil.copy(target / SOURCE, target / "copy.py")
    assert _scan(target)[0] == 1


def test_create_refuses_to_overwrite_and_needs_a_reason(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    _baseline("create", target)
    again = runner.invoke(app, ["baseline", "create", str(target), "--reason", "x",
                                "--owner", "y"])
    assert again.exit_code == 2
    assert "update" in again.output
    bare = runner.invoke(app, ["baseline", "create", str(tmp_path / "repo"), "-o",
                               str(tmp_path / "b.json")])
    assert bare.exit_code == 2
    assert "--reason" in bare.output


def test_bad_baseline_file_exits_2(tmp_path: Path) -> None:
    target = _repo(tmp_path)
    (target / ".blastscan-baseline.json").write_text("{not json")
    assert _scan(target)[0] == 2


def test_sarif_marks_accepted_paths_as_suppressed(tmp_path: Path) -> None:
    import jsonschema

    target = _repo(tmp_path)
    file = _baseline("create", target, "--expires", "2999-12-31")
    out = runner.invoke(app, [str(target), "--no-history", "-f", "sarif", "--baseline",
                              str(file)])
    assert out.exit_code == 0, out.output
    sarif = json.loads(out.output)
    schema = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert results
    assert all(r["suppressions"] == [{"kind": "external", "status": "accepted",
                                      "justification": "reviewed — security (until 2999-12-31)"}]
               for r in results)


def test_accepted_paths_are_collapsed_in_text_and_markdown(tmp_path: Path) -> None:
    import shutil

    from typer.testing import CliRunner

    from blastscan.scanner.cli.main import app

    cli = CliRunner()
    tree = tmp_path / "t"
    shutil.copytree(Path(__file__).parent / "fixtures" / "incident", tree)
    made = cli.invoke(app, ["baseline", "create", str(tree), "--reason", "r", "--owner", "o"])
    assert made.exit_code == 0, made.output
    (tree / ".env.production").write_text(
        "STRIPE_SECRET_KEY=sk_live_51Hq8Lz3Rv6Tn1Ym4Kp7Hs2Dj5Fb9Xc0GaWq8Lz3Rv6Tn1Ym4Kp7\n")
    args = ["scan", str(tree), "--no-history", "--baseline", str(tree / ".blastscan-baseline.json")]
    text = cli.invoke(app, args).output
    assert "✓ accepted by baseline" not in text
    assert "the baseline accepts not shown (--show-accepted lists them)" in text
    assert "stripe" in text  # the new finding is the one shown
    shown = cli.invoke(app, [*args, "--show-accepted"]).output
    assert "✓ accepted by baseline" in shown
    markdown = cli.invoke(app, [*args, "-f", "markdown"]).output
    assert "the baseline accepts not listed" in markdown
    table = markdown.split("| Severity |")[1].split("\n\n")[0]  # the path table
    assert "stripe" in table
    assert "railway" not in table  # the accepted Railway paths are counted, not listed
