"""Loading the remediation knowledge once, from ``data/*.toml`` inside the package.

The files are ours (shipped with blastscan), never the scanned repository's; they are
still parsed strictly (:mod:`.schema`) so a bad edit fails the first report, and a test.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import tomli

from blastscan.reports.remediation.model import Advice
from blastscan.reports.remediation.schema import index, parse
from blastscan.scanner.errors import KnowledgeError

REQUIRED = ("*", "_uncovered", "generic")


@lru_cache(maxsize=1)
def advice_table() -> dict[str, Advice]:
    folder = resources.files("blastscan.reports.remediation").joinpath("data")
    entries: list[Advice] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            try:
                data = tomli.loads(entry.read_text(encoding="utf-8"))
            except tomli.TOMLDecodeError as exc:
                raise KnowledgeError(f"remediation {entry.name}: {exc}") from exc
            entries += parse(entry.name, data)
    table = index(entries)
    if missing := [name for name in REQUIRED if name not in table]:
        raise KnowledgeError(f"remediation: no entry for {missing[0]!r}")
    return table
