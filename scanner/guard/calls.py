"""Each agent's hook input as one :class:`Call`: which paths a tool reads or writes, which
folder a search prints lines from, which shell command runs, and every string it sends.

Claude Code tool names and fields: https://code.claude.com/docs/en/hooks (``Bash``
``command``; ``Read``/``Edit``/``Write`` ``file_path``; ``Grep`` ``path`` and
``output_mode``, where only ``content`` prints lines). Gemini CLI's built-in tools
(``run_shell_command``, ``read_file``, ``read_many_files``, ``search_file_content``,
``replace``, ``write_file``): UNCERTAIN, their parameter names as the tools document
them. Cursor's events (UNCERTAIN field names, see :mod:`hook`) are first rewritten as
the tool call they announce.
"""

from __future__ import annotations

import json

from blastscan.scanner.guard.decide import Call

_SHELL = frozenset({"Bash", "run_shell_command", "shell"})
_READ = frozenset({"Read", "Edit", "MultiEdit", "NotebookEdit", "NotebookRead", "read_file",
                   "read_many_files", "replace", "edit"})
_WRITE = frozenset({"Write", "Edit", "MultiEdit", "NotebookEdit", "write_file", "replace",
                    "edit"})
_SEARCH = frozenset({"Grep", "search_file_content", "grep", "grep_search"})
_PATH_KEYS = ("file_path", "absolute_path", "notebook_path", "path")
_MAX_DEPTH = 8


CURSOR_EVENTS = frozenset({"beforeShellExecution", "beforeReadFile", "beforeMCPExecution"})


def from_cursor(event: dict[str, object]) -> dict[str, object]:
    """A Cursor event as the tool call it announces (the read file's ``content`` is left
    out: it is the file, and the path decides)."""
    name = event.get("hook_event_name")
    roots = event.get("workspace_roots")
    cwd = event.get("cwd") or (roots[0] if isinstance(roots, list) and roots else None)
    call: dict[str, object] = {"cwd": cwd} if isinstance(cwd, str) else {}
    if name == "beforeShellExecution":
        call.update(tool_name="Bash", tool_input={"command": event.get("command")})
    elif name == "beforeReadFile":
        call.update(tool_name="Read", tool_input={"file_path": event.get("file_path")})
    else:
        given = event.get("tool_input")
        if isinstance(given, str):
            try:
                given = json.loads(given)
            except (ValueError, RecursionError):
                given = {"input": given}
        call.update(tool_name=f"mcp__cursor__{event.get('tool_name')}", tool_input=given)
    return call


def to_call(payload: dict[str, object], cwd: str) -> Call:
    tool = str(payload["tool_name"])
    raw = payload.get("tool_input")
    given = raw if isinstance(raw, dict) else {}
    paths = [v for k in _PATH_KEYS if isinstance(v := given.get(k), str)]
    if isinstance(many := given.get("paths"), list):
        paths += [p for p in many if isinstance(p, str)]
    content = tool != "Grep" or given.get("output_mode") == "content"
    command = given.get("command")
    return Call(
        tool=tool, cwd=cwd,
        reads=tuple(paths) if tool in _READ else (),
        writes=tuple(paths) if tool in _WRITE else (),
        search=(paths[0] if paths else ".") if tool in _SEARCH and content else None,
        command=command if tool in _SHELL and isinstance(command, str) else None,
        texts=tuple(_strings(given)), mcp=tool.startswith("mcp__"))


def _strings(value: object, depth: int = 0) -> list[str]:
    if isinstance(value, str):
        return [value]
    if depth >= _MAX_DEPTH:
        return []
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v, depth + 1)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, depth + 1)]
    return []
