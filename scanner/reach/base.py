"""The resolver seam and the shared step that turns a token kind into a :class:`Reach`.

A resolver decides *which kind* of credential it is looking at and adds the
provider's own environment clues (a Stripe ``live`` key, an account-wide scope);
:func:`build` then applies the knowledge base: the kind's scope and operations, the
chosen environments, and the evidence for each.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from typing import Protocol

from blastscan.detectors.knowledge.loader import Provider, load
from blastscan.detectors.knowledge.model import Kind
from blastscan.scanner.models import (
    INVOKED,
    Capability,
    Confidence,
    Credential,
    Environment,
    Evidence,
    Reach,
    Scope,
    Usage,
)
from blastscan.scanner.reach import environment, infra
from blastscan.scanner.reach.context import RepoEvidence, location_clues
from blastscan.scanner.reach.environment import Clue


class Resolver(Protocol):
    @property
    def providers(self) -> tuple[str, ...]: ...

    def resolve(self, credential: Credential, repo: RepoEvidence) -> Reach: ...


def build(
    credential: Credential,
    repo: RepoEvidence,
    kind_id: str,
    *,
    confidence: Confidence,
    clues: Iterable[Clue] = (),
    evidence: Iterable[Evidence] = (),
    why: Iterable[str] = (),
    spans: Iterable[Environment] = (),
    provider_id: str | None = None,
) -> Reach:
    """``spans`` is set for wide scopes: every environment the token can touch."""
    provider = provider_info(provider_id or credential.provider, repo.knowledge)
    kind = provider.kind(kind_id)
    if kind is None:
        raise KeyError(f"{credential.provider} has no kind {kind_id!r} in the knowledge base")
    related = repo.related(credential)
    all_clues = [*clues, *location_clues(credential, related, repo.target_clues(credential))]
    reasons = [kind.why, *why]
    # Where a decoded credential was wrapped, for every report (JSON also has decoded_from).
    reasons.extend(f"decoded from {c}" for c in credential.facts_for("container"))
    spans = tuple(spans)
    # Issue 20: an account-wide key opens every environment of its hosted account; only
    # proof that the repository keeps environments in separate accounts narrows it.
    wide = not spans and account_wide(provider, kind) and not repo.separated(credential)
    if spans:
        environments = tuple(e for e in Environment if e in spans)
        reasons.append("spans every environment: " + ", ".join(environments))
    elif wide:
        environments, wide_why = _account_environments(all_clues, repo)
        reasons.append(f"account-wide {provider.name} {kind.id}: {wide_why}")
    else:
        environments, env_why = environment.choose(all_clues)
        reasons.extend(env_why)
    label_mismatch = environment.mismatch(all_clues, environments, spans=bool(spans) or wide)
    hosted = provider.target == "hosted" or managed_host(credential.fact("host"), provider)
    label = environment.label_only(all_clues, environments) if hosted and not spans else None
    if label is not None and wide:
        label_mismatch = (f"labelled {label.environment} ({label.evidence.reason}) but the key "
                          f"opens {_target_name(provider, credential)}: every environment in it")
        reasons.append(label_mismatch)
        label = None
    if label is not None:
        separate = repo.separate_target(credential)
        if separate is None:
            environments = (Environment.UNKNOWN,)
            label_mismatch = (f"labelled {label.environment} ({label.evidence.reason}) but the "
                              f"key reaches {_target_name(provider, credential)}; nothing shows "
                              "a separate non-production one")
            reasons.append(label_mismatch)
        else:
            reasons.append(separate)
    if label_mismatch:
        reasons.append(label_mismatch)
    capabilities = []
    for op_id in kind.operations:
        op = provider.operation(op_id)
        op_why = [op.why, f"source: {op.source}"]
        if op.uncertain:
            op_why.append(f"UNCERTAIN: {op.uncertain}")
        op_why.extend(f"{INVOKED} {u.value} at {u.path}:{u.line}" for u in related
                      if u.kind in ("operation", "cli", "sql") and u.value in op.names)
        capabilities.append(Capability(op.id, op.resource, op.destructive,
                                       op.backups_in_blast_radius, tuple(op_why)))
    capabilities = [infra.apply_protections(c, repo.protections, environments)
                    for c in capabilities]
    evidence = [*evidence, *infra.grant_evidence(provider, repo.grants),
                *agent_evidence(credential, related, repo.usages)]
    first = credential.locations[0]
    found_at = Evidence(first.path, first.line, f"{provider.name} {kind.id} found here")
    return Reach(
        provider=credential.provider,
        kind=kind.id if provider.id == credential.provider else credential.kind,
        scope=kind.scope,
        environments=environments,
        confidence=confidence,
        capabilities=tuple(capabilities),
        evidence=tuple(sorted({found_at, *evidence, *(c.evidence for c in all_clues)})),
        why=tuple(dict.fromkeys(reasons)),
        mismatch=label_mismatch,
    )


def _account_environments(clues: Iterable[Clue], repo: RepoEvidence
                          ) -> tuple[tuple[Environment, ...], str]:
    """The environments of the account: those the repository names (environment usages,
    a production label on the key); production presumed (``unknown``) when none is."""
    said = {c.environment: c.evidence.reason for c in clues
            if c.environment is Environment.PRODUCTION}
    seen = repo.environments_seen() | set(said)
    if Environment.PRODUCTION not in seen:
        seen.add(Environment.UNKNOWN)
    named = [f"{e} ({said[e]})" if e in said else str(e) for e in Environment
             if e in seen and e is not Environment.UNKNOWN]
    why = "it opens the whole account, so every environment in it"
    if Environment.UNKNOWN in seen:
        why += "; nothing shows which, so production is presumed"
    if named:
        why += "; named here: " + ", ".join(named)
    return tuple(e for e in Environment if e in seen), why


def account_wide(provider: Provider, kind: Kind) -> bool:
    """A kind whose knowledge-base scope is the hosted account, not one environment of
    it: a key for one hosted account, not scoped per environment (Stripe's live/test
    keys are), and not a self-hosted address (a kubeconfig names one cluster)."""
    return (kind.scope is Scope.ACCOUNT and not kind.environment_scoped
            and provider.target == "hosted")


def managed_host(host: str | None, provider: Provider) -> bool:
    """A database host the provider's own list names as a managed, remote service
    (``*.rds.amazonaws.com``, ``db.<ref>.supabase.co``, ``*.proxy.rlwy.net``): the URL
    reaches that one service from any file, as a hosted key does."""
    if not host:
        return False
    host = host.lower()
    return any(fnmatch.fnmatchcase(host, pattern.split("/", 1)[0].lower())
               for pattern in provider.hosts)


def _target_name(provider: Provider, credential: Credential) -> str:
    if host := credential.fact("host"):
        return f"the managed {provider.name} host {host}"
    if ref := credential.fact("ref"):
        return f"the hosted {provider.name} project {ref}"
    if account := credential.fact("account"):
        return f"the hosted {provider.name} account {account}"
    return f"its hosted {provider.name} account"


def provider_info(provider_id: str, knowledge: Mapping[str, Provider] | None = None) -> Provider:
    kb = load() if knowledge is None else knowledge
    return kb.get(provider_id) or kb["generic"]


def agent_evidence(credential: Credential, related: Iterable[Usage],
                   everything: Iterable[Usage]) -> list[Evidence]:
    """The agent can use this credential without reading it: an MCP server holds it, or
    a permission lets the agent run the provider's logged-in CLI (never trusted to
    remove a path, only shown)."""
    found = [Evidence(u.path, u.line, f"handed to the agent's MCP server '{u.value}'")
             for u in related if u.kind == "agent-tool"]
    # Permissions name a tool, not a variable: they apply to every credential of the
    # provider whose CLI they allow (Bash(railway:*) and a Railway login).
    found.extend(Evidence(u.path, u.line, f"the agent is allowed to run {u.value}")
                 for u in everything
                 if u.kind == "agent-permission" and credential.provider in u.value.lower())
    return found
