"""Where a report came from: the scanned commit and branch, when, and the command line.

A reviewer handed an HTML report needs to know which revision it describes and how it
was produced (issue 21). Reporters stay pure, so this is collected here, beside the scan,
and travels in :class:`~blastscan.scanner.models.Provenance`.

The repository is hostile, so git is not run for this (a repository's config can name
programs for git to start): ``.git/HEAD`` and the branch's ref are read as small regular
files (bounded, non-blocking opens; a FIFO or an oversized file is refused), and what they
hold is believed only if it has the shape of a commit id or a ref name. Anything else is
left unknown (``None``) and shown as unknown.

The command line is echoed from what the CLI parsed, never from raw ``argv``: only the
options blastscan knows, as given on the command line (environment and defaults are not
echoed), with values that are paths, formats, globs or revisions, none of them a secret;
a value holding ``=`` keeps only ``NAME=…`` (see :func:`echo`).
"""

from __future__ import annotations

import re
from pathlib import Path

from blastscan.scanner.config.named_files import read_text
from blastscan.scanner.errors import TargetError

_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
# git check-ref-format, narrowed: no "..", no leading "-" or "/", printable ASCII only.
_BRANCH = re.compile(r"(?!.*\.\.)(?![-/])[A-Za-z0-9._/+-]{1,200}")
_SMALL = 4096  # HEAD, a ref or a gitfile: one line each
_PACKED = 1 << 20  # packed-refs of a large repository
REDACTED = "…"


def git_head(root: Path) -> tuple[str | None, str | None]:
    """``(commit, branch)`` of the repository whose top level is ``root``, each ``None``
    when it cannot be read or does not look right (a detached HEAD has no branch)."""
    dot_git = root / ".git"
    git_dir = dot_git
    if dot_git.is_file() and not dot_git.is_symlink():  # a linked worktree's gitfile
        gitfile = _read(dot_git, _SMALL)
        if gitfile is None or not gitfile.startswith("gitdir:"):
            return None, None
        git_dir = root / gitfile.partition(":")[2].strip()
    elif not dot_git.is_dir():
        return None, None
    head = _read(git_dir / "HEAD", _SMALL)
    if head is None:
        return None, None
    head = head.strip()
    if _COMMIT.fullmatch(head):
        return head, None
    ref = head.removeprefix("ref:").strip()
    if not ref.startswith("refs/heads/") or not _BRANCH.fullmatch(ref):
        return None, None
    branch = ref.removeprefix("refs/heads/")
    return _resolve(git_dir, ref), branch


def _resolve(git_dir: Path, ref: str) -> str | None:
    common = git_dir
    pointer = _read(git_dir / "commondir", _SMALL)
    if pointer is not None:
        common = git_dir / pointer.strip()
    for place in dict.fromkeys((git_dir, common)):
        loose = _read(place / ref, _SMALL)
        if loose is not None and _COMMIT.fullmatch(loose.strip()):
            return loose.strip()
    packed = _read(common / "packed-refs", _PACKED)
    for line in (packed or "").splitlines():
        commit, _, name = line.partition(" ")
        if name == ref and _COMMIT.fullmatch(commit):
            return commit
    return None  # an unborn branch, or a ref git keeps elsewhere (reftable)


def _read(file: Path, limit: int) -> str | None:
    try:
        return read_text(file, error=TargetError, limit=limit)
    except (TargetError, OSError):
        return None


def echo(value: str) -> str:
    """An option's value as the report may show it: ``NAME=…`` for anything holding an
    ``=`` (``TOKEN=…`` could be a secret handed over by mistake), else the value itself."""
    name, eq, _ = value.partition("=")
    return f"{name}={REDACTED}" if eq else value
