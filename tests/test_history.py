"""Git history as a source: unique blobs, read once, from throwaway repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from blastscan.scanner.errors import HistoryError
from blastscan.scanner.models import Candidate, Location, SkipReason, SourceKind
from blastscan.scanner.pipeline import history
from blastscan.scanner.pipeline.history import History, HistoryBlob, decode, is_repository, relocate

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TOKEN = b"RAILWAY_TOKEN=4f1c2d3e-0000-4a5b-9c8d-7e6f5a4b3c2d\n"
MAX = 1 << 20


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    command = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@x",
               "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, check=True, capture_output=True, env=env,
                          text=True).stdout.strip()


def commit(repo: Path, files: dict[str, bytes | None], message: str = "c") -> str:
    """Write (or with ``None`` delete) files, commit them all, return the commit id."""
    for name, data in files.items():
        path = repo / name
        if data is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    return root


def blobs(root: Path, **kwargs: Any) -> tuple[History, list[HistoryBlob]]:
    scan = History(root, max_size=kwargs.pop("max_size", MAX), **kwargs)
    return scan, list(scan)


def test_deleted_token_is_yielded_with_the_commit_that_leaked_it(repo: Path) -> None:
    leaked = commit(repo, {"deploy/.env": TOKEN, "README.md": b"hi\n"})
    commit(repo, {"README.md": b"hello\n"})
    commit(repo, {"deploy/.env": None})
    _, found = blobs(repo)
    [blob] = [b for b in found if b.data == TOKEN]
    assert (blob.path, blob.commit) == ("deploy/.env", leaked)
    assert len(blob.blob_id) == 40


def test_a_blob_on_many_commits_branches_and_a_tag_is_yielded_once(repo: Path) -> None:
    first = commit(repo, {"secrets.txt": TOKEN})
    commit(repo, {"a.txt": b"1\n"})
    git(repo, "branch", "one")
    git(repo, "tag", "v1")
    commit(repo, {"b.txt": b"2\n"})
    git(repo, "checkout", "-q", "-b", "two")
    commit(repo, {"secrets.txt": None, "c.txt": b"3\n"})
    git(repo, "checkout", "-q", "main")
    commit(repo, {"secrets.txt": None})
    _, found = blobs(repo)
    assert [b.commit for b in found if b.data == TOKEN] == [first]
    assert len({b.blob_id for b in found}) == len(found)


def test_stashed_and_uncommitted_edits(repo: Path) -> None:
    commit(repo, {"app.py": b"print(1)\n"})
    (repo / "app.py").write_bytes(TOKEN)
    git(repo, "stash", "-q")
    _, found = blobs(repo)
    assert [b.data for b in found] == [TOKEN]  # only reachable through refs/stash


@pytest.mark.parametrize("object_format", ["sha1", "sha256"])
def test_the_current_worktree_version_is_left_to_the_worktree_scan(
        tmp_path: Path, object_format: str) -> None:
    repo = tmp_path / object_format
    repo.mkdir()
    git(repo, "init", "-q", f"--object-format={object_format}")
    commit(repo, {"same.txt": b"unchanged\n", "edited.env": TOKEN})
    (repo / "edited.env").write_bytes(b"RAILWAY_TOKEN=\n")  # removed, but not committed
    scan, found = blobs(repo)
    assert [b.path for b in found] == ["edited.env"]
    assert scan.same_as_worktree == 1


def test_since_limits_to_newer_commits(repo: Path) -> None:
    base = commit(repo, {"old.env": TOKEN})
    commit(repo, {"new.env": TOKEN.replace(b"4f1c", b"9e9e")})
    commit(repo, {"old.env": None, "new.env": None})
    _, found = blobs(repo, since=base)
    assert [b.path for b in found] == ["new.env"]
    with pytest.raises(HistoryError, match="bad revision"):
        blobs(repo, since="no-such-ref")
    with pytest.raises(HistoryError, match="not a git revision"):
        blobs(repo, since="--output=/tmp/x")


def test_only_a_repository_top_level_is_a_repository(repo: Path, tmp_path: Path) -> None:
    commit(repo, {"sub/x.txt": b"x\n"})
    assert is_repository(repo)
    assert not is_repository(repo / "sub")
    assert not is_repository(tmp_path)
    assert not is_repository(Path(__file__).parent / "fixtures" / "incident")
    git(repo, "worktree", "add", "-q", str(tmp_path / "linked"))
    assert is_repository(tmp_path / "linked")  # .git is a gitfile there
    assert [b.path for b in blobs(tmp_path / "linked")[1]] == []


def test_binary_and_large_blobs(repo: Path) -> None:
    commit(repo, {"logo.png": b"\x89PNG\x00\x01" * 10, "dump.sql": b"x" * 5000,
                  "key.env": TOKEN})
    commit(repo, {"logo.png": None, "dump.sql": None, "key.env": None})
    scan, found = blobs(repo, max_size=4096)
    assert scan.skipped == {SkipReason.TOO_LARGE: 1}
    decoded = {b.path: decode(b) for b in found}
    assert decoded == {"logo.png": SkipReason.BINARY, "key.env": TOKEN.decode()}


def test_git_runs_a_constant_number_of_times(repo: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    launches: list[list[str]] = []
    real = subprocess.Popen

    def counting(args: list[str], *rest: Any, **kwargs: Any) -> Any:
        launches.append(args)
        return real(args, *rest, **kwargs)

    counts = []
    for n in (1, 40):
        commit(repo, {f"f{i}.txt": f"{n} {i}\n".encode() for i in range(n)})
        commit(repo, {f"f{i}.txt": None for i in range(n)})
        monkeypatch.setattr(subprocess, "Popen", counting)
        found = blobs(repo)[1]
        monkeypatch.undo()
        counts.append(len(launches))
        launches.clear()
        assert len(found) == len({b.blob_id for b in found})
    assert counts[0] == counts[1] <= 3


def test_a_hostile_repository_runs_nothing(repo: Path, tmp_path: Path) -> None:
    commit(repo, {"a.txt": b"a\n"})
    commit(repo, {"a.txt": b"b\n"})
    marker = tmp_path / "ran"
    trap = tmp_path / "trap.sh"
    trap.write_text(f"#!/bin/sh\necho \"$0 $*\" >> {marker}\nexit 0\n")
    trap.chmod(0o755)
    for hook in ("pre-commit", "post-checkout", "post-index-change", "fsmonitor-watchman",
                 "reference-transaction", "pre-auto-gc"):
        shutil.copy(trap, repo / ".git" / "hooks" / hook)
    for key, value in (("core.fsmonitor", trap), ("core.pager", trap),
                       ("log.showSignature", "true"), ("gpg.program", trap),
                       ("diff.external", trap), ("core.sshCommand", trap)):
        git(repo, "config", key, str(value))
    assert [b.data for b in blobs(repo)[1]] == [b"a\n"]
    assert not marker.exists()
    git(repo, "status")  # the trap is armed: plain git runs it
    assert marker.exists()


def test_inherited_git_variables_do_not_redirect_git(repo: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    commit(repo, {"a.env": TOKEN})
    commit(repo, {"a.env": None})
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    assert [b.path for b in blobs(repo)[1]] == ["a.env"]


def test_submodule_commits_are_not_blobs(repo: Path) -> None:
    commit(repo, {"a.txt": b"a\n"})
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},vendor/lib")
    git(repo, "commit", "-q", "-m", "gitlink")
    assert blobs(repo)[1] == []


def test_unusual_paths(repo: Path) -> None:
    commit(repo, {"we ird\nname.env": TOKEN, "caf\xe9.env": b"x\n"})
    commit(repo, {"we ird\nname.env": None, "caf\xe9.env": None})
    assert sorted(b.path for b in blobs(repo)[1]) == ["caf\xe9.env", "we ird\nname.env"]


def test_a_shallow_clone_is_read_as_far_as_it_goes(repo: Path, tmp_path: Path) -> None:
    commit(repo, {"old.env": TOKEN})
    commit(repo, {"old.env": None, "new.txt": b"n\n"})
    commit(repo, {"new.txt": b"m\n"})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    scan, found = blobs(clone)
    assert scan.shallow
    assert found == []  # the token is before the cut-off; the rest is the worktree


def test_a_partial_clone_never_fetches_what_it_lacks(repo: Path, tmp_path: Path) -> None:
    commit(repo, {"old.env": TOKEN})
    commit(repo, {"old.env": None, "new.txt": b"n\n"})
    git(repo, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--filter=blob:none", f"file://{repo}", str(clone))
    scan, found = blobs(clone)
    assert found == []  # the token's blob is only on the remote: a fetch would have got it
    assert scan.skipped == {SkipReason.UNREADABLE: 1}


def test_broken_repositories_and_a_missing_git_raise(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken"
    (broken / ".git").mkdir(parents=True)
    assert is_repository(broken)
    with pytest.raises(HistoryError, match="cannot read git history"):
        blobs(broken)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(HistoryError, match="cannot run git"):
        blobs(broken)


def test_stopping_early_leaves_no_git_behind(repo: Path) -> None:
    commit(repo, {f"{i}.txt": b"%d\n" % i for i in range(20)})
    commit(repo, {f"{i}.txt": None for i in range(20)})
    stream = history.history_blobs(repo, max_size=MAX)
    next(stream)
    stream.close()  # kills and reaps the cat-file process; must not raise


def test_relocate_marks_history_locations() -> None:
    blob = HistoryBlob("b" * 40, "deploy/.env", "c" * 40, TOKEN)
    found = Candidate("railway", "railway", "token", "s", Location("deploy/.env", 1))
    assert relocate(found, blob).location == Location(
        "deploy/.env", 1, SourceKind.GIT_HISTORY, "c" * 40)
