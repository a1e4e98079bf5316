"""``finditer`` that jumps between the places a match can start.

Python's regex engine skips ahead with ``str.find``-like speed only when a pattern
*begins* with case-sensitive literal text. Token formats usually begin with a word
boundary, a lookbehind, an alternation (``AKIA|ASIA|…``) or a case-insensitive name
instead, so the engine tries the whole pattern at every position of the document: on
ansible-core the Vault and Google formats cost 0.076 s of CPU that way, and 0.006 s
when run only where their opening text occurs.

:func:`openings` reads from a pattern's parse tree the texts one of which every match
holds, and how far after the match's start: it looks past zero-width assertions
(boundaries, anchors, lookarounds), into groups, across alternations and small sets
(``[cp]t``), and past a few characters of fixed or nearly fixed width (the ``8`` hex
digits before a UUID's first ``-``, ``(?:^|\\s)`` before ``-u``). Case-insensitive texts
are lowercase and searched in the lowered document. :func:`finditer` then asks
``pattern.match`` at each place a match could start, in order, which is what
``pattern.finditer`` does at every position (matches hold the text, so none is empty,
and ``match`` sees the characters before its start just as a search does): the same
matches, in the same order.

The lowered document stands in for the text only where lowering keeps every offset and
finds every spelling the regex accepts: the regex folds the dotless i (U+0131) to ``i``
and the long s (U+017F) to ``s``, which ``str.lower`` keeps as they are, and the dotted
capital I (U+0130) lowers to two characters; a document holding one of them is searched
position by position (the Kelvin sign lowers to ``k`` in place, as the regex folds it).
The parse tree is an internal of :mod:`re`; when it cannot be read there are no openings
and ``pattern.finditer`` runs.
"""

from __future__ import annotations

import heapq
import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from blastscan.detectors.base import Document
from blastscan.detectors.keywords import TextStarts

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
# Characters IGNORECASE folds onto ASCII letters that ``str.lower`` does not (U+0130
# changes the length instead, which is checked directly).
_UNFOLDED = ("\u0131", "\u017f")


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


def folds_in_place(text: str, lowered: str) -> bool:
    """Whether ``lowered`` holds every spelling an IGNORECASE regex accepts in ``text``,
    at the same offsets."""
    # ``in`` per character: a character-set regex is a hundred times slower on wide text.
    return len(lowered) == len(text) and (
        text.isascii() or not any(c in text for c in _UNFOLDED))


def finditer(pattern: re.Pattern[str], text: str,
             lowered: str | None = None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying only where the pattern's openings occur.

    ``lowered`` (``text.lower()``) lets case-insensitive patterns use theirs.
    """
    found = openings(pattern)
    if found.folded:
        haystack = lowered if lowered is not None and folds_in_place(text, lowered) else None
    else:
        haystack = text
    return _finditer(pattern, text, found, haystack)


def _finditer(pattern: re.Pattern[str], text: str, found: Openings,
              haystack: str | None) -> Iterator[re.Match[str]]:
    """``haystack``: where the openings are searched (None: nowhere, run the regex)."""
    if not found.texts or haystack is None:
        yield from pattern.finditer(text)
        return
    match = pattern.match
    if found.boundary:  # the search checks the boundary too, in C
        search = _after_boundary(pattern).search
        place = search(text)
        while place is not None:
            hit = match(text, place.start())
            if hit is None:
                place = search(text, place.start() + 1)
            else:
                yield hit
                place = search(text, hit.end())
        return
    if len(found.texts) == 1 and found.shifts == (0,):
        find, opening = haystack.find, found.texts[0]
        at = find(opening)
        while at != -1:
            hit = match(text, at)
            if hit is None:
                at = find(opening, at + 1)
            else:
                yield hit
                at = find(opening, hit.end())
        return
    yield from _matches_from(pattern, text, _starts(haystack, found))


def finditer_in(pattern: re.Pattern[str], doc: Document) -> Iterator[re.Match[str]]:
    """``finditer(pattern, doc.text, doc.lowered)``, finding the openings in one caseless
    Hyperscan pass over the document's bytes (:attr:`Document.folded`) where a scan of
    the lowered text would need it lowered, or a scan per text would be repeated (the
    five database names of ``postgres://…``, the mutations of ``volumeDelete``…)."""
    found = openings(pattern)
    text = doc.text
    # ``folds_in_place(text, doc.lowered)`` without lowering: only U+0130 changes length.
    folds = text.isascii() or ("\u0130" not in text and not any(c in text for c in _UNFOLDED))
    if (found.texts and folds and not found.boundary and (found.folded or len(found.texts) > 1)
            and all(t.isascii() for t in found.texts)):
        # Where the lowered text holds an opening lowered: every place the text holds it.
        hits = _text_starts(tuple(t.lower() for t in found.texts)).starts(doc)
        if hits is not None:
            return _matches_from(pattern, text, _shifted(hits, found.shifts))
    haystack = text if not found.folded else doc.lowered if folds else None
    return _finditer(pattern, text, found, haystack)


@lru_cache(maxsize=256)
def _text_starts(texts: tuple[str, ...]) -> TextStarts:
    return TextStarts(texts)


def _matches_from(pattern: re.Pattern[str], text: str,
                  starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """The matches ``pattern.finditer`` finds, given (in order) every place one can start."""
    match, end, previous = pattern.match, -1, -1
    for start in starts:
        if start < end or start == previous:
            continue
        previous = start
        hit = match(text, start)
        if hit is not None:
            yield hit
            end = hit.end()


@lru_cache(maxsize=512)
def _after_boundary(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The opening text where a word boundary comes before it: ``s\\.(?<=\\bs\\.)`` for
    ``\\b(s\\.…)`` keeps the literal first, so the regex engine skips ahead to it (``s.``
    ends every other sentence, nearly always after a letter)."""
    text = re.escape(openings(pattern).texts[0])
    return re.compile(rf"{text}(?<=\b{text})", pattern.flags & re.ASCII)


def _starts(haystack: str, found: Openings) -> Iterator[int]:
    """Every place, in order, where a match could start."""
    return _shifted(_occurrences(haystack, found.texts), found.shifts)


def _shifted(hits: Iterable[int], shifts: tuple[int, ...]) -> Iterator[int]:
    if shifts == (0,):
        return iter(hits)
    listed = list(hits)
    return heapq.merge(*([h - s for h in listed if h >= s] for s in shifts))


def _occurrences(haystack: str, texts: tuple[str, ...]) -> Iterator[int]:
    """Where each of ``texts`` starts, in order."""
    if len(texts) > 1 and len({t[0] for t in texts}) == 1:
        # One regex, which skips ahead to the shared first character (``A`` of ``AKIA``,
        # ``ASIA``, …): eight times faster than a scan per text.
        search = _alternation(texts).search
        hit = search(haystack)
        while hit is not None:
            yield hit.start()
            hit = search(haystack, hit.start() + 1)
        return
    yield from heapq.merge(*map(partial(_finds, haystack), texts))


@lru_cache(maxsize=64)
def _alternation(texts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, texts)))


def _finds(haystack: str, needle: str) -> Iterator[int]:
    find = haystack.find
    at = find(needle)
    while at != -1:
        yield at
        at = find(needle, at + 1)
