"""The second evidence pass: parse the files the first pass deferred, once names are known.

The first pass scans every file for credentials and parses with tree-sitter only the files
whose evidence any credential could use (see :func:`blastscan.detectors.code.need`).
Python, JS and TS files, and config or shell files without repository-wide evidence, wait:
their usages only join a credential that is defined in the same file or whose variable
name (or an alias of it) they mention. Once the pass is over and every candidate's names
are known, this pass reads the deferred files again and parses those that mention a name
where their usages could carry it (:mod:`blastscan.detectors.code.mentions`), or that sit
at a path where a credential was found (in history, say). A parse can define new aliases
(``TOKEN = os.environ["RAILWAY_TOKEN"]``), so it repeats with the new names until no file
is left or no new name appears. On a real tree most deferred files are never parsed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from blastscan.detectors import code
from blastscan.detectors.base import Document
from blastscan.detectors.code.mentions import CODE, mentioned
from blastscan.detectors.code.parsers import language_for
from blastscan.detectors.knowledge_model import Provider
from blastscan.scanner import discovery, filescan
from blastscan.scanner.models import Candidate, SkipReason, Usage
from blastscan.scanner.sources import source_kind

_CHUNK = 4  # parses are slow and the hits cluster: small chunks keep the workers even

#: What a name's credential can use from a code file: ``None`` for any usage, else the
#: first words of the operation names its provider lists (base.py joins operation, CLI
#: and SQL usages by value; every such value starts with a word of its file).
Need = frozenset[str] | None
Needs = dict[str, Need]
# Providers whose resolver reads every usage kind (headers, hosts, CLI, environments).
_EVERY_USAGE = frozenset({"railway"})
# Where Python and JS code define aliases (python.py, javascript.py ``_env_source``): an
# alias extends the names, whatever its credential needs.
_ALIAS_MARKERS = ("environ", "getenv", "process.env", "import.meta.env", "deno.env.get",
                  "bun.env.get")
_WORD = re.compile(r"[a-z0-9]+")


def collect(deferred: Sequence[discovery.FileRef], candidates: Iterable[Candidate],
            found: Iterable[Usage], workers: filescan.Workers,
            knowledge: Mapping[str, Provider]) -> list[Usage]:
    """Usages of the deferred files that can matter; ``found``: the first pass's usages
    (their aliases extend the names)."""
    candidates = list(candidates)
    found = list(found)
    needs = _close(_needs(candidates, knowledge), found)
    changed = dict(needs)
    paths = frozenset(c.location.path for c in candidates)
    usages: list[Usage] = []
    pending = list(deferred)
    while pending and (changed or paths):
        work = partial(_collect, needs=tuple(sorted(changed.items(), key=lambda i: i[0])),
                       paths=paths)
        results = list(workers.map(work, pending, min_items=2 * _CHUNK, chunk=_CHUNK))
        pending = [ref for ref, hit in zip(pending, results, strict=True) if hit is None]
        for hit in results:
            usages.extend(hit or ())
        paths = frozenset()  # a path matches in the first round or never
        closed = _close(needs, [*found, *usages])
        # Names that are new or need more than before: pending files may now matter.
        changed = {n: v for n, v in closed.items() if n not in needs or _wider(v, needs[n])}
        needs = closed
    return usages


def _needs(candidates: list[Candidate], knowledge: Mapping[str, Provider]) -> Needs:
    # One secret seen by two detectors becomes one credential of either provider: a name
    # needs what any provider of its secret needs.
    by_secret: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_secret.setdefault(candidate.secret, []).append(candidate)
    needs: Needs = {}
    for group in by_secret.values():
        need = _need({c.provider for c in group}, knowledge)
        for name in {v for c in group for k, v in c.facts if k == "name"}:
            needs[name] = _merge(needs[name], need) if name in needs else need
    return needs


def _need(providers: set[str], knowledge: Mapping[str, Provider]) -> Need:
    if providers & _EVERY_USAGE:
        return None
    infos = [knowledge.get(p) or knowledge["generic"] for p in providers]
    return frozenset(m.group(0) for info in infos for op in info.operations for name in op.names
                     if (m := _WORD.search(name.lower())))


def _merge(a: Need, b: Need) -> Need:
    return None if a is None or b is None else a | b


def _wider(new: Need, old: Need) -> bool:
    return old is not None and (new is None or not new <= old)


def _close(needs: Needs, usages: Iterable[Usage]) -> Needs:
    """``needs`` plus every alias defined from a known name, transitively
    (``A = os.environ["B"]``): an alias needs what its source needs."""
    by_source: dict[str, set[str]] = {}
    for usage in usages:
        if usage.kind == "alias":
            by_source.setdefault(usage.value, set()).update(usage.names)
    closed = dict(needs)
    frontier = set(closed)
    while frontier:
        grew = set()
        for source in frontier:
            for alias in by_source.get(source, ()):
                need = closed[source]
                if alias not in closed or _wider(_merge(closed[alias], need), closed[alias]):
                    closed[alias] = need if alias not in closed else _merge(closed[alias], need)
                    grew.add(alias)
        frontier = grew
    return closed


def _collect(ref: discovery.FileRef, needs: tuple[tuple[str, Need], ...],
             paths: frozenset[str]) -> tuple[Usage, ...] | None:
    """The file's usages if it is at one of ``paths`` or mentions a name whose credential
    can use what it may hold; None otherwise (a later round may change that)."""
    text = discovery.read_text(ref)
    if isinstance(text, SkipReason):
        return ()  # counted by the first pass; nothing to parse in any round
    if ref.rel not in paths and not _wanted(text, _round(needs), language_for(ref.rel)):
        return None
    return tuple(code.collect(Document.of(ref.rel, text, source_kind(ref.rel))))


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
    if language in CODE:
        hits = mentioned(text, names.useful, "word")
        low = text.lower()
        if hits and _met(hits, names.needs, low):
            return True
        return any(marker in low for marker in _ALIAS_MARKERS) and bool(
            mentioned(text, names.names, "word", first=True))
    # Shell and config define aliases only from a reference: one is reason enough.
    if mentioned(text, names.names, "reference", first=True):
        return True
    hits = mentioned(text, names.useful, "assignment")
    return bool(hits) and _met(hits, names.needs, text.lower())


def _met(hits: set[str], needs: Needs, low: str) -> bool:
    """Whether the file can hold what one of the mentioned names' credentials reads."""
    return any(needs[n] is None or any(word in low for word in needs[n] or ()) for n in hits)
