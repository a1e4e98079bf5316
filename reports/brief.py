"""The brief text report: the verdict, then one line per credential (``scan-files --brief``).

For the pre-commit hook (issue 21). A passing blast-radius hook used to print only
"Passed": a plain password or an unknown vendor's key entered history without a word.
The hook now always shows what it found, and in a commit's terminal output a full report
per credential is too much, so this is one line each: the worst severity of its paths,
provider, kind, redacted preview, first location, and what the worst path reaches with
its id (for ``blastscan explain``) — or that the baseline accepts it. No secret: the
model holds only fingerprints and previews, and names from the tree go through
:func:`blastscan.scanner.names.printable`.
"""

from __future__ import annotations

from blastscan.reports.base import OutputFormat, render
from blastscan.reports.common import sorted_credentials, sorted_locations, sorted_paths
from blastscan.reports.grouping import credential_label
from blastscan.reports.text_parts import location_label
from blastscan.scanner import names
from blastscan.scanner.models import Path, ResolvedCredential, ScanResult


def render_brief(result: ScanResult) -> str:
    verdict = render(result, OutputFormat.TEXT, quiet=True).rstrip("\n")
    worst: dict[str, Path] = {}
    for path in sorted_paths(result.paths):  # worst first: the first seen is the worst
        worst.setdefault(path.credential_id, path)
    accepted = {a.path_id for a in result.gate.accepted}
    lines = [_line(rc, worst.get(rc.credential.id), accepted)
             for rc in sorted_credentials(result.credentials)]
    return "\n".join([verdict, *lines]) + "\n"


def _line(resolved: ResolvedCredential, path: Path | None, accepted: set[str]) -> str:
    locations = sorted_locations(resolved.credential.locations)
    where = location_label(locations[0]) + (f" (+{len(locations) - 1})"
                                            if len(locations) > 1 else "")
    if path is None:
        severity, reach = "info", "reach unknown"
    else:
        severity = str(path.severity)
        unknown = path.action.endswith(".unknown")
        reach = "reach unknown" if unknown else f"reaches {path.action} in {path.environment}"
        reach += " (accepted by the baseline)" if path.id in accepted else f" [{path.id}]"
    return names.printable(f"  {severity:<8} {credential_label(resolved)} at {where}: {reach}")
