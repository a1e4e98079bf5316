"""The vendor-token catalog as blastscan holds it: frozen rules, never a program.

A :class:`CatalogRule` keeps its RE2 pattern as text: :func:`CatalogRule.regex`
compiles it on first use (a scan runs few of the 400 rules: each is gated by its
keywords), and a pattern Python cannot compile makes the rule match nothing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from blastscan.detectors.knowledge.catalog_filter import Term
from blastscan.detectors.knowledge.catalog_regex import compile_re2, required_texts


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return compile_re2(pattern)
    except (re.error, RecursionError, OverflowError):
        return None


@functools.cache
def _required(pattern: str) -> tuple[str, ...]:
    # Texts the document's own text must hold: case-sensitive ones, and caseless ones
    # without letters (``==``). Caseless words would need the text lowered, which costs
    # more than the regex runs it saves: the keyword gate has already seen them.
    regex = _compiled(pattern)
    return () if regex is None else tuple(
        t for t, folded in required_texts(regex) if not folded or t.lower() == t.upper())


@dataclass(frozen=True, slots=True)
class Companion:
    """A match another rule must find near this one's (an OAuth client secret counts
    beside its client id): ``within`` lines either way, 0 for anywhere in the file."""

    pattern: str  # RE2, as the catalog spells it
    within: int

    def regex(self) -> re.Pattern[str] | None:
        return _compiled(self.pattern)


@dataclass(frozen=True, slots=True)
class CatalogRule:
    id: str  # the catalog's rule id, e.g. ``groq-api-key``
    provider: str  # blastscan's provider id (catalog_map)
    kind: str
    pattern: str  # RE2, as the catalog spells it
    keywords: tuple[str, ...]  # lowercase
    group: int  # the capture group holding the secret; 0: the first non-empty one
    filter: Term | None  # the finding is dropped when it holds
    needs: tuple[Companion, ...] = ()  # every one must match near the finding
    path: str = ""  # RE2 on the file's path: the rule runs only where it matches

    def regex(self) -> re.Pattern[str] | None:
        return _compiled(self.pattern)

    def runs_on(self, path: str) -> bool:
        """Whether the rule reads a file at ``path`` (a path it cannot compile: none)."""
        if not self.path:
            return True
        regex = _compiled(self.path)
        return regex is not None and regex.search(path) is not None

    def required(self) -> tuple[str, ...]:
        """Texts every match holds, as they are spelled in the document."""
        return _required(self.pattern)


@dataclass(frozen=True, slots=True)
class Catalog:
    source: str  # ``betterleaks 2.0.0-rc.4``; empty when there is no catalog
    rules: tuple[CatalogRule, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (rule id, why it is not run)
    global_filter: Term | None = None
    missing: str | None = None  # why there is no catalog at all

    @classmethod
    def unavailable(cls, why: str) -> Catalog:
        return cls("", missing=why)

    def describe(self) -> str:
        """One line for ``blastscan providers``."""
        if self.missing is not None:
            return f"vendor-token catalog: unavailable ({self.missing})"
        return (f"vendor-token catalog: {len(self.rules)} rules from {self.source} "
                f"({len(self.skipped)} left to blastscan's own detectors or unreadable)")
