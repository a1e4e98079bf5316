"""``blastscan merge`` and ``blastscan sweep``: an organisation's blast radius (issue 16).

Both end like ``scan``: the merged report in ``--format`` on stdout or ``--output``,
exit 1 when the gate over the whole set fails.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated

import typer

from blastscan.reports.base import OutputFormat, render
from blastscan.scanner import names
from blastscan.scanner.cli import output as out
from blastscan.scanner.models import ScanResult, Severity

_Format = Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")]
_Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")]
_FailOn = Annotated[Severity, typer.Option(help="Exit 1 when a path is at least this.")]


def merge(
    reports: Annotated[list[Path], typer.Argument(help="Single-repository JSON reports.")],
    fmt: _Format = OutputFormat.TEXT,
    output: _Output = None,
    fail_on: _FailOn = Severity.CRITICAL,
) -> None:
    """Merge repositories' JSON reports into one organisation report."""
    from blastscan.scanner.org.merge import merge as merge_reports

    finish(merge_reports(reports, fail_on), fmt, output)


def finish(result: ScanResult, fmt: OutputFormat, output: Path | None) -> None:
    out.write(render(result, fmt), output)
    organisation = result.organisation
    for skipped in organisation.skipped if organisation else ():
        with contextlib.suppress(OSError):
            typer.echo(names.printable(f"blastscan: warning: skipped report {skipped.file}:"
                                       f" {skipped.reason}"), err=True)
    raise typer.Exit(1 if result.gate.failed else 0)
