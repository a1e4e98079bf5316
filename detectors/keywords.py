"""Which prefilter keywords occur in a document, found in one pass.

Every detector declares lowercase keywords; a detector only runs on documents holding
one of them. Testing ~180 keywords with ``in`` costs ~180 scans of each document, so
one multi-literal search finds them all at once. Two engines give the same answer:

* Hyperscan (Intel's SIMD literal matcher, the ``hyperscan`` wheel), asked to report
  each keyword once (``HS_FLAG_SINGLEMATCH``): ten times faster than the automaton on
  ansible-core (0.017 s against 0.16 s of CPU for 14 MB), because the automaton walks
  every character in C and hands every one of ~47,000 hits back to Python;
* pyahocorasick's Aho-Corasick automaton, where Hyperscan cannot load (no wheel for the
  platform, or a CPU without SSSE3).

Hyperscan scans bytes: the lowered text goes in as UTF-8, where a keyword's encoding can
only match at character boundaries, so both engines find exactly the same keywords. The
document keeps those bytes, and the registry's answer: a detector's own index of its own
keywords reads it off rather than scanning again (:meth:`KeywordIndex.present_in`).

Two more searches run on Hyperscan alone (callers have their own way without it):
:class:`MatchEnds`, where short regexes end (names holding a secret-ish word followed by
``=`` or ``:``, for generic-secret), and :class:`TextStarts`, where several literal texts
start (the database names ``postgres://`` and ``mysql://`` begin with), each in one pass
instead of one scan per word.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from typing import Any, Protocol, cast

import ahocorasick

from blastscan.detectors.base import Document

try:
    import hyperscan
except (ImportError, OSError):  # no wheel here: the automaton answers alone
    hyperscan = None  # type: ignore[assignment]


class _Engine(Protocol):
    def present(self, lowered: str, utf8: bytes | None) -> frozenset[str]: ...


class _Automaton:
    def __init__(self, words: tuple[str, ...]) -> None:
        self._automaton = ahocorasick.Automaton()
        for word in words:
            self._automaton.add_word(word, word)
        if words:
            self._automaton.make_automaton()
        self._empty = not words

    def present(self, lowered: str, utf8: bytes | None) -> frozenset[str]:
        if self._empty:
            return frozenset()
        return frozenset(word for _, word in self._automaton.iter(lowered))


def _record(pattern: int, start: int, end: int, flags: int, found: object) -> None:
    cast("list[int]", found).append(pattern)  # ``found`` is the list passed as context


def _record_end(pattern: int, start: int, end: int, flags: int, found: object) -> None:
    cast("list[int]", found).append(end)


def _record_match(pattern: int, start: int, end: int, flags: int, found: object) -> None:
    cast("list[tuple[int, int]]", found).append((pattern, end))


class _Database:
    """A compiled Hyperscan database, with scratch space per thread (Hyperscan refuses
    one scratch used by two scans at once)."""

    def __init__(self, expressions: tuple[bytes, ...], *, flags: int, literal: bool) -> None:
        assert hyperscan is not None
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._database.compile(expressions=list(expressions),
                               ids=list(range(len(expressions))), elements=len(expressions),
                               flags=flags, literal=literal)
        self._local = threading.local()
        self._scratch()  # fails here, not mid-scan, when the CPU cannot run Hyperscan

    def _scratch(self) -> hyperscan.Scratch:
        scratch: hyperscan.Scratch | None = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        return scratch

    def scan(self, data: bytes, record: Callable[..., None]) -> list[Any]:
        found: list[Any] = []  # what ``record`` appends
        self._database.scan(data, match_event_handler=record, context=found,
                            scratch=self._scratch())
        return found


def _utf8(lowered: str, utf8: bytes | None) -> bytes:
    # ``surrogatepass``: environment documents may hold lone surrogates.
    return lowered.encode("utf-8", "surrogatepass") if utf8 is None else utf8


class _Hyperscan:
    def __init__(self, words: tuple[str, ...]) -> None:
        self._words = words
        self._database = _Database(tuple(w.encode() for w in words),
                                   flags=hyperscan.HS_FLAG_SINGLEMATCH, literal=True)

    def present(self, lowered: str, utf8: bytes | None) -> frozenset[str]:
        found = self._database.scan(_utf8(lowered, utf8), _record)
        return frozenset(map(self._words.__getitem__, found))


class KeywordIndex:
    """``fast=False`` forces the automaton (tests compare the two engines)."""

    def __init__(self, keywords: Iterable[str], *, fast: bool = True) -> None:
        # An empty keyword is never reported (pyahocorasick does not store one).
        words = tuple(sorted({k for k in keywords if k}))
        self._words = frozenset(words)
        self._engine: _Engine = _Automaton(words)
        if fast and words and hyperscan is not None:
            # e.g. ArchitectureError on a CPU without SSSE3: the automaton stays.
            with contextlib.suppress(hyperscan.error):
                self._engine = _Hyperscan(words)

    @property
    def engine(self) -> str:
        return "hyperscan" if isinstance(self._engine, _Hyperscan) else "automaton"

    def present(self, lowered: str) -> frozenset[str]:
        return self._engine.present(lowered, None)

    def present_in(self, doc: Document) -> frozenset[str]:
        """``present(doc.lowered)``, read off the registry's pass when that searched for
        these words too (detectors' own indexes hold their keywords), and reusing the
        document's UTF-8 bytes otherwise."""
        return doc.keywords_found(self._words, lambda: self._search(doc))

    def _search(self, doc: Document) -> frozenset[str]:
        if isinstance(self._engine, _Hyperscan):
            return self._engine.present(doc.lowered, doc.lowered_utf8)
        return self._engine.present(doc.lowered, None)


class MatchEnds:
    """Where matches of a few byte regexes end in a lowered text, found in one Hyperscan
    pass: offsets (in characters) just past each match, ascending.

    For searches that would otherwise scan the text once per word. Each regex must end
    with an ASCII character, so every end falls on a character boundary. ``ends``
    answers None where Hyperscan cannot run; callers then search their own way.
    """

    def __init__(self, expressions: Iterable[str]) -> None:
        self._database = _optional_database(tuple(e.encode() for e in expressions),
                                            literal=False)

    def ends(self, doc: Document) -> list[int] | None:
        """In ``doc.lowered``."""
        if self._database is None:
            return None
        return _characters(doc, sorted(set(self._database.scan(doc.lowered_utf8,
                                                               _record_end))))


class TextStarts:
    """Where ASCII texts start in a lowered text, found in one Hyperscan pass: offsets in
    characters, ascending (None where Hyperscan cannot run)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._texts = tuple(t.encode() for t in texts)
        assert all(t.isascii() for t in self._texts)
        self._database = _optional_database(self._texts, literal=True)

    def starts(self, doc: Document) -> list[int] | None:
        if self._database is None:
            return None
        found = self._database.scan(doc.lowered_utf8, _record_match)
        sizes = [len(t) for t in self._texts]
        return _characters(doc, sorted({end - sizes[text] for text, end in found}))


def _optional_database(expressions: tuple[bytes, ...], *, literal: bool) -> _Database | None:
    if hyperscan is None or not expressions:
        return None
    try:
        return _Database(expressions, flags=0, literal=literal)
    except hyperscan.error:  # e.g. a CPU without SSSE3
        return None


def _characters(doc: Document, offsets: list[int]) -> list[int]:
    """Byte offsets (ascending, at character boundaries) in ``doc.lowered_utf8`` as
    character offsets in ``doc.lowered``."""
    data = doc.lowered_utf8
    if len(data) == len(doc.lowered):
        return offsets  # one byte per character
    chars, done, converted = 0, 0, []
    for offset in offsets:  # decoding each byte once, up to the last offset
        chars += len(data[done:offset].decode("utf-8", "surrogatepass"))
        done = offset
        converted.append(chars)
    return converted
