"""What ``blastscan merge`` adds to a result: the organisation section (issue 16).

A merged result is an ordinary :class:`~blastscan.scanner.models.ScanResult` (so every
reporter renders it) whose locations and evidence are prefixed with their repository's
name, plus this section: which repositories went in, which reports were skipped and why,
the credentials ranked by how many repositories hold them and how many production paths
they open, and the paths that cross repositories. Plain values only (severities and
environments as their strings): :mod:`blastscan.scanner.models` imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Repository:
    """One input report: the repository's name (the report file's stem) and its own gate."""

    name: str
    target: str
    gate: str  # "pass" or "fail", as that report's own gate said
    credentials: int
    paths: int


@dataclass(frozen=True, slots=True, order=True)
class SkippedReport:
    """An input that could not be read as a blastscan report: never a crash, never silent."""

    file: str
    reason: str


@dataclass(frozen=True, slots=True)
class SharedCredential:
    """One credential of the organisation, joined by fingerprint across repositories.

    ``production_paths``: paths in production, proven or presumed (``unknown``), that the
    credential opens in any repository: an agent in each of ``repositories`` reaches all.
    """

    credential_id: str
    fingerprint: str
    redacted: str
    provider: str
    kind: str
    repositories: tuple[str, ...]
    paths: int
    production_paths: int


@dataclass(frozen=True, slots=True, order=True)
class CrossPath:
    """A path an agent in ``repository`` can take although that repository's own report
    does not show it: the credential sits there too, and ``proven_in`` shows the reach."""

    repository: str
    path_id: str
    credential_id: str
    severity: str
    environment: str
    action: str
    proven_in: tuple[str, ...]


@dataclass(frozen=True, slots=True, order=True)
class Reference:
    """A secret a repository's CI workflow names without holding it (``secrets.NAME`` at
    ``path:line``), and the environments of that job: recorded on every single-repository
    result, because the credential behind the name may sit in another repository."""

    name: str
    path: str
    line: int
    environments: tuple[str, ...]  # Environment values, as that workflow names them


@dataclass(frozen=True, slots=True, order=True)
class ReferencedPath:
    """A credential of ``found_in`` whose variable name ``repository``'s production
    workflow uses (``evidence``, prefixed with the repository). Referenced by name only:
    no report holds the value behind B's secret, so it is not proven to be the same
    credential, and it ranks below every fingerprint join and does not gate."""

    repository: str
    credential_id: str
    name: str
    environment: str
    evidence: str
    found_in: tuple[str, ...]
    why: str


@dataclass(frozen=True, slots=True)
class Organisation:
    fingerprint_scheme: str
    repositories: tuple[Repository, ...]
    skipped: tuple[SkippedReport, ...]
    ranking: tuple[SharedCredential, ...]
    cross: tuple[CrossPath, ...]
    by_reference: tuple[ReferencedPath, ...] = ()
