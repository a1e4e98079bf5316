"""The second evidence pass: parse the files the first pass deferred, once names are known.

The first pass scans every file for credentials and parses with tree-sitter only the files
whose evidence any credential could use (see :func:`blastscan.detectors.evidence.code.need`).
Python, JS and TS files, and config or shell files without repository-wide evidence, wait:
their usages only join a credential that is defined in the same file or whose variable
name (or an alias of it) they mention. Once the pass is over and every candidate's names
are known, this pass reads the deferred files again and parses those that mention a name
where their usages could carry it (:mod:`blastscan.detectors.evidence.code.mentions`; in code, out
of comments and the text of strings) and can hold what its credential reads, or that sit
at a path where a credential was found (in history, say). A parse can define new aliases
(``TOKEN = os.environ["RAILWAY_TOKEN"]``), so it repeats with the new names until no file
is left or no new name appears. On a real tree most deferred files are never parsed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from blastscan.detectors.base import Document
from blastscan.detectors.evidence import code
from blastscan.detectors.evidence.code import env_reads
from blastscan.detectors.evidence.code.mentions import CODE, holds, mentioned
from blastscan.detectors.evidence.code.nodes import in_code
from blastscan.detectors.evidence.code.parsers import language_for
from blastscan.detectors.knowledge.model import Provider
from blastscan.scanner.models import Candidate, SkipReason, Usage
from blastscan.scanner.pipeline import discovery, evidence_needs, filescan
from blastscan.scanner.pipeline.evidence_needs import Need, Needs, close, wider
from blastscan.scanner.pipeline.sources import source_kind

_CHUNK = 4  # parses are slow and the hits cluster: small chunks keep the workers even



@dataclass(frozen=True, slots=True)
class Collected:
    usages: tuple[Usage, ...]
    unparseable: int  # deferred files whose parse gave up (counted as skipped by the engine)


@dataclass(frozen=True, slots=True)
class _Hit:
    usages: tuple[Usage, ...]
    unparseable: bool = False


def collect(deferred: Sequence[discovery.FileRef], candidates: Iterable[Candidate],
            found: Iterable[Usage], workers: filescan.Workers,
            knowledge: Mapping[str, Provider]) -> Collected:
    """Usages of the deferred files that can matter; ``found``: the first pass's usages
    (their aliases extend the names)."""
    candidates = list(candidates)
    found = list(found)
    needs = close(evidence_needs.of(candidates, knowledge), found)
    changed = dict(needs)
    paths = frozenset(c.location.path for c in candidates)
    usages: list[Usage] = []
    unparseable = 0
    # Largest first, so that a big parse does not start last and keep one worker busy
    # alone; each round's usages still come out in the files' order.
    pending = sorted(enumerate(deferred), key=lambda item: -item[1].size)
    while pending and (changed or paths):
        work = partial(_collect, needs=tuple(sorted(changed.items(), key=lambda i: i[0])),
                       paths=paths)
        results = list(workers.map(work, [ref for _, ref in pending], min_items=2 * _CHUNK,
                                   chunk=_CHUNK))
        for _, hit in sorted(zip(pending, results, strict=True), key=lambda r: r[0][0]):
            if hit is not None:
                usages.extend(hit.usages)
                unparseable += hit.unparseable
        pending = [item for item, hit in zip(pending, results, strict=True) if hit is None]
        paths = frozenset()  # a path matches in the first round or never
        closed = close(needs, [*found, *usages])
        # Names that are new or need more than before: pending files may now matter.
        changed = {n: v for n, v in closed.items() if n not in needs or wider(v, needs[n])}
        needs = closed
    return Collected(tuple(usages), unparseable)


def _collect(ref: discovery.FileRef, needs: tuple[tuple[str, Need], ...],
             paths: frozenset[str]) -> _Hit | None:
    """The file's usages if it is at one of ``paths`` or mentions a name whose credential
    can use what it may hold; None otherwise (a later round may change that)."""
    text = discovery.read_text(ref)
    if isinstance(text, SkipReason):
        return _Hit(())  # counted by the first pass; nothing to parse in any round
    if ref.rel not in paths and not _wanted(text, _round(needs), language_for(ref.rel)):
        return None
    usages, failed = filescan.contained(code.collect,
                                        Document.of(ref.rel, text, source_kind(ref.rel)))
    return _Hit(usages, failed)


@dataclass(frozen=True)
class _Round:
    """One round's names, derived once per worker rather than once per file."""

    needs: Needs
    names: frozenset[str]
    # Names whose credential reads nothing but aliases from a file (a generic secret's)
    # matter only where aliases are defined; these others wherever their need is met.
    useful: frozenset[str]


@functools.lru_cache(maxsize=4)
def _round(needs: tuple[tuple[str, Need], ...]) -> _Round:
    return _Round(dict(needs), frozenset(n for n, _ in needs),
                  frozenset(n for n, need in needs if need is None or need))


def _wanted(text: str, names: _Round, language: str | None) -> bool:
    if language is not None and language in CODE:
        hits = mentioned(text, names.useful, "word")
        met = _met(hits, names.needs, text, text.lower(), code=True) if hits else set()
        if met and in_code(text, language, met):
            return True
        # An alias may be defined here from a name in a string (``os.environ["X"]``):
        # where every environment read names its variable plainly, those names decide.
        if not (hits or mentioned(text, names.names, "word", first=True)):
            return False
        env = env_reads.reads(text, language)
        return env.unsure or not env.names.isdisjoint(names.names)
    # Shell and config define aliases only from a reference: one is reason enough.
    if mentioned(text, names.names, "reference", first=True):
        return True
    hits = mentioned(text, names.useful, "assignment")
    return bool(hits) and bool(_met(hits, names.needs, text, text.lower(), code=False))


def _met(hits: set[str], needs: Needs, text: str, low: str, *, code: bool) -> set[str]:
    """Which mentioned names' credentials can use what the file can hold."""
    values = {value for name in hits for value in needs[name] or ()}
    held = {value for value in values if holds(value, text, low, code)}
    return {name for name in hits if (need := needs[name]) is None or need & held}
