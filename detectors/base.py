"""The detector seam: a document in, candidates out.

A detector is pure: it sees one decoded document (path, text, source kind) and yields
:class:`Candidate` objects. It never reads other files, never touches the network and
never logs the secret. ``keywords`` is a cheap prefilter: the registry only runs a
detector on a document whose lowercased text contains one of them, which keeps the
regexes off the hot path for most files.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from blastscan.scanner.models import Candidate, Location, SourceKind


@dataclass(frozen=True, slots=True)
class Sample:
    """A test sample: a file name (detectors may care, e.g. kubeconfig) and its text."""

    path: str
    text: str


_NEWLINE = re.compile("\n")
#: The one character whose ``lower()`` is longer (``İ``: ``i`` and a combining dot), so
#: offsets in the lowered text differ from the text's after it.
LOWERS_LONGER = "\u0130"
#: The non-ASCII characters whose ``lower()`` holds an ASCII character (or more than one
#: character): tests/test_keyword_pass.py recomputes this over every code point.
LOWERS_TO_ASCII = (LOWERS_LONGER, "\u212a")
# What IGNORECASE matches an ASCII letter with that ``str.lower`` leaves as it is (or, for
# U+0130, lowers to two characters); tests/test_keyword_pass.py checks every code point.
_TO_ASCII_FOLDS = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"))
_UNFOLDED_BY_LOWER = tuple(char for char, _ in _TO_ASCII_FOLDS)
_COUNT_BUDGET = 2  # texts' worth of counting before building the line index


@lru_cache(maxsize=256)
def _within(words: frozenset[str], searched: frozenset[str]) -> bool:
    """``words <= searched``, remembered: the same few indexes ask about the same pass on
    every document, and the catalog's 349 words cost 349 lookups each time."""
    return words <= searched


@dataclass(frozen=True, slots=True)
class Document:
    """One decoded file as detectors see it."""

    path: str
    text: str
    source: SourceKind = SourceKind.WORKTREE
    # Derived on first use (see :attr:`lowered`, :attr:`folded`): most documents are only
    # ever searched by the Hyperscan keyword pass, which reads the ASCII text as it is.
    _lowered: str | None = field(default=None, repr=False, compare=False)
    # None: not computed yet. Most documents never need a line number (nothing found in
    # them), so :meth:`of` leaves the line index to :meth:`line_no`, which builds it once
    # counting newlines has cost as much.
    _line_starts: tuple[int, ...] | None = field(default=(), repr=False, compare=False)
    _utf8: bytes | None = field(default=None, repr=False, compare=False)
    _counted: int = field(default=0, repr=False, compare=False)  # see :meth:`line_no`
    _found: tuple[frozenset[str], frozenset[str]] | None = field(  # (searched, found)
        default=None, repr=False, compare=False)
    _caseless: str | None = field(default=None, repr=False, compare=False)
    _in_place: bool | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, path: str, text: str, source: SourceKind = SourceKind.WORKTREE) -> Document:
        return cls(path, text, source, None, None)

    def _starts(self) -> tuple[int, ...]:
        starts = self._line_starts
        if starts is None:
            starts = (0, *[m.end() for m in _NEWLINE.finditer(self.text)])
            object.__setattr__(self, "_line_starts", starts)  # a cache: still immutable
        return starts

    @property
    def lowered(self) -> str:
        """``text.lower()``, computed once, when first asked for."""
        lowered = self._lowered
        if lowered is None:
            lowered = self.text.lower()
            object.__setattr__(self, "_lowered", lowered)  # a cache: still immutable
        return lowered

    @property
    def lowers_in_place(self) -> bool:
        """Whether :attr:`lowered` holds every spelling an IGNORECASE regex accepts, at the
        text's own offsets: no U+0130 (it lowers to two characters), U+0131 or U+017F
        (IGNORECASE folds them onto ``i`` and ``s``; ``str.lower`` keeps them). Worked out
        once per document, for every search that asks."""
        in_place = self._in_place
        if in_place is None:
            text = self.text
            in_place = text.isascii() or not any(c in text for c in _UNFOLDED_BY_LOWER)
            object.__setattr__(self, "_in_place", in_place)  # a cache: still immutable
        return in_place

    @property
    def caseless(self) -> str:
        """The text lowered one character for one, where the four characters IGNORECASE
        folds onto ASCII letters but ``str.lower`` does not (or not in place: U+0130,
        U+0131, U+017F; the Kelvin sign lowers to ``k`` anyway) are those letters: every place a
        caseless regex's ASCII opening can start, at the text's own offsets. Computed
        once, for the few documents whose :attr:`lowered` cannot serve."""
        caseless = self._caseless
        if caseless is None:
            caseless = self.text
            for char, letter in _TO_ASCII_FOLDS:  # str.replace: translate was 25 times slower
                if char in caseless:
                    caseless = caseless.replace(char, letter)
            caseless = caseless.lower()
            object.__setattr__(self, "_caseless", caseless)  # a cache: still immutable
        return caseless

    @property
    def folded(self) -> bytes:
        """The UTF-8 bytes every Hyperscan database scans, caselessly, encoded once.

        The text itself, not lowered: its ASCII letters are folded by the scan as it goes,
        and every search is for ASCII, which cannot match inside a multi-byte character.
        So the text is never lowered just to be searched. The exceptions are the two
        characters that lower to ASCII (the Kelvin sign to ``k``, ``İ`` to ``i`` and a
        combining dot, which also shifts offsets): a text holding either is lowered first.
        Either way a character offset in these bytes is one in :attr:`lowered`.
        """
        if self._utf8 is None:
            text = self.text
            if text.isascii():
                data = text.encode("ascii")
            else:  # ``surrogatepass``: environment documents may hold lone surrogates.
                odd = any(c in text for c in LOWERS_TO_ASCII)
                data = (self.lowered if odd else text).encode("utf-8", "surrogatepass")
            object.__setattr__(self, "_utf8", data)
        assert self._utf8 is not None
        return self._utf8

    def keywords_found(self, words: frozenset[str],
                       search: Callable[[], frozenset[str]]) -> frozenset[str]:
        """Which of ``words`` the lowered text holds: read off an earlier search for more
        words (the registry's one pass for every detector's keywords), else ``search()``."""
        memo = self._found
        if memo is not None and _within(words, memo[0]):
            return memo[1] & words
        found = search()
        if memo is None or words >= memo[0]:
            object.__setattr__(self, "_found", (words, found))
        return found

    def line_no(self, offset: int) -> int:
        """1-based line number of a character offset.

        The first few lookups count newlines instead of building the line index, which
        costs as much as counting through the text three times: a large file with a
        finding or two (an API model with one example key) never needs it.
        """
        counted = self._counted
        if self._line_starts is None and offset >= 0 and counted < _COUNT_BUDGET * len(self.text):
            object.__setattr__(self, "_counted", counted + offset)  # a cache's bookkeeping
            return self.text.count("\n", 0, offset) + 1
        return bisect.bisect_right(self._starts(), offset)

    def line_span(self, number: int) -> tuple[int, int]:
        """``(start, end)`` of a 1-based line without its newline ((0, 0) when out of range).

        The end comes from the next line's start, not a search: a detector asking for the
        line of each of 60,000 values on one minified line searched that line each time.
        """
        starts = self._starts()
        if number < 1 or number > len(starts):
            return 0, 0
        end = starts[number] - 1 if number < len(starts) else len(self.text)
        return starts[number - 1], end

    def line(self, number: int) -> str:
        """Text of a 1-based line, without its newline ('' when out of range)."""
        start, end = self.line_span(number)
        return self.text[start:end]

    def location(self, offset: int) -> Location:
        # The column from the nearest newline back: no line index needed (see line_no).
        column = offset - self.text.rfind("\n", 0, offset) if offset >= 0 else 0
        return Location(self.path, self.line_no(offset), self.source, column=column)


class Detector(Protocol):
    """What every detector module provides.

    ``id`` is public API (baselines and suppressions persist it): never rename one.
    ``positives`` must each yield at least one candidate; ``negatives`` none.
    """

    @property
    def id(self) -> str: ...

    @property
    def keywords(self) -> tuple[str, ...]: ...

    @property
    def positives(self) -> tuple[Sample, ...]: ...

    @property
    def negatives(self) -> tuple[Sample, ...]: ...

    def detect(self, doc: Document) -> Iterator[Candidate]: ...
