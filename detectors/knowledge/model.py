"""The provider knowledge base as typed, frozen values (built by :mod:`knowledge_schema`).

A :class:`Provider` holds what providers.md says about one provider: token kinds with
their scope, the destructive operations each kind allows, backup behaviour, the
variables, hosts and headers that show a credential is in use, the token formats a
detector can look for, and test samples for those formats. Every fact carries its
``source``; ``uncertain`` notes what could not be confirmed (and resolves fail-closed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from blastscan.scanner.errors import KnowledgeError
from blastscan.scanner.models import Scope


@dataclass(frozen=True, slots=True)
class Operation:
    id: str
    resource: str
    destructive: bool
    backups_in_blast_radius: bool | None
    names: tuple[str, ...]
    why: str
    source: str
    uncertain: str | None


@dataclass(frozen=True, slots=True)
class Kind:
    id: str
    scope: Scope
    environment_scoped: bool
    operations: tuple[str, ...]
    why: str
    source: str
    uncertain: str | None = None
    # False: reported for review at its severity, never fails the gate (password hashes
    # reach nothing directly, issue 14), whatever ``--fail-on`` is.
    gates: bool = True


@dataclass(frozen=True, slots=True)
class Format:
    """A token shape. ``regex`` has one capture group (the secret) or none (the match).

    ``context`` formats (bare UUIDs, hex) only count when a keyword appears shortly
    before the match, as trufflehog's ``PrefixRegex`` does.
    """

    label: str
    kind: str
    pattern: str = field(compare=False)
    keywords: tuple[str, ...]
    source: str
    uncertain: str | None
    context: bool
    # A regex whose group 1, found anywhere in the document, names what the key reaches
    # (a service-account file's ``project_id``): target evidence (issue 20).
    target_pattern: str | None = field(default=None, compare=False)

    @property
    def target(self) -> re.Pattern[str] | None:
        return None if self.target_pattern is None else _compiled(self.target_pattern,
                                                                   self.label + ".target")

    @property
    def regex(self) -> re.Pattern[str]:
        """Compiled on first use: a format runs only on documents holding one of its
        keywords, and compiling all ~125 at load was ~10 ms of every start-up."""
        return _compiled(self.pattern, self.label)


def compile_format(pattern: str, where: str) -> re.Pattern[str]:
    """A format's regex; it must compile and have at most one capture group."""
    try:
        regex = re.compile(pattern)
    except (re.error, TypeError, RecursionError, MemoryError) as exc:
        # Only the position: re.error's message may quote the pattern (a group's name).
        at = getattr(exc, "pos", None)
        raise KnowledgeError(f"{where}: bad regex" + (f" at position {at}" if at is not None
                                                      else "")) from exc
    if regex.groups > 1:
        raise KnowledgeError(f"{where}: at most one capture group (the secret)")
    return regex


_compiled = cache(compile_format)


@dataclass(frozen=True, slots=True)
class ProviderSample:
    """A file that must (``secret``) or must not yield a candidate for this provider."""

    path: str
    text: str
    secret: bool
    kind: str | None


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    name: str
    source: str
    kinds: tuple[Kind, ...]
    operations: tuple[Operation, ...]
    variables: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    backups: str | None = None
    backups_source: str | None = None
    formats: tuple[Format, ...] = ()
    samples: tuple[ProviderSample, ...] = ()
    # "hosted": every key reaches the provider's one hosted account or project, whatever
    # file it sits in, so a non-production file label is not evidence about the target.
    # "address": the target is the address the credential names (a database host, a
    # cluster server), and labels on the file describe it.
    target: str = "address"
    # Host patterns whose first DNS label is the name the customer gave the resource
    # (``orders-prod.c9akciq32zbx.eu-west-1.rds.amazonaws.com``): target evidence (issue 20).
    named_hosts: tuple[str, ...] = ()

    def kind(self, kind_id: str) -> Kind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)

    def operation(self, op_id: str) -> Operation:
        return next(o for o in self.operations if o.id == op_id)

    @property
    def uncertain_count(self) -> int:
        """How many facts providers.md marks UNCERTAIN (they resolve fail-closed)."""
        notes = [*(k.uncertain for k in self.kinds), *(o.uncertain for o in self.operations),
                 *(f.uncertain for f in self.formats)]
        return sum(1 for note in notes if note)
