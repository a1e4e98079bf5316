"""The baseline at the default path (``.blastscan-baseline.json``), used without being named.

Outside CI it is used and the first line says so (``--no-baseline`` opts out); in CI it is
ignored unless named, because a pull request could add the entry that accepts its own
secret. It is the scanned tree's file, so it is read as hostile input: confined to the
tree, bounded, validated. And after a ``git mv`` the moved credential says why it gates.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app

runner = CliRunner()
PAT = "ghp_3fStrhv4zbuIzMIVkmEVuMphPjbqwWZcOTjg"  # the github detector's own sample
DEFAULT = ".blastscan-baseline.json"


def _invoke(*args: str) -> tuple[int, str]:
    got = runner.invoke(app, list(args))
    return got.exit_code, got.output  # stderr and stdout, in the order written


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                    "-c", "init.defaultBranch=main", *args], cwd=root, check=True,
                   capture_output=True)


@pytest.fixture
def accepted(tmp_path: Path) -> Path:
    """A tree whose one token is accepted by a baseline at the default path."""
    tree = tmp_path / "tree"
    (tree / "tools").mkdir(parents=True)
    (tree / "tools" / "gh.py").write_text(f'GITHUB_TOKEN = "{PAT}"\n')
    assert _invoke("scan", str(tree), "--no-history", "-q")[0] == 1
    code, text = _invoke("baseline", "create", str(tree), "--reason", "r", "--owner", "o")
    assert code == 0, text
    return tree


def test_the_default_baseline_is_used_and_the_first_line_says_so(accepted: Path) -> None:
    code, text = _invoke("scan", str(accepted), "--no-history", "-q")
    assert code == 0, text
    first, verdict = text.splitlines()[:2]
    assert first.startswith(f"blastscan: baseline: using {DEFAULT} found in the scanned tree")
    assert "--no-baseline" in first
    assert verdict.startswith("PASS")
    code, text = _invoke("scan", str(accepted), "--no-history", "-f", "json")
    assert json.loads(text.split("\n", 1)[1])["summary"]["baseline"]["accepted"] == 2


def test_no_baseline_opts_out(accepted: Path) -> None:
    code, text = _invoke("scan", str(accepted), "--no-history", "-q", "--no-baseline")
    assert code == 1
    assert text.startswith("FAIL")  # no notice: nothing was used
    both = _invoke("scan", str(accepted), "--no-baseline", "--baseline", str(accepted / DEFAULT))
    assert both[0] == 2


def test_in_ci_the_tree_cannot_accept_its_own_secret(accepted: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    code, text = _invoke("scan", str(accepted), "--no-history", "-q")
    assert code == 1
    assert text.splitlines()[0].startswith(f"blastscan: baseline: ignoring {DEFAULT}")
    named = _invoke("scan", str(accepted), "--no-history", "-q", "--baseline",
                    str(accepted / DEFAULT))
    assert named[0] == 0  # the CI author named it: their decision


def test_scan_files_uses_it_too(accepted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(accepted)
    code, text = _invoke("scan-files", "--any", "--brief", "tools/gh.py")
    assert code == 0, text
    assert "(accepted by the baseline)" in text


def _hostile(tree: Path, kind: str, tmp_path: Path) -> None:
    file = tree / DEFAULT
    file.unlink()
    if kind == "fifo":
        os.mkfifo(file)
    elif kind == "outside":
        secret = tmp_path / "outside.json"
        secret.write_text('{"version": 1, "tool": "blastscan", "entries": []}\n')
        file.symlink_to(secret)
    elif kind == "huge":
        file.write_bytes(b" " * ((16 << 20) + 1))
    elif kind == "garbage":
        file.write_text('{"version": 1, "entries": [{"fingerprint": "' + PAT + '"}]}')


@pytest.mark.parametrize(("kind", "says"), [
    ("fifo", "not a regular file (a FIFO)"),
    ("outside", "outside the scanned directory"),
    ("huge", "larger than 16 MiB"),
    ("garbage", "expected exactly the keys"),
])
def test_a_hostile_default_baseline_is_one_line_and_never_read_past_its_bounds(
        accepted: Path, tmp_path: Path, kind: str, says: str) -> None:
    _hostile(accepted, kind, tmp_path)
    code, text = _invoke("scan", str(accepted), "--no-history", "-q")
    assert code == 2, text
    assert len(text.strip().splitlines()) == 1
    assert says in text
    assert "--no-baseline" in text
    assert PAT not in text
    assert _invoke("scan", str(accepted), "--no-history", "-q", "--no-baseline")[0] == 1


@pytest.mark.parametrize("history", [True, False])
def test_after_git_mv_the_moved_credential_says_why_it_gates(tmp_path: Path,
                                                             history: bool) -> None:
    tree = tmp_path / "repo"
    (tree / "tools").mkdir(parents=True)
    _git(tree, "init", "-q")
    (tree / "tools" / "gh.py").write_text(f'GITHUB_TOKEN = "{PAT}"\n')
    _git(tree, "add", ".")
    _git(tree, "commit", "-qm", "add")
    assert _invoke("baseline", "create", str(tree), "--reason", "r", "--owner", "o")[0] == 0
    assert _invoke("scan", str(tree), "-q")[0] == 0
    (tree / "ops").mkdir()
    _git(tree, "mv", "tools/gh.py", "ops/gh.py")
    _git(tree, "commit", "-qm", "move")
    flags = [] if history else ["--no-history"]
    code, text = _invoke("scan", str(tree), *flags)
    assert code == 1
    assert "the baseline accepted this at tools/gh.py, now at ops/gh.py" in text
    code, text = _invoke("scan", str(tree), *flags, "-f", "json")
    document = json.loads(text.split("\n", 1)[1])
    assert all(any("accepted this at tools/gh.py, now at ops/gh.py" in w for w in p["why"])
               for p in document["paths"])
    # Without history the old entry matches nothing now; with it, git history still has
    # the secret at tools/gh.py, so the entry is live (and the move still gates).
    assert bool(document["summary"]["baseline"]["stale"]) is not history
    updated = _invoke("baseline", "update", str(tree), "--reason", "moved", "--owner", "o")
    assert updated[0] == 0, updated[1]  # accepts the new place
    assert _invoke("scan", str(tree), *flags, "-q")[0] == 0


def test_a_copy_is_named_as_a_new_exposure(accepted: Path) -> None:
    (accepted / "ops").mkdir()
    (accepted / "ops" / "copy.py").write_text(f'TOKEN = "{PAT}"\n')
    code, text = _invoke("scan", str(accepted), "--no-history")
    assert code == 1
    assert "the baseline accepts this secret elsewhere, not at ops/copy.py" in text
