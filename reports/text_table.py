"""The terminal report's table of every credential, worst first.

Cells are :class:`Text` objects: a bare ``str`` cell would be parsed as rich markup,
and the cells hold paths and labels from the scanned repository.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from blastscan.reports.common import (
    sorted_credentials,
    sorted_environments,
    sorted_locations,
    worst_severity_by_credential,
)
from blastscan.reports.text_parts import SEVERITY_STYLE, hanging, literal, location_label
from blastscan.scanner import names
from blastscan.scanner.models import Path, ResolvedCredential, Severity


def credentials_table(
    credentials: Iterable[ResolvedCredential], paths: Iterable[Path], width: int
) -> RenderableType:
    """All credentials, worst first, so the table reads as a to-do list.

    ``width`` is the console width: a table that cannot fit it with every word whole
    becomes a list (see :func:`_as_list`).
    """
    worst = worst_severity_by_credential(paths)
    rows = sorted_credentials(credentials)
    rows.sort(key=lambda rc: -_rank(worst.get(rc.credential.id)))  # stable: ties stay by id
    firsts = [
        names.printable(location_label(sorted_locations(rc.credential.locations)[0]))
        if rc.credential.locations
        else "-"
        for rc in rows
    ]
    if _narrowest(rows, firsts) > width:
        # Squeezed, a table breaks ids and paths mid-word ("account_to / ken"): a narrow
        # terminal gets one entry per credential instead, every token whole.
        return _as_list(rows, firsts, worst)
    # No padding (the box draws a one-space divider) and no edges: six columns must
    # fit in 100 with room for a real path.
    table = Table(
        box=box.SIMPLE_HEAD,
        title="Credentials",
        title_justify="left",
        padding=0,
        pad_edge=False,
        show_edge=False,
    )
    table.add_column("Worst", no_wrap=True)
    table.add_column("Credential", overflow="fold")
    table.add_column("Scope", no_wrap=True)
    table.add_column("Environments")
    table.add_column("Locs", justify="right", no_wrap=True)
    # A fixed width keeps rich from squeezing the one column a reader acts on (it
    # collapses the widest column first); _narrowest has checked that it fits whole.
    table.add_column("First location", no_wrap=True, width=max(map(len, firsts), default=1))
    for rc, first in zip(rows, firsts, strict=True):
        severity = worst.get(rc.credential.id)
        table.add_row(
            Text(str(severity), SEVERITY_STYLE[severity]) if severity else Text("-"),
            # Provider and kind only: the preview is in the path chains, and here it
            # would wrap every row onto a second line.
            literal(f"{rc.reach.provider} {rc.reach.kind}"),
            literal(str(rc.reach.scope)),
            Text("\n".join(sorted_environments(rc.reach.environments))),
            Text(str(len(rc.credential.locations))),
            Text(first),  # printable already (its width sizes the column)
        )
    return table


def _narrowest(rows: list[ResolvedCredential], firsts: list[str]) -> int:
    """The narrowest the table can be with no word broken: each column as wide as its
    longest word (the location as a whole), plus the five one-space dividers."""
    def longest(header: str, cells: Iterable[str]) -> int:
        return max([len(header), *(len(w) for cell in cells for w in cell.split())])

    return 5 + sum((
        longest("critical", ()),
        longest("Credential", (names.printable(f"{rc.reach.provider} {rc.reach.kind}")
                               for rc in rows)),
        longest("Scope", (str(rc.reach.scope) for rc in rows)),
        longest("Environments", (e for rc in rows for e in rc.reach.environments)),
        longest("Locs", ()),
        max([len("First location"), *map(len, firsts)]),
    ))


def _as_list(rows: list[ResolvedCredential], firsts: list[str],
             worst: dict[str, Severity]) -> RenderableType:
    """The table's content as a list: ``SEVERITY  provider kind · scope · environments ·
    N locations`` and, below it, the first location (folded only if it cannot fit)."""
    entries: list[RenderableType] = [Text("Credentials", style="italic")]
    for rc, first in zip(rows, firsts, strict=True):
        severity = worst.get(rc.credential.id)
        badge = Text(str(severity), SEVERITY_STYLE[severity]) if severity else Text("-")
        locations = len(rc.credential.locations)
        facts = literal(f"{rc.reach.provider} {rc.reach.kind} · {rc.reach.scope} · "
                        f"{', '.join(sorted_environments(rc.reach.environments))} · "
                        f"{locations} location{'' if locations == 1 else 's'}")
        entries.append(hanging(badge, Group(facts, Text(first, overflow="fold")), width=8))
    return Group(*entries)


def _rank(severity: Severity | None) -> int:
    return -1 if severity is None else severity.rank
