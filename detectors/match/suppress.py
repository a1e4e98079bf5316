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
from dataclasses import dataclass

from blastscan.detectors.base import Document
from blastscan.scanner.models import Candidate

_FOREIGN_SAME_LINE = re.compile(
    r"pragma:\s*allowlist[ -]secret|gitleaks:allow|kingfisher:(?:ignore|allow)"
    r"|trufflehog:ignore", re.IGNORECASE)
_FOREIGN_NEXT_LINE = re.compile(r"pragma:\s*allowlist[ -]nextline[ -]secret", re.IGNORECASE)
# ``rules`` is None for a bare marker (everything on the line) and a set otherwise.
_OWN = re.compile(r"blastscan:\s*ignore(?P<next>-next-line)?(?:\[(?P<rules>[^\]]*)\])?",
                  re.IGNORECASE)
#: Lowercase text every marker holds: a document without any skips the per-line test
#: (the registry's keyword index finds them in the same pass as detector keywords).
MARKERS = ("blastscan:", "allowlist", "gitleaks:allow", "kingfisher:", "trufflehog:ignore")


def is_suppressed(doc: Document, candidate: Candidate) -> bool:
    """Whether a marker on the candidate's line (or the line above) hides it."""
    return Markers(doc).hides(candidate)


@dataclass(frozen=True, slots=True)
class _Line:
    foreign_here: bool  # another tool's same-line marker
    foreign_next: bool  # another tool's next-line marker
    own: tuple[tuple[bool, frozenset[str] | None], ...]  # (``-next-line``, rules or all)


class Markers:
    """The markers of one document, each line read once.

    A minified file is one line holding thousands of values: reading that line's markers
    again for every value found on it was quadratic (4,000 values took 29 s of CPU).
    """

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._lines: dict[int, _Line] = {}

    def hides(self, candidate: Candidate) -> bool:
        line = candidate.location.line
        here = self._line(line)
        if here.foreign_here or _covers(here, candidate, next_line=False):
            return True
        if line <= 1:
            return False
        above = self._line(line - 1)
        return above.foreign_next or _covers(above, candidate, next_line=True)

    def _line(self, number: int) -> _Line:
        found = self._lines.get(number)
        if found is None:
            text = self._doc.line(number)
            own = tuple((bool(m.group("next")), _rules(m.group("rules")))
                        for m in _OWN.finditer(text))
            found = _Line(bool(_FOREIGN_SAME_LINE.search(text)),
                          bool(_FOREIGN_NEXT_LINE.search(text)), own)
            self._lines[number] = found
        return found


def _rules(listed: str | None) -> frozenset[str] | None:
    if listed is None:
        return None
    return frozenset(r.strip().lower() for r in listed.split(",") if r.strip())


def _covers(line: _Line, candidate: Candidate, *, next_line: bool) -> bool:
    for is_next, wanted in line.own:
        # A same-line ``ignore-next-line`` also covers its own line, as it always has.
        if next_line and not is_next:
            continue
        if wanted is None:
            return True
        if candidate.detector.lower() in wanted or candidate.provider.lower() in wanted:
            return True
    return False
