"""Reading and writing agent files inside a hostile tree.

The tree ``blastscan fence`` writes into is the one it scanned, and it may be built to
trick a writer: a ``.claude`` that is a symlink to ``~/.claude``, a ``.cursorignore``
that is a FIFO (an open that blocks forever) or a gigabyte. So every component under the
root is checked with ``lstat`` (a symlink anywhere is refused, not followed), files are
opened ``O_NOFOLLOW | O_NONBLOCK`` and must be regular, reads are bounded, and a write
goes to a temporary file in the same directory and is renamed over the target, so that
an interrupted run leaves the old file or the new one, never half of each.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from blastscan.scanner.errors import FenceError

MAX_AGENT_FILE = 1024 * 1024  # settings and ignore files are a few KB; more is not one


def read_text(root: Path, rel: str, limit: int = MAX_AGENT_FILE) -> str | None:
    """The file's text, or None when it does not exist. Refuses symlinks, non-regular
    files, files over ``limit`` and undecodable bytes with a :class:`FenceError`."""
    target = _checked(root, rel)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(target, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FenceError(f"{rel}: cannot open ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise FenceError(f"{rel}: not a regular file; refusing to read it")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FenceError(f"{rel}: larger than {limit} bytes; refusing to merge into it")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise FenceError(f"{rel}: not UTF-8; refusing to merge into it") from None


def write_text(root: Path, rel: str, text: str) -> None:
    """Replace (or create) ``root/rel`` atomically; parents are created as real folders."""
    target = _checked(root, rel)
    parent = target.parent
    _make_parents(root, parent, rel)
    fd, temp = tempfile.mkstemp(dir=parent, prefix=".blastscan-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, _mode_of(target))
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _checked(root: Path, rel: str) -> Path:
    """``root/rel`` with every existing component below the root an lstat'ed non-symlink."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise FenceError(f"{rel}: not a path inside the scanned root")
    current = root
    for index, part in enumerate(parts):
        current = current / part
        try:
            info = current.lstat()
        except FileNotFoundError:
            break
        except OSError as exc:
            raise FenceError(f"{rel}: cannot stat ({exc.strerror or exc})") from None
        if stat.S_ISLNK(info.st_mode):
            raise FenceError(f"{'/'.join(parts[:index + 1])}: a symlink; blastscan fence"
                             " never writes through one")
        if index < len(parts) - 1 and not stat.S_ISDIR(info.st_mode):
            raise FenceError(f"{'/'.join(parts[:index + 1])}: not a folder")
    return root.joinpath(*parts)


def _make_parents(root: Path, parent: Path, rel: str) -> None:
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FenceError(f"{rel}: cannot create its folder ({exc.strerror or exc})") from None
    _checked(root, rel)  # a folder swapped for a symlink meanwhile is still refused


def _mode_of(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0644."""
    try:
        return stat.S_IMODE(target.lstat().st_mode)
    except FileNotFoundError:
        return 0o644
