"""The terminal report: verdict first, then the dangerous paths, credentials and counts.

Built with rich and rendered into a string, so it stays a pure ``ScanResult -> str``.
Everything shown comes from the scanned repository (paths, labels, reasons) and may
contain rich markup or emoji codes, so it only ever enters rich as :class:`Text`
objects, which rich never parses: a file named ``[bold].env`` prints literally; and it
enters through :func:`text_parts.literal`, so no control character reaches the output.
"""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from blastscan.reports.common import (
    agent_scope,
    headline_path,
    passed_headline,
    severity_counts,
    sorted_paths,
    unaccepted,
)
from blastscan.reports.grouping import group_paths
from blastscan.reports.organisation import text_lines
from blastscan.reports.remediation import Remediation
from blastscan.reports.text_parts import (
    SEVERITY_STYLE,
    acceptance_note,
    baseline_footer,
    credential_block,
    footer,
    hanging,
    literal,
    path_block,
    plural,
)
from blastscan.reports.text_table import credentials_table
from blastscan.scanner import names
from blastscan.scanner.models import Path, ScanResult, Severity

#: Paths at or above this severity are drawn in full; the rest are only counted.
DETAIL_THRESHOLD = Severity.HIGH


def render_text(result: ScanResult, *, color: bool = False, width: int = 100,
                quiet: bool = False, show_accepted: bool = False) -> str:
    """Render ``result`` for a terminal ``width`` columns wide, with ANSI colour if asked;
    ``quiet`` keeps only the verdict (for scripts that want one line to log)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        height=25,  # unused by static output, but without it rich may probe the real tty
        force_terminal=color,
        force_jupyter=False,
        color_system="standard" if color else None,
        no_color=not color,
        legacy_windows=False,
        emoji=False,
        highlight=False,
        # An empty environment: NO_COLOR, FORCE_COLOR, TERM=dumb or COLUMNS on the
        # machine running the scan must not change a report (golden tests, CI logs).
        _environ={},
    )
    sections = _sections(result, width, show_accepted)
    for renderable in sections[:1] if quiet else sections:
        console.print(renderable)
    # rich pads lines to the full width; trailing blanks would only churn golden files
    # and copy-pasted output, so drop them.
    # And a name that wrapped or was indented onto the start of a line must not read as a
    # CI workflow command there (see names.inert_lines).
    text = "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
    return names.inert_lines(text)


def _sections(result: ScanResult, width: int, show_accepted: bool) -> list[RenderableType]:
    by_id = {rc.credential.id: rc for rc in result.credentials}
    paths = sorted_paths(result.paths)
    serious = [p for p in paths if p.severity.rank >= DETAIL_THRESHOLD.rank]
    detailed = unaccepted(serious, result.gate, show_accepted)
    sections: list[RenderableType] = [_verdict(result, paths), Text()]
    # One block per credential: what its paths share is said once (grouping.py).
    for group in group_paths(detailed, by_id):
        sections.append(credential_block(group))
        for p in group.paths:
            sections.append(Padding(path_block(p, group), (0, 0, 0, 2)))
            if marker := acceptance_note(result.gate.acceptance(p.id)):
                sections.append(Padding(marker, (0, 0, 0, 11)))
        # How to close it, once per credential: the steps of all its paths, each once.
        sections.append(Padding(_fix_block(group.fix()), (0, 0, 0, 2)))
        sections.append(Text())
    if collapsed := len(serious) - len(detailed):
        note = (f"{plural(collapsed, 'path')} the baseline accepts not shown (--show-accepted"
                " lists them).")
        sections += [Text(note, style="dim"), Text()]
    if hidden := len(paths) - len(serious):
        note = f"{plural(hidden, 'more path')} below {DETAIL_THRESHOLD} not shown; "
        sections += [Text(note + "the JSON report lists every path.", style="dim"), Text()]
    if result.credentials:
        sections.append(credentials_table(result.credentials, result.paths, width))
    else:
        sections.append(Text("No credentials found."))
    if result.organisation is not None:
        sections += [Text(), *(literal(line) for line in text_lines(result.organisation))]
    sections += [Text(), footer(result.summary)]
    if result.summary.baseline is not None:
        sections.append(baseline_footer(result.summary.baseline))
    return sections


def _fix_block(fix: Remediation) -> RenderableType:
    """The narrower credential, the numbered steps (UNCERTAIN where a source falls short)
    and the sources they rest on, so a reader can check each claim."""
    rows: list[RenderableType] = [literal("to close it:", "bold")]
    if fix.narrower:
        rows.append(hanging(Text("instead:"), literal(fix.narrower)))
    for number, step in enumerate(fix.steps, 1):
        note = f" (UNCERTAIN: {step.uncertain})" if step.uncertain else ""
        rows.append(hanging(Text(f"{number}."), literal(f"{step.action}: {step.why}{note}")))
    if fix.sources:
        # One per line, folded rather than cut: a URL with "…" in it cannot be followed.
        urls = [literal(source, "dim") for source in fix.sources]
        for url in urls:
            url.overflow = "fold"
        rows.append(hanging(Text("sources:", "dim"), Group(*urls)))
    return Group(*rows)


def _verdict(result: ScanResult, paths: list[Path]) -> RenderableType:
    gate = result.gate
    if gate.failed:
        failing_ids = set(gate.failing_paths)
        failing = [p for p in paths if p.id in failing_ids]
        headline = _fail_headline(gate.fail_on, failing, headline_path(result, failing)
                                  if failing else None, agent_scope(result))
        badge = Text("FAIL", "bold white on red")
    else:
        passed = passed_headline(gate, paths)
        badge, headline = Text("PASS", "bold white on green"), Text(passed)
    counts = Text(f"{plural(len(result.credentials), 'credential')}, ")
    counts.append(f"{plural(len(paths), 'path')}: ")
    for index, (severity, count) in enumerate(severity_counts(paths).items()):
        counts.append(", " if index else "")
        counts.append(f"{count} {severity}", style=SEVERITY_STYLE[severity] if count else "")
    return hanging(badge, Group(headline, counts), gap=2)


def _fail_headline(fail_on: Severity, failing: list[Path], worst: Path | None,
                   scope: str) -> Text:
    if worst is None:  # a gate can fail on ids this result does not describe; say so
        return Text(f"the gate failed at {fail_on}")
    if fail_on is Severity.CRITICAL:
        count = plural(len(failing), "critical path")
    else:
        count = f"{plural(len(failing), 'path')} at {fail_on} or above"
    # The resource is left to the path block below: the verdict should fit on one line.
    reach = f"{worst.action} in {worst.environment}"
    return literal(f"{count}: {scope} can reach {reach}")
