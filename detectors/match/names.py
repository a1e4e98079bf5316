"""Which variable a detected value is assigned to, looked up in bounded time.

Provider detectors report the name a secret is assigned to (``STRIPE_SECRET_KEY``) as a
fact. :func:`blastscan.detectors.match.assign.assignment_at` scans the value's whole line,
which is quadratic when a minified file holds thousands of matches on one line. On such
long lines this module only looks back from the value for ``name =``/``name:`` (the same
grammar, anchored so that each position is tried once), so a lookup costs the same on
any input. Normal lines keep ``assignment_at``'s exact behaviour.
"""

from __future__ import annotations

import re

from blastscan.detectors.base import Document
from blastscan.detectors.match.assign import Assignment, assignment_at

_LONG_LINE = 2048
_LOOK_BACK = 200  # longest name (80) plus quotes, brackets and spacing, with room to spare
_NAME_BEFORE = re.compile(
    r"""(?<![A-Za-z0-9_.-])(?P<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})["']?\]?[ \t]*"""
    r"""(?::=|=>|=|:)[ \t]*(?:[frbuFRBU]{1,2}(?=["']))?["'`]?\Z"""
)


def assigned(doc: Document, offset: int) -> Assignment | None:
    """The assignment whose value contains ``offset`` (on long lines: starts there, and
    only the name is known: ``value`` is empty)."""
    line_start = doc.text.rfind("\n", 0, offset) + 1
    line_end = doc.text.find("\n", offset)
    line_end = len(doc.text) if line_end == -1 else line_end
    if line_end - line_start <= _LONG_LINE:
        return assignment_at(doc, offset)
    found = _NAME_BEFORE.search(doc.text, max(line_start, offset - _LOOK_BACK), offset)
    return None if found is None else Assignment(found.group("name"), "", offset)


def assigned_name(doc: Document, offset: int) -> str:
    """The name the value at ``offset`` is assigned to, or ``""``."""
    found = assigned(doc, offset)
    return found.name if found is not None else ""
