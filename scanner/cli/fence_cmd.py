"""``blastscan fence [PATH]``: write each coding agent's deny rules from a scan.

Scan, keep the credentials on paths at or above ``--fail-on``, and merge deny rules for
the files holding them and the destructive commands they reach into every supported
agent's own file (:mod:`blastscan.scanner.fence.agents`), beside the compact fence file
``blastscan guard`` reads. ``--dry-run`` prints the same plan as a unified diff and
writes nothing. A second run with nothing new changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from blastscan.scanner import names
from blastscan.scanner.cli import output as out
from blastscan.scanner.config import settings
from blastscan.scanner.errors import UsageError
from blastscan.scanner.fence import agents as agent_files
from blastscan.scanner.fence.derive import derive
from blastscan.scanner.fence.model import DEFAULT_FENCE
from blastscan.scanner.fence.plan import apply, diff, plan
from blastscan.scanner.models import Severity
from blastscan.scanner.pipeline import engine, graph_helper


def fence(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Directory to scan and fence.")] = Path("."),
    fail_on: Annotated[Severity | None, typer.Option(
        help="Fence credentials on paths at least this [default: critical].")] = None,
    fence_file: Annotated[Path | None, typer.Option(
        help=f"Where the fence file goes, inside PATH [default: PATH/{DEFAULT_FENCE}].")] = None,
    agent: Annotated[list[str] | None, typer.Option(
        help="Only this agent's file (repeatable): "
             + ", ".join(a.id for a in agent_files.AGENTS) + ".")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print the changes as a unified diff; write nothing.")] = False,
    hook: Annotated[bool, typer.Option(
        "--hook/--no-hook", help="Also add the `blastscan-guard` PreToolUse hook to"
                                 " .claude/settings.json.")] = False,
    history: Annotated[bool | None, typer.Option("--history/--no-history")] = None,
) -> None:
    """Scan PATH and write the deny rules that fence its agents off the critical paths."""
    known = {a.id for a in agent_files.AGENTS}
    if unknown := sorted(set(agent or ()) - known):
        raise UsageError(f"--agent: unknown {', '.join(unknown)}"
                         f" (one of {', '.join(sorted(known))})")
    flags = {k: v for k, v in {"fail_on": fail_on, "history": history}.items() if v is not None}
    config = settings.resolve(path, os.environ, flags)
    result = engine.run(config, helper=graph_helper.handed(ctx.obj))
    root = Path(config.target)
    fenced = derive(result, fail_on)
    changes = plan(root, fenced, agent_files.select(tuple(agent or ())),
                   _inside(root, fence_file), hook=hook)
    if dry_run:
        out.write(diff(changes) or "blastscan fence: every file is up to date\n", None)
        raise typer.Exit(0)
    written = apply(root, changes)
    files = sorted({f for c in fenced.credentials for f in c.files})
    lines = [f"blastscan fence: {len(fenced.credentials)} credential(s) in {len(files)} file(s)"
             f" fenced at or above {fenced.fail_on}"]
    lines += [f"  wrote {names.printable(p)}" for p in written]
    lines += [f"  up to date: {names.printable(c.path)}" for c in changes if not c.changed]
    lines += [f"  not fenced: {name}: {why}" for name, why in agent_files.UNSUPPORTED]
    out.write("\n".join(lines) + "\n", None)
    raise typer.Exit(0)


def _inside(root: Path, given: Path | None) -> str:
    """The fence file's path relative to the root: it must live inside what it fences."""
    if given is None:
        return DEFAULT_FENCE
    full = Path(os.path.abspath(given))
    try:
        rel = full.relative_to(Path(os.path.abspath(root)))
    except ValueError:
        raise UsageError(f"--fence-file must be inside {root}, not {given}") from None
    if not rel.parts:
        raise UsageError("--fence-file names the scanned folder itself")
    return rel.as_posix()
