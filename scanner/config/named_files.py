"""The one rule for files named by configuration or flags, and their parsing.

Baselines, extra provider files, ``--import`` reports and ``.blastscan.toml`` /
``pyproject.toml`` themselves are read only through :func:`read_text`. In CI the scanned
tree is a hostile pull request, its configuration included, so a named file must be a
regular file (a FIFO would block the scan forever, ``/dev/zero`` would fill memory),
opened without blocking and checked on the opened descriptor (no check-then-open race),
read up to a size cap, and decoded as strict UTF-8. A name that comes from the scanned
repository's own configuration must also resolve, symlinks included, to a file inside
the scan target: otherwise ``baseline = "/proc/self/environ"`` would read the runner's
secrets. Names the CI author wrote (flags, ``BLASTSCAN_*``) may point anywhere.

Errors name the file as given (escaped: the name is hostile too) and the problem, never
a byte read from it: tomli's and json's messages quote the keys and characters they
failed on, so only the position survives.
"""

from __future__ import annotations

import json
import os
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli

from blastscan.scanner.errors import BlastscanError

# The largest built-in provider file is under 10 KB and a configuration a few KB: 1 MiB is
# a hundred times that, and tomli (pure Python) parses it in about a second.
TOML_LIMIT = 1 << 20
# A baseline entry is ~350 bytes: 16 MiB holds some 45,000, far past any reviewed baseline.
JSON_LIMIT = 16 << 20
# Another scanner's report of a large history (gitleaks: ~700 bytes a finding) can pass
# that; 64 MiB is ~95,000 findings, which json.loads parses in under a second and a few
# hundred MB. The report is the CI author's file, but its size is the scanned tree's doing.
REPORT_LIMIT = 64 << 20
_SHOWN = 160  # characters of a hostile file name worth printing
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def shown(name: str | os.PathLike[str]) -> str:
    """A name safe to print on one line: control, format (bidi) and undecodable characters
    escaped, long names cut."""
    text = os.fspath(name)
    out = "".join(c if c.isprintable() and unicodedata.category(c) != "Cf"
                  else c.encode("unicode_escape", "backslashreplace").decode("ascii")
                  for c in text[:_SHOWN])
    return out + ("…" if len(text) > _SHOWN else "")


def read_text(file: Path, *, error: type[BlastscanError], where: str | None = None,
              root: Path | None = None, limit: int = JSON_LIMIT) -> str:
    """The file's text, or ``error`` starting with ``where`` (default: the escaped name).
    ``root``: the name comes from the scanned repository's configuration and must lie
    inside this directory."""
    where = shown(file) if where is None else where
    opened = file
    # O_NONBLOCK: opening a FIFO returns at once (then fstat refuses it); O_NOCTTY: a tty
    # named as a baseline does not become the controlling terminal. getattr: Windows.
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    if root is not None:
        try:
            opened = file.resolve(strict=True)
            inside = opened.is_relative_to(root.resolve(strict=True))
        except (OSError, RuntimeError, ValueError) as exc:
            raise error(f"{where}: cannot read: {_reason(exc)}") from None
        if not inside:
            raise error(f"{where}: outside the scanned directory (a repository's"
                        " configuration may only name its own files)")
        flags |= getattr(os, "O_NOFOLLOW", 0)  # resolved: a link now is a swap, refuse it
    try:
        fd = os.open(opened, flags)
    except (OSError, ValueError) as exc:
        raise error(f"{where}: cannot read: {_reason(exc)}") from None
    try:
        data = _read_regular(fd, where, error, limit)
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{where}: not UTF-8 (byte {exc.start})") from None


def _read_regular(fd: int, where: str, error: type[BlastscanError], limit: int) -> bytes:
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a file")
        raise error(f"{where}: not a regular file ({kind})")
    chunks, size = [], 0
    while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            shown_limit = f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit} bytes"
            raise error(f"{where}: larger than {shown_limit}")
    return b"".join(chunks)


def parse_toml(text: str, where: str, error: type[BlastscanError]) -> dict[str, Any]:
    parsed: dict[str, Any] = _parse(tomli.loads, tomli.TOMLDecodeError, "TOML", text, where,
                                    error)
    return parsed


def parse_json(text: str, where: str, error: type[BlastscanError]) -> Any:
    return _parse(json.loads, json.JSONDecodeError, "JSON", text, where, error)


def _parse(loads: Callable[[str], Any], decode_error: type[ValueError], kind: str, text: str,
           where: str, error: type[BlastscanError]) -> Any:
    try:
        return loads(text)
    except decode_error as exc:
        # Only the position: tomli's and json's messages quote keys and characters.
        line, column = getattr(exc, "lineno", "?"), getattr(exc, "colno", "?")
        raise error(f"{where}: not valid {kind} (line {line}, column {column})") from None
    except ValueError:  # an integer past Python's 4,300-digit limit
        raise error(f"{where}: not valid {kind}: a number too large") from None
    except (RecursionError, MemoryError):
        raise error(f"{where}: not valid {kind}: nested too deeply or too large") from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValueError):
        return "not a usable file name"  # an embedded NUL byte
    if isinstance(exc, RuntimeError):
        return "symlink loop"
    return (exc.strerror if isinstance(exc, OSError) else None) or type(exc).__name__
