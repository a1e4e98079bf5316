"""What the Markdown template shows, as small frozen rows built from a result.

The template only lays these out; choosing, ordering and labelling happen here, in
typed code. Every field is still raw repository text: the template escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from blastscan.reports.common import sorted_environments, sorted_locations
from blastscan.reports.grouping import CredentialGroup, credential_label, hop_label
from blastscan.reports.remediation import Remediation
from blastscan.reports.text_parts import ARROW, location_label, plural
from blastscan.scanner.models import (
    Environment,
    Location,
    Path,
    ResolvedCredential,
    Severity,
)

SEVERITY_ICON = {
    Severity.CRITICAL: "🔴",
    Severity.HIGH: "🟠",
    Severity.MEDIUM: "🟡",
    Severity.LOW: "🔵",
    Severity.INFO: "⚪",
}


def _where(resolved: ResolvedCredential | None, path: Path) -> str:
    if resolved is None or not resolved.credential.locations:
        return path.hops[0].label if path.hops else path.credential_id
    return location_label(sorted_locations(resolved.credential.locations)[0])


@dataclass(frozen=True, slots=True)
class OperationRow:
    """One operation a credential reaches, in its block's table."""

    icon: str
    severity: Severity
    action: str
    resource: str
    environment: Environment
    backups: str
    mismatch: str
    id: str
    detail: str  # its own hops and reasons, beyond what the block says once

    @classmethod
    def of(cls, path: Path, group: CredentialGroup) -> OperationRow:
        if path.backups_in_blast_radius:
            backups = "⚠️ yes"
        elif path.backups_in_blast_radius is None:
            backups = "unknown" if path.destructive else "—"
        else:
            backups = "no"
        shared = set(group.resolved.reach.why) if group.resolved else set()
        own = group.own_hops(path)
        detail = ([f"via {ARROW.join(hop_label(h, group.resolved) for h in own)}"] if own
                  else []) + [r for r in path.why if r not in shared]
        return cls(
            icon=SEVERITY_ICON[path.severity],
            severity=path.severity,
            action=path.action,
            resource=path.resource,
            environment=path.environment,
            backups=backups,
            mismatch=f"⚠️ {path.mismatch}" if path.mismatch else "—",
            id=path.id,
            detail="; ".join(detail),
        )


@dataclass(frozen=True, slots=True)
class CredentialBlock:
    """A credential with its reach said once, its operations ranked, and how to close it."""

    icon: str
    credential: str
    where: str
    facts: str
    reasons: tuple[str, ...]
    route: str
    rows: tuple[OperationRow, ...]
    more_rows: int
    fix: Remediation | None  # how to close it; None past the blocks that spell it out

    @classmethod
    def of(cls, group: CredentialGroup, limit: int, *, with_fix: bool) -> CredentialBlock:
        resolved, first = group.resolved, group.paths[0]
        facts, reasons = "", tuple[str, ...]()
        if resolved is not None:
            reach = resolved.reach
            environments = ", ".join(sorted_environments(reach.environments)) or "—"
            facts = (f"scope {reach.scope} · environments {environments}"
                     f" · confidence {reach.confidence}")
            reasons = reach.why
        return cls(
            icon=SEVERITY_ICON[group.worst],
            credential=credential_label(resolved) if resolved else group.credential_id,
            where=_where(resolved, first),
            facts=facts,
            reasons=reasons,
            route=ARROW.join(hop_label(h, resolved) for h in group.route),
            rows=tuple(OperationRow.of(p, group) for p in group.paths[:limit]),
            more_rows=max(0, len(group.paths) - limit),
            fix=group.fix() if with_fix else None,
        )


@dataclass(frozen=True, slots=True)
class CredentialRow:
    """One credential in the credentials table."""

    credential: str
    scope: str
    environments: str
    confidence: str
    where: str
    worst: str

    @classmethod
    def of(cls, resolved: ResolvedCredential, environments: list[Environment],
           locations: list[Location], worst: dict[str, Severity]) -> CredentialRow:
        where = location_label(locations[0]) if locations else "—"
        if len(locations) > 1:
            where += f" (+{plural(len(locations) - 1, 'more location')})"
        severity = worst.get(resolved.credential.id)
        return cls(
            credential=credential_label(resolved),
            scope=str(resolved.reach.scope),
            environments=", ".join(environments) or "—",
            confidence=str(resolved.reach.confidence),
            where=where,
            worst=f"{SEVERITY_ICON[severity]} {severity}" if severity else "—",
        )
