"""Merge deny rules into Claude Code's ``.claude/settings.json`` ``permissions.deny``.

Rule syntax, from https://code.claude.com/docs/en/permissions (checked 2026-12): rules
are ``Tool`` or ``Tool(specifier)``; ``Read``/``Edit`` specifiers follow the gitignore
spec, where ``path`` or ``./path`` is relative to the current directory and ``/path``
to the settings file; ``Edit`` covers every built-in tool that edits files and Claude
"makes a best effort" to apply ``Read`` to Grep and Glob; ``Bash(cmd *)`` matches the
command followed by anything (the older ``cmd:*`` form is deprecated) and Claude Code
is aware of ``&&``, ``|`` and ``;``, so a prefix rule is not dodged by chaining. Deny
lists merge across settings files and deny wins over allow. UNCERTAIN: whether a
relative ``./path`` rule matches the absolute path a tool uses when Claude Code runs in
a subfolder (anthropics/claude-code#18200 reports it does not for ``Write``) — one more
reason for the ``blastscan guard`` hook, which resolves paths itself.

JSON holds no comments, so blastscan's rules are not marked in the file: the fence file
records the rules this command added (``written``), and the next run removes exactly
those before adding the new set; a rule the user wrote, even an identical one, stays.
"""

from __future__ import annotations

import json
from typing import Any

from blastscan.scanner.errors import FenceError

SETTINGS = ".claude/settings.json"
GUARD_COMMAND = "blastscan-guard"


def rules(files: tuple[str, ...], commands: tuple[str, ...]) -> tuple[str, ...]:
    """``Read``/``Edit`` for each fenced file, ``Bash(... *)`` for each destructive CLI."""
    found = set()
    for path in files:
        quoted = _escape(path)
        found |= {f"Read(./{quoted})", f"Edit(./{quoted})"}
    found |= {f"Bash({command} *)" for command in commands}
    return tuple(sorted(found))


def _escape(path: str) -> str:
    # gitignore specials, and the parentheses that close the rule's specifier (UNCERTAIN:
    # the docs show no escaped parenthesis; a path holding one is matched by the guard).
    return "".join("\\" + ch if ch in "*?[]\\!#()" else ch for ch in path)


def merge(existing: str | None, previous: tuple[str, ...], new: tuple[str, ...],
          hook: bool = False) -> tuple[str, tuple[str, ...]]:
    """The new settings text and the rules blastscan added (to record in the fence)."""
    settings = _parse(existing)
    before = json.dumps(settings, sort_keys=True)
    permissions = settings.setdefault("permissions", {})
    if not isinstance(permissions, dict):
        raise FenceError(f"{SETTINGS}: permissions is not an object; refusing to merge")
    deny = permissions.setdefault("deny", [])
    if not isinstance(deny, list):
        raise FenceError(f"{SETTINGS}: permissions.deny is not a list; refusing to merge")
    ours = set(previous)
    kept = [rule for rule in deny if rule not in ours]
    added = tuple(rule for rule in new if rule not in kept)
    permissions["deny"] = kept + list(added)
    if hook:
        _add_hook(settings)
    if existing is None and not added and not hook:
        return "", ()
    if existing is not None and json.dumps(settings, sort_keys=True) == before:
        return existing, added  # nothing to change: the user's formatting stays as it is
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n", added


def _parse(existing: str | None) -> dict[str, Any]:
    if existing is None or not existing.strip():
        return {}
    try:
        data = json.loads(existing)
    except (ValueError, RecursionError):
        raise FenceError(f"{SETTINGS}: not valid JSON; fix it first (nothing written)") from None
    if not isinstance(data, dict):
        raise FenceError(f"{SETTINGS}: not a JSON object; refusing to merge")
    return data


def _add_hook(settings: dict[str, Any]) -> None:
    """The PreToolUse hook, once: https://code.claude.com/docs/en/hooks — ``matcher`` is
    a tool-name regex; ``*`` matches every tool (the guard allows what it cannot judge)."""
    hooks = settings.setdefault("hooks", {})
    if not isinstance(hooks, dict) or not isinstance(hooks.setdefault("PreToolUse", []), list):
        raise FenceError(f"{SETTINGS}: hooks.PreToolUse is not a list; refusing to merge")
    groups = hooks["PreToolUse"]
    for group in groups:
        for entry in (group.get("hooks", []) if isinstance(group, dict) else []):
            if isinstance(entry, dict) and str(entry.get("command", "")).startswith(
                    GUARD_COMMAND):
                return
    groups.append({"matcher": "*", "hooks": [{"type": "command", "command": GUARD_COMMAND}]})
