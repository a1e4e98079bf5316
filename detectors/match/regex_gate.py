"""Which of many regexes can match a document, found in one Hyperscan pass.

The catalog's ~320 rules are gated by their keywords, and keywords are common words:
``poly`` opens every ``polymorphic``, ``cursor`` and ``API-`` fill database code. On
SQLAlchemy 0.6 s of CPU went to trying rules at keyword hits where the whole pattern
never matched. Hyperscan compiles every pattern into one database in prefilter mode
(``HS_FLAG_PREFILTER``: a pattern may match more than it says, never less), so one pass
over a document's bytes says which rules *can* match; Python's regex then runs those
alone and finds exactly the matches it found before.

The engines read ASCII letters, digits and punctuation alike; Python's ``\\w``, ``\\s``
and ``\\d`` also take Unicode characters (and ``\\x1c`` to ``\\x1f``). A document holding
one is scanned as its stand-in (:mod:`stand_in`: each such character replaced by an ASCII
one every class of Python's that takes it takes too), where the few patterns a stand-in
could hide a match from always run. A pattern whose flags or syntax the engines could read
differently (``{,5}`` is a repeat to Python, literal text to Hyperscan) or that Hyperscan
refuses is never ruled out either.

Compiling the database takes about a second, so it is kept in the user's cache under a
key of the patterns and Hyperscan's version, behind a SHA-256 of its bytes checked
before loading (Hyperscan's deserialiser is C and trusts what it is given).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from blastscan.detectors.base import Document
from blastscan.detectors.cache import cache_file, read_checked, write_checked
from blastscan.detectors.match.stand_in import reads_stand_ins, stand_in

try:
    import hyperscan
except (ImportError, OSError):  # no wheel here: no gate, every pattern runs
    hyperscan = None  # type: ignore[assignment]

_BARE_REPEAT = re.compile(r"(?<!\\)\{,")  # ``{,n}``: Python's repeat, PCRE's text
_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE | re.ASCII
_PLAIN_BYTES = bytes([9, 10, 12, 13, *range(0x20, 0x7F)])  # what ``translate`` deletes
_MAX_CACHE = 64 << 20  # the catalog's database is 1.7 MB


def _hs_flags(pattern: re.Pattern[str]) -> int | None:
    """Hyperscan's flags for ``pattern``, None where it cannot stand in for it."""
    if hyperscan is None or pattern.flags & ~_FLAGS or _BARE_REPEAT.search(pattern.pattern):
        return None
    flags = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH
    for python, hs in ((re.IGNORECASE, hyperscan.HS_FLAG_CASELESS),
                       (re.MULTILINE, hyperscan.HS_FLAG_MULTILINE),
                       (re.DOTALL, hyperscan.HS_FLAG_DOTALL)):
        if pattern.flags & python:
            flags |= hs
    return flags


def _compile(items: list[tuple[int, bytes, int]]) -> tuple[Any, list[int]]:
    """A database of as many of ``items`` (id, expression, flags) as Hyperscan takes:
    where it refuses, each half is tried on its own, so one bad pattern costs a few
    compiles rather than one per pattern."""
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(expressions=[e for _, e, _ in items], ids=[i for i, _, _ in items],
                   elements=len(items), flags=[f for _, _, f in items])
        return db, [i for i, _, _ in items]
    except hyperscan.error:
        if len(items) == 1:
            return None, []
    half = len(items) // 2
    taken = {*_compile(items[:half])[1], *_compile(items[half:])[1]}
    kept = [x for x in items if x[0] in taken]
    return _compile(kept) if kept else (None, [])


class RegexGate:
    """``possible(doc)``: the positions in ``patterns`` that may match ``doc``."""

    def __init__(self, sources: Sequence[str],
                 patterns: Callable[[], Sequence[re.Pattern[str] | None]], name: str,
                 salt: str = "") -> None:
        """``sources``: what the patterns are compiled from, and with ``salt`` (what
        turns a source into a pattern: a translator's version) the cache's key.
        ``patterns`` (one per source) is called only when the cache has no database for
        them: compiling all ~320 costs more start-up than a scan saves on a small tree."""
        self._sources = tuple(sources)
        self._salt = salt
        self._patterns = patterns
        self._name = name
        self._db: Any = None
        self._always: frozenset[int] = frozenset()
        self._plain_only: frozenset[int] = frozenset()  # and those not read on stand-ins
        self._ascii_classes = True
        self._all_ascii = False  # every pattern re.ASCII: Hyperscan reads ASCII bytes alike
        self._built = False
        self._lock = threading.Lock()
        self._local = threading.local()

    def _build(self) -> None:
        with self._lock:
            if self._built:
                return
            if hyperscan is not None and self._sources:
                self._db, facts = self._cached() or self._compiled()
                self._always = frozenset(range(len(self._sources))) - frozenset(facts["ids"])
                self._plain_only = self._always | frozenset(facts["plain_only"])
                self._ascii_classes = bool(facts["ascii_classes"])
                self._all_ascii = bool(facts["all_ascii"])
            self._built = True

    @staticmethod
    def _items(patterns: Sequence[re.Pattern[str] | None]) -> list[tuple[int, bytes, int]]:
        items = []
        for i, pattern in enumerate(patterns):
            flags = None if pattern is None else _hs_flags(pattern)
            if pattern is not None and flags is not None:
                items.append((i, pattern.pattern.encode("utf-8", "surrogatepass"), flags))
        return items

    def _key(self) -> str:
        spec = json.dumps([5, getattr(hyperscan, "__version__", "?"), self._salt,
                           self._sources])
        return hashlib.sha256(spec.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def _file(self) -> Path | None:
        return cache_file(f"{self._name}-{self._key()}.hsdb")

    def _cached(self) -> tuple[Any, dict[str, Any]] | None:
        blob = read_checked(self._file(), _MAX_CACHE)
        if blob is None:
            return None
        header = blob.partition(b"\n")[0]
        try:
            listed = json.loads(header)
            facts: dict[str, Any] = {k: [int(i) for i in listed[k]]
                                     for k in ("ids", "plain_only")}
            facts["ascii_classes"] = listed["ascii_classes"] is True
            facts["all_ascii"] = listed["all_ascii"] is True
            return hyperscan.loadb(blob[len(header) + 1:], hyperscan.HS_MODE_BLOCK), facts
        except (ValueError, TypeError, KeyError, hyperscan.error):
            return None

    def _compiled(self) -> tuple[Any, dict[str, Any]]:
        patterns = self._patterns()
        items = self._items(patterns)
        db, ids = _compile(items) if items else (None, [])
        # One stand-in per scan, for the classes most patterns use (re.ASCII or Unicode):
        # the others wait for plain text, as do those a stand-in could hide a match from.
        ascii_flags = [bool(p.flags & re.ASCII) for p in patterns if p is not None]
        ascii_classes = ascii_flags.count(True) >= ascii_flags.count(False)
        plain_only = [i for i in ids if not _reads(patterns[i], ascii_classes)]
        facts = {"ids": ids, "plain_only": plain_only, "ascii_classes": ascii_classes,
                 "all_ascii": all(ascii_flags)}
        if db is not None:
            write_checked(self._file(), json.dumps(facts).encode() + b"\n" + hyperscan.dumpb(db))
        return db, facts

    def possible(self, doc: Document) -> frozenset[int] | None:
        """None: no answer for this document (every pattern may match)."""
        if not self._built:
            self._build()
        if self._db is None:
            return None
        # An ASCII text's own bytes (``folded``), unless a control character needs a
        # stand-in; a text with wider characters always does.
        data = doc.folded if doc.text.isascii() else None
        # Under re.ASCII both engines read every ASCII byte alike, controls included (the
        # vertical tab is \s to both; \x1c-\x1f to neither): no stand-in, and no pass to
        # look for controls (a fifth of the catalog gate's time on Django).
        plain = data is not None and (self._all_ascii
                                      or not data.translate(None, _PLAIN_BYTES))
        if not plain:
            data = stand_in(doc.text, self._ascii_classes)
            if data is None:
                return None
        found: list[int] = []
        try:
            scratch = getattr(self._local, "scratch", None)
            if scratch is None:  # Hyperscan refuses one scratch used by two scans at once
                scratch = self._local.scratch = hyperscan.Scratch(self._db)
            self._db.scan(data, match_event_handler=_record, context=found, scratch=scratch)
        except hyperscan.error:  # e.g. a cached database built for another CPU: no gate
            self._db = None
            return None
        return (self._always if plain else self._plain_only).union(found)


def _reads(pattern: re.Pattern[str] | None, ascii_classes: bool) -> bool:
    return (pattern is not None and bool(pattern.flags & re.ASCII) == ascii_classes
            and reads_stand_ins(pattern))


def _record(pattern: int, start: int, end: int, flags: int, found: object) -> None:
    found.append(pattern)  # type: ignore[attr-defined]  # the list passed as context
