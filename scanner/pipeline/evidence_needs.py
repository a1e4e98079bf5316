"""What each credential name can use from a deferred file, for the evidence pass.

A name's *need* is what its credential's resolver reads from usages joined to it by name:
``None`` for any usage (Railway's resolver reads headers, hosts, CLI and environments),
else the operation names its provider lists (base.py joins operation, CLI and SQL usages
by value; :func:`~blastscan.detectors.evidence.code.mentions.holds` says where one can occur).
Aliases (``A = os.environ["B"]``) need what their source needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from blastscan.detectors.knowledge.model import Provider
from blastscan.scanner.models import Candidate, Usage

Need = frozenset[str] | None
Needs = dict[str, Need]
# Providers whose resolver reads every usage kind (headers, hosts, CLI, environments).
_EVERY_USAGE = frozenset({"railway"})


def of(candidates: list[Candidate], knowledge: Mapping[str, Provider]) -> Needs:
    """Each name of each candidate, with what its credential needs."""
    # One secret seen by two detectors becomes one credential of either provider: a name
    # needs what any provider of its secret needs.
    by_secret: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_secret.setdefault(candidate.secret, []).append(candidate)
    needs: Needs = {}
    for group in by_secret.values():
        need = _need({c.provider for c in group}, knowledge)
        for name in {v for c in group for k, v in c.facts if k == "name"}:
            needs[name] = merge(needs[name], need) if name in needs else need
    return needs


def _need(providers: set[str], knowledge: Mapping[str, Provider]) -> Need:
    if providers & _EVERY_USAGE:
        return None
    infos = [knowledge.get(p) or knowledge["generic"] for p in providers]
    return frozenset(name for info in infos for op in info.operations for name in op.names)


def merge(a: Need, b: Need) -> Need:
    return None if a is None or b is None else a | b


def wider(new: Need, old: Need) -> bool:
    return old is not None and (new is None or not new <= old)


def close(needs: Needs, usages: Iterable[Usage]) -> Needs:
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
                if alias not in closed or wider(merge(closed[alias], need), closed[alias]):
                    closed[alias] = need if alias not in closed else merge(closed[alias], need)
                    grew.add(alias)
        frontier = grew
    return closed
