"""The remediation model: sourced steps, a provider's advice, and the fix for one path.

Frozen dataclasses (house style 2). :class:`Fix` is knowledge (one entry of the data
files, with the conditions under which it applies); :class:`Step` is what a report
shows for one path, its placeholders filled; :class:`Remediation` is every step for a
path plus the narrower credential and the union of the sources, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class When(StrEnum):
    """When a step applies to a path (tested in :mod:`.select`)."""

    ALWAYS = "always"
    BROAD = "broad"  # the credential's scope is not proven narrow
    PRODUCTION = "production"  # the path reaches production (or an unknown, presumed one)
    BACKUPS = "backups"  # the path's backups are in the blast radius
    BACKUPS_UNKNOWN = "backups_unknown"  # destructive, and whether backups survive is unknown
    UNPROTECTED = "unprotected"  # a production delete with no protection found in the repo
    MISMATCH = "mismatch"  # a non-production label on a credential reaching production
    HISTORY = "history"  # a copy of the secret sits in git history
    STATE = "state"  # the secret was read out of a Terraform state file


@dataclass(frozen=True, slots=True)
class Fix:
    """One step of knowledge: its text, its sources and when it applies."""

    key: str  # where it is written ("core.toml:advice[1].step[0]"): its identity
    when: When
    action: str
    why: str
    sources: tuple[str, ...]
    kinds: frozenset[str] = frozenset()  # empty: any kind
    actions: frozenset[str] = frozenset()  # empty: any operation
    uncertain: str | None = None


@dataclass(frozen=True, slots=True)
class Advice:
    """A provider's narrower credential and the steps that close its paths."""

    providers: tuple[str, ...]
    narrower: str
    why: str
    sources: tuple[str, ...]
    fixes: tuple[Fix, ...] = ()
    uncertain: str | None = None  # what the sources do not confirm about the narrower one


@dataclass(frozen=True, slots=True)
class Step:
    """One thing to do for a path, and why it closes (part of) it."""

    action: str
    why: str
    sources: tuple[str, ...] = ()
    uncertain: str | None = None
    key: str = ""  # the :class:`Fix` it comes from, so merging keeps one step per fix


@dataclass(frozen=True, slots=True)
class Remediation:
    """What closes one path: the credential to use instead (None when the scope is
    already narrow), the steps, most urgent first, and every source they rest on."""

    narrower: str | None
    steps: tuple[Step, ...]
    sources: tuple[str, ...]
