"""Git history as a source: every unique blob reachable from any ref, read once.

An agent in a repository can run ``git log -p --all``, so a token committed and later
deleted is still in reach. :class:`History` lists the blobs that the commits of every
ref introduced (one ``git log --raw``), each with the oldest commit and path it appeared
at (where the secret first leaked), then reads their sizes (one ``cat-file
--batch-check``) and contents (one ``cat-file --batch``): three git processes however
long the history, fed from temporary files and read as streams: one blob's contents
in memory at a time (plus the id, first commit and path of each unique blob).

Skipped and counted: blobs over ``max_size`` (``skipped[TOO_LARGE]``), blobs git cannot
read (``skipped[UNREADABLE]``: a missing object, a partial clone), and blobs identical
to the current worktree file at their path (``same_as_worktree``: scanned as worktree
files already). Submodule commits (gitlinks) are not blobs and are passed over; binary
is decided by the caller through :func:`decode`. A shallow clone is read as far as it
goes and sets ``shallow``. A missing ``git``, a bad ``since`` or a repository git
cannot read raises :class:`HistoryError` (the user can rerun with ``--no-history``).

A candidate found in ``blob.data`` belongs at ``Location(path=blob.path, line=N,
source=SourceKind.GIT_HISTORY, commit=blob.commit)``: :func:`relocate` does that.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from blastscan.scanner.errors import HistoryError
from blastscan.scanner.models import Candidate, SkipReason, SourceKind
from blastscan.scanner.pipeline import discovery

# The repository is untrusted, and its own config could name programs for git to run.
# Command-line config outranks repository config, so these pin every such key the
# commands below could reach (hooks, fsmonitor, signature checks, transports for lazy
# fetches of a partial clone) to "off".
_HARDENING = (
    "core.hooksPath=/dev/null", "core.fsmonitor=false", "core.sshCommand=false",
    "protocol.allow=never", "log.showSignature=false", "gpg.program=false",
    "core.pager=cat", "diff.external=", "gc.auto=0", "maintenance.auto=false",
)
_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0",
        "GIT_NO_REPLACE_OBJECTS": "1", "GIT_NO_LAZY_FETCH": "1", "GIT_PAGER": "cat"}
_LOG = ("log", "--reverse", "--date-order", "--format=%H", "--raw", "--no-abbrev",
        "--no-renames", "--diff-merges=first-parent", "--root", "-z", "--no-show-signature",
        "--no-ext-diff", "--no-textconv", "--all")
_COMMIT = re.compile(rb"\s*([0-9a-f]{40}|[0-9a-f]{64})\s*")
_GITLINK = b"160000"  # a submodule's commit, not a blob
_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class HistoryBlob:
    blob_id: str
    path: str  # POSIX, relative to the repository's top level (the scan target)
    commit: str  # the oldest commit showing this blob at ``path``: where it first leaked
    data: bytes


def is_repository(root: Path) -> bool:
    """Only a repository's top level: a folder inside another repository is not one."""
    dot_git = root / ".git"
    return dot_git.is_dir() or (dot_git.is_file() and not dot_git.is_symlink())


class History:
    """An iterable of the unique blobs in a repository's history, counting what it skips."""

    def __init__(self, root: Path, *, max_size: int, since: str | None = None) -> None:
        if since is not None and (not since or since.startswith("-")):
            raise HistoryError(f"not a git revision: {since!r}")  # never let it be an option
        self.root = root.resolve()
        self.max_size = max_size
        self.since = since
        self.skipped: Counter[SkipReason] = Counter()
        self.same_as_worktree = 0
        git_dir = _common_dir(self.root)
        self.shallow = git_dir is not None and (git_dir / "shallow").is_file()
        self._partial = git_dir is not None and _is_partial(git_dir)
        self._worktree: dict[str, str | None] = {}

    def __iter__(self) -> Iterator[HistoryBlob]:
        self.skipped.clear()
        self.same_as_worktree = 0
        introduced = self._introduced()
        wanted = [b for b, (_, path) in introduced.items() if not self._in_worktree(b, path)]
        small = self._small(wanted) if wanted else []
        if not small:
            return  # no need to start git again (a repository of one commit, say)
        with self._git(("cat-file", "--batch", "--buffer"), small) as out:
            for header in iter(out.readline, b""):
                if not header.endswith(b"\n"):
                    break  # git stopped mid-way: its exit status explains why
                blob_id, kind, *size = header.decode().split()
                if kind == "missing" or not size:  # vanished since --batch-check
                    self.skipped[SkipReason.UNREADABLE] += 1
                    continue
                data = out.read(int(size[0]))
                out.read(1)  # the newline git writes after each object
                commit, path = introduced[blob_id]
                yield HistoryBlob(blob_id, path, commit, data)

    def _small(self, wanted: list[str]) -> list[str]:
        """The wanted blobs git can read and that fit ``max_size``, sizes read cheaply."""
        args: tuple[str, ...] = ("cat-file", "--batch-check", "--buffer")
        if self._partial:
            # A partial clone lacks some blobs, and asking for one makes git try a (blocked)
            # fetch and die: list the objects it has instead, and count the rest unreadable.
            args = (*args, "--batch-all-objects", "--unordered")
        sizes: dict[str, int] = {}
        with self._git(args, () if self._partial else wanted) as out:
            for line in out:
                blob_id, kind, *rest = line.decode().split()
                if kind == "blob":
                    sizes[blob_id] = int(rest[0])
        small = []
        for blob_id in wanted:
            size = sizes.pop(blob_id, None)
            if size is None:
                self.skipped[SkipReason.UNREADABLE] += 1
            elif size > self.max_size:
                self.skipped[SkipReason.TOO_LARGE] += 1
            else:
                small.append(blob_id)
        return small

    def _introduced(self) -> dict[str, tuple[str, str]]:
        """Blob id → (oldest commit, path), oldest first; parents precede children."""
        since = () if self.since is None else ("--end-of-options", f"^{self.since}")
        introduced: dict[str, tuple[str, str]] = {}
        paths: dict[bytes, str] = {}  # one str per path, however many versions it had
        commit, new_id, rest = "", None, b""
        with self._git((*_LOG, *since, "--")) as out:
            for chunk in iter(lambda: out.read(1 << 16), b""):
                *tokens, rest = (rest + chunk).split(b"\0")
                for token in tokens:
                    if new_id is not None:  # a raw entry's path follows it
                        if new_id and new_id not in introduced:
                            path = paths.setdefault(token, _decode_path(token))
                            introduced[new_id] = (commit, path)
                        new_id = None
                    elif token.lstrip().startswith(b":"):
                        # ":<old mode> <new mode> <old id> <new id> <status>"
                        fields = token.lstrip()[1:].split()
                        deleted = fields[3].strip(b"0") == b""
                        new_id = "" if deleted or fields[1] == _GITLINK else fields[3].decode()
                    elif match := _COMMIT.fullmatch(token):
                        commit = match[1].decode()
        return introduced

    def _in_worktree(self, blob_id: str, path: str) -> bool:
        if path not in self._worktree:
            self._worktree[path] = _worktree_id(self.root, path, self.max_size, len(blob_id))
        same = self._worktree[path] == blob_id
        self.same_as_worktree += same
        return same

    @contextmanager
    def _git(self, args: Iterable[str], stdin: Iterable[str] = ()) -> Iterator[IO[bytes]]:
        # Repositories owned by another user (a CI checkout in a container) fail git's
        # ownership check. Trusting exactly this directory does not weaken the hardening:
        # that check guards against repository config running programs, and every such
        # key git could reach here is pinned above, on the command line, which wins.
        command = ["git", "--no-pager", "-C", str(self.root)]
        for item in (*_HARDENING, f"safe.directory={self.root}"):
            command += ("-c", item)
        command += args
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | _ENV
        with tempfile.TemporaryFile() as ids, tempfile.TemporaryFile() as errors:
            ids.writelines(f"{blob_id}\n".encode() for blob_id in stdin)
            ids.seek(0)
            try:
                proc = subprocess.Popen(command, stdin=ids, stdout=subprocess.PIPE,
                                        stderr=errors, env=env, bufsize=1 << 16)
            except OSError as error:
                raise HistoryError(f"cannot run git to read history: {error.strerror}"
                                   ) from None
            with proc:
                assert proc.stdout is not None
                try:
                    yield proc.stdout
                    proc.stdout.read()  # let git finish writing before waiting for it
                except BaseException:
                    proc.kill()  # the caller stopped early or failed: do not wait on git
                    raise
            if proc.returncode != 0:
                errors.seek(0)
                lines = errors.read().decode(errors="replace").strip().splitlines() or ["?"]
                fatal = next((x for x in lines if x.startswith(("fatal", "error"))), lines[-1])
                raise HistoryError(f"cannot read git history of {self.root}: {fatal[:200]}")


def history_blobs(root: Path, *, since: str | None = None, max_size: int
                  ) -> Iterator[HistoryBlob]:
    """``iter(History(...))``, for callers that do not need the counters."""
    return iter(History(root, max_size=max_size, since=since))


def decode(blob: HistoryBlob) -> str | SkipReason:
    """The blob as text for the detectors, or why it is not text (as ``read_text``)."""
    if discovery.is_binary(blob.data[:_SNIFF]):
        return SkipReason.BINARY
    return blob.data.decode("utf-8", errors="replace")


def relocate(candidate: Candidate, blob: HistoryBlob) -> Candidate:
    """Tag a candidate found in ``blob`` with its history source and commit."""
    location = replace(candidate.location, path=blob.path, source=SourceKind.GIT_HISTORY,
                       commit=blob.commit)
    return replace(candidate, location=location)


def _decode_path(raw: bytes) -> str:
    # Reports are UTF-8: an undecodable byte becomes U+FFFD, never a lone surrogate.
    return raw.decode("utf-8", errors="replace")


def _worktree_id(root: Path, path: str, max_size: int, id_length: int) -> str | None:
    """The git blob id of the worktree file at ``path``, if it is a small regular file."""
    file = root / path
    try:
        info = file.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_size:
            return None
        if not file.resolve().is_relative_to(root):  # a symlinked folder leads outside
            return None
        data = file.read_bytes()
    except (OSError, RuntimeError):
        return None
    algorithm = hashlib.sha1 if id_length == 40 else hashlib.sha256
    return algorithm(b"blob %d\0%s" % (len(data), data), usedforsecurity=False).hexdigest()


def _common_dir(root: Path) -> Path | None:
    """The git directory holding ``shallow`` and ``config`` (shared by linked worktrees)."""
    git_dir = root / ".git"
    try:
        if git_dir.is_file():  # a gitfile: "gitdir: <path>" (linked worktrees, submodules)
            git_dir = root / git_dir.read_text(errors="replace").partition(":")[2].strip()
        common = git_dir / "commondir"
        if common.is_file():
            git_dir = git_dir / common.read_text(errors="replace").strip()
    except OSError:
        return None
    return git_dir


def _is_partial(git_dir: Path) -> bool:
    try:  # extensions.partialClone names the promisor remote
        return "partialclone" in (git_dir / "config").read_text(errors="replace").lower()
    except OSError:
        return False
