"""What the Markdown template shows, as small frozen rows built from a result.

The template only lays these out; choosing, ordering and labelling happen here, in
typed code. Every field is still raw repository text: the template escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from blastscan.reports.common import sorted_locations
from blastscan.reports.text_parts import credential_label, location_label, plural
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
class PathRow:
    """One critical or high path in the main table."""

    icon: str
    severity: Severity
    where: str
    credential: str
    environment: Environment
    action: str
    backups: str
    mismatch: str

    @classmethod
    def of(cls, path: Path, resolved: ResolvedCredential | None) -> PathRow:
        if path.backups_in_blast_radius:
            backups = "⚠️ yes"
        elif path.backups_in_blast_radius is None:
            backups = "unknown" if path.destructive else "—"
        else:
            backups = "no"
        return cls(
            icon=SEVERITY_ICON[path.severity],
            severity=path.severity,
            where=_where(resolved, path),
            credential=credential_label(resolved) if resolved else path.credential_id,
            environment=path.environment,
            action=path.action,
            backups=backups,
            mismatch=f"⚠️ {path.mismatch}" if path.mismatch else "—",
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


@dataclass(frozen=True, slots=True)
class WhyPath:
    action: str
    resource: str
    environment: Environment
    reasons: tuple[str, ...]  # beyond the credential's shared reasons

    @property
    def detail(self) -> str:
        return ": " + "; ".join(self.reasons) if self.reasons else ""


@dataclass(frozen=True, slots=True)
class WhyGroup:
    """A credential's critical paths: its shared reasons said once, then each path's own."""

    credential: str
    where: str
    reasons: tuple[str, ...]
    paths: tuple[WhyPath, ...]


def why_groups(paths: list[Path], by_id: dict[str, ResolvedCredential]) -> list[WhyGroup]:
    """Group ``paths`` by credential, in the order the paths come."""
    groups: list[WhyGroup] = []
    for credential_id in dict.fromkeys(p.credential_id for p in paths):
        resolved = by_id.get(credential_id)
        mine = [p for p in paths if p.credential_id == credential_id]
        shared = resolved.reach.why if resolved else ()
        groups.append(WhyGroup(
            credential=credential_label(resolved) if resolved else credential_id,
            where=_where(resolved, mine[0]),
            reasons=shared,
            paths=tuple(
                WhyPath(p.action, p.resource, p.environment,
                        tuple(r for r in p.why if r not in shared))
                for p in mine
            ),
        ))
    return groups
