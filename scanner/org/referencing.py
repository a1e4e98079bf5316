"""Paths that cross repositories by reference: B's production workflow names a secret
that only A's credential is assigned to (issue 16).

The join is on the variable name, which is all the reports hold: B's report records
``secrets.RAILWAY_TOKEN`` at ``path:line`` and the job's environments
(:mod:`blastscan.scanner.reach.references`), A's credential carries the name it was
assigned to. A shared name is not a shared value (B's secret store is not readable
statically), so each entry says "referenced by name", is listed apart from and below
the fingerprint joins, and does not gate. Only a job proven to run in production
counts: "B proves production reach" is the claim, and an unknown environment does not
prove it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from blastscan.scanner.models import Environment, ResolvedCredential
from blastscan.scanner.organisation import Reference, ReferencedPath

_PRODUCTION = str(Environment.PRODUCTION)


def by_reference(references: Mapping[str, tuple[Reference, ...]],
                 credentials: tuple[ResolvedCredential, ...],
                 holders: Mapping[str, tuple[str, ...]]) -> tuple[ReferencedPath, ...]:
    """``references``: per repository, as its report recorded them (paths unprefixed);
    ``holders``: credential id -> the repositories holding it."""
    named: dict[str, list[ResolvedCredential]] = defaultdict(list)
    for rc in credentials:
        for name in sorted(set(rc.credential.facts_for("name"))):
            named[name].append(rc)
    found: set[ReferencedPath] = set()
    for repo, refs in references.items():
        for ref in refs:
            if _PRODUCTION not in ref.environments:
                continue
            for rc in named.get(ref.name, ()):
                found_in = holders[rc.credential.id]
                if repo in found_in:  # B holds it too: the fingerprint join covers it
                    continue
                found.add(_entry(repo, ref, rc, found_in))
    return tuple(sorted(found))


def _entry(repo: str, ref: Reference, rc: ResolvedCredential,
           found_in: tuple[str, ...]) -> ReferencedPath:
    cred = rc.credential
    evidence = f"{repo}/{ref.path}:{ref.line}"
    first = min(cred.locations)
    why = (f"{evidence} uses secrets.{ref.name} in a production job, and credential {cred.id}"
           f" ({rc.reach.provider} {rc.reach.kind}) is assigned to {ref.name} at"
           f" {first.path}:{first.line}; referenced by name only: the value of"
           f" {repo}'s secret is in no report, so it is not proven to be this credential")
    return ReferencedPath(repo, cred.id, ref.name, _PRODUCTION, evidence, found_in, why)
