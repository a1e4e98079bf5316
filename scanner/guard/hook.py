"""The hook protocol: a tool call as JSON on stdin, a decision on stdout or stderr.

Claude Code ``PreToolUse`` (https://code.claude.com/docs/en/hooks): stdin holds
``tool_name``, ``tool_input`` and ``cwd``; a deny is ``hookSpecificOutput`` with
``permissionDecision: "deny"`` and ``permissionDecisionReason`` (shown to Claude) on
stdout with exit 0, and ``systemMessage`` is a note shown to the user. Gemini CLI
``BeforeTool`` (https://geminicli.com/docs/hooks/reference): exit 2 blocks, and stderr
is the reason. UNCERTAIN: Gemini's ``tool_input`` field names per tool (the names below
are its built-in tools' parameters as documented for the tools, not for hooks). Cursor
(https://cursor.com/docs/agent/hooks lists ``beforeShellExecution``, ``beforeReadFile``
and ``beforeMCPExecution``): UNCERTAIN, from third-party references to the same page —
the input carries ``command``/``cwd``, ``file_path`` or ``tool_name``/``tool_input`` and
``workspace_roots``, and a deny is ``{"permission": "deny", "agent_message": ...}``; the
guard answers that way and exits 2 too, so either channel blocks.

The guard never fails closed by accident and never crashes: a missing, unreadable or
corrupt fence denies nothing and says so once per session; malformed stdin is allowed
with a note. Exit 2 only ever means "denied".
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from typing import TYPE_CHECKING

from blastscan.scanner.errors import FenceError
from blastscan.scanner.fence.model import DEFAULT_FENCE, MAX_FENCE_BYTES, Fence, loads
from blastscan.scanner.guard.calls import CURSOR_EVENTS, from_cursor, to_call
from blastscan.scanner.guard.decide import Guard

if TYPE_CHECKING:
    from typing import BinaryIO, TextIO

MAX_INPUT = 4 * 1024 * 1024


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(sys.argv[1:] if argv is None else argv, sys.stdin.buffer))


def run(argv: list[str], stdin: BinaryIO) -> int:
    options = _options(argv)
    try:
        raw = stdin.read(MAX_INPUT + 1)
        payload = json.loads(raw) if len(raw) <= MAX_INPUT else None
    except (OSError, ValueError, RecursionError):
        payload = None
    cursor = isinstance(payload, dict) and payload.get("hook_event_name") in CURSOR_EVENTS
    if cursor:
        payload = from_cursor(payload)  # type: ignore[arg-type]  # a dict: checked above
    if not isinstance(payload, dict) or not isinstance(payload.get("tool_name"), str):
        return _note("blastscan guard: could not read the tool call from stdin; allowed")
    gemini = payload.get("hook_event_name") == "BeforeTool" or options.get("--agent") == "gemini"
    given_cwd = payload.get("cwd")
    cwd = given_cwd if isinstance(given_cwd, str) else os.getcwd()
    fence_path = options.get("--fence-file") or os.environ.get("BLASTSCAN_FENCE") or _find(
        os.environ.get("CLAUDE_PROJECT_DIR") or cwd)
    if fence_path is None:
        return _once(payload, "none", f"blastscan guard: no {DEFAULT_FENCE} found above {cwd}:"
                     " nothing is fenced (run `blastscan fence`)")
    fence_path = os.path.abspath(fence_path)
    try:
        fence = _load(fence_path)
    except FenceError as exc:
        return _once(payload, fence_path, f"blastscan guard: {fence_path}: {exc.explain()};"
                     " nothing is fenced (rerun `blastscan fence`)")
    root = options.get("--root") or _root_of(fence_path)
    inside = fence_path.startswith(root.rstrip("/") + "/")
    label = os.path.relpath(fence_path, root) if inside else fence_path
    reason = Guard(fence, root, label).decide(to_call(payload, cwd))
    if reason is None:
        return 0
    if cursor:
        _write(sys.stdout, json.dumps({"permission": "deny", "user_message": reason,
                                       "agent_message": reason}) + "\n")
        return 2
    if gemini or options.get("--exit-code") == "2":
        _write(sys.stderr, reason + "\n")
        return 2
    _write(sys.stdout, json.dumps({"hookSpecificOutput": {
        "hookEventName": "PreToolUse", "permissionDecision": "deny",
        "permissionDecisionReason": reason}}) + "\n")
    return 0


def _options(argv: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    words = iter(argv)
    for word in words:
        key, eq, value = word.partition("=")
        if key in ("--fence-file", "--root", "--agent", "--exit-code"):
            found[key] = value if eq else next(words, "")
    return found


def _find(start: str) -> str | None:
    """The nearest ``.blastscan/fence.json`` at or above ``start`` (a few stats)."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, DEFAULT_FENCE)
        if os.path.lexists(candidate):  # a FIFO or dangling link is "unreadable", not absent
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _root_of(fence_path: str) -> str:
    folder = os.path.dirname(os.path.abspath(fence_path))
    return os.path.dirname(folder) if os.path.basename(folder) == ".blastscan" else folder


def _load(path: str) -> Fence:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise FenceError(f"cannot open ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise FenceError("not a regular file")
        data = handle.read(MAX_FENCE_BYTES + 1)
    if len(data) > MAX_FENCE_BYTES:
        raise FenceError(f"larger than {MAX_FENCE_BYTES} bytes")
    try:
        return loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise FenceError("not UTF-8") from None


def _once(payload: dict[str, object], key: str, message: str) -> int:
    """Say it on the first call of a session only: a marker in the temp folder (created
    exclusively, so two parallel calls do not both speak) remembers it was said."""
    import tempfile  # only on this rare path: it costs a few ms of every call's start-up

    session = str(payload.get("session_id", ""))
    digest = hashlib.sha256(f"{session}\x00{key}\x00{message}".encode()).hexdigest()[:24]
    uid = getattr(os, "getuid", int)()
    marker = os.path.join(tempfile.gettempdir(), f"blastscan-guard-{uid}-{digest}")
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return 0
    except OSError:
        pass  # no temp folder: saying it every time beats never saying it
    return _note(message)


def _note(message: str) -> int:
    printable = "".join(ch if ch.isprintable() else "?" for ch in message)
    _write(sys.stderr, printable + "\n")
    _write(sys.stdout, json.dumps({"systemMessage": printable}) + "\n")
    return 0


def _write(stream: TextIO | None, text: str) -> None:
    try:
        stream.write(text)  # type: ignore[union-attr]  # None: caught below
        stream.flush()  # type: ignore[union-attr]
    except (OSError, ValueError, AttributeError):
        pass  # a closed pipe: the decision is the exit status
