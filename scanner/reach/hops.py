"""What every transitive hop shares: the :class:`Transit` record and naming a secret's provider.

A secret a credential reaches at second hand (a workflow secret, a cluster Secret, a
Vault path, a Doppler config) never shows its value in the repository; its provider is
read off its names with the knowledge base's variable lists (``PROD_DATABASE_URL`` →
a Postgres URL), else off a word naming a provider (``secret/prod/stripe``), else the
hop is shown for review with no destructive claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from blastscan.detectors.knowledge.loader import Provider
from blastscan.scanner.models import Capability, Environment, Evidence, ResolvedCredential
from blastscan.scanner.reach import environment

_ENV_AFFIX = re.compile(r"^(?:PROD|PRODUCTION|PRD|STAGING|STG|STAGE|DEV|TEST)_|"
                        r"_(?:PROD|PRODUCTION|PRD|STAGING|STG|STAGE|DEV|TEST)$")
_SEPARATORS = re.compile(r"[-. ]")


@dataclass(frozen=True, slots=True)
class Transit:
    """One secret a credential reaches through something else, and what that secret reaches.

    ``secret`` keys the hop in the graph and in path ids (unique per parent); ``hop`` is
    the graph label and ``why`` explains the hop in a path's reasons.
    """

    parent: ResolvedCredential
    secret: str
    provider: str
    evidence: Evidence
    environments: tuple[Environment, ...]
    capabilities: tuple[Capability, ...]
    hop: str
    why: str


def reach_of(names: Sequence[str], label: str, knowledge: Mapping[str, Provider],
             words: Iterable[str] = (), exclude: str = "") -> tuple[str, tuple[Capability, ...]]:
    """The provider and capabilities of a secret called ``names`` (most specific first).

    ``label`` says what is named (``secrets.PROD_DATABASE_URL``); ``words`` are weaker
    clues (path segments) matched against provider ids; ``exclude`` is the parent's own
    provider (a Vault token's ``VAULT_TOKEN`` is not a secret it reaches).
    """
    variants = [v for n in names for v in (n, _norm(n), _ENV_AFFIX.sub("", _norm(n)))]
    # Several providers list a shared name (DATABASE_URL): the one that lists it earliest,
    # as its primary variable, wins.
    ranked = sorted(
        (specificity, provider.variables.index(name), provider.id)
        for provider in knowledge.values() if provider.id != exclude
        for specificity, name in enumerate(variants) if name in provider.variables
    )
    lowered = {w.lower() for w in words}
    ranked.extend((len(variants), 0, p.id) for p in sorted(knowledge.values(), key=lambda p: p.id)
                  if p.id not in (exclude, "generic") and lowered & {p.id, p.name.lower()})
    for _, _, provider_id in ranked[:1]:
        provider = knowledge[provider_id]
        kind = next((k for k in provider.kinds if k.operations), None)
        if kind is not None:
            why = f"{label} is named like a {provider.name} credential ({kind.id}: {kind.why})"
            caps = tuple(Capability(op.id, op.resource, op.destructive,
                                    op.backups_in_blast_radius,
                                    (why, op.why, f"source: {op.source}"))
                         for op in (provider.operation(o) for o in kind.operations))
            return provider.id, caps
    return "generic", ()


def place(words: Iterable[str], path: str,
          fallback: tuple[Environment, ...]) -> tuple[Environment, ...]:
    """A store's environment: its own name (namespace, Vault path, Doppler config), else
    the file that names it, else whatever the parent credential reaches."""
    for word in words:
        if env := environment.from_word(word):
            return (env,)
    if env := environment.from_path(path):
        return (env,)
    return fallback or (Environment.UNKNOWN,)


def _norm(name: str) -> str:
    return _SEPARATORS.sub("_", name).upper()
