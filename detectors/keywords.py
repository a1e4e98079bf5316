"""Which prefilter keywords occur in a document, found in one pass.

Every detector declares lowercase keywords; a detector only runs on documents holding
one of them. Testing ~130 keywords with ``in`` costs ~130 scans of each document;
an Aho-Corasick automaton (pyahocorasick, a maintained C extension) finds them all in
one pass, about six times faster on a real tree.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick


class KeywordIndex:
    def __init__(self, keywords: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for keyword in sorted(set(keywords)):
            self._automaton.add_word(keyword, keyword)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def present(self, lowered: str) -> frozenset[str]:
        if self._empty:
            return frozenset()
        return frozenset(keyword for _, keyword in self._automaton.iter(lowered))
