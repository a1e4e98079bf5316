"""Choosing the steps that close one path, from the remediation knowledge.

A step applies when its condition holds for the path (:class:`When`), its ``kinds`` name
the credential's kind and its ``actions`` the path's operation. The "*" entry's steps
come first (revoke, git history, a misleading label), then the provider's own, in file
order; a provider without an entry gets the ``_uncovered`` one, which says so. What the
path shows decides the wording: a backups step appears only when the backups are in the
blast radius, a deletion-protection step only when none was found in the repository.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache, partial

from blastscan.reports.remediation.load import advice_table
from blastscan.reports.remediation.model import Advice, Fix, Remediation, Step, When
from blastscan.scanner.models import Environment, Path, ResolvedCredential, Scope, SourceKind

#: Scopes already as narrow as a credential gets: no "use instead" for these.
NARROW = frozenset({Scope.ENVIRONMENT, Scope.READ_ONLY})
COMMON = "*"
UNCOVERED = "_uncovered"


def advice_for(provider: str) -> Advice:
    """The provider's own advice, or the ``_uncovered`` entry."""
    table = advice_table()
    return table.get(provider) or table[UNCOVERED]


def facts(path: Path, resolved: ResolvedCredential | None) -> frozenset[When]:
    """The conditions that hold for ``path`` (an unresolved credential counts as broad, an
    unknown environment as production: design.md presumes it, and so does the severity)."""
    production = path.environment in (Environment.PRODUCTION, Environment.UNKNOWN)
    held = {When.ALWAYS}
    if resolved is None or resolved.reach.scope not in NARROW:
        held.add(When.BROAD)
    if production:
        held.add(When.PRODUCTION)
    if path.backups_in_blast_radius:
        held.add(When.BACKUPS)
    elif path.backups_in_blast_radius is None and path.destructive:
        held.add(When.BACKUPS_UNKNOWN)
    if path.destructive and production and not path.mitigations:
        held.add(When.UNPROTECTED)
    if path.mismatch:
        held.add(When.MISMATCH)
    if resolved and any(loc.source is SourceKind.GIT_HISTORY
                        for loc in resolved.credential.locations):
        held.add(When.HISTORY)
    if resolved and any(c.startswith("terraform state ")
                        for c in resolved.credential.facts_for("container")):
        held.add(When.STATE)
    return frozenset(held)


def _applies(fix: Fix, held: frozenset[When], kind: str, action: str) -> bool:
    return (fix.when in held and (not fix.kinds or kind in fix.kinds)
            and (not fix.actions or action in fix.actions))


def remediation_for(path: Path, resolved: ResolvedCredential | None) -> Remediation:
    """What closes ``path``: the narrower credential, the steps and their sources."""
    provider = resolved.reach.provider if resolved else "generic"
    kind = resolved.reach.kind if resolved else "credential"
    return _remediation(provider, kind, facts(path, resolved), path.action, path.resource,
                        str(path.environment))


# Reports ask once per path, and a scan's paths repeat a few (credential kind, operation,
# resource) shapes thousands of times: compute each shape once.
@lru_cache(maxsize=4096)
def _remediation(provider: str, kind: str, held: frozenset[When], action: str, resource: str,
                 environment: str) -> Remediation:
    own = advice_for(provider)
    # Our own text with the path's labels filled in; format() never re-reads a value.
    fields = {"provider": provider, "kind": kind.replace("_", " "), "resource": resource,
              "environment": environment, "action": action}
    steps = tuple(
        Step(fix.action.format(**fields), fix.why.format(**fields), fix.sources,
             fix.uncertain.format(**fields) if fix.uncertain else None, fix.key)
        for entry in (advice_table()[COMMON], own) for fix in entry.fixes
        if _applies(fix, held, kind, action))
    narrower = own.narrower if When.BROAD in held else None
    if narrower and own.uncertain:  # folded in, so every reporter shows it beside the advice
        narrower = f"{narrower} (UNCERTAIN: {own.uncertain})"
    sources = own.sources if narrower else ()
    for step in steps:
        sources += step.sources
    return Remediation(narrower, steps, tuple(dict.fromkeys(sources)))


def merged(fixes: list[Remediation]) -> Remediation:
    """Several paths' remediations as one (a credential's paths, a SARIF rule's): each fix
    once, worded for the first (worst) path that needs it, so the steps for every
    operation it reaches are there without one copy per resource."""
    narrower = next((f.narrower for f in fixes if f.narrower), None)
    chosen: dict[str, Step] = {}
    for fix in fixes:
        for step in fix.steps:
            chosen.setdefault(step.key, step)
    steps = tuple(chosen.values())
    sources = tuple(dict.fromkeys(source for fix in fixes for source in fix.sources))
    return Remediation(narrower, steps, sources)


def per_credential(paths: list[Path], by_id: Mapping[str, ResolvedCredential]
                   ) -> list[tuple[str, ResolvedCredential | None, Callable[[], Remediation]]]:
    """``paths`` grouped by credential, in the order of each one's first path: its id, the
    credential, and a function merging its paths' remediations (so a report that shows a
    few credentials does not compute the others')."""
    groups: dict[str, list[Path]] = {}
    for path in paths:
        groups.setdefault(path.credential_id, []).append(path)
    return [(cid, by_id.get(cid), partial(_merge_group, group, by_id.get(cid)))
            for cid, group in groups.items()]


def _merge_group(group: list[Path], resolved: ResolvedCredential | None) -> Remediation:
    return merged([remediation_for(p, resolved) for p in group])
