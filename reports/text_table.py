"""The terminal report's table of every credential, worst first.

Cells are :class:`Text` objects: a bare ``str`` cell would be parsed as rich markup,
and the cells hold paths and labels from the scanned repository.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from blastscan.reports.common import (
    sorted_credentials,
    sorted_environments,
    sorted_locations,
    worst_severity_by_credential,
)
from blastscan.reports.text_parts import SEVERITY_STYLE, literal, location_label
from blastscan.scanner import names
from blastscan.scanner.models import Path, ResolvedCredential, Severity


def credentials_table(
    credentials: Iterable[ResolvedCredential], paths: Iterable[Path], width: int
) -> RenderableType:
    """All credentials, worst first, so the table reads as a to-do list.

    ``width`` is the console width, used to size the location column (see below).
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
    # collapses the widest column first), within two fifths of the line.
    fixed = min(max(map(len, firsts), default=1), 40, max(width * 2 // 5, 12))
    table.add_column("First location", overflow="fold", width=fixed)
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


def _rank(severity: Severity | None) -> int:
    return -1 if severity is None else severity.rank
