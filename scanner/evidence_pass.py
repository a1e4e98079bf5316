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

from collections.abc import Iterable, Sequence
from functools import partial

from blastscan.detectors import code
from blastscan.detectors.base import Document
from blastscan.detectors.code.mentions import mentions
from blastscan.detectors.code.parsers import language_for
from blastscan.scanner import discovery, filescan
from blastscan.scanner.models import Candidate, SkipReason, Usage
from blastscan.scanner.sources import source_kind

_CHUNK = 8  # parses are slow and the hits cluster: small chunks keep the workers even


def collect(deferred: Sequence[discovery.FileRef], candidates: Iterable[Candidate],
            found: Iterable[Usage], jobs: int) -> list[Usage]:
    """Usages of the deferred files that can matter; ``found``: the first pass's usages
    (their aliases extend the names)."""
    candidates = list(candidates)
    names = {value for c in candidates for key, value in c.facts if key == "name"}
    new = _aliases(names, found)
    known = names | new
    new |= names
    paths = frozenset(c.location.path for c in candidates)
    usages: list[Usage] = []
    pending = list(deferred)
    while pending and (new or paths):
        work = partial(_collect, names=frozenset(new), paths=paths)
        results = list(filescan.pooled(work, pending, jobs, min_items=2 * _CHUNK, chunk=_CHUNK))
        pending = [ref for ref, hit in zip(pending, results, strict=True) if hit is None]
        for hit in results:
            usages.extend(hit or ())
        paths = frozenset()  # a path matches in the first round or never
        new = _aliases(known, usages) - known
        known |= new
    return usages


def _aliases(names: set[str], usages: Iterable[Usage]) -> set[str]:
    """Every alias defined from ``names``, transitively (``A = os.environ["B"]``)."""
    by_source: dict[str, set[str]] = {}
    for usage in usages:
        if usage.kind == "alias":
            by_source.setdefault(usage.value, set()).update(usage.names)
    found: set[str] = set()
    frontier = set(names)
    while frontier:
        frontier = {a for n in frontier for a in by_source.get(n, ())} - found - names
        found |= frontier
    return found


def _collect(ref: discovery.FileRef, names: frozenset[str],
             paths: frozenset[str]) -> tuple[Usage, ...] | None:
    """The file's usages if it is at one of ``paths`` or mentions one of ``names``; None
    when it does neither (it may still mention a later round's names)."""
    text = discovery.read_text(ref)
    if isinstance(text, SkipReason):
        return ()  # counted by the first pass; nothing to parse in any round
    if ref.rel not in paths and not mentions(text, names, language_for(ref.rel)):
        return None
    return tuple(code.collect(Document.of(ref.rel, text, source_kind(ref.rel))))
