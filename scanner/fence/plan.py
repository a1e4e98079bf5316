"""What ``blastscan fence`` would change: each agent file's old and new text.

Planning reads (bounded, no symlinks) and computes; :func:`apply` writes. ``--dry-run``
shows :func:`diff` of the same plan, so what is shown is what would be written. The
fence file is part of the plan: it records the rules added to each agent file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from blastscan.scanner.errors import FenceError
from blastscan.scanner.fence import claude_settings, files, ignore_file
from blastscan.scanner.fence.agents import Agent, FileFormat
from blastscan.scanner.fence.derive import derive
from blastscan.scanner.fence.model import MAX_FENCE_BYTES, Fence, dumps, loads
from blastscan.scanner.fence.names import cli_commands
from blastscan.scanner.models import ScanResult


@dataclass(frozen=True, slots=True)
class Change:
    path: str  # relative to the root
    old: str | None
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


def plan(root: Path, fence: Fence, agents: tuple[Agent, ...], fence_path: str,
         hook: bool = False) -> tuple[Change, ...]:
    previous = _previous(root, fence_path)
    fenced_files = tuple(sorted({f for c in fence.credentials for f in c.files}))
    commands = cli_commands(tuple(n for c in fence.credentials for o in c.operations
                                  for n in o.names))
    changes: list[Change] = []
    written: list[tuple[str, tuple[str, ...]]] = []
    for agent in agents:
        old = files.read_text(root, agent.path)
        if agent.format is FileFormat.CLAUDE_SETTINGS:
            new, added = claude_settings.merge(
                old, previous.written_to(agent.path) if previous else (),
                claude_settings.rules(fenced_files, commands), hook=hook)
            if added:
                written.append((agent.path, added))
        else:
            new = ignore_file.merge(old, fenced_files)
        if old is not None or new:
            changes.append(Change(agent.path, old, new))
    recorded = fence._replace(written=tuple(written))
    changes.append(Change(fence_path, files.read_text(root, fence_path, MAX_FENCE_BYTES),
                          dumps(recorded)))
    return tuple(changes)


def _previous(root: Path, fence_path: str) -> Fence | None:
    """The last fence written here (its ``written`` rules are ours to replace). A fence
    that does not parse is an error, not a fresh start: its rules would be orphaned."""
    text = files.read_text(root, fence_path, MAX_FENCE_BYTES)
    return None if text is None else _parsed(text, fence_path)


def _parsed(text: str, where: str) -> Fence:
    try:
        return loads(text)
    except FenceError as exc:
        raise FenceError(f"{where}: {exc.explain()}; delete it to start over") from None


def refresh(result: ScanResult, fence_file: Path) -> None:
    """``scan --fence-file``: rewrite the fence from this scan, keeping the record of the
    rules ``blastscan fence`` added to agent files (they are still there to replace)."""
    folder, name = fence_file.parent, fence_file.name
    old = files.read_text(folder, name, MAX_FENCE_BYTES)
    previous = _parsed(old, str(fence_file)) if old is not None else None
    fresh = derive(result)._replace(written=previous.written if previous else ())
    if dumps(fresh) != old:
        files.write_text(folder, name, dumps(fresh))


def diff(changes: tuple[Change, ...]) -> str:
    out: list[str] = []
    for change in changes:
        if change.changed:
            out.extend(difflib.unified_diff(
                (change.old or "").splitlines(keepends=True), change.new.splitlines(keepends=True),
                fromfile="/dev/null" if change.old is None else f"a/{change.path}",
                tofile=f"b/{change.path}"))
            if out and not out[-1].endswith("\n"):
                out[-1] += "\n\\ No newline at end of file\n"
    return "".join(out)


def apply(root: Path, changes: tuple[Change, ...]) -> tuple[str, ...]:
    """Write the changed files; returns their paths (nothing when all are up to date)."""
    done = []
    for change in changes:
        if change.changed:
            files.write_text(root, change.path, change.new)
            done.append(change.path)
    return tuple(done)
