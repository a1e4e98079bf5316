"""``blastscan report REPORT.json``: a saved report renders the bytes its scan printed.

Each case scans once through the CLI (JSON, plus every other format with
``--also-write``), then renders the JSON again with ``report`` in every format and
compares bytes and exit status. The cases cover what the JSON must carry for that:
examples, git-history locations, baseline-accepted and expired paths, label/scope
mismatches and the detectors' facts the HTML shows.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.reports.base import OutputFormat
from blastscan.scanner.config import named_files

from support import FIXTURES

runner = CliRunner()
STRIPE = "sk_live_51Hq8Lz3Rv6Tn1Ym4Kp7Hs2Dj5Fb9Xc0GaWq8Lz3Rv6Tn1Ym4Kp7"  # fake, right shape
OTHERS = [f for f in OutputFormat if f is not OutputFormat.JSON]


def _invoke(*args: str) -> tuple[int, str]:
    from blastscan.scanner.cli.main import app

    got = runner.invoke(app, list(args))
    return got.exit_code, got.output


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                    "-c", "init.defaultBranch=main", *args], cwd=root, check=True,
                   capture_output=True)


def _copy(name: str, tmp: Path) -> Path:
    tree = tmp / "tree"
    shutil.copytree(FIXTURES / name, tree)
    return tree


def _with_baseline(tmp: Path, *, expires: str | None) -> Path:
    tree = _copy("incident", tmp)
    extra = ["--expires", expires] if expires else []
    code, out = _invoke("baseline", "create", str(tree), "--reason", "r", "--owner", "o", *extra)
    assert code == 0, out
    (tree / ".env.production").write_text(f"STRIPE_SECRET_KEY={STRIPE}\n")
    return tree


def _history(tmp: Path) -> Path:
    tree = tmp / "repo"
    tree.mkdir(parents=True)
    _git(tree, "init", "-q")
    (tree / "settings.py").write_text(f'STRIPE_SECRET_KEY = "{STRIPE}"\n')
    _git(tree, "add", ".")
    _git(tree, "commit", "-qm", "add")
    (tree / "settings.py").write_text('import os\nSTRIPE_SECRET_KEY = os.environ["S"]\n'
                                      f'BACKUP = "{STRIPE}"\n')
    _git(tree, "commit", "-qam", "move")
    return tree


def _baselined(tree: Path) -> tuple[Path, list[str]]:
    return tree, ["--no-history", "--baseline", str(tree / ".blastscan-baseline.json")]


def _examples(tmp: Path) -> Path:
    tree = _copy("staging", tmp)
    (tree / "docs").mkdir()
    (tree / "docs" / "engines.rst").write_text("    mysql://scott:tiger@db1.corp.net/test\n")
    return tree


def _undecodable_name(tmp: Path) -> Path:
    """A token in a file whose name is not UTF-8: the source hop must round-trip."""
    tree = tmp / "tree"
    tree.mkdir(parents=True)
    with open(os.fsencode(tree) + b"/\xffprod.env", "w", encoding="utf-8") as file:
        file.write(f"STRIPE_SECRET_KEY={STRIPE}\n")
    return tree


CASES = {
    "incident": lambda tmp: (FIXTURES / "incident", ["--no-history"]),
    "staging": lambda tmp: (FIXTURES / "staging", ["--no-history"]),
    "kubeconfig_prod": lambda tmp: (FIXTURES / "scenarios" / "kubeconfig_prod", ["--no-history"]),
    "supabase_anon": lambda tmp: (FIXTURES / "scenarios" / "supabase_anon", ["--no-history"]),
    "railway_staging_bearer": lambda tmp: (FIXTURES / "scenarios" / "railway_staging_bearer",
                                           ["--no-history"]),
    "placeholders": lambda tmp: (FIXTURES / "placeholders", ["--no-history"]),
    "baseline": lambda tmp: _baselined(_with_baseline(tmp, expires=None)),
    "baseline_expired": lambda tmp: _baselined(_with_baseline(tmp, expires="2020-01-01")),
    "examples": lambda tmp: (_examples(tmp), ["--no-history"]),
    "history": lambda tmp: (_history(tmp), ["--fail-on", "high"]),
    "undecodable_name": lambda tmp: (_undecodable_name(tmp), ["--no-history"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_report_renders_what_the_scan_rendered(case: str, tmp_path: Path) -> None:
    tree, options = CASES[case](tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    also = [arg for f in OTHERS for arg in ("--also-write", f"{f.value}:{out / ('scan.' + f)}")]
    scanned, log = _invoke("scan", str(tree), *options, "-f", "json", "-o", str(out / "r.json"),
                           *also)
    assert scanned in (0, 1), log
    for fmt in OutputFormat:
        rendered = out / f"report.{fmt}"
        code, log = _invoke("report", str(out / "r.json"), "-f", fmt.value, "-o", str(rendered))
        assert code == scanned, (fmt, log)
        expected = out / ("r.json" if fmt is OutputFormat.JSON else f"scan.{fmt}")
        if fmt is OutputFormat.HTML:
            # The one difference: the JSON keeps the revision (compared below, byte for
            # byte) but not the scan's time and command line, so the same input gives the
            # same JSON; the HTML rendered from it says so instead.
            got, want = _when_and_how(rendered.read_text()), _when_and_how(expected.read_text())
            assert got[1] == NOT_KEPT, got
            assert want[1].startswith("<dt>scanned</dt><dd>20"), want
            assert got[0] == want[0], fmt
            continue
        assert rendered.read_bytes() == expected.read_bytes(), fmt


NOT_KEPT = ('<dt>scanned</dt><dd class="muted">not recorded (rendered again from a JSON report,'
            ' which keeps only the revision)</dd>')


def _when_and_how(page: str) -> tuple[str, str]:
    """``page`` without its provenance's time and command rows, and those rows."""
    start = page.index("<dt>scanned</dt>")
    end = page.index("\n  </dl>", start)
    return page[:start] + page[end:], page[start:end].strip()


def test_the_cases_exercise_what_the_json_must_carry(tmp_path: Path) -> None:
    """The round trip above proves something only if the cases hold these fields."""
    seen: set[str] = set()
    for case in sorted(CASES):
        tree, options = CASES[case](tmp_path / case)
        code, text = _invoke("scan", str(tree), *options, "-f", "json")
        document = json.loads(text)
        creds, paths = document["credentials"], document["paths"]
        seen |= {"examples"} if document["examples"] else set()
        commits = [loc["commit"] for c in creds for loc in c["locations"]]
        seen |= {"history"} if any(commits) else set()
        seen |= {"revision"} if document.get("provenance", {}).get("commit") else set()
        ends = [loc["end_column"] for c in creds for loc in c["locations"]]
        seen |= {"columns"} if any(ends) else set()
        seen |= {"facts"} if any(c["facts"] for c in creds) else set()
        seen |= {"mismatch"} if any(c["label_scope_mismatch"] for c in creds) else set()
        seen |= {"accepted"} if any(p["accepted"] for p in paths) else set()
        seen |= {"expired"} if any(p["baseline_expired"] for p in paths) else set()
        seen |= {"pass"} if code == 0 and paths else set()
        seen |= {"fail"} if code == 1 else set()
        seen |= {"keyed"} if document["fingerprint_scheme"].startswith("hmac-sha256:") else set()
    assert seen == {"examples", "history", "facts", "mismatch", "accepted", "expired",
                    "pass", "fail", "revision", "columns", "keyed"}


def _saved(tmp_path: Path, name: str = "staging") -> tuple[Path, dict[str, object]]:
    saved = tmp_path / "r.json"
    _invoke("scan", str(FIXTURES / name), "--no-history", "-f", "json", "-o", str(saved))
    return saved, json.loads(saved.read_text())


def test_fail_on_decides_the_gate_again(tmp_path: Path) -> None:
    saved, document = _saved(tmp_path)
    assert document["gate"]["status"] == "pass"
    assert any(p["severity"] == "medium" for p in document["paths"])  # type: ignore[attr-defined]
    assert _invoke("report", str(saved), "-q")[0] == 0
    code, text = _invoke("report", str(saved), "-q", "--fail-on", "medium")
    assert code == 1
    assert text.startswith("FAIL")


def test_a_report_edited_to_pass_still_fails(tmp_path: Path) -> None:
    saved, document = _saved(tmp_path, "incident")
    document["gate"] = {"status": "pass", "fail_on": "critical", "failing_paths": [],
                        "review_only": []}
    saved.write_text(json.dumps(document))
    code, text = _invoke("report", str(saved), "-q")
    assert code == 1
    assert text.startswith("FAIL")


def test_an_older_report_without_the_added_fields_still_renders(tmp_path: Path) -> None:
    saved, document = _saved(tmp_path, "incident")
    for cred in document["credentials"]:  # type: ignore[attr-defined]
        del cred["facts"], cred["label_scope_mismatch"]
        for location in cred["locations"]:
            del location["column"], location["end_column"]
    del document["examples"], document["gate"]["review_only"]  # type: ignore[attr-defined]
    saved.write_text(json.dumps(document))
    sarif = tmp_path / "r.sarif"
    assert _invoke("report", str(saved), "-f", "sarif", "-o", str(sarif))[0] == 1
    # Columns unknown: each region is the whole line, as for an imported finding.
    regions = [loc["physicalLocation"]["region"] for r in json.loads(sarif.read_text())
               ["runs"][0]["results"] for loc in r["locations"]]
    assert regions
    assert all("startColumn" not in region for region in regions)


def _broken(document: dict[str, object]) -> list[tuple[str, dict[str, object], str]]:
    def edited(path: tuple[str | int, ...], value: object) -> dict[str, object]:
        copy = json.loads(json.dumps(document))
        node = copy
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
        return copy

    secretish = "ghp_" + "A" * 36  # a value the error must never echo
    return [
        ("schema", edited(("schema_version",), 2), "not a blastscan JSON report"),
        ("tool", edited(("tool", "name"), secretish), "not a blastscan JSON report"),
        ("scope", edited(("credentials", 0, "scope"), secretish), "credentials[0].scope"),
        ("severity", edited(("paths", 0, "severity"), secretish), "paths[0].severity"),
        ("line", edited(("credentials", 0, "locations", 0, "line"), -1),
         "credentials[0].locations[0].line: expected a count"),
        ("column", edited(("credentials", 0, "locations", 0, "column"), secretish),
         "credentials[0].locations[0].column: expected a count"),
        ("hops", edited(("paths", 0, "hops"), {"kind": secretish}), "paths[0].hops"),
        ("skip", edited(("summary", "files_skipped"), {secretish: 1}), "files_skipped key"),
        ("missing", edited(("paths", 0), {"id": "p-0"}), "paths[0]: missing 'severity'"),
        ("orphan", edited(("paths", 0, "credential"), "c-000000000000"),
         "paths[0].credential: no such credential"),
        ("duplicate", edited(("paths",), [*document["paths"], document["paths"][0]]),
         f"paths[{len(document['paths'])}].id: a duplicate id"),
    ]


def test_a_malformed_report_is_one_line_naming_the_field_not_the_value(tmp_path: Path) -> None:
    saved, document = _saved(tmp_path, "incident")
    for name, broken, expected in _broken(document):
        saved.write_text(json.dumps(broken))
        code, text = _invoke("report", str(saved))
        assert code == 2, name
        assert expected in text, (name, text)
        assert len(text.strip().splitlines()) == 1, name
        assert "ghp_" not in text, name


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", "{\"schema_version\": 1}",
                                     "\xff"], ids=["empty", "text", "list", "bare", "binary"])
def test_not_a_report_is_an_error_not_a_crash(tmp_path: Path, content: str) -> None:
    saved = tmp_path / "r.json"
    saved.write_bytes(content.encode("latin-1"))
    code, text = _invoke("report", str(saved))
    assert code == 2
    assert text.startswith("blastscan: error: report ")


def test_the_report_is_read_bounded_and_never_blocks(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    saved, _ = _saved(tmp_path)
    monkeypatch.setattr(named_files, "REPORT_LIMIT", 1024)
    code, text = _invoke("report", str(saved))
    assert (code, "larger than") == (2, text.split(": ")[-1][:11])
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, text = _invoke("report", str(fifo))
    assert code == 2
    assert "not a regular file (a FIFO)" in text
