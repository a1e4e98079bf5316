"""Discovery: gitignored files are read; VCS internals, dependencies, links, binaries are not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blastscan.scanner.models import SkipReason
from blastscan.scanner.pipeline import discovery


def _walk(root: Path, **options: object) -> tuple[list[str], discovery.Walk]:
    walk = discovery.Walk(root, max_file_size=int(options.get("max_file_size", 1 << 20)),
                          include_deps=bool(options.get("include_deps", False)))
    return [ref.rel for ref in walk], walk


def test_gitignored_files_are_scanned_and_git_internals_are_not(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text(".env.production\n")
    (tmp_path / ".env.production").write_text("X=1\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]\n")
    files, _ = _walk(tmp_path)
    assert ".env.production" in files
    assert not any(f.startswith(".git/") for f in files)


def test_dependency_dirs_skipped_unless_asked(tmp_path: Path) -> None:
    for name in ("node_modules", ".venv", "__pycache__"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "f.txt").write_text("x")
    files, walk = _walk(tmp_path)
    assert files == []
    assert walk.skipped[SkipReason.DEPENDENCY_DIR] == 3
    files, _ = _walk(tmp_path, include_deps=True)
    assert len(files) == 3


def test_size_cap_and_binary(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("a" * 5000)
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02secret")
    files, walk = _walk(tmp_path, max_file_size=4096)
    assert files == ["blob.bin"]
    assert walk.skipped[SkipReason.TOO_LARGE] == 1
    ref = next(iter(discovery.Walk(tmp_path, max_file_size=4096, include_deps=False)))
    assert discovery.read_text(ref) is SkipReason.BINARY


def test_undecodable_bytes_do_not_crash(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 token\n".encode("latin-1"))
    ref = next(iter(discovery.Walk(tmp_path, max_file_size=4096, include_deps=False)))
    text = discovery.read_text(ref)
    assert isinstance(text, str)
    assert "token" in text


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_never_followed_out_of_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.env").write_text("X=1\n")
    root = tmp_path / "root"
    root.mkdir()
    (root / "real.txt").write_text("y")
    (root / "escape").symlink_to(outside)
    (root / "escape.env").symlink_to(outside / "secret.env")
    (root / "alias.txt").symlink_to(root / "real.txt")
    (root / "loop").symlink_to(root)
    files, walk = _walk(root)
    assert files == ["real.txt"]
    assert walk.skipped[SkipReason.SYMLINK_OUTSIDE_ROOT] == 2
    assert walk.skipped[SkipReason.SYMLINK] == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file_is_counted(tmp_path: Path) -> None:
    secret = tmp_path / "locked.env"
    secret.write_text("X=1")
    secret.chmod(0)
    ref = next(iter(discovery.Walk(tmp_path, max_file_size=4096, include_deps=False)))
    assert discovery.read_text(ref) is SkipReason.UNREADABLE


def test_refs_hold_the_walked_path_as_a_string(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.env").write_text("X=1\n")
    (ref,) = discovery.Walk(tmp_path, max_file_size=4096, include_deps=False)
    assert ref.rel == "sub/a.env"
    assert ref.location == str(tmp_path.resolve() / "sub" / "a.env")
    assert ref.path == tmp_path.resolve() / "sub" / "a.env"
    assert discovery.read_text(ref) == "X=1\n"
    # Refs built elsewhere from a Path (home stores, --files) read the same way.
    assert discovery.read_text(discovery.FileRef(ref.path, ref.rel, ref.size)) == "X=1\n"


@pytest.mark.parametrize("hint", [0, 1, 99_999, 100_000, 100_001, 300_000])
def test_a_file_is_read_whole_whatever_size_the_walk_saw(tmp_path: Path, hint: int) -> None:
    """The walk's size is only a hint: a file that grew or shrank since is read to its end."""
    data = "".join(f"line {n}\n" for n in range(12_500))[:100_000]
    (tmp_path / "a.txt").write_text(data, encoding="utf-8")
    ref = discovery.FileRef(str(tmp_path / "a.txt"), "a.txt", hint)
    assert discovery.read_text(ref) == data
    (tmp_path / "empty").write_bytes(b"")
    assert discovery.read_text(discovery.FileRef(str(tmp_path / "empty"), "empty", hint)) == ""


def test_a_directory_in_place_of_a_file_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    ref = discovery.FileRef(str(tmp_path / "d"), "d", 0)
    assert discovery.read_text(ref) is SkipReason.UNREADABLE
