"""``blastscan scan-files FILE...``: the pre-commit gate (``.pre-commit-hooks.yaml``).

pre-commit runs a hook from the repository root with the staged file names as
arguments. This scans just those files with the root's configuration (no git history,
no walk of the tree) and gates as ``scan`` does: exit 1 when a path reaches
``--fail-on``, 2 on an error. Reach is resolved from those files alone, so a scope the
staged files do not prove narrow stays broad: the fast gate errs towards failing.
``--any`` fails on every credential the baseline does not accept (the ``blastscan-any``
hook); ``--brief`` prints the verdict and one line per credential, which both hooks use
so that a passing commit still says what it let through.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from blastscan.reports.base import OutputFormat, render
from blastscan.scanner.cli import output as output_file
from blastscan.scanner.cli.baseline import baseline_flags, baseline_notice
from blastscan.scanner.config import settings
from blastscan.scanner.errors import UsageError
from blastscan.scanner.models import Severity
from blastscan.scanner.pipeline import engine, graph_helper, staged
from blastscan.scanner.verdict import gate


def scan_files(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(
        help="Files to scan, relative to the current directory (pre-commit passes the"
             " staged ones).")],
    root: Annotated[Path, typer.Option(
        help="The repository the files are in (its configuration applies).")] = Path("."),
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")] = (
        OutputFormat.TEXT),
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write the report here.")] = None,
    fail_on: Annotated[Severity | None, typer.Option(
        help="Exit 1 when a path is at least this [default: critical].")] = None,
    baseline: Annotated[Path | None, typer.Option(
        help="Gate only on paths this baseline file does not accept [default:"
             " ROOT/.blastscan-baseline.json when present, outside CI].")] = None,
    no_baseline: Annotated[bool, typer.Option(
        "--no-baseline", help="Use no baseline, not even one at the default path.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Text format: print only the verdict.")] = False,
    brief: Annotated[bool, typer.Option(
        "--brief", help="Text format: the verdict and one line per credential.")] = False,
    any_credential: Annotated[bool, typer.Option(
        "--any", help="Exit 1 on any credential the baseline does not accept, whatever it"
                      " reaches (should it enter history at all?).")] = False,
) -> None:
    """Scan only FILES (no history): the fast gate for pre-commit hooks."""
    if any_credential and fail_on is not None:
        raise UsageError("scan-files: --any fails on every credential; drop --fail-on")
    if brief and (quiet or fmt is not OutputFormat.TEXT):
        raise UsageError("scan-files: --brief is a text report; drop --quiet and --format")
    flags = {key: value for key, value in
             {"fail_on": fail_on, "baseline": baseline, "history": False}.items()
             if value is not None}
    config = settings.resolve(root, os.environ, baseline_flags(flags, no_baseline),
                              files=staged.relative(root, files))
    baseline_notice(config)
    result = engine.run(config, helper=graph_helper.handed(ctx.obj))
    if any_credential:
        result = replace(result, gate=gate.any_credential(result.paths, result.gate))
    if brief:
        from blastscan.reports.brief import render_brief

        report = render_brief(result)
    else:
        report = render(result, fmt, color=False, width=100, quiet=quiet)
    output_file.write(report, output)
    raise typer.Exit(1 if result.gate.failed else 0)
