"""The coding agents ``blastscan fence`` configures, and the documentation each rests on.

One entry per agent file; ``format`` picks the merger (:mod:`claude_settings` or
:mod:`ignore_file`). Agents without a documented file-exclusion setting in the
repository are listed in :data:`UNSUPPORTED` with the reason, so the command can say
what it did not do instead of implying coverage.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FileFormat(StrEnum):
    CLAUDE_SETTINGS = "claude-settings"
    IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class Agent:
    id: str
    name: str
    path: str  # relative to the scanned root
    format: FileFormat
    source: str
    note: str = ""


AGENTS: tuple[Agent, ...] = (
    Agent("claude-code", "Claude Code", ".claude/settings.json", FileFormat.CLAUDE_SETTINGS,
          "https://code.claude.com/docs/en/permissions",
          "permissions.deny Read/Edit/Bash rules; Bash reads are caught only by the guard"),
    # "Cursor blocks access to files listed in .cursorignore from ... Agent, Tab, and
    # Inline Edit ... @ mention references"; "The terminal and MCP server tools used by
    # Agent cannot block access" (gitignore syntax).
    Agent("cursor", "Cursor", ".cursorignore", FileFormat.IGNORE,
          "https://cursor.com/docs/context/ignore-files",
          "not enforced on the agent's terminal or MCP tools"),
    # "Adding paths to your .geminiignore file will exclude them from tools that support
    # this feature"; "/ at the beginning anchors the path relative to the .geminiignore".
    Agent("gemini-cli", "Gemini CLI", ".geminiignore", FileFormat.IGNORE,
          "https://geminicli.com/docs/cli/gemini-ignore/",
          "only tools that support it; restart the session to apply"),
    # "add a .codeiumignore file to your repo root, with the same syntax as .gitignore";
    # the page speaks of indexing. UNCERTAIN: whether Cascade's own file reads honour it.
    Agent("windsurf", "Windsurf", ".codeiumignore", FileFormat.IGNORE,
          "https://docs.windsurf.com/context-awareness/windsurf-ignore",
          "documented for indexing; UNCERTAIN for Cascade's reads"),
)

UNSUPPORTED: tuple[tuple[str, str], ...] = (
    ("GitHub Copilot", "content exclusion is a repository or organization setting on GitHub,"
     " not a file (https://docs.github.com/en/copilot/how-tos/content-exclusion/"
     "excluding-content-from-github-copilot); Copilot CLI and agent mode do not support it"),
    ("Codex", "no documented per-repository file-exclusion file found (UNCERTAIN)"),
)


def select(ids: tuple[str, ...]) -> tuple[Agent, ...]:
    """The agents named (all when none); an unknown id is a usage error upstream."""
    return tuple(a for a in AGENTS if not ids or a.id in ids)
