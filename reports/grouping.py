"""One credential, one block: how every report groups and ranks a credential's paths.

A token that reaches six operations used to print six blocks, each repeating the same
hop chain and the same reasons (issue 21). Text, Markdown and HTML now show a credential
once, with the route its paths share, then its operations ranked, then how to close it;
the grouping and the ranking live here so the three formats cannot disagree. Path ids
stay on every operation (``explain``, the baseline and SARIF are keyed on them).

Within a credential the order is: worst severity first; then paths whose backups are in
the blast radius (nothing is left to restore from); then the widest resource (deleting
a workspace takes every project in it); then the path id, so the order is total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from blastscan.reports.remediation import Remediation, merged, remediation_for
from blastscan.scanner.models import Hop, Path, ResolvedCredential, Severity

#: Container nouns, widest first. A resource label is ranked by the first word of its
#: head (the text before any parenthesis): "railway workspace (all its projects)" is a
#: workspace. A label naming none of these ranks last: width unknown is not wide.
WIDTH_TIERS: tuple[frozenset[str], ...] = (
    frozenset({"organization", "organisation", "enterprise", "account", "tenant",
               "subscription"}),
    frozenset({"workspace", "team", "group", "folder"}),
    frozenset({"project", "cluster", "repository", "repositories", "app", "application"}),
    frozenset({"environment", "environments", "namespace", "namespaces", "region"}),
    frozenset({"database", "databases", "bucket", "buckets", "instance", "instances",
               "service", "services", "volume", "volumes", "index", "indexes", "zone"}),
)
#: Hops the operation's heading names already (action on resource in environment).
HEADING_KINDS = frozenset({"environment", "resource", "operation"})


@dataclass(frozen=True, slots=True)
class CredentialGroup:
    """A credential's paths, ranked, with what they share said once."""

    credential_id: str
    resolved: ResolvedCredential | None
    paths: tuple[Path, ...]  # ranked, never empty
    route: tuple[Hop, ...]  # the hops every path starts with (source → credential → scope)

    @property
    def worst(self) -> Severity:
        return self.paths[0].severity

    def fix(self) -> Remediation:
        """How to close it: every path's steps, each once, worded for the top-ranked path
        that needs it (computed on demand: a report may show only a few credentials')."""
        return merged([remediation_for(p, self.resolved) for p in self.paths])

    def own_hops(self, path: Path) -> tuple[Hop, ...]:
        """The hops of ``path`` past the shared route that its heading does not name."""
        return tuple(h for h in path.hops[len(self.route):] if h.kind not in HEADING_KINDS)


def credential_label(resolved: ResolvedCredential) -> str:
    """A credential as people recognise it: provider, kind and the redacted preview."""
    reach = resolved.reach
    return f"{reach.provider} {reach.kind} ({resolved.credential.redacted})"


def hop_label(hop: Hop, resolved: ResolvedCredential | None) -> str:
    """A hop's label, the credential hop named by :func:`credential_label` whatever label
    the graph gave it."""
    return credential_label(resolved) if hop.kind == "credential" and resolved else hop.label


def width(resource: str) -> int:
    """How wide ``resource`` is: higher is wider (0 for a label naming no known container)."""
    head = resource.split("(", 1)[0].lower().split()
    for word in head:
        for tier, nouns in enumerate(WIDTH_TIERS):
            if word in nouns:
                return len(WIDTH_TIERS) - tier
    return 0


def rank_key(path: Path) -> tuple[int, bool, int, str]:
    return (-path.severity.rank, path.backups_in_blast_radius is not True,
            -width(path.resource), path.id)


def shared_route(paths: Iterable[Path]) -> tuple[Hop, ...]:
    """The longest run of hops every path starts with, up to (not into) the heading's."""
    routes = [p.hops for p in paths]
    if not routes:
        return ()
    common: list[Hop] = []
    for hops in zip(*routes, strict=False):
        if any(h != hops[0] for h in hops) or hops[0].kind in HEADING_KINDS:
            break
        common.append(hops[0])
    return tuple(common)


def group_paths(paths: Iterable[Path],
                by_id: Mapping[str, ResolvedCredential]) -> list[CredentialGroup]:
    """``paths`` grouped by credential: groups worst first (then by credential id), each
    group's paths ranked (see the module docstring)."""
    mine: dict[str, list[Path]] = {}
    for path in paths:
        mine.setdefault(path.credential_id, []).append(path)
    groups = []
    for credential_id, members in mine.items():
        ranked = tuple(sorted(members, key=rank_key))
        resolved = by_id.get(credential_id)
        groups.append(CredentialGroup(credential_id, resolved, ranked, shared_route(ranked)))
    return sorted(groups, key=lambda g: (-g.worst.rank, g.credential_id))
