"""The command line: parse options → frozen config → engine.run → render → exit status.

``BlastscanGroup.invoke`` is the one place blastscan's errors become exit codes: 0
clean, 1 gate failed, 2 usage or runtime error (Typer already uses 2 for usage errors). ``blastscan
PATH`` is shorthand for ``blastscan scan PATH``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import os
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from blastscan.reports.base import OutputFormat, render
from blastscan.reports.graph_format import GraphFormat
from blastscan.scanner import names
from blastscan.scanner.cli import output as out
from blastscan.scanner.cli.baseline import baseline_app, baseline_flags, baseline_notice
from blastscan.scanner.cli.fence_cmd import fence
from blastscan.scanner.cli.files import scan_files
from blastscan.scanner.cli.org import merge, sweep
from blastscan.scanner.cli.provenance import from_context
from blastscan.scanner.config import settings
from blastscan.scanner.errors import BlastscanError, OutputError, UsageError
from blastscan.scanner.models import Provenance, ScanResult, Severity
from blastscan.scanner.pipeline import engine, graph_helper
from blastscan.scanner.version import VERSION

_SIZE = re.compile(r"^(\d{1,18})\s*([KMG]?)I?B?$", re.IGNORECASE)  # int() has a digit limit
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


class BlastscanGroup(typer.core.TyperGroup):
    # ``ctx`` is Any: Typer's Context base class moved between releases (click's, then a
    # vendored copy), and the override must match whichever one is installed.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        passthrough = {"--help", "-h", "--version"}
        if not args or (args[0] not in self.commands and args[0] not in passthrough):
            if near := _mistyped(args[0] if args else "", list(self.commands)):
                _error(f"no command or directory {args[0]!r}: did you mean '{near}'?")
                raise typer.Exit(2)
            args = ["scan", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:  # an I/O failure no command caught: still not "gate failed"
            error: BlastscanError = OutputError(f"I/O error: {exc.strerror or exc}")
        except BlastscanError as exc:
            error = exc
        _error(error.explain())
        raise typer.Exit(error.exit_code)


def _mistyped(word: str, commands: list[str]) -> str | None:
    """The command ``word`` is a typo of (``scna``), when ``word`` is no path either: the
    default command takes a directory, so ``blastscan scna`` said "target does not exist"."""
    if not word or word.startswith("-") or "/" in word or os.path.exists(word):
        return None
    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.75)
    return close[0] if close else None


def _error(message: str) -> None:
    """The one-line error. Messages quote names from the tree (a file, a key): printable,
    so a newline or ESC in one cannot forge a line of the CI log."""
    _error_line("error", message)


def _error_line(kind: str, message: str) -> None:
    with contextlib.suppress(OSError):  # a broken stderr must not turn 2 into click's 1
        typer.echo(f"blastscan: {kind}: {names.printable(message)}", err=True)


app = typer.Typer(cls=BlastscanGroup, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode=None,
                  help="Find the credentials an agent can read and what each one can destroy.")


app.add_typer(baseline_app, name="baseline")
app.command("scan-files")(scan_files)  # the pre-commit hook's entry point
app.command("fence")(fence)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def guard(ctx: typer.Context) -> None:
    """Pre-tool-use hook: deny a tool call (JSON on stdin) that reaches a fenced credential.

    The console script runs this before the CLI loads (see cli.launch); it is listed here
    for --help. Options: --fence-file F, --root DIR, --agent gemini, --exit-code 2.
    """
    from blastscan.scanner.guard.hook import main as guard_main

    guard_main(list(ctx.args))
app.command("merge")(merge)
app.command("sweep")(sweep)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"blastscan {VERSION}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """blastscan: static secrets and blast-radius scanner."""


def parse_size(text: str) -> int:
    match = _SIZE.match(text.strip())
    if not match:
        raise UsageError(f"--max-file-size: expected bytes or a size like 5M, got {text!r}")
    return int(match.group(1)) * _UNITS[match.group(2).upper()]


@app.command()
def scan(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Directory to scan.")] = Path("."),
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")] = (
        OutputFormat.TEXT),
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write the report here.")] = None,
    fail_on: Annotated[Severity | None, typer.Option(
        help="Exit 1 when a path is at least this [default: critical].")] = None,
    max_file_size: Annotated[str | None, typer.Option(
        help="Skip larger files (bytes, or 500K/5M) [default: 5M].")] = None,
    include_deps: Annotated[bool | None, typer.Option(
        help="Also scan dependency and cache folders (node_modules, .venv, ...).")] = None,
    progress: Annotated[bool, typer.Option(help="Progress bar on stderr (terminals only).")] = True,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Text format: print only the verdict; no progress bar.")] = False,
    jobs: Annotated[int, typer.Option(
        min=0, help="Worker processes (0: one per core, 1: no pool).")] = 0,
    home: Annotated[Path | None, typer.Option(
        help="Also read the credential stores under this home directory (e.g. ~).")] = None,
    env: Annotated[bool, typer.Option(
        "--env", help="Also read this process's environment variables.")] = False,
    history: Annotated[bool | None, typer.Option(
        "--history/--no-history",
        help="Also scan every unique blob of git history (when PATH is a repository)"
             " [default: history].")] = None,
    since: Annotated[str | None, typer.Option(
        help="Only scan history after this revision (e.g. origin/main).")] = None,
    include: Annotated[list[str] | None, typer.Option(
        help="Only read files matching this gitignore-style glob (repeatable).")] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        help="Do not read files matching this gitignore-style glob (repeatable).")] = None,
    baseline: Annotated[Path | None, typer.Option(
        help="Gate only on paths this baseline file does not accept [default:"
             " PATH/.blastscan-baseline.json when present, outside CI].")] = None,
    no_baseline: Annotated[bool, typer.Option(
        "--no-baseline", help="Use no baseline, not even one at the default path.")] = False,
    imports: Annotated[list[str] | None, typer.Option(
        "--import", metavar="[TOOL:]FILE",
        help="Also resolve the findings of this gitleaks, betterleaks, TruffleHog, Kingfisher"
             " or detect-secrets report (repeatable).")] = None,
    show_accepted: Annotated[bool, typer.Option(
        "--show-accepted",
        help="Text and Markdown: list baseline-accepted paths in full.")] = False,
    also_write: Annotated[list[str] | None, typer.Option(
        "--also-write", metavar="FORMAT:FILE",
        help="Also write this scan's report in FORMAT to FILE (repeatable), e.g."
             " sarif:out.sarif: one scan, several reports.")] = None,
    fence_file: Annotated[Path | None, typer.Option(
        help="Also refresh the compact fence file `blastscan guard` reads (e.g."
             " .blastscan/fence.json); agent files are left to `blastscan fence`.")] = None,
) -> None:
    """Scan PATH and report every credential an agent there can read, and its blast radius."""
    extra_reports = [_format_and_file(given) for given in also_write or ()]
    flags = _flags(fail_on=fail_on, include_deps=include_deps, history=history,
                   include=tuple(include) if include else None,
                   exclude=tuple(exclude) if exclude else None, baseline=baseline,
                   max_file_size=parse_size(max_file_size) if max_file_size else None)
    config = settings.resolve(path, os.environ, baseline_flags(flags, no_baseline), jobs=jobs,
                              home=home.expanduser() if home else None, env=env, since=since,
                              imports=tuple(imports or ()))
    baseline_notice(config)
    if progress and not quiet and _is_terminal(stderr=True):
        # Imported here: only a terminal shows the bar, and rich.progress costs start-up time.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        # No auto-refresh thread: a threaded process must not fork its scan workers.
        with Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(),
                      console=Console(stderr=True), transient=True,
                      auto_refresh=False) as bar:
            task = bar.add_task("scan", total=None)

            def tick(done: int, total: int) -> None:
                if done % 64 == 0 or done == total:
                    bar.update(task, completed=done, total=total, refresh=True)

            result = engine.run(config, tick, helper=graph_helper.handed(ctx.obj))
    else:
        result = engine.run(config, helper=graph_helper.handed(ctx.obj))
    result = dataclasses.replace(result, provenance=from_context(ctx, path))
    if fence_file is not None:
        from blastscan.scanner.fence.plan import refresh

        refresh(result, fence_file)
    _emit(result, fmt, output, quiet=quiet, show_accepted=show_accepted, extra=extra_reports,
          hint_root=Path(config.target))


def _emit(result: ScanResult, fmt: OutputFormat, output: Path | None, *, quiet: bool,
          show_accepted: bool, extra: list[tuple[OutputFormat, Path]],
          hint_root: Path | None = None) -> None:
    """Render and write ``result`` and exit with its gate: one way for ``scan`` and
    ``report``, so a saved report renders the bytes its scan would have printed."""
    # Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
    color = output is None and _is_terminal(stderr=False) and "NO_COLOR" not in os.environ
    report = render(result, fmt, color=color, width=_terminal_width() if color else 100,
                    quiet=quiet, show_accepted=show_accepted)
    out.write(report, output)
    for extra_fmt, extra_file in extra:
        out.write(render(result, extra_fmt, show_accepted=show_accepted), extra_file)
    _warn_sarif_limit(result, [fmt, *(f for f, _ in extra)])
    # Text only: the other formats are read by programs, which a stray line would confuse.
    if hint_root is not None and fmt is OutputFormat.TEXT and not quiet:
        from blastscan.scanner.fence.hint import hint

        if line := hint(hint_root, result):
            _error_line("hint", line)
    if output is not None and _is_terminal(stderr=True):
        # A person at a terminal who sent the report to a file still sees the verdict.
        verdict = next(line for line in render(result, OutputFormat.TEXT, quiet=True).splitlines()
                       if line.strip())
        with contextlib.suppress(OSError):
            typer.echo(f"{verdict}  (report: {names.printable(str(output))})", err=True)
    raise typer.Exit(1 if result.gate.failed else 0)


@app.command()
def report(
    saved: Annotated[Path, typer.Argument(metavar="REPORT.json",
                                          help="A JSON report written by `blastscan scan`.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")] = (
        OutputFormat.TEXT),
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write the report here.")] = None,
    fail_on: Annotated[Severity | None, typer.Option(
        help="Exit 1 when a path is at least this [default: the report's].")] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Text format: print only the verdict.")] = False,
    show_accepted: Annotated[bool, typer.Option(
        "--show-accepted",
        help="Text and Markdown: list baseline-accepted paths in full.")] = False,
    also_write: Annotated[list[str] | None, typer.Option(
        "--also-write", metavar="FORMAT:FILE",
        help="Also write the report in FORMAT to FILE (repeatable).")] = None,
) -> None:
    """Render a saved JSON report again, in any format, without rescanning; exit with the
    gate decided again over its paths."""
    from dataclasses import replace

    from blastscan.reports.json_load import load
    from blastscan.scanner.verdict.gate import regate

    extra_reports = [_format_and_file(given) for given in also_write or ()]
    result = load(saved)
    # A blastscan command made it: the HTML shows the revision the JSON kept, and says the
    # time and the command line are not kept (they would make the JSON differ per run).
    result = replace(result, gate=regate(result.paths, result.credentials, result.gate, fail_on),
                     provenance=result.provenance or Provenance())
    _emit(result, fmt, output, quiet=quiet, show_accepted=show_accepted, extra=extra_reports)


def _warn_sarif_limit(result: ScanResult, formats: list[OutputFormat]) -> None:
    if OutputFormat.SARIF not in formats:
        return  # importing the SARIF reporter is 3 ms of every other scan
    from blastscan.reports.sarif import MAX_RESULTS, over_limit

    if len(result.paths) > MAX_RESULTS:
        _error_line("warning", over_limit(len(result.paths) - MAX_RESULTS, len(result.paths)))


def _format_and_file(given: str) -> tuple[OutputFormat, Path]:
    name, sep, file = given.partition(":")
    formats = {f.value: f for f in OutputFormat}
    if not sep or not file or name not in formats:
        raise UsageError(f"--also-write wants FORMAT:FILE with FORMAT one of "
                         f"{', '.join(formats)}, not {given!r}")
    return formats[name], Path(file)


def _is_terminal(*, stderr: bool) -> bool:
    """rich's answer (it knows Jupyter, IDLE, ``TTY_COMPATIBLE`` and ``FORCE_COLOR``), asked
    only when it can be yes: importing rich is ~20 ms of start-up, and to rich a stream
    that is not a tty is never a terminal unless one of those two variables is set."""
    if "TTY_COMPATIBLE" not in os.environ and "FORCE_COLOR" not in os.environ:
        isatty = getattr(sys.stderr if stderr else sys.stdout, "isatty", None)
        try:
            if isatty is None or not isatty():
                return False
        except ValueError:  # a closed stream: rich says no too
            return False
    from rich.console import Console

    return Console(stderr=stderr).is_terminal


def _terminal_width() -> int:
    from rich.console import Console

    return Console().width


def _flags(**given: Any) -> dict[str, Any]:
    """Only the options the user passed: an unpassed flag must not hide the file or env."""
    return {key: value for key, value in given.items() if value is not None}


@app.command()
def providers(
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = (
        OutputFormat.TEXT),
) -> None:
    """List the provider knowledge base: token kinds, scopes, destructive operations."""
    if fmt not in (OutputFormat.TEXT, OutputFormat.JSON):  # it printed text for the others
        raise UsageError(f"providers: --format is text or json, not {fmt.value}")
    # Imported per command (here and below) so that a scan does not pay for them at start-up.
    from blastscan.detectors.knowledge.catalog import catalog
    from blastscan.detectors.knowledge.loader import load as load_knowledge
    from blastscan.reports.providers import render_providers

    out.write(render_providers(load_knowledge().values(), fmt.value,
                               catalog=catalog().describe()), None)


@app.command()
def graph(
    path: Annotated[Path, typer.Argument(help="Directory to scan.")] = Path("."),
    fmt: Annotated[GraphFormat, typer.Option("--format", "-f", help="Graph format.")] = (
        GraphFormat.JSON),
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write the graph here.")] = None,
    home: Annotated[Path | None, typer.Option(help="Also read this home's stores.")] = None,
    history: Annotated[bool | None, typer.Option("--history/--no-history")] = None,
) -> None:
    """Scan PATH and export the blast-radius graph (workspace → … → operations)."""
    from blastscan.reports.graph_export import render_graph

    config = settings.resolve(path, os.environ, _flags(history=history),
                              home=home.expanduser() if home else None)
    out.write(render_graph(engine.run(config), fmt), output)


@app.command()
def explain(
    ident: Annotated[str, typer.Argument(
        metavar="ID", help="A path id (p-…), credential id (c-…) or fingerprint.")],
    path: Annotated[Path, typer.Argument(help="Directory to scan.")] = Path("."),
    baseline: Annotated[Path | None, typer.Option(
        help="Show whether this baseline accepts the path.")] = None,
    no_baseline: Annotated[bool, typer.Option(
        "--no-baseline", help="Use no baseline, not even one at the default path.")] = False,
    history: Annotated[bool | None, typer.Option("--history/--no-history")] = None,
) -> None:
    """Scan PATH and print the whole evidence chain behind one path or credential."""
    from blastscan.reports.explain import render_explain

    config = settings.resolve(path, os.environ, baseline_flags(
        _flags(baseline=baseline, history=history), no_baseline))
    baseline_notice(config)
    text = render_explain(engine.run(config), ident.strip())
    if text is None:
        raise UsageError(f"no path or credential {ident!r} in {path}")
    out.write(text, None)


def main(helper: graph_helper.GraphHelper | None = None) -> None:
    """Entry point (Typer exits with the status; usage errors are 2). ``helper``: see
    :mod:`blastscan.scanner.pipeline.graph_helper`; the scan commands hand it to the engine."""
    app(obj=helper)
