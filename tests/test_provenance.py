"""Provenance (issue 21): the HTML says which commit and branch, when, and how it was made.

HEAD is read from files, never by running git in the hostile repository, and only what
has the shape of a commit id or a branch name is believed. The command line is echoed
from the parsed options, so nothing but blastscan's own options appears, and a value
holding ``=`` keeps only its name.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blastscan.reports.html import render_html
from blastscan.scanner.cli.main import app
from blastscan.scanner.pipeline.provenance import echo, git_head

from report_samples import incident_result
from support import FIXTURES

COMMIT = "0123456789abcdef0123456789abcdef01234567"
runner = CliRunner()


def _repo(root: Path, head: str, refs: dict[str, str] | None = None,
          packed: str | None = None) -> Path:
    git = root / ".git"
    git.mkdir(parents=True)
    (git / "HEAD").write_text(head)
    for ref, commit in (refs or {}).items():
        (git / ref).parent.mkdir(parents=True, exist_ok=True)
        (git / ref).write_text(commit + "\n")
    if packed is not None:
        (git / "packed-refs").write_text(packed)
    return root


def test_branch_and_commit_from_a_loose_ref(tmp_path: Path) -> None:
    root = _repo(tmp_path, "ref: refs/heads/feature/x\n", {"refs/heads/feature/x": COMMIT})
    assert git_head(root) == (COMMIT, "feature/x")


def test_commit_from_packed_refs(tmp_path: Path) -> None:
    packed = f"# pack-refs with: peeled\n{'f' * 40} refs/heads/other\n{COMMIT} refs/heads/main\n"
    assert git_head(_repo(tmp_path, "ref: refs/heads/main\n", packed=packed)) == (COMMIT, "main")


def test_detached_head_has_no_branch(tmp_path: Path) -> None:
    assert git_head(_repo(tmp_path, COMMIT + "\n")) == (COMMIT, None)


def test_linked_worktree_reads_refs_from_the_common_dir(tmp_path: Path) -> None:
    main = _repo(tmp_path / "main", "ref: refs/heads/main\n", {"refs/heads/wt": COMMIT})
    private = main / ".git" / "worktrees" / "wt"
    private.mkdir(parents=True)
    (private / "HEAD").write_text("ref: refs/heads/wt\n")
    (private / "commondir").write_text("../..\n")
    tree = tmp_path / "wt"
    tree.mkdir()
    (tree / ".git").write_text(f"gitdir: {private}\n")
    assert git_head(tree) == (COMMIT, "wt")


@pytest.mark.parametrize("head", [
    "ref: refs/heads/../../../../etc/passwd\n",  # a ref that climbs out of .git
    "ref: refs/tags/v1\n",  # not a branch
    "ref: refs/heads/\x1b[2Jx\n",  # a control character
    "not a head at all\n",
    "0123\n",  # too short for a commit id
])  # fmt: skip
def test_what_does_not_look_right_is_unknown(tmp_path: Path, head: str) -> None:
    root = _repo(tmp_path, head, {"refs/heads/main": COMMIT})
    assert git_head(root) == (None, None)


def test_a_ref_that_is_not_a_commit_id_is_unknown(tmp_path: Path) -> None:
    root = _repo(tmp_path, "ref: refs/heads/main\n", {"refs/heads/main": "$(rm -rf /)"})
    assert git_head(root) == (None, "main")


def test_no_repository_and_a_fifo_head_are_unknown(tmp_path: Path) -> None:
    assert git_head(tmp_path) == (None, None)
    (tmp_path / ".git").mkdir()
    os.mkfifo(tmp_path / ".git" / "HEAD")  # would block a plain open() forever
    assert git_head(tmp_path) == (None, None)


def test_echo_hides_what_follows_an_equals_sign() -> None:
    assert echo("src/**") == "src/**"
    assert echo("RAILWAY_TOKEN=47ea1f0b") == "RAILWAY_TOKEN=…"


def test_html_without_provenance_says_so() -> None:
    assert "not recorded (rendered outside the blastscan command)" in render_html(
        incident_result())


def test_the_cli_records_commit_branch_time_and_options(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q", "-b", "trunk"], ["-c", "user.name=t", "-c", "user.email=t@e",
                                                 "commit", "-q", "--allow-empty", "-m", "x"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env)
    commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True, env=env,
                            capture_output=True, text=True).stdout.strip()
    out = tmp_path / "r.html"
    secret = "SECRET=47ea1f0b-2c3d"
    done = runner.invoke(app, ["scan", str(root), "-f", "html", "-o", str(out),
                               "--include", secret, "--no-history"])
    assert done.exit_code == 0, done.output
    page = out.read_text()
    assert f"<code>{commit}</code>" in page
    assert "<code>trunk</code>" in page
    assert f"<code>blastscan scan {root} --format html --output {out} --no-history" in page
    assert "--include SECRET=…</code>" in page
    assert "47ea1f0b" not in page
    assert "<dt>scanned</dt><dd>20" in page  # an ISO date
    report = json.loads(runner.invoke(app, ["scan", str(root), "-f", "json"]).output)
    assert report["provenance"] == {"commit": commit, "branch": "trunk"}
    fixture = json.loads(runner.invoke(app, ["scan", str(FIXTURES / "staging"), "-f", "json"])
                         .output)
    assert "provenance" not in fixture, "nothing known: the JSON is the engine's, unchanged"
