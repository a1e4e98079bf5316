"""What to do about a path: the narrower credential and the steps that close it, sourced.

Knowledge as data (house style 6): ``data/*.toml`` says, per provider, which narrower
credential replaces a broad one and which steps close which paths, each with the URLs it
rests on (or an UNCERTAIN note where none was recorded); :mod:`.schema` validates it,
:mod:`.select` picks the steps that apply to one path. The text is ours, never the
scanned repository's, but reporters still escape it like everything else (only its
source URLs become Markdown links), and it never holds a secret: only the path's provider,
kind, resource, environment and operation are filled in.
"""

from __future__ import annotations

from blastscan.reports.remediation.model import Advice, Remediation, Step
from blastscan.reports.remediation.select import (
    advice_for,
    merged,
    per_credential,
    remediation_for,
)

__all__ = ["Advice", "Remediation", "Step", "advice_for", "merged", "per_credential",
           "remediation_for"]
