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

Hyperscan scans bytes, caselessly: an ASCII document's own text, which is then never
lowered just to be searched, and any other document's lowered text as UTF-8, where a
keyword's encoding can only match at character boundaries (:attr:`Document.folded`). So
both engines find exactly the same keywords. The document keeps those bytes and the
widest answer so far: an index of fewer words reads it off rather than scanning again
(:meth:`KeywordIndex.present_in`); the file pass asks once for every gate word of every
collector (``scanner/pipeline/filescan.py``).

Two more searches run on Hyperscan alone (callers have their own way without it):
:class:`MatchEnds`, where short regexes end (names holding a secret-ish word followed by
``=`` or ``:``, for generic-secret), and :class:`TextStarts`, where several literal texts
start (the database names ``postgres://`` and ``mysql://`` begin with), each in one pass
instead of one scan per word.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol, cast

import ahocorasick

from blastscan.detectors.base import Document
from blastscan.detectors.cache import cache_file, read_checked, write_checked

try:
    import hyperscan
except (ImportError, OSError):  # no wheel here: the automaton answers alone
    hyperscan = None  # type: ignore[assignment]

# Each keyword reported once per scan; caseless matching over Document.folded.
_SINGLE = 0 if hyperscan is None else hyperscan.HS_FLAG_SINGLEMATCH
_CASELESS = 0 if hyperscan is None else hyperscan.HS_FLAG_CASELESS


class _Engine(Protocol):
    def present(self, text: str) -> frozenset[str]: ...

    def present_in(self, doc: Document) -> frozenset[str]: ...


class _Automaton:
    def __init__(self, words: tuple[str, ...]) -> None:
        self._automaton = ahocorasick.Automaton()
        for word in words:
            self._automaton.add_word(word, word)
        if words:
            self._automaton.make_automaton()
        self._empty = not words

    def present(self, text: str) -> frozenset[str]:
        if self._empty:
            return frozenset()
        return frozenset(word for _, word in self._automaton.iter(text))

    def present_in(self, doc: Document) -> frozenset[str]:
        return self.present(doc.lowered)


def _record(pattern: int, start: int, end: int, flags: int, found: object) -> None:
    cast("list[int]", found).append(pattern)  # ``found`` is the list passed as context


def _record_end(pattern: int, start: int, end: int, flags: int, found: object) -> None:
    cast("list[int]", found).append(end)


def _record_start(pattern: int, start: int, end: int, flags: int, found: object) -> None:
    cast("list[int]", found).append(start)


def _record_match(pattern: int, start: int, end: int, flags: int, found: object) -> None:
    cast("list[tuple[int, int]]", found).append((pattern, end))


class _Database:
    """A compiled Hyperscan database, with scratch space per thread (Hyperscan refuses
    one scratch used by two scans at once)."""

    def __init__(self, expressions: tuple[bytes, ...], *, flags: int, literal: bool) -> None:
        assert hyperscan is not None
        self._local = threading.local()
        cached = _cached_database(expressions, flags, literal)
        if cached is not None:
            self._database = cached
            try:  # a copy another CPU's Hyperscan built loads, and fails here: compile
                self._database.scan(b"x", match_event_handler=_record, context=[],
                                    scratch=self._scratch())
                return
            except hyperscan.error:
                self._local = threading.local()
        started = time.perf_counter()
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._database.compile(expressions=list(expressions),
                               ids=list(range(len(expressions))), elements=len(expressions),
                               flags=flags, literal=literal)
        self._scratch()  # fails here, not mid-scan, when the CPU cannot run Hyperscan
        if time.perf_counter() - started > _WORTH_CACHING:
            _cache_database(expressions, flags, literal, self._database)

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


# Databases that took longer than this to compile are kept in the user's cache (the
# keyword pass's 595 words: 5.5 ms at each start and in each worker; loading: 0.1 ms).
_WORTH_CACHING = 0.001
_MAX_CACHED = 16 << 20


def _cache_path(expressions: tuple[bytes, ...], flags: int, literal: bool) -> Path | None:
    spec = hashlib.sha256(json.dumps(
        [1, getattr(hyperscan, "__version__", "?"), flags, literal,
         [e.hex() for e in expressions]]).encode())
    return cache_file(f"hs-{spec.hexdigest()[:32]}.db")


def _cached_database(expressions: tuple[bytes, ...], flags: int, literal: bool) -> Any:
    """The database a previous run compiled from exactly these expressions, if intact."""
    blob = read_checked(_cache_path(expressions, flags, literal), _MAX_CACHED)
    try:
        return None if blob is None else hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK)
    except hyperscan.error:
        return None


def _cache_database(expressions: tuple[bytes, ...], flags: int, literal: bool,
                    database: Any) -> None:
    write_checked(_cache_path(expressions, flags, literal), hyperscan.dumpb(database))


@functools.cache
def _usable() -> bool:
    """Whether Hyperscan loads and runs here (not, say, on a CPU without SSSE3: then the
    automaton answers), found once with a database of one word."""
    if hyperscan is None:
        return False
    try:
        _Database((b"x",), flags=_SINGLE | _CASELESS, literal=True)
    except hyperscan.error:
        return False
    return True


class _Hyperscan:
    """Two databases of the same words: an exact one for :meth:`present` (names, which
    have capitals), built on first use, and a caseless one for documents. The caseless
    one holds only lowercase words: one with a capital never occurs in lowered text."""

    def __init__(self, words: tuple[str, ...]) -> None:
        self._words = words
        self._lower = tuple(w for w in words if w == w.lower())
        # Both built on first use: most indexes only ever read their answer off the file
        # pass's one search (Document.keywords_found), and compiling each was a few
        # milliseconds of every start-up.
        self._caseless: _Database | None = None
        self._exact: _Database | None = None

    def present(self, text: str) -> frozenset[str]:
        if self._exact is None:
            self._exact = _Database(tuple(w.encode() for w in self._words), flags=_SINGLE,
                                    literal=True)
        # ``surrogatepass``: environment documents may hold lone surrogates.
        found = self._exact.scan(text.encode("utf-8", "surrogatepass"), _record)
        return frozenset(map(self._words.__getitem__, found))

    def present_in(self, doc: Document) -> frozenset[str]:
        if not self._lower:
            return frozenset()
        if self._caseless is None:
            self._caseless = _Database(tuple(w.encode() for w in self._lower),
                                       flags=_SINGLE | _CASELESS, literal=True)
        return frozenset(map(self._lower.__getitem__, self._caseless.scan(doc.folded, _record)))


class KeywordIndex:
    """``fast=False`` forces the automaton (tests compare the two engines)."""

    def __init__(self, keywords: Iterable[str], *, fast: bool = True) -> None:
        # An empty keyword is never reported (pyahocorasick does not store one).
        words = tuple(sorted({k for k in keywords if k}))
        self._words = frozenset(words)
        self._engine: _Engine = (_Hyperscan(words) if fast and words and _usable()
                                 else _Automaton(words))

    @property
    def engine(self) -> str:
        return "hyperscan" if isinstance(self._engine, _Hyperscan) else "automaton"

    @property
    def words(self) -> frozenset[str]:
        return self._words

    def present(self, text: str) -> frozenset[str]:
        """Which keywords occur in ``text``, exactly as written."""
        return self._engine.present(text)

    def present_in(self, doc: Document) -> frozenset[str]:
        """``present(doc.lowered)``, read off an earlier pass over the document that
        searched for these words too, else from one caseless pass over its bytes."""
        return doc.keywords_found(self._words, lambda: self._engine.present_in(doc))


#: Python's ``\s`` (``str.isspace``) as a Hyperscan byte regex over UTF-8: the ASCII
#: separators and the UTF-8 bytes of each wider space (tests/test_prefilter.py checks it
#: against every code point).
UNICODE_SPACE = ("(?:[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f ]|\\xc2[\\x85\\xa0]|\\xe1\\x9a\\x80"
                 "|\\xe2\\x80[\\x80-\\x8a\\xa8\\xa9\\xaf]|\\xe2\\x81\\x9f|\\xe3\\x80\\x80)")


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

    def found_in(self, doc: Document) -> bool | None:
        """Whether any regex matches ``doc.lowered`` (None where Hyperscan cannot run)."""
        if self._database is None:
            return None
        return bool(self._database.scan(doc.folded, _record_end))

    def ends(self, doc: Document) -> list[int] | None:
        """In ``doc.lowered``."""
        if self._database is None:
            return None
        return _characters(doc, sorted(set(self._database.scan(doc.folded, _record_end))))


class MatchStarts:
    """Where matches of a few byte regexes start in a lowered text (each match's leftmost
    start), found in one Hyperscan pass: offsets in characters, ascending; None where
    Hyperscan cannot run. For openings a literal cannot say (``identified\\s+by``)."""

    def __init__(self, expressions: Iterable[str]) -> None:
        self._database = (None if hyperscan is None else
                          _optional_database(tuple(e.encode() for e in expressions),
                                             literal=False, som=True))

    def starts(self, doc: Document) -> list[int] | None:
        if self._database is None:
            return None
        return _characters(doc, sorted(set(self._database.scan(doc.folded, _record_start))))


class TextStarts:
    """Where ASCII texts start in a lowered text, found in one Hyperscan pass: offsets in
    characters, ascending (None where Hyperscan cannot run)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._texts = tuple(t.encode() for t in texts)
        assert all(t.isascii() and t == t.lower() for t in self._texts)
        self._database = _optional_database(self._texts, literal=True)
        self._sizes = tuple(len(t) for t in self._texts)

    def starts(self, doc: Document) -> list[int] | None:
        if self._database is None:
            return None
        found = self._database.scan(doc.folded, _record_match)
        sizes = self._sizes
        return _characters(doc, sorted({end - sizes[text] for text, end in found}))


def _optional_database(expressions: tuple[bytes, ...], *, literal: bool,
                       som: bool = False) -> _Database | None:
    if hyperscan is None or not expressions:
        return None
    try:
        flags = _CASELESS | (hyperscan.HS_FLAG_SOM_LEFTMOST if som else 0)
        return _Database(expressions, flags=flags, literal=literal)
    except hyperscan.error:  # e.g. a CPU without SSSE3
        return None


def _characters(doc: Document, offsets: list[int]) -> list[int]:
    """Byte offsets (ascending, at character boundaries) in ``doc.folded`` as character
    offsets in ``doc.lowered``."""
    data = doc.folded
    if data.isascii():
        return offsets  # one byte per character
    chars, done, converted = 0, 0, []
    for offset in offsets:  # decoding each byte once, up to the last offset
        chars += len(data[done:offset].decode("utf-8", "surrogatepass"))
        done = offset
        converted.append(chars)
    return converted
