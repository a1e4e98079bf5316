"""The organisation's verdicts: one credential from many repositories' copies, the paths
that cross repositories, the ranking, and the gate over the whole set.

The rule behind all of them: an agent in any repository that holds a credential can do
whatever any repository proves that credential can do. So a path proven in one report
is open from every repository holding its credential, and a baseline acceptance covers
an organisation path only when every repository holding the credential accepted it —
as a copy of the secret in a new file gates again in a single repository.
"""

from __future__ import annotations

from collections.abc import Mapping

from blastscan.scanner.models import (
    Acceptance,
    Capability,
    Credential,
    Environment,
    Evidence,
    Example,
    Gate,
    Path,
    Reach,
    ResolvedCredential,
    Scope,
    Severity,
    SkipReason,
    Summary,
)
from blastscan.scanner.organisation import CrossPath, SharedCredential
from blastscan.scanner.verdict.gate import gates

# Production proven, or presumed: an environment not shown to be non-production.
_PRODUCTION = frozenset({Environment.PRODUCTION, Environment.UNKNOWN})
_ORDER = {env: index for index, env in enumerate(Environment)}  # as reports/common.py
_BREADTH = {scope: index for index, scope in enumerate(
    (Scope.ACCOUNT, Scope.WORKSPACE, Scope.PROJECT, Scope.UNKNOWN, Scope.ENVIRONMENT,
     Scope.READ_ONLY))}


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def merge_credential(by_repo: Mapping[str, ResolvedCredential]) -> ResolvedCredential:
    """Locations, evidence, environments and capabilities are the union; provider, kind,
    scope, confidence and reasons are those of the repository that read it broadest (an
    unproven narrow scope is broad), ties by name, so the result does not depend on the
    order reports arrived in; the other readings are named in ``why``."""
    names = sorted(by_repo, key=lambda n: (_BREADTH[by_repo[n].reach.scope], n))
    base = by_repo[names[0]]
    copies = [by_repo[n] for n in sorted(names)]
    others = [f"{n}: resolved as {by_repo[n].reach.kind}, scope {by_repo[n].reach.scope}"
              for n in sorted(names)
              if (by_repo[n].reach.kind, by_repo[n].reach.scope) != (base.reach.kind,
                                                                    base.reach.scope)]
    capabilities: dict[tuple[str, str], Capability] = {}
    for rc in copies:
        for cap in rc.reach.capabilities:
            capabilities.setdefault((cap.action, cap.resource), cap)
    evidence: dict[Evidence, None] = {e: None for rc in copies for e in rc.reach.evidence}
    reach = Reach(
        provider=base.reach.provider, kind=base.reach.kind, scope=base.reach.scope,
        environments=tuple(sorted({e for rc in copies for e in rc.reach.environments},
                                  key=_ORDER.__getitem__)),
        confidence=base.reach.confidence,
        capabilities=tuple(capabilities[k] for k in sorted(capabilities)),
        evidence=tuple(evidence), why=_unique([*base.reach.why, *others]))
    cred = base.credential
    merged = Credential(
        id=cred.id, fingerprint=cred.fingerprint,
        redacted=min(rc.credential.redacted for rc in copies), provider=cred.provider,
        kind=cred.kind,
        detectors=tuple(sorted({d for rc in copies for d in rc.credential.detectors})),
        locations=tuple(sorted({loc for rc in copies for loc in rc.credential.locations})),
        facts=tuple(sorted({f for rc in copies for f in rc.credential.facts})))
    return ResolvedCredential(merged, reach)


def merge_example(by_repo: Mapping[str, Example]) -> Example:
    names = sorted(by_repo)
    base = by_repo[names[0]]
    locations = sorted({loc for n in names for loc in by_repo[n].credential.locations})
    cred = base.credential
    return Example(Credential(cred.id, cred.fingerprint, cred.redacted, cred.provider,
                              cred.kind, cred.detectors, tuple(locations), cred.facts,
                              cred.example),
                   _unique([w for n in names for w in by_repo[n].why]))


def cross_paths(paths: tuple[Path, ...], holders: Mapping[str, tuple[str, ...]],
                path_repos: Mapping[str, tuple[str, ...]]) -> tuple[CrossPath, ...]:
    """Each path, from each repository that holds its credential but does not show it."""
    found = [CrossPath(repo, path.id, path.credential_id, str(path.severity),
                       str(path.environment), path.action, path_repos[path.id])
             for path in paths for repo in holders.get(path.credential_id, ())
             if repo not in path_repos[path.id]]
    return tuple(sorted(found))


def rank(credentials: tuple[ResolvedCredential, ...], paths: tuple[Path, ...],
         holders: Mapping[str, tuple[str, ...]]) -> tuple[SharedCredential, ...]:
    """Most repositories first, then most production paths, most paths, id."""
    rows = []
    for rc in credentials:
        cred = rc.credential
        own = [p for p in paths if p.credential_id == cred.id]
        rows.append(SharedCredential(
            cred.id, cred.fingerprint, cred.redacted, rc.reach.provider, rc.reach.kind,
            holders[cred.id], len(own), sum(p.environment in _PRODUCTION for p in own)))
    return tuple(sorted(rows, key=lambda r: (-len(r.repositories), -r.production_paths,
                                             -r.paths, r.credential_id)))


def org_gate(paths: tuple[Path, ...], credentials: tuple[ResolvedCredential, ...],
             fail_on: Severity, holders: Mapping[str, tuple[str, ...]],
             accepted: Mapping[str, Mapping[str, bool]], *, failed_inputs: bool) -> Gate:
    """``failed_inputs``: a report could not be read, so what it holds is unknown and the
    gate fails (a forged, unreadable report must not be a way to pass)."""
    never = {rc.credential.id for rc in credentials if not gates(rc)}
    covered = []
    for path in paths:
        by_repo = accepted.get(path.id, {})
        if all(by_repo.get(repo, False) for repo in holders.get(path.credential_id, ("",))):
            covered.append(Acceptance(path.id, "accepted in every repository's baseline",
                                      "(per repository)"))
    skip = {a.path_id for a in covered}
    above = sorted(p.id for p in paths if p.severity.rank >= fail_on.rank and p.id not in skip)
    by_id = {p.id: p for p in paths}
    failing = tuple(p for p in above if by_id[p].credential_id not in never)
    review = tuple(p for p in above if by_id[p].credential_id in never)
    return Gate(bool(failing) or failed_inputs, fail_on, failing, tuple(covered), (), review)


def summary(counts: Mapping[str, int]) -> Summary:
    return Summary(
        files_scanned=counts.get("files_scanned", 0),
        files_skipped=tuple((r, counts.get(f"skipped:{r}", 0)) for r in sorted(SkipReason)),
        suppressed=counts.get("suppressed", 0), filtered=counts.get("filtered", 0),
        history_blobs=counts.get("history_blobs", 0), excluded=counts.get("excluded", 0),
        examples=counts.get("examples", 0))
