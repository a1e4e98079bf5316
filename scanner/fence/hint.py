"""The one line ``blastscan .`` adds when an agent is set up here and nothing fences it.

An agent configuration in the tree (Claude Code, Cursor, Gemini CLI, Codex, Windsurf,
Copilot instructions, an MCP file) says an agent works in this repository; no fence
file says nothing keeps it off the critical paths the scan just found.
"""

from __future__ import annotations

from pathlib import Path

from blastscan.scanner.fence.model import DEFAULT_FENCE
from blastscan.scanner.models import ScanResult

AGENT_MARKERS = (".claude", "CLAUDE.md", ".mcp.json", ".cursor", ".cursorrules", ".gemini",
                 "GEMINI.md", "AGENTS.md", ".codex", ".windsurf", ".windsurfrules",
                 ".github/copilot-instructions.md", ".vscode/mcp.json")


def hint(root: Path, result: ScanResult) -> str | None:
    threshold = result.gate.fail_on
    review_only = set(result.gate.review_only)
    closable = sum(1 for p in result.paths
                   if p.severity.rank >= threshold.rank and p.id not in review_only)
    if not closable or (root / DEFAULT_FENCE).exists():
        return None
    found = next((m for m in AGENT_MARKERS if (root / m).exists()), None)
    if found is None:
        return None
    return (f"an agent is configured here ({found}) and nothing fences it: `blastscan fence`"
            f" would write deny rules for the {closable} path(s) at or above {threshold}")
