"""``finditer`` that jumps between the places a match can start.

Python's regex engine skips ahead with ``str.find``-like speed only when a pattern
*begins* with case-sensitive literal text. Token formats usually begin with a word
boundary, a lookbehind, an alternation (``AKIA|ASIA|…``) or a case-insensitive name
instead, so the engine tries the whole pattern at every position of the document: on
ansible-core the Vault and Google formats cost 0.076 s of CPU that way, and 0.006 s
when run only where their opening text occurs.

:func:`openings` (:mod:`openings`) reads from a pattern's parse tree the texts one of
which every match holds, and how far after the match's start. :func:`finditer` then asks
``pattern.match`` at each place a match could start, in order, which is what
``pattern.finditer`` does at every position (matches hold the text, so none is empty,
and ``match`` sees the characters before its start just as a search does): the same
matches, in the same order. :func:`finditer_in` finds the places in a document with one
Hyperscan pass over its bytes.

The lowered document stands in for the text only where lowering keeps every offset and
finds every spelling the regex accepts: the regex folds the dotless i (U+0131) to ``i``
and the long s (U+017F) to ``s``, which ``str.lower`` keeps as they are, and the dotted
capital I (U+0130) lowers to two characters; a document holding one of them is searched
position by position (the Kelvin sign lowers to ``k`` in place, as the regex folds it).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache, partial

from blastscan.detectors.base import Document
from blastscan.detectors.match.keywords import MatchStarts, TextStarts
from blastscan.detectors.match.openings import Openings, openings

__all__ = ["Openings", "finditer", "finditer_from", "finditer_in", "folds_in_place",
           "none_unfolded", "openings"]

# Characters IGNORECASE folds onto ASCII letters that ``str.lower`` does not (U+0130
# changes the length instead, which is checked directly).
_UNFOLDED = ("\u0131", "\u017f")


def folds_in_place(text: str, lowered: str) -> bool:
    """Whether ``lowered`` holds every spelling an IGNORECASE regex accepts in ``text``,
    at the same offsets."""
    return len(lowered) == len(text) and none_unfolded(text)


def none_unfolded(text: str) -> bool:
    # ``in`` per character: a character-set regex is a hundred times slower on wide text.
    return text.isascii() or not any(c in text for c in _UNFOLDED)


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
    found, ascii_texts, starts = _plan(pattern)
    text = doc.text
    folds = doc.lowers_in_place
    if starts is not None and folds:
        # Where the lowered text holds an opening lowered: every place the text holds it.
        hits = starts.starts(doc)
        if hits is not None:
            return _matches_from(pattern, text, _shifted(hits, found.shifts))
    # A text holding a character the lowered text misspells or shifts (Turkish: U+0131,
    # U+0130) is searched in its caseless form, not by the regex at every position (a
    # third of command-secret's time on Django, for its seven Turkish translations).
    haystack = (text if not found.folded else doc.lowered if folds
                else doc.caseless if ascii_texts else None)
    return _finditer(pattern, text, found, haystack)


@lru_cache(maxsize=1024)
def _plan(pattern: re.Pattern[str]) -> tuple[Openings, bool, TextStarts | None]:
    """A pattern's openings, whether they are all ASCII, and the Hyperscan search for them
    where one pass beats the regex's own skipping (worked out once per pattern, not per
    document)."""
    found = openings(pattern)
    ascii_texts = all(t.isascii() for t in found.texts)
    hyperscan = (bool(found.texts) and ascii_texts and not found.boundary
                 and (found.folded or len(found.texts) > 1))
    return (found, ascii_texts,
            _text_starts(tuple(t.lower() for t in found.texts)) if hyperscan else None)


@lru_cache(maxsize=256)
def _text_starts(texts: tuple[str, ...]) -> TextStarts:
    return TextStarts(texts)


def matches_at_texts(pattern: re.Pattern[str], text: str,
                     texts: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """``pattern``'s matches tried only where one of ``texts`` starts (case-sensitive),
    for a regex whose openings :func:`openings` cannot read (named alternatives)."""
    return _matches_from(pattern, text, _occurrences(text, texts))


def finditer_from(pattern: re.Pattern[str], doc: Document,
                  opening: MatchStarts) -> Iterator[re.Match[str]]:
    """``finditer_in(pattern, doc)``, trying the regex only where ``opening`` (a Hyperscan
    search for how every match begins, read caselessly as the lowered text) starts: for a
    pattern whose literal openings are common words (``create``, ``pass``) where the
    whole opening is rare (``create user``, ``pass:``). A text holding a character the
    lowered text misspells (U+0130, U+0131, U+017F) is searched as ``finditer_in`` does."""
    if doc.lowers_in_place:
        starts = opening.starts(doc)
        if starts is not None:
            return _matches_from(pattern, doc.text, starts)
    return finditer_in(pattern, doc)


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
