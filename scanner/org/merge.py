"""``merge(files) -> ScanResult``: many repositories' JSON reports, one organisation result.

A repository is named after its report file (``api.json`` is ``api``), the convention
``blastscan sweep`` and the GitHub Actions pattern in the README follow. Reports are read
in name order and folded into a :class:`Join` one at a time, so memory holds the joined
result, not every report. A report that cannot be read as one (too large, not JSON, not
the contract) is skipped with its reason and fails the gate: what it held is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from blastscan.scanner.errors import ReportError
from blastscan.scanner.models import ScanResult, Severity
from blastscan.scanner.org import reading
from blastscan.scanner.org.joining import Join


def repository_name(file: Path) -> str:
    return file.name.removesuffix(".json") or file.name


def merge(files: Iterable[Path], fail_on: Severity = Severity.CRITICAL) -> ScanResult:
    join = Join()
    for file in sorted(files, key=lambda f: (repository_name(f), str(f))):
        add(join, file)
    return join.finish(fail_on)


def add(join: Join, file: Path) -> None:
    """Fold one report file in, or record why it was skipped (MergeError propagates)."""
    try:
        result = reading.read(file)
    except ReportError as exc:
        join.skip(repository_name(file), str(exc))
        return
    except (RecursionError, MemoryError):
        join.skip(repository_name(file), "nested too deeply or too large")
        return
    join.add(repository_name(file), result)
