"""Credentials that lead to other credentials.

A GitHub token that can push workflows can make any workflow run with the secrets the
workflows reference, in the job's ``environment:`` — so it reaches whatever those
secrets reach (design.md, "Transitive edges are first-class"). The token's scopes are
not visible statically, so classic and fine-grained tokens alike are presumed able to
push workflows (an unproven narrow scope is broad). Kubeconfigs, Vault and Doppler
tokens reach the stores the repository names (:mod:`stores`); what each reached secret
reaches is read off its name (:func:`hops.reach_of`).
"""

from __future__ import annotations

from blastscan.scanner.models import Environment, Evidence, ResolvedCredential, Usage
from blastscan.scanner.reach import environment, stores
from blastscan.scanner.reach.context import RepoEvidence
from blastscan.scanner.reach.hops import Transit, reach_of

__all__ = ["Transit", "transits", "workflow_environments"]

WORKFLOW_WRITERS = frozenset({"classic_pat", "oauth_token", "fine_grained_pat",
                              "app_user_token", "app_installation_token"})


def transits(resolved: tuple[ResolvedCredential, ...], repo: RepoEvidence) -> tuple[Transit, ...]:
    return (*_workflows(resolved, repo), *stores.transits(resolved, repo))


def _workflows(resolved: tuple[ResolvedCredential, ...],
               repo: RepoEvidence) -> tuple[Transit, ...]:
    writers = [r for r in resolved if r.credential.provider == "github"
               and r.reach.kind in WORKFLOW_WRITERS]
    if not writers:
        return ()
    secrets = [u for u in repo.usages
               if u.kind == "alias" and u.path.startswith(".github/workflows/")]
    found: list[Transit] = []
    for usage in secrets:
        provider, capabilities = reach_of([usage.value, *usage.names],
                                          f"secrets.{usage.value}", repo.knowledge)
        envs = workflow_environments(usage, repo)
        evidence = Evidence(usage.path, usage.line, f"workflow uses secrets.{usage.value}")
        why = (f"a token that can push workflows runs them with their secrets: "
               f"secrets.{usage.value} at {usage.path}:{usage.line}")
        found.extend(Transit(w, usage.value, provider, evidence, envs, capabilities,
                             f"workflow secret {usage.value}", why)
                     for w in writers)
    return tuple(found)


def workflow_environments(usage: Usage, repo: RepoEvidence) -> tuple[Environment, ...]:
    found = {environment.from_word(u.value) for u in repo.usages
             if u.kind == "environment" and u.path == usage.path
             and (usage.value in u.names or set(usage.names) & set(u.names))}
    found.discard(None)
    if not found and (named := environment.from_word(usage.value)):
        found.add(named)
    return tuple(e for e in Environment if e in found) or (Environment.UNKNOWN,)
