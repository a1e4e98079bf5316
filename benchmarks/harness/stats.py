"""Small numeric helpers shared by the report and the targets."""

from __future__ import annotations

import statistics
from typing import Any

Result = dict[str, Any]


def median(row: Result) -> float:
    return float(statistics.median(row["seconds"]))


def peak_mb(row: Result) -> tuple[float, float]:
    """(largest single process, whole tree sampled) peak memory over all runs, in MB."""
    return (max(row["max_rss_kb"], default=0) * 1024 / 1e6,
            max(row["tree_pss_kb"], default=0) * 1024 / 1e6)


def ratio(a: Result | None, b: Result | None) -> float | None:
    """median(a) / median(b), or None when either was not measured."""
    if not a or not b or not a["seconds"] or not b["seconds"] or median(b) <= 0:
        return None
    return median(a) / median(b)


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"


def fmt_mb(value: float) -> str:
    return "—" if value <= 0 else f"{value:,.0f} MB"


def fmt_size(size: int) -> str:
    """Tree sizes in MB; small test folders keep two decimals instead of reading 0.0."""
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e6:.2f} MB"
