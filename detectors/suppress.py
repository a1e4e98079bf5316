"""Inline suppression comments.

blastscan's own marker plus the markers of the tools teams already use, so adopting
blastscan does not mean re-annotating a repository: detect-secrets'
``pragma: allowlist secret`` (and its ``nextline`` form) and gitleaks' ``gitleaks:allow``.
"""

from __future__ import annotations

import re

from blastscan.detectors.base import Document

_SAME_LINE = re.compile(r"blastscan:\s*ignore|pragma:\s*allowlist[ -]secret|gitleaks:allow",
                        re.IGNORECASE)
_NEXT_LINE = re.compile(r"pragma:\s*allowlist[ -]nextline[ -]secret|blastscan:\s*ignore-next-line",
                        re.IGNORECASE)
_ANY = ("blastscan:", "allowlist", "gitleaks:allow")


def has_markers(doc: Document) -> bool:
    """Cheap check so that most documents skip the per-line test entirely."""
    return any(marker in doc.lowered for marker in _ANY)


def is_suppressed(doc: Document, line: int) -> bool:
    if _SAME_LINE.search(doc.line(line)):
        return True
    return line > 1 and bool(_NEXT_LINE.search(doc.line(line - 1)))
