"""Inline suppression comments.

blastscan's own markers plus the markers of the tools teams already use, so adopting
blastscan does not mean re-annotating a repository (peers.md §4.3, §6):

- ``blastscan: ignore`` on the line, or ``blastscan: ignore-next-line`` on the line above;
- ``blastscan: ignore[RULE, ...]`` (and ``ignore-next-line[RULE]``): only candidates whose
  detector id or provider is a listed RULE (``ignore[generic-secret]``, ``ignore[railway]``),
  so a reviewed generic false positive does not hide a real token on the same line;
- detect-secrets' ``pragma: allowlist secret`` and ``pragma: allowlist nextline secret``;
- gitleaks' ``gitleaks:allow``, kingfisher's ``kingfisher:ignore`` / ``kingfisher:allow``
  and trufflehog's ``trufflehog:ignore``.
"""

from __future__ import annotations

import re

from blastscan.detectors.base import Document
from blastscan.scanner.models import Candidate

_FOREIGN_SAME_LINE = re.compile(
    r"pragma:\s*allowlist[ -]secret|gitleaks:allow|kingfisher:(?:ignore|allow)"
    r"|trufflehog:ignore", re.IGNORECASE)
_FOREIGN_NEXT_LINE = re.compile(r"pragma:\s*allowlist[ -]nextline[ -]secret", re.IGNORECASE)
# ``rules`` is None for a bare marker (everything on the line) and a set otherwise.
_OWN = re.compile(r"blastscan:\s*ignore(?P<next>-next-line)?(?:\[(?P<rules>[^\]]*)\])?",
                  re.IGNORECASE)
_ANY = ("blastscan:", "allowlist", "gitleaks:allow", "kingfisher:", "trufflehog:ignore")


def has_markers(doc: Document) -> bool:
    """Cheap check so that most documents skip the per-line test entirely."""
    return any(marker in doc.lowered for marker in _ANY)


def is_suppressed(doc: Document, candidate: Candidate) -> bool:
    """Whether a marker on the candidate's line (or the line above) hides it."""
    line = candidate.location.line
    text = doc.line(line)
    if _FOREIGN_SAME_LINE.search(text) or _own_marker(text, candidate, next_line=False):
        return True
    if line <= 1:
        return False
    above = doc.line(line - 1)
    return bool(_FOREIGN_NEXT_LINE.search(above)) or _own_marker(above, candidate,
                                                                   next_line=True)


def _own_marker(text: str, candidate: Candidate, *, next_line: bool) -> bool:
    for match in _OWN.finditer(text):
        # A same-line ``ignore-next-line`` also covers its own line, as it always has.
        if next_line and not match.group("next"):
            continue
        rules = match.group("rules")
        if rules is None:
            return True
        wanted = {r.strip().lower() for r in rules.split(",") if r.strip()}
        if candidate.detector.lower() in wanted or candidate.provider.lower() in wanted:
            return True
    return False
