"""Building blocks of the terminal report: labels, one path, the footer.

Every string from the scanned repository goes into a :class:`Text` (never a markup
string, and never a bare ``str`` table cell, which rich would parse as markup), through
:func:`literal`: a newline, ESC or bidi control in a file name, label or quoted reason
is written as an escape, so no byte of the tree can start a line of the report (a forged
``PASS`` or a ``::error::`` workflow command in a CI log) or move the cursor.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from blastscan.reports.common import skipped_counts
from blastscan.reports.grouping import CredentialGroup, credential_label, hop_label
from blastscan.scanner import names
from blastscan.scanner.models import (
    Acceptance,
    BaselineSummary,
    Location,
    Path,
    Severity,
    SourceKind,
    Summary,
)

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
ARROW = " → "


def literal(text: str, style: str = "") -> Text:
    """Text from the scanned tree, made printable: see the module docstring."""
    return Text(names.printable(text), style)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def location_label(location: Location) -> str:
    label = location.label()
    if location.source is not SourceKind.WORKTREE:
        label += f" [{location.source}"
        label += f" {location.commit[:8]}]" if location.commit else "]"
    return label


def credential_block(group: CredentialGroup) -> RenderableType:
    """What every path of one credential shares, said once above them: the credential,
    its scope, environments and reasons, and the route its paths start with."""
    resolved = group.resolved
    if resolved is None:  # a path whose credential this result does not describe
        heading = literal(group.credential_id, "bold")
        details: list[RenderableType] = []
    else:
        reach = resolved.reach
        first = resolved.credential.locations[0]
        heading = Text.assemble(literal(credential_label(resolved), "bold"),
                                literal(f" at {location_label(first)}"))
        more = len(resolved.credential.locations) - 1
        if more:
            heading.append(f" (+{plural(more, 'more location')})")
        facts = literal(f"scope {reach.scope} · environments {', '.join(reach.environments)}"
                        f" · confidence {reach.confidence}", style="dim")
        details = [facts]
        if reach.mismatch:  # the incident's failure mode: said once, and loudly
            details.append(literal("! label/scope mismatch: " + reach.mismatch, "bold red"))
        details += [hanging(Text("-"), literal(reason)) for reason in reach.why
                    if reason != reach.mismatch]
    if group.route:
        labels = [hop_label(hop, resolved) for hop in group.route]
        details.append(hanging(Text("via"), literal(ARROW.join(labels))))
    details.append(Text(f"{plural(len(group.paths), 'operation')} in reach, worst first"
                        " (backups in blast radius, then the widest resource):", style="dim"))
    return Group(Hanging(heading), Padding(Group(*details), (0, 0, 0, 2)))


def path_block(path: Path, group: CredentialGroup) -> RenderableType:
    """One operation the credential reaches: its heading, the hops of its own past the
    shared route, and the reasons the credential's block has not already given."""
    resolved = group.resolved
    heading = Text.assemble(
        literal(f"{path.action} on {path.resource} in {path.environment}  "), (path.id, "dim")
    )
    details: list[RenderableType] = []
    if own := group.own_hops(path):
        details.append(literal("via " + ARROW.join(hop_label(h, resolved) for h in own)))
    if path.mismatch and (resolved is None or path.mismatch != resolved.reach.mismatch):
        details.append(literal("! label/scope mismatch: " + path.mismatch, "bold red"))
    if backups := _backups_note(path):
        details.append(backups)
    shared = set(resolved.reach.why) if resolved else set()
    details.extend(hanging(Text("-"), literal(reason)) for reason in path.why
                   if reason not in shared)
    details.extend(hanging(Text("+", "green"), literal("mitigation: " + m))
                   for m in path.mitigations)
    badge = Text(path.severity.upper(), SEVERITY_STYLE[path.severity])
    body: RenderableType = Group(heading, Padding(Group(*details), (0, 0, 0, 2))) if details \
        else heading
    return hanging(badge, body, width=8)


class Hanging:
    """``text`` whose wrapped lines are indented: the first column stays blastscan's, so
    a long name wrapping there cannot begin a line that reads as a verdict (``PASS``)."""

    def __init__(self, text: Text, indent: int = 4) -> None:
        self.text, self.indent = text, indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        first = self.text.wrap(console, options.max_width)[0]
        yield first
        rest = self.text[len(first.plain):]  # re-wrapped below, narrower
        rest = rest[len(rest.plain) - len(rest.plain.lstrip()):]
        if rest.plain:
            yield Padding(rest, (0, 0, 0, self.indent))


def hanging(
    marker: Text, body: RenderableType, *, width: int | None = None, gap: int = 1
) -> RenderableType:
    """``marker`` beside ``body``, wrapped lines aligned past the marker (a hanging indent)."""
    grid = Table.grid(padding=(0, gap))
    grid.add_column(no_wrap=True, width=width)
    grid.add_column()
    grid.add_row(marker, body)
    return grid


def _backups_note(path: Path) -> Text | None:
    if path.backups_in_blast_radius:
        return Text("! backups in blast radius: this credential reaches them too", "bold red")
    if path.backups_in_blast_radius is None and path.destructive:
        # Unknown is not safe: say so rather than stay silent (design principle 3).
        return Text("? backups not shown to be outside the blast radius", "yellow")
    return None


def summary_parts(summary: Summary) -> list[str]:
    """What was read, skipped, suppressed and filtered: the footer of every text format."""
    skipped = {reason: n for reason, n in skipped_counts(summary).items() if n}
    detail = ", ".join(f"{reason} {n}" for reason, n in skipped.items())
    return [
        f"scanned {plural(summary.files_scanned, 'file')}",
        f"skipped {sum(skipped.values())}" + (f" ({detail})" if detail else ""),
        f"suppressed {summary.suppressed}",
        f"filtered {summary.filtered}",
        *([f"examples set aside {summary.examples}"] if summary.examples else []),
    ]


def footer(summary: Summary) -> RenderableType:
    return literal(" · ".join(summary_parts(summary)), style="dim")


def acceptance_note(acceptance: Acceptance | None) -> Text | None:
    """How the baseline judged a path: accepted (and by whom), or expired and gating."""
    if acceptance is None:
        return None
    until = f", until {acceptance.expires}" if acceptance.expires else ""
    if acceptance.expired:
        return literal(f"! baseline entry expired {acceptance.expires}: gating again"
                       f" (was: {acceptance.reason} — {acceptance.owner})", "bold red")
    return literal(f"✓ accepted by baseline: {acceptance.reason} — {acceptance.owner}{until}",
                   "green")


def baseline_footer(baseline: BaselineSummary) -> Text:
    stale = len(baseline.stale)
    line = (f"baseline: {baseline.accepted} accepted · {baseline.expired} expired"
            f" · {stale} stale {'entry' if stale == 1 else 'entries'} (no longer found)")
    return Text(line, style="yellow" if stale or baseline.expired else "dim")
