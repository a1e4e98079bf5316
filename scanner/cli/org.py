"""``blastscan merge`` and ``blastscan sweep``: an organisation's blast radius (issue 16).

Both end like ``scan``: the merged report in ``--format`` on stdout or ``--output``,
exit 1 when the gate over the whole set fails.
"""

from __future__ import annotations

import contextlib
import os
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


def sweep(
    targets: Annotated[list[str], typer.Argument(
        help="Directories, git URLs, or files listing them (one a line).")],
    out_dir: Annotated[Path, typer.Option(
        "--out", help="Per-repository reports, state and clones go here.")] = Path(
            "blastscan-sweep"),
    history: Annotated[bool, typer.Option(
        "--history", help="Clone and scan full history (default: shallow, HEAD only).")] = False,
    scheduler: Annotated[str | None, typer.Option(
        help="A Dask scheduler, tcp://HOST:PORT [env: BLASTSCAN_SCHEDULER]; default: this"
             " machine's pool.")] = None,
    jobs: Annotated[int, typer.Option(min=0, help="Local pool size (0: one per core).")] = 0,
    timeout: Annotated[float, typer.Option(min=1.0, help="Seconds per repository.")] = 600.0,
    fmt: _Format = OutputFormat.TEXT,
    output: _Output = None,
    fail_on: _FailOn = Severity.CRITICAL,
    progress: Annotated[bool, typer.Option(help="Progress bar on stderr (terminals).")] = True,
) -> None:
    """Scan many repositories (one report each, as they finish), then merge them."""
    from blastscan.reports.json_report import render_json
    from blastscan.scanner.config import fingerprint_key
    from blastscan.scanner.org import executors
    from blastscan.scanner.org import sweep as sweeping

    address = scheduler or os.environ.get("BLASTSCAN_SCHEDULER") or None
    executor: executors.Executor = (executors.DaskCluster(address) if address
                                    else executors.LocalPool(jobs))
    key = fingerprint_key.resolve(os.environ)

    def write(file: Path, text: str) -> None:
        out.write_file(file, text.encode("utf-8"))

    def run(tick: sweeping.Progress | None) -> ScanResult:
        return sweeping.sweep(targets, out_dir, executor, key, write, history=history,
                              timeout=timeout, fail_on=fail_on, progress=tick)

    if progress and _is_terminal():
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn

        with Progress(TextColumn("sweeping"), BarColumn(), TextColumn("{task.description}"),
                      console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("", total=None)

            def tick(tally: sweeping.Tally) -> None:
                bar.update(task, completed=tally.done + tally.failed, total=tally.total,
                           description=f"done {tally.done} · failed {tally.failed}"
                                       f" · left {tally.left}")

            result = run(tick)
    else:
        result = run(None)
    write(out_dir / "organisation.json", render_json(result))
    finish(result, fmt, output)


def _is_terminal() -> bool:
    import sys

    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def finish(result: ScanResult, fmt: OutputFormat, output: Path | None) -> None:
    out.write(render(result, fmt), output)
    organisation = result.organisation
    for skipped in organisation.skipped if organisation else ():
        with contextlib.suppress(OSError):
            typer.echo(names.printable(f"blastscan: warning: skipped report {skipped.file}:"
                                       f" {skipped.reason}"), err=True)
    raise typer.Exit(1 if result.gate.failed else 0)
