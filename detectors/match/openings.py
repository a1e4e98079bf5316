"""Which texts every match of a regex holds near its start: its *openings*.

:func:`openings` reads them from the pattern's parse tree: it looks past zero-width
assertions (boundaries, anchors, lookarounds), into groups, across alternations and
small sets (``[cp]t``), and past a few characters of fixed or nearly fixed width (the
``8`` hex digits before a UUID's first ``-``, ``(?:^|\\s)`` before ``-u``).
Case-insensitive texts are lowercase, for the lowered document. :mod:`prefix` searches
for them. The parse tree is an internal of :mod:`re`; when it cannot be read there are
no openings and callers run the regex as it is.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_parser: Any
_ops: Any
try:  # the parser behind ``re.compile`` (``sre_parse`` before Python 3.11)
    _parser = importlib.import_module("re._parser")
    _ops = importlib.import_module("re._constants")
except ImportError:  # another Python's internals: every pattern runs as written
    _parser = _ops = None

_MAX_TEXTS = 8  # alternatives searched for (each is one scan of the document)
_MAX_SHIFTS = 4  # distinct distances between a match's start and its text
_MAX_SET = 4  # ``[cp]`` widens the texts, ``[a-f]`` ends them
_MIN_COMMON = 3  # ``xox`` for ``xoxa-`` and ``xoxr-``


@dataclass(frozen=True, slots=True)
class Openings:
    """Every match holds one of ``texts`` starting one of ``shifts`` characters after
    the match's start; ``folded``: the texts are lowercase, for the lowered document."""

    texts: tuple[str, ...] = ()
    shifts: tuple[int, ...] = (0,)
    folded: bool = False
    boundary: bool = False  # a lone text right after ``\b``: the search can check it


@dataclass(slots=True)
class _Walk:
    """What has been read so far: distances before any text, then the open texts."""

    tree: Any
    shifts: set[int] = field(default_factory=lambda: {0})
    texts: list[tuple[str, bool]] | None = None  # (text, whether it may still grow)
    folded: bool = False
    failed: bool = False  # no text can be read: the pattern has no openings
    leading: list[tuple[Any, Any]] = field(default_factory=list)  # assertions before any

    @property
    def done(self) -> bool:
        return self.failed or (self.texts is not None and not any(o for _, o in self.texts))

    def close(self) -> None:
        if self.texts is None:
            self.failed = True
        else:
            self.texts = [(t, False) for t, _ in self.texts]


@lru_cache(maxsize=1024)
def openings(pattern: re.Pattern[str]) -> Openings:
    """Texts every match of ``pattern`` holds near its start (none when none can be read)."""
    if _parser is None:
        return Openings()
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
        walk = _Walk(tree)
        _read(walk, tree, ignorecase=bool(tree.state.flags & re.IGNORECASE))
    except Exception:  # an internal API: any surprise means "no openings"
        return Openings()
    if walk.failed or not walk.texts:
        return Openings()
    texts = sorted({t for t, _ in walk.texts})
    if not all(map(_searchable, texts)):
        return Openings()
    # A text that starts with another is found where the other is: search the shorter,
    # and one common start rather than several texts (each text is a scan).
    kept = tuple(t for t in texts if not any(t != s and t.startswith(s) for s in texts))
    common = _common_start(kept)
    kept = (common,) if len(kept) > 1 and len(common) >= _MIN_COMMON else kept
    boundary = (len(kept) == 1 and walk.shifts == {0} and not walk.folded
                and walk.leading == [(_ops.AT, _ops.AT_BOUNDARY)])
    return Openings(kept, tuple(sorted(walk.shifts)), walk.folded, boundary)


def _common_start(texts: tuple[str, ...]) -> str:
    first, last = min(texts), max(texts)  # sorted strings differ most at the ends
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


def _searchable(text: str) -> bool:
    """Long enough to be rare: one letter would stop the search at every other position."""
    return len(text) >= 2 or (len(text) == 1 and not text.isalnum() and not text.isspace())


def _read(walk: _Walk, items: Iterable[tuple[Any, Any]], *, ignorecase: bool) -> None:
    for op, arg in items:
        if walk.done:
            return
        if op in (_ops.AT, _ops.ASSERT, _ops.ASSERT_NOT):
            if walk.texts is None:
                walk.leading.append((op, arg))
            continue  # zero-width: the next character is still where it was
        if op is _ops.SUBPATTERN:
            _, add, remove, inner = arg
            case = (ignorecase or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            _read(walk, inner, ignorecase=case)
        elif op is _ops.LITERAL:
            _append(walk, [chr(arg)], ignorecase=ignorecase)
        elif op is _ops.IN and walk.texts is not None and _small_set(arg):
            _append(walk, [chr(a) for _, a in arg], ignorecase=ignorecase)
        elif op is _ops.BRANCH:
            _branch(walk, arg[1], ignorecase=ignorecase)
        elif walk.texts is None:
            _skip(walk, op, arg)
        else:
            walk.close()


def _small_set(members: list[tuple[Any, Any]]) -> bool:
    return len(members) <= _MAX_SET and all(op is _ops.LITERAL for op, _ in members)


def _append(walk: _Walk, chars: list[str], *, ignorecase: bool) -> None:
    if ignorecase:
        if not all(c.isascii() for c in chars):
            walk.close()
            return
        chars = [c.lower() for c in chars]
    if walk.texts is None:
        walk.texts, walk.folded = [("", True)], ignorecase
    elif walk.folded != ignorecase:
        walk.close()
        return
    _extend(walk, [(c, True) for c in dict.fromkeys(chars)])


def _extend(walk: _Walk, tails: list[tuple[str, bool]]) -> None:
    assert walk.texts is not None
    grown = [(t + tail, more) for t, o in walk.texts if o for tail, more in tails]
    grown += [(t, o) for t, o in walk.texts if not o]
    if len(grown) > _MAX_TEXTS:
        walk.close()
    else:
        walk.texts = grown


def _branch(walk: _Walk, alternatives: list[Any], *, ignorecase: bool) -> None:
    subs = []
    for alternative in alternatives:
        sub = _Walk(walk.tree, texts=None if walk.texts is None else [("", True)],
                    folded=walk.folded)
        _read(sub, alternative, ignorecase=ignorecase)
        if sub.texts and not sub.failed and all(t for t, _ in sub.texts):
            subs.append(sub)
    if len(subs) == len(alternatives) and all(s.folded == subs[0].folded for s in subs):
        if walk.texts is None:  # the texts start in the alternatives, at their own shifts
            walk.texts, walk.folded = [("", True)], subs[0].folded
            walk.shifts = {a + b for a in walk.shifts for s in subs for b in s.shifts}
            if len(walk.shifts) > _MAX_SHIFTS:
                walk.failed = True
                return
        elif walk.folded != subs[0].folded or any(s.shifts != {0} for s in subs):
            walk.close()
            return
        _extend(walk, [text for s in subs for text in s.texts or ()])
    elif walk.texts is None:  # ``(?:^|\s)``: no text, only a width
        _skip(walk, _ops.BRANCH, (None, alternatives))
    else:
        walk.close()


def _skip(walk: _Walk, op: Any, arg: Any) -> None:
    """Step over an item of bounded, nearly fixed width that comes before any text."""
    low, high = type(walk.tree)(walk.tree.state, [(op, arg)]).getwidth()
    shifts = {s + w for s in walk.shifts for w in range(low, min(high, low + _MAX_SHIFTS) + 1)}
    if high - low >= _MAX_SHIFTS or len(shifts) > _MAX_SHIFTS:
        walk.failed = True
    else:
        walk.shifts = shifts
