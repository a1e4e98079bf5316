"""Core value types shared by every stage of the pipeline.

Everything here is a frozen, slotted dataclass or a ``StrEnum`` so that results can be
hashed, sorted and compared, and so that nothing downstream mutates a finding. The only
type that ever holds a raw secret is :class:`Candidate`, and it never leaves the
detection stage: :func:`blastscan.scanner.pipeline.credentials.merge` turns candidates into
:class:`Credential` objects that carry a fingerprint and a redacted preview instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from blastscan.scanner.organisation import Organisation, Reference


class SourceKind(StrEnum):
    """Where an agent can read a credential from (JSON ``source``)."""

    WORKTREE = "worktree"
    GIT_HISTORY = "git-history"
    AGENT_CONFIG = "agent-config"
    HOME = "home"
    ENVIRONMENT = "environment"


class Environment(StrEnum):
    PRODUCTION = "production"
    STAGING = "staging"
    DEVELOPMENT = "development"
    TEST = "test"
    UNKNOWN = "unknown"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; used for ``--fail-on`` comparisons and sorting."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Scope(StrEnum):
    ACCOUNT = "account"
    WORKSPACE = "workspace"
    PROJECT = "project"
    ENVIRONMENT = "environment"
    READ_ONLY = "read-only"
    UNKNOWN = "unknown"


class SkipReason(StrEnum):
    """Why discovery or reading passed over a file (counted in the summary)."""

    BINARY = "binary"
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"
    SYMLINK = "symlink"
    SYMLINK_OUTSIDE_ROOT = "symlink_outside_root"
    DEPENDENCY_DIR = "dependency_dir"
    OWN_REPORT = "own_report"  # a report blastscan wrote: read for pasted secrets only
    # A FIFO, socket or device in the tree: never opened (a FIFO's open blocks forever).
    NOT_REGULAR = "not_regular"
    # A parser could not finish the file (an alias bomb, nesting past the stack, memory):
    # what the other readers found in its text still counts; the skip says it was not read
    # in full.
    UNPARSEABLE = "unparseable"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place a credential was read from. ``path`` is relative to the target, POSIX."""

    path: str
    line: int
    source: SourceKind = SourceKind.WORKTREE
    commit: str | None = None
    # 1-based column (in code points) where the detector saw the secret start, 0 when not
    # known (an imported finding). Not part of a location's identity: the same secret on
    # the same line is one location, and baselines never key on columns.
    column: int = field(default=0, compare=False)
    # The column just past the secret, 0 unless the text there is the secret itself.
    end_column: int = field(default=0, compare=False)

    def label(self) -> str:
        return f"{self.path}:{self.line}"

    def source_label(self) -> str:
        """The label of this location's source hop on a path (``file:line [git-history
        1a2b3c4d]``): one place, for the graph and for a saved report read back."""
        if self.source is SourceKind.WORKTREE:
            return self.label()
        commit = f" {self.commit[:8]}" if self.commit else ""
        return f"{self.label()} [{self.source}{commit}]"


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """One reason behind a verdict, pinned to file:line so a reviewer can check it."""

    path: str
    line: int
    reason: str


@dataclass(frozen=True, slots=True, order=True)
class Usage:
    """How code in the repository uses something: a header, host, operation or environment.

    ``names`` are the identifiers on the same line, so a usage can be joined to the
    credential whose variable it mentions (``Bearer {RAILWAY_TOKEN}``).
    """

    path: str
    line: int
    kind: str
    value: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible secret, as a detector saw it. Holds the raw value: never reported.

    ``facts`` are non-secret observations the detector made (the variable it was
    assigned to, the key mode, a JWT role claim, a database host...) as sorted
    ``(key, value)`` pairs; the resolver reads them. ``identity`` is a non-secret
    qualifier hashed into the fingerprint with the secret (the AWS key id of a secret
    key, ``user@host/db`` of a database password) so that one password used on two
    hosts stays two credentials. ``preview`` replaces the default redacted preview
    when the detector can show something more useful that holds no secret.
    """

    detector: str
    provider: str
    kind: str
    secret: str = field(repr=False)
    location: Location
    facts: tuple[tuple[str, str], ...] = ()
    identity: str = ""
    preview: str | None = None
    example: str | None = None  # why it reads as a documentation example (no value in it)

    def fact(self, key: str) -> str | None:
        for k, v in self.facts:
            if k == key:
                return v
        return None


@dataclass(frozen=True, slots=True)
class Credential:
    """A secret after filtering, merged by fingerprint across its locations."""

    id: str
    fingerprint: str
    redacted: str
    provider: str
    kind: str
    detectors: tuple[str, ...]
    locations: tuple[Location, ...]
    facts: tuple[tuple[str, str], ...] = ()
    # Set only when every place it was found reads as a documentation example.
    example: str | None = None
    # The unkeyed fingerprint, for baselines written before keyed fingerprints: matched
    # against, never reported (it would let a report holder test password guesses).
    legacy_fingerprint: str = field(default="", repr=False)

    def fact(self, key: str) -> str | None:
        for k, v in self.facts:
            if k == key:
                return v
        return None

    def facts_for(self, key: str) -> tuple[str, ...]:
        return tuple(v for k, v in self.facts if k == key)


@dataclass(frozen=True, slots=True)
class Capability:
    """One thing a credential can do to a resource, with the reasons it can."""

    action: str
    resource: str
    destructive: bool
    backups_in_blast_radius: bool | None
    why: tuple[str, ...] = ()
    mitigations: tuple[str, ...] = ()  # protections proven in the repository (IaC)


#: How a capability's ``why`` says the repository's own code calls the operation (the
#: reports' verdict line names such an operation first).
INVOKED = "this repository invokes"


@dataclass(frozen=True, slots=True)
class Reach:
    """What a credential can reach, as the resolver concluded from static evidence."""

    provider: str
    kind: str
    scope: Scope
    environments: tuple[Environment, ...]
    confidence: Confidence
    capabilities: tuple[Capability, ...]
    evidence: tuple[Evidence, ...]
    why: tuple[str, ...] = ()
    mismatch: str | None = None  # a non-production label on a credential reaching production


@dataclass(frozen=True, slots=True)
class ResolvedCredential:
    credential: Credential
    reach: Reach


@dataclass(frozen=True, slots=True)
class Hop:
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class Path:
    """A route from the agent workspace to an operation, with its severity."""

    id: str
    severity: Severity
    credential_id: str
    environment: Environment
    resource: str
    action: str
    destructive: bool
    backups_in_blast_radius: bool | None
    hops: tuple[Hop, ...]
    why: tuple[str, ...]
    mitigations: tuple[str, ...] = ()
    mismatch: str | None = None  # set on production paths of a mismatched credential


@dataclass(frozen=True, slots=True)
class Acceptance:
    """A path the baseline covers: accepted until ``expires`` (ISO date), then gating again."""

    path_id: str
    reason: str
    owner: str
    expires: str | None = None
    expired: bool = False


@dataclass(frozen=True, slots=True, order=True)
class StaleEntry:
    """A baseline entry that matches nothing any more (the secret or the file is gone)."""

    fingerprint: str
    path: str
    action: str
    environment: str
    owner: str
    reason: str


@dataclass(frozen=True, slots=True)
class BaselineSummary:
    accepted: int
    expired: int
    stale: tuple[StaleEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Summary:
    files_scanned: int
    files_skipped: tuple[tuple[SkipReason, int], ...]
    suppressed: int
    filtered: int
    history_blobs: int = 0  # unique git blobs read (not counting current worktree files)
    excluded: int = 0  # files left out by include/exclude globs (asked for, not skipped)
    baseline: BaselineSummary | None = None  # set when the scan ran with a baseline
    examples: int = 0  # credentials set aside as documentation examples


@dataclass(frozen=True, slots=True)
class Gate:
    failed: bool
    fail_on: Severity
    failing_paths: tuple[str, ...]
    accepted: tuple[Acceptance, ...] = ()  # paths the baseline accepts (not failing)
    expired: tuple[Acceptance, ...] = ()  # paths whose baseline entry expired (gating again)
    review_only: tuple[str, ...] = ()  # paths at or above fail_on of kinds that never gate

    def acceptance(self, path_id: str) -> Acceptance | None:
        """The baseline's word on one path (accepted or expired), if it has one."""
        return next((a for a in (*self.accepted, *self.expired) if a.path_id == path_id), None)


@dataclass(frozen=True, slots=True)
class Example:
    """A credential set aside as a documentation example: listed, never reached or gated."""

    credential: Credential
    why: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a report came from (collected by the CLI, never by a reporter). ``None``
    fields are unknown: not a repository, an unreadable HEAD, a detached HEAD's branch."""

    commit: str | None = None
    branch: str | None = None
    started: str | None = None  # ISO 8601 UTC; a timestamp only when a person asked for one
    arguments: tuple[str, ...] = ()  # the command line, secrets-free (pipeline.provenance)


@dataclass(frozen=True, slots=True)
class ScanResult:
    target: str
    tool_version: str
    summary: Summary
    credentials: tuple[ResolvedCredential, ...]
    paths: tuple[Path, ...]
    gate: Gate
    examples: tuple[Example, ...] = ()
    provenance: Provenance | None = None
    # ``hmac-sha256:<key id>``: reports join by fingerprint only under one scheme.
    fingerprint_scheme: str = ""
    organisation: Organisation | None = None  # set on a ``blastscan merge`` result only
    # Workflow secrets named without being held here: what ``merge`` joins by name.
    references: tuple[Reference, ...] = ()
