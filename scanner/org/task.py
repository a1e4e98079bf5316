"""One repository of a sweep: find its HEAD, clone it if it is a URL, scan it, report back.

A task is what a worker runs, on this machine's pool or on a Dask worker elsewhere, so
it takes and returns small picklable values and touches only its own clone cache. The
scan itself runs as a separate ``python -m blastscan.scanner`` process with a timeout:
a repository that hangs the scanner is killed, one that crashes it (a signal, an
interpreter error) takes only that process down, and either way the outcome says why
and the sweep goes on. The report comes back as text for the coordinator to write, so
reports need no filesystem shared between workers and the coordinator.

Git runs with the history reader's hardening (no hooks, no pager, no prompts, no
system configuration) and never with a target that could be read as an option.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from blastscan.scanner.config.fingerprint_key import ENV_KEY

_GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat",
            "GIT_ASKPASS": "", "SSH_ASKPASS": ""}
_GIT_CONFIG = ("core.hooksPath=/dev/null", "core.fsmonitor=false", "core.pager=cat",
               "gc.auto=0", "maintenance.auto=false", "submodule.recurse=false")
_HEAD = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_ERROR_LINE = re.compile(r"blastscan: error: .{1,300}")
_EXCEPTION = re.compile(r"([A-Za-z_][\w.]{0,80})(?::|$)")
GIT_TIMEOUT = 600


@dataclass(frozen=True, slots=True)
class Task:
    name: str
    target: str  # a local directory, or a git URL
    is_url: bool
    cache: str  # where a URL is cloned (a directory per repository below it)
    key: str = field(repr=False)  # the organisation's fingerprint key: every report joins
    history: bool = False
    timeout: float = 600.0
    known_head: str | None = None  # the HEAD the existing report was made at


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    status: str  # "scanned", "current" (the report is up to date: no work) or "failed"
    head: str | None = None
    reason: str = ""
    report: str | None = field(default=None, repr=False)  # the JSON report when scanned


def run(task: Task) -> Outcome:
    """Never raises: every failure is an outcome with its reason."""
    try:
        head = _head(task)
        if head is not None and head == task.known_head:
            return Outcome(task.name, "current", head)
        where = _clone(task) if task.is_url else Path(task.target)
        return _scan(task, where, head)
    except _Failed as exc:
        return Outcome(task.name, "failed", None, str(exc))
    except (OSError, subprocess.SubprocessError) as exc:
        return Outcome(task.name, "failed", None, f"{type(exc).__name__}: {exc.strerror or ''}"
                       if isinstance(exc, OSError) else type(exc).__name__)


class _Failed(Exception):
    pass


def _git(*args: str, cwd: str | None = None, timeout: float = GIT_TIMEOUT) -> str:
    command = ["git", "--no-pager"]
    for item in _GIT_CONFIG:
        command += ("-c", item)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | _GIT_ENV
    try:
        done = subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True,
                              timeout=timeout, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise _Failed(f"git {args[0]} timed out after {timeout:g} s") from None
    if done.returncode != 0:
        raise _Failed(f"git {args[0]} failed (exit {done.returncode})")
    return done.stdout.decode("utf-8", "replace")


def _head(task: Task) -> str | None:
    """The commit a report would be current for, or None: always scan. A local directory
    counts only when it is a clean checkout (nothing modified, untracked or ignored, since
    an ignored ``.env`` is what an agent reads); a URL is cloned at its remote HEAD."""
    if task.is_url:
        if task.target.startswith("-"):
            raise _Failed("a git URL may not start with '-'")
        first = _git("ls-remote", "--", task.target, "HEAD").split("\t", 1)[0].strip()
        return first if _HEAD.fullmatch(first) else None
    if not os.path.isdir(os.path.join(task.target, ".git")):
        return None
    try:
        head = _git("rev-parse", "--verify", "HEAD", cwd=task.target).strip()
        dirty = _git("status", "--porcelain", "--untracked-files=all", "--ignored",
                     cwd=task.target)
    except _Failed:
        return None
    return head if _HEAD.fullmatch(head) and not dirty else None


def _clone(task: Task) -> Path:
    digest = hashlib.sha256(task.target.encode()).hexdigest()[:12]
    where = Path(task.cache) / f"{task.name}-{digest}"
    shutil.rmtree(where, ignore_errors=True)  # a fresh clone: a stale one is not HEAD
    where.parent.mkdir(parents=True, exist_ok=True)
    depth = () if task.history else ("--depth", "1")
    _git("clone", "--quiet", "--no-tags", "--single-branch", "--no-recurse-submodules",
         *depth, "--", task.target, str(where))
    return where


def _scan(task: Task, where: Path, head: str | None) -> Outcome:
    # Target "." from the clone: the report names no cache path, so it is the same
    # wherever (and on whichever worker) the clone was made.
    cwd, target = (str(where), ".") if task.is_url else (None, task.target)
    command = [sys.executable, "-m", "blastscan.scanner", "scan", target, "--format", "json",
               "--jobs", "1", "--no-progress", "--history" if task.history else "--no-history"]
    env = {**os.environ, ENV_KEY: task.key}
    env.pop("BLASTSCAN_FINGERPRINT_KEY_FILE", None)
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False,
                              timeout=task.timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return Outcome(task.name, "failed", head, f"timed out after {task.timeout:g} s")
    if done.returncode in (0, 1):
        return Outcome(task.name, "scanned", head, report=done.stdout.decode("utf-8"))
    return Outcome(task.name, "failed", head, _reason(done.returncode, done.stderr))


def _reason(code: int, stderr: bytes) -> str:
    """blastscan's own one-line error as is (it never holds a secret); of anything else
    only the exit status or signal and the exception's type, not its message."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    last = lines[-1] if lines else ""
    if code == 2 and _ERROR_LINE.fullmatch(last):
        return last.removeprefix("blastscan: error: ")
    if code < 0:
        return f"the scanner crashed (signal {-code})"
    kind = _EXCEPTION.match(last)
    return f"the scanner crashed (exit {code}{': ' + kind.group(1) if kind else ''})"
