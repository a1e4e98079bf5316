"""Facts every reporter derives from a result the same way, in a deterministic order.

Reports must be byte-identical for the same input (design principle 5), and different
formats must agree with each other, so ordering and counting live here once instead of
in each reporter. The documented orders are:

- credentials by id;
- paths by severity, worst first, then by id;
- locations by path, line, source (in :class:`SourceKind` order, worktree first), commit;
- capabilities by (action, resource);
- environments in the order of :class:`Environment` (production first), deduplicated;
- skip reasons: every :class:`SkipReason`, sorted by value, zero when none.

Evidence, ``why`` reasons and hops keep the order the resolver gave them: they read as
an argument or a route, and reordering them would change their meaning.
"""

from __future__ import annotations

from collections.abc import Iterable

from blastscan.scanner.models import (
    INVOKED,
    Capability,
    Environment,
    Example,
    Gate,
    Location,
    Path,
    ResolvedCredential,
    ScanResult,
    Severity,
    SkipReason,
    SourceKind,
    Summary,
)

_ENVIRONMENT_ORDER = {env: index for index, env in enumerate(Environment)}
_SOURCE_ORDER = {source: index for index, source in enumerate(SourceKind)}


def sorted_credentials(credentials: Iterable[ResolvedCredential]) -> list[ResolvedCredential]:
    return sorted(credentials, key=lambda rc: rc.credential.id)


def sorted_examples(examples: Iterable[Example]) -> list[Example]:
    return sorted(examples, key=lambda e: (e.credential.locations[0], e.credential.id))


def sorted_paths(paths: Iterable[Path]) -> list[Path]:
    return sorted(paths, key=lambda p: (-p.severity.rank, p.id))


def sorted_locations(locations: Iterable[Location]) -> list[Location]:
    # Not ``sorted(locations)``: dataclass ordering would compare ``None`` with a commit,
    # and would put git history before the working tree an agent reads first.
    return sorted(
        locations,
        key=lambda loc: (loc.path, loc.line, _SOURCE_ORDER[loc.source], loc.commit or ""),
    )


def sorted_capabilities(capabilities: Iterable[Capability]) -> list[Capability]:
    return sorted(capabilities, key=lambda c: (c.action, c.resource))


def sorted_environments(environments: Iterable[Environment]) -> list[Environment]:
    return sorted(set(environments), key=_ENVIRONMENT_ORDER.__getitem__)


def severity_counts(paths: Iterable[Path]) -> dict[Severity, int]:
    """Paths per severity, every severity present, worst first."""
    counts = dict.fromkeys(sorted(Severity, key=lambda s: -s.rank), 0)
    for path in paths:
        counts[path.severity] += 1
    return counts


def skipped_counts(summary: Summary) -> dict[SkipReason, int]:
    """Skipped files per reason; every reason present so consumers need no defaults."""
    counts = dict.fromkeys(sorted(SkipReason, key=str), 0)
    for reason, count in summary.files_skipped:
        counts[reason] += count  # tolerate a reason listed twice rather than drop a count
    return counts


def worst_severity_by_credential(paths: Iterable[Path]) -> dict[str, Severity]:
    """The most severe path each credential starts, keyed by credential id."""
    worst: dict[str, Severity] = {}
    for path in paths:
        current = worst.get(path.credential_id)
        if current is None or path.severity.rank > current.rank:
            worst[path.credential_id] = path.severity
    return worst


def passed_headline(gate: Gate, paths: Iterable[Path]) -> str:
    """Why a passed gate passed, when paths at or above ``fail_on`` exist: the baseline
    accepted them, or their kind is reported for review only (password hashes)."""
    at_or_above = sum(p.severity.rank >= gate.fail_on.rank for p in paths)
    accepted = at_or_above - len(gate.review_only)
    passed = f"no path at or above {gate.fail_on}"
    if accepted:
        passed += f" outside the baseline ({accepted} accepted)"
    if gate.review_only:
        passed += f" that gates ({len(gate.review_only)} for review only)"
    return passed


def headline_path(result: ScanResult, failing: list[Path]) -> Path:
    """The failing path the verdict line names: of the worst severity, one whose operation
    the repository's own code is seen to invoke, else one with backups in its blast radius,
    else a destructive one, the first by action and resource (``failing`` is worst first)."""
    by_id = {rc.credential.id: rc for rc in result.credentials}

    def invoked(path: Path) -> bool:
        resolved = by_id.get(path.credential_id)
        return resolved is not None and any(
            c.action == path.action and any(w.startswith(INVOKED) for w in c.why)
            for c in resolved.reach.capabilities)

    top = [p for p in failing if p.severity is failing[0].severity]
    # Then by what the path does, not by its id: ids are HMACs under the fingerprint key,
    # and the verdict line must not change with the key.
    return min(top, key=lambda p: (not invoked(p), p.backups_in_blast_radius is not True,
                                   not p.destructive, p.action, p.resource,
                                   str(p.environment), top.index(p)))


def agent_scope(result: ScanResult) -> str:
    """Who the verdict speaks of: one workspace, or, for a ``blastscan merge`` result, an
    agent let into any one of the repositories merged."""
    if result.organisation is None:
        return "an agent in this workspace"
    count = len(result.organisation.repositories)
    return f"an agent in any of these {count} repositories" if count != 1 else (
        "an agent in this repository")


def unaccepted(paths: Iterable[Path], gate: Gate, show_accepted: bool) -> list[Path]:
    """``paths`` without those the baseline accepts (unless asked): a reviewed path is not
    news, and listing it in full buried the new finding (issue 21)."""
    if show_accepted:
        return list(paths)
    accepted = {a.path_id for a in gate.accepted}
    return [p for p in paths if p.id not in accepted]
