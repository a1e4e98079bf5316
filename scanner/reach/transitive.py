"""Credentials that lead to other credentials.

A GitHub token that can push workflows can make any workflow run with the secrets the
workflows reference, in the job's ``environment:`` — so it reaches whatever those
secrets reach (design.md, "Transitive edges are first-class"). The token's scopes are
not visible statically, so classic and fine-grained tokens alike are presumed able to
push workflows (an unproven narrow scope is broad). A secret's value is never in the
repository; its provider is read off its name with the knowledge base's variable
lists (``PROD_DATABASE_URL`` → a Postgres URL), else it is shown for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from blastscan.detectors.knowledge import load
from blastscan.scanner import environment
from blastscan.scanner.models import (
    Capability,
    Environment,
    Evidence,
    ResolvedCredential,
    Usage,
)
from blastscan.scanner.reach.context import RepoEvidence

WORKFLOW_WRITERS = frozenset({"classic_pat", "oauth_token", "fine_grained_pat",
                              "app_user_token", "app_installation_token"})
_ENV_AFFIX = re.compile(r"^(?:PROD|PRODUCTION|PRD|STAGING|STG|STAGE|DEV|TEST)_|"
                        r"_(?:PROD|PRODUCTION|PRD|STAGING|STG|STAGE|DEV|TEST)$")


@dataclass(frozen=True, slots=True)
class Transit:
    """One secret a credential reaches through a workflow, and what that secret reaches."""

    parent: ResolvedCredential
    secret: str
    provider: str
    evidence: Evidence
    environments: tuple[Environment, ...]
    capabilities: tuple[Capability, ...]


def transits(resolved: tuple[ResolvedCredential, ...], repo: RepoEvidence) -> tuple[Transit, ...]:
    writers = [r for r in resolved if r.credential.provider == "github"
               and r.reach.kind in WORKFLOW_WRITERS]
    if not writers:
        return ()
    secrets = [u for u in repo.usages
               if u.kind == "alias" and u.path.startswith(".github/workflows/")]
    found: list[Transit] = []
    for usage in secrets:
        provider, capabilities = _reach_of(usage)
        envs = _environments(usage, repo)
        evidence = Evidence(usage.path, usage.line, f"workflow uses secrets.{usage.value}")
        found.extend(Transit(w, usage.value, provider, evidence, envs, capabilities)
                     for w in writers)
    return tuple(found)


def _reach_of(usage: Usage) -> tuple[str, tuple[Capability, ...]]:
    # Names in order of specificity: the secret's own name, without an environment
    # affix, then the variable it is bound to. Several providers list a shared name
    # (DATABASE_URL): the one that lists it earliest, as its primary variable, wins.
    names = [usage.value, _ENV_AFFIX.sub("", usage.value), *usage.names]
    ranked = sorted(
        (specificity, provider.variables.index(name), provider.id)
        for provider in load().values()
        for specificity, name in enumerate(names) if name in provider.variables
    )
    for _, _, provider_id in ranked[:1]:
        provider = load()[provider_id]
        kind = next((k for k in provider.kinds if k.operations), None)
        if kind is not None:
            why = (f"secrets.{usage.value} is named like a {provider.name} credential "
                   f"({kind.id}: {kind.why})")
            caps = tuple(Capability(op.id, op.resource, op.destructive,
                                    op.backups_in_blast_radius,
                                    (why, op.why, f"source: {op.source}"))
                         for op in (provider.operation(o) for o in kind.operations))
            return provider.id, caps
    return "generic", ()


def _environments(usage: Usage, repo: RepoEvidence) -> tuple[Environment, ...]:
    found = {environment.from_word(u.value) for u in repo.usages
             if u.kind == "environment" and u.path == usage.path
             and (usage.value in u.names or set(usage.names) & set(u.names))}
    found.discard(None)
    if not found and (named := environment.from_word(usage.value)):
        found.add(named)
    return tuple(e for e in Environment if e in found) or (Environment.UNKNOWN,)
