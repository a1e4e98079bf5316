"""The provenance the reports show: the revision scanned, when, and the command line.

Collected here, at the CLI, so the reporters stay pure: the command line is rebuilt from
the parsed parameters (only blastscan's own options can appear, each value echoed
secrets-free), and the revision is read from git's files, never by running git.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import typer

from blastscan.scanner.models import Provenance


def from_context(ctx: typer.Context, path: Path) -> Provenance:
    """The revision scanned, the time and the command line (secrets-free) for the reports."""
    from blastscan.scanner.pipeline.provenance import echo, git_head

    # From the parsed parameters, not argv: only blastscan's own options can appear.
    words = ["blastscan", ctx.info_name or "scan"]
    for param in ctx.command.params:
        source = ctx.get_parameter_source(param.name) if param.name else None
        if source is None or source.name != "COMMANDLINE":
            continue
        value = ctx.params[param.name]  # type: ignore[index]
        if param.param_type_name == "argument":
            words.append(echo(str(value)))
        elif getattr(param, "is_flag", False):
            words.append(param.opts[0] if value else (param.secondary_opts or param.opts)[0])
        else:
            for item in value if isinstance(value, (list, tuple)) else [value]:
                words += [param.opts[0], echo(str(item))]
    commit, branch = git_head(path)
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    return Provenance(commit, branch, started, tuple(words))
