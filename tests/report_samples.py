"""A hand-built :class:`ScanResult` for reporter tests: the incident from design.md.

A Railway account token sits in ``tools/analytics/export_bookings.py:7``, a file that
has nothing to do with the task; it is account-wide, so it reaches production, and the
volume's backups live on the volume. Beside it: a staging project token (a medium
path), and an unattributed secret in an agent config (an info path). Built by hand,
not by the engine, so reporter tests do not move when detection or reach rules do.
The secrets themselves appear nowhere: the model only ever holds fingerprints and
redacted previews.
"""

from __future__ import annotations

from blastscan.scanner.models import (
    Capability,
    Confidence,
    Credential,
    Environment,
    Evidence,
    Gate,
    Hop,
    Location,
    Path,
    Reach,
    ResolvedCredential,
    ScanResult,
    Scope,
    Severity,
    SkipReason,
    SourceKind,
    Summary,
)

EXPORT = "tools/analytics/export_bookings.py"
VOLUME = "railway volume (project-wide)"
ACCOUNT_WHY = (
    "account-wide token: no environment or operation restriction",
    "project 'bookings' has a production environment",
    "volume backups are stored on the volume itself",
)


def _railway_account() -> ResolvedCredential:
    credential = Credential(
        id="c-1a7e0c94",
        fingerprint="hmac-sha256:9b1f3c2d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c",
        redacted="47ea…",
        provider="railway",
        kind="account_token",
        detectors=("railway-context-uuid",),
        locations=(
            Location(EXPORT, 7),
            Location(EXPORT, 7, SourceKind.GIT_HISTORY, "3e8c1f0a9b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e"),
        ),
        facts=(("variable", "RAILWAY_TOKEN"),),
    )
    evidence = (
        Evidence(EXPORT, 12, "sent as 'Authorization: Bearer' to backboard.railway.app"),
        Evidence("railway.toml", 1, "project 'bookings' declares environments production, staging"),
    )
    capabilities = (
        Capability("railway.volume.delete", VOLUME, destructive=True, backups_in_blast_radius=True),
        Capability("railway.variables.read", "railway variables (all services)", False, None),
    )
    reach = Reach(
        "railway", "account_token", Scope.ACCOUNT,
        (Environment.STAGING, Environment.PRODUCTION), Confidence.HIGH,
        capabilities, evidence, why=ACCOUNT_WHY[:1],
    )  # fmt: skip
    return ResolvedCredential(credential, reach)


def _railway_staging() -> ResolvedCredential:
    credential = Credential(
        id="c-5d20b6f1",
        fingerprint="hmac-sha256:0c4e2a7f1b9d3e5c7a9f1b3d5e7c9a1f3b5d7e9c1a3f5b7d9e1c3a5f7b9d1e3a",
        redacted="e1c0…",
        provider="railway",
        kind="project_token",
        detectors=("railway-context-uuid",),
        locations=(Location(".env.staging", 3),),
    )
    volume = Capability("railway.volume.delete", "railway volume (staging)", True, False)
    reach = Reach(
        "railway", "project_token", Scope.ENVIRONMENT, (Environment.STAGING,), Confidence.HIGH,
        (volume,), (Evidence(".env.staging", 3, "sent as 'Project-Access-Token' header"),),
    )  # fmt: skip
    return ResolvedCredential(credential, reach)


def _generic() -> ResolvedCredential:
    credential = Credential(
        id="c-9f43aa02",
        fingerprint="hmac-sha256:7e5c3a1f9d7b5e3c1a9f7d5b3e1c9a7f5d3b1e9c7a5f3d1b9e7c5a3f1d9b7e5c",
        redacted="x9Q…",
        provider="generic",
        kind="high_entropy_string",
        detectors=("generic-assignment",),
        locations=(Location(".mcp.json", 9, SourceKind.AGENT_CONFIG),),
    )
    reach = Reach(
        "generic", "high_entropy_string", Scope.UNKNOWN, (Environment.UNKNOWN,), Confidence.LOW,
        (), (), why=("no provider could be attributed",),
    )  # fmt: skip
    return ResolvedCredential(credential, reach)


def _path(
    path_id: str,
    severity: Severity,
    credential: tuple[str, str, str],
    env: Environment,
    resource: str,
    action: str,
    backups: bool | None,
    why: tuple[str, ...],
) -> Path:
    """A path through the usual hops; ``credential`` is (id, source label, scope label)."""
    cred_id, source, scope = credential
    labels = (source, cred_id, scope, str(env), resource, action)
    kinds = ("source", "credential", "scope", "environment", "resource", "operation")
    hops = tuple(Hop(k, v) for k, v in zip(kinds, labels, strict=True))
    destructive = action.endswith(".delete")
    return Path(path_id, severity, cred_id, env, resource, action, destructive, backups, hops, why)


def incident_paths() -> tuple[Path, ...]:
    """Four paths, deliberately out of order so that reporters must sort them."""
    account = ("c-1a7e0c94", f"{EXPORT}:7", "account")
    staging = ("c-5d20b6f1", ".env.staging:3", "environment staging")
    generic = ("c-9f43aa02", ".mcp.json:9", "unknown")
    return (
        _path(
            "p-0b9e", Severity.INFO, generic, Environment.UNKNOWN, "unknown service",
            "generic.use", None, ("provider unknown: reach cannot be shown",),
        ),
        _path(
            "p-7c11", Severity.MEDIUM, staging, Environment.STAGING, "railway volume (staging)",
            "railway.volume.delete", False, ("project token scoped to the staging environment",),
        ),
        _path(
            "p-e402", Severity.HIGH, account, Environment.PRODUCTION,
            "railway variables (all services)", "railway.variables.read", None,
            ("reads every production secret, which widens reach further",),
        ),
        _path(
            "p-3f2a", Severity.CRITICAL, account, Environment.PRODUCTION, VOLUME,
            "railway.volume.delete", True, ACCOUNT_WHY,
        ),
    )  # fmt: skip


def incident_result() -> ScanResult:
    """The incident: the gate fails on the production volume delete."""
    skipped = ((SkipReason.BINARY, 6), (SkipReason.DEPENDENCY_DIR, 3), (SkipReason.TOO_LARGE, 1))
    return ScanResult(
        target=".",
        tool_version="0.1.0",
        summary=Summary(files_scanned=214, files_skipped=skipped, suppressed=1, filtered=4),
        credentials=(_generic(), _railway_staging(), _railway_account()),
        paths=incident_paths(),
        gate=Gate(failed=True, fail_on=Severity.CRITICAL, failing_paths=("p-3f2a",)),
        fingerprint_scheme="hmac-sha256:0123456789abcdef",
    )
