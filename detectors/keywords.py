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
only match at character boundaries, so both engines find exactly the same keywords.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable
from typing import Protocol, cast

import ahocorasick

try:
    import hyperscan
except (ImportError, OSError):  # no wheel here: the automaton answers alone
    hyperscan = None  # type: ignore[assignment]


class _Engine(Protocol):
    def present(self, lowered: str) -> frozenset[str]: ...


class _Automaton:
    def __init__(self, words: tuple[str, ...]) -> None:
        self._automaton = ahocorasick.Automaton()
        for word in words:
            self._automaton.add_word(word, word)
        if words:
            self._automaton.make_automaton()
        self._empty = not words

    def present(self, lowered: str) -> frozenset[str]:
        if self._empty:
            return frozenset()
        return frozenset(word for _, word in self._automaton.iter(lowered))


def _record(pattern: int, start: int, end: int, flags: int, found: object) -> None:
    cast("list[int]", found).append(pattern)  # ``found`` is the list passed as context


class _Hyperscan:
    def __init__(self, words: tuple[str, ...]) -> None:
        assert hyperscan is not None
        self._words = words
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._database.compile(expressions=[w.encode() for w in words],
                               ids=list(range(len(words))), elements=len(words),
                               flags=hyperscan.HS_FLAG_SINGLEMATCH, literal=True)
        # Scratch space is per thread (Hyperscan refuses one used by two scans at once).
        self._local = threading.local()
        self._scratch()  # fails here, not mid-scan, when the CPU cannot run Hyperscan

    def _scratch(self) -> hyperscan.Scratch:
        scratch: hyperscan.Scratch | None = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        return scratch

    def present(self, lowered: str) -> frozenset[str]:
        found: list[int] = []
        # ``surrogatepass``: environment documents may hold lone surrogates.
        self._database.scan(lowered.encode("utf-8", "surrogatepass"),
                            match_event_handler=_record, context=found,
                            scratch=self._scratch())
        return frozenset(map(self._words.__getitem__, found))


class KeywordIndex:
    """``fast=False`` forces the automaton (tests compare the two engines)."""

    def __init__(self, keywords: Iterable[str], *, fast: bool = True) -> None:
        # An empty keyword is never reported (pyahocorasick does not store one).
        words = tuple(sorted({k for k in keywords if k}))
        self._engine: _Engine = _Automaton(words)
        if fast and words and hyperscan is not None:
            # e.g. ArchitectureError on a CPU without SSSE3: the automaton stays.
            with contextlib.suppress(hyperscan.error):
                self._engine = _Hyperscan(words)

    @property
    def engine(self) -> str:
        return "hyperscan" if isinstance(self._engine, _Hyperscan) else "automaton"

    def present(self, lowered: str) -> frozenset[str]:
        return self._engine.present(lowered)
