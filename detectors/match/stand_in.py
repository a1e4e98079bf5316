"""An ASCII stand-in for a text Hyperscan and Python's regex would read apart.

The regex gate (:mod:`regex_gate`) asks Hyperscan which patterns can match; Python's
``\\w``, ``\\s`` and ``\\d`` take Unicode characters (and ``\\s`` the ASCII separators
``\\x1c`` to ``\\x1f``) that Hyperscan's ASCII classes do not. A third of SQLAlchemy's
files hold one such character (an accented author name is enough), and every rule then
ran ungated.

The stand-in replaces each such character, one for one, by an ASCII character every class
of Python's that takes the original takes too: a space for a space, ``0`` for a decimal
digit, ``a`` for any other letter or number, ``i``/``s``/``k`` for the four characters
that IGNORECASE folds onto those letters, DEL for the rest (``\\W``, ``\\S``, ``\\D``,
``.`` take both). Under ``re.ASCII`` (the catalog's RE2 patterns: RE2's classes
are ASCII) a wider character is in no class at all, and ``?`` stands in for each.
A stand-in can only match more, except against a pattern that names one of those
characters in a negated set (``[^a-z]`` takes ``é``, not ``a``) or names a character
outside printable ASCII at all: :func:`reads_stand_ins` tells them apart, and the gate
leaves them to run.
"""

from __future__ import annotations

import functools
import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

UNLIKE = re.compile(r"[^\t\n\f\r\x20-\x7e]")  # a character the engines may read apart
_FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_STAND_INS = frozenset(" 0a\x7fisk?")
_PLAIN = frozenset("\t\n\f\r") | frozenset(map(chr, range(0x20, 0x7F)))
MAX_REPLACED = 20_000  # past this many, the substitutions cost more than the gate saves


# re.ASCII classes: every wider character becomes ``?`` (the ASCII codec's own
# replacement, in C), then the vertical tab a space (both engines' \s) and every other
# control character DEL.
_CONTROLS = bytes(b if chr(b) in _PLAIN else 0x20 if b == 0x0B else 0x7F for b in range(256))


@functools.lru_cache(maxsize=4096)
def _stand_in(char: str) -> str:
    if char in _FOLDS:
        return _FOLDS[char]
    if char.isspace():
        return " "
    if char.isdecimal():
        return "0"
    return "a" if char.isalnum() else "\x7f"


def stand_in(text: str, ascii_classes: bool) -> bytes | None:
    """``text`` with each character the engines may read apart replaced (same length),
    as ASCII bytes, for patterns compiled with ``re.ASCII`` or not (``ascii_classes``);
    None when too many would be."""
    if ascii_classes:
        return text.encode("ascii", "replace").translate(_CONTROLS)
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        if count > MAX_REPLACED:
            raise OverflowError
        return _stand_in(match.group())

    try:
        return UNLIKE.sub(replace, text).encode("ascii")
    except OverflowError:
        return None


def reads_stand_ins(pattern: re.Pattern[str]) -> bool:
    """Whether every match of ``pattern`` in a text leaves a match in its stand-in."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError, OverflowError):
        return False
    return _safe(parsed, bool(pattern.flags & re.IGNORECASE))


def _hits(char: str, caseless: bool) -> bool:
    """Whether a negated set naming ``char`` refuses a stand-in (or ``char`` is unplain)."""
    if char not in _PLAIN:
        return True
    return char in _STAND_INS or (caseless and char.lower() in _STAND_INS)


def _safe(items: Any, caseless: bool) -> bool:
    return all(_safe_item(op, av, caseless) for op, av in items)


def _safe_item(op: Any, av: Any, caseless: bool) -> bool:
    if op is sre.LITERAL:
        return chr(av) in _PLAIN
    if op is sre.NOT_LITERAL:
        return not _hits(chr(av), caseless)
    if op is sre.IN:
        return _safe_set(av, caseless)
    if op is sre.SUBPATTERN:
        _group, add, remove, sub = av
        return _safe(sub, (caseless or bool(add & re.IGNORECASE))
                     and not remove & re.IGNORECASE)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return _safe(av[2], caseless)
    if op is sre.ATOMIC_GROUP:
        return _safe(av, caseless)
    if op is sre.BRANCH:
        return all(_safe(branch, caseless) for branch in av[1])
    # What a lookaround sees past the match is not mapped for it; a conditional group
    # is rare enough to leave to Python.
    return op not in (sre.ASSERT, sre.ASSERT_NOT, sre.GROUPREF_EXISTS)


def _safe_set(members: list[tuple[Any, Any]], caseless: bool) -> bool:
    negated = any(op is sre.NEGATE for op, _ in members)
    for op, av in members:
        if op is sre.LITERAL and (_hits(chr(av), caseless) if negated
                                  else chr(av) not in _PLAIN):
            return False
        if op is sre.RANGE:
            low, high = av
            if low < 0x20 or high > 0x7E:  # reaches past printable ASCII
                return False
            if negated and any(_hits(chr(c), caseless) for c in range(low, high + 1)):
                return False
    return True
