"""The guard's decision on one tool call: allow, or deny with a one-line reason.

Four things are denied (README "Fence the agent" lists the limits): a call that reads a
fenced file (a file tool's path, a shell word, a redirection, a recursive search whose
folder holds one and prints matching lines), that sends a fenced credential's value
(fingerprinted with the scan's own function, so the fence holds no value to compare),
that uses its variable (``$RAILWAY_TOKEN``), or that runs a destructive operation the
scan found reachable (the knowledge base's names for it, recorded in the fence).
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

from blastscan.scanner.fence.model import Fence, FencedCredential, FencedOperation
from blastscan.scanner.guard import operations, values
from blastscan.scanner.guard.paths import FencedFiles
from blastscan.scanner.guard.shell import Simple, split

#: Programs that show names or sizes of a file, never its bytes.
_METADATA = frozenset({"ls", "stat", "test", "[", "du", "wc", "realpath", "readlink",
                       "basename", "dirname", "file", "touch", "mkdir", "chmod"})
_GIT_SAFE = frozenset({"add", "rm", "mv", "status", "check-ignore", "ls-files"})
_GREPS = frozenset({"grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack", "ugrep"})
_COPIERS = frozenset({"cp", "scp", "rsync", "tar", "zip", "7z", "rclone"})
# A search printing only names or counts shows no line of a file (-l, -c, -q, rg --files).
_LISTING = frozenset({"l", "L", "c", "q", "--files-with-matches", "--files-without-match",
                      "--count", "--quiet", "--files"})


class Call(NamedTuple):  # not a dataclass: see fence.model on start-up time
    """A tool call, reduced to what the guard judges (built by :mod:`hook`)."""

    tool: str
    cwd: str
    reads: tuple[str, ...] = ()  # paths a file tool opens (Read, Edit, ...)
    writes: tuple[str, ...] = ()  # paths a file tool writes
    search: str | None = None  # the folder a search tool prints matching lines from
    command: str | None = None  # a shell command
    texts: tuple[str, ...] = ()  # every string of the input (values are looked for here)
    mcp: bool = False  # an MCP tool: its arguments may be SQL or an API call


class Guard:
    def __init__(self, fence: Fence, root: str, label: str) -> None:
        self.label = label
        self._by_id = {c.id: c for c in fence.credentials}
        self.files = FencedFiles(root, {f: c.id for c in fence.credentials for f in c.files})
        # The fence file itself: a tool that rewrites it switches the guard off.
        self._fence_file = (FencedFiles(root, {label: "(fence)"}) if not label.startswith("/")
                            else None)
        self._values = values.Values(fence)
        self._variables = [(re.compile(r"(\$\{?|%|env\.|environ\[['\"]|getenv\(['\"]?|printenv\s+)"
                                       + re.escape(v) + r"\b"), v, c)
                           for c in fence.credentials for v in c.variables]
        self._ops = operations.Operations(fence)

    def decide(self, call: Call) -> str | None:
        """None to allow; else the one-line reason."""
        for path in call.reads:
            if hit := self.files.named(path, call.cwd):
                return self._reads(*hit)
        if call.search is not None and (hit := self.files.named(call.search, call.cwd)
                                        or self.files.inside(call.search, call.cwd)):
            return self._reads(*hit)
        if self._fence_file and any(self._fence_file.named(p, call.cwd) for p in call.writes):
            return self._deny(f"would change the fence file {self.label}", None)
        if hit_value := self._values.sent(call.texts):
            return self._deny(f"sends the value of {hit_value.summary()}", hit_value)
        if call.command is not None:
            return self._command(call.command, call.cwd)
        if call.mcp and (found := self._ops.in_text(" ".join(call.texts), sender=True)):
            return self._runs(*found)
        return None

    def _command(self, command: str, cwd: str) -> str | None:
        simples = split(command)
        for simple in simples:
            if reason := self._simple_reads(simple, cwd):
                return reason
            if simple.program == "cd" and len(simple.argv) == 2:
                # ``cd tools && cat x``: later words resolve in the new folder (a sketch
                # of the shell's state: a ``cd`` in a subshell or a branch also moves it).
                cwd = os.path.normpath(os.path.join(cwd, os.path.expanduser(simple.argv[1])))
        for pattern, name, cred in self._variables:
            if pattern.search(command):
                return self._deny(f"uses ${name}, which holds {cred.summary()}", cred)
        if found := self._ops.in_command(command, simples):
            return self._runs(*found)
        return None

    def _simple_reads(self, simple: Simple, cwd: str) -> str | None:
        program, args = simple.program, simple.argv[1:]
        for word in simple.redirects:
            if hit := self.files.named(word, cwd):
                return self._reads(*hit)
        if program in _METADATA or (program == "git" and args[:1] and args[0] in _GIT_SAFE):
            return None
        for word in simple.argv:
            if hit := self.files.named(word, cwd):
                return self._reads(*hit)
        if self._recursive(program, args) and not _listing(args):
            folders = [w for w in args if not w.startswith("-")
                       and os.path.isdir(os.path.join(cwd, w))]
            # grep -r and rg with no folder search the working directory.
            for word in folders or ([] if program not in _GREPS else ["."]):
                if hit := self.files.inside(word, cwd):
                    return self._reads(*hit)
        return None

    @staticmethod
    def _recursive(program: str, args: tuple[str, ...]) -> bool:
        if program in ("rg", "ag", "ack", "ugrep", "rsync", "tar", "zip", "7z", "rclone"):
            return True
        recursive = bool(_flags(args) & {"r", "R", "a", "--recursive",
                                         "--dereference-recursive", "--archive"})
        return recursive and (program in _GREPS or program in _COPIERS)

    def _reads(self, full: str, owner: str) -> str:
        cred = self._by_id.get(owner)
        what = cred.summary() if cred else "a fenced credential"
        return self._deny(f"reads {self.files.relative(full)}, which holds {what}", cred)

    def _runs(self, name: str, op: FencedOperation, cred: FencedCredential) -> str:
        return self._deny(f"runs {name!r} ({op.action}), which the scan found reachable in"
                          f" {op.environment} through {cred.id}", cred)

    def _deny(self, what: str, cred: FencedCredential | None) -> str:
        explain = f"; `blastscan explain {cred.id}` shows the path" if cred else ""
        return _printable(f"blastscan guard: denied: {what} (fence: {self.label}{explain})")


def _flags(args: tuple[str, ...]) -> set[str]:
    """Long options as written, short ones one letter each (``-rl`` is ``r`` and ``l``)."""
    return {a.split("=", 1)[0] for a in args if a.startswith("--")} | {
        ch for a in args if a.startswith("-") and not a.startswith("--") for ch in a[1:]}


def _listing(args: tuple[str, ...]) -> bool:
    return bool(_LISTING & _flags(args))


def _printable(text: str) -> str:
    """One line: a fenced path or name with a newline or ESC must not forge output."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)
