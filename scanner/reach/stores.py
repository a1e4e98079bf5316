"""Stores of secrets a credential can read: cluster Secrets, Vault paths, Doppler configs.

* A kubeconfig is presumed cluster-admin (providers.md §10.2: RBAC decides and none is
  visible statically; RBAC grants in the repository are evidence, never a narrowing), so
  it can read every Secret the manifests name (``k8s-secret-ref`` / ``k8s-secret``
  usages, value ``[NS/]S/K``).
* A Vault token's policies are not visible (§22): presumed root, it reads every
  ``vault-path`` the repository names.
* A Doppler token reads the ``doppler-config`` configs named; a ``dp.st.`` service token
  is bound to one config (§22), so when that config is known only it is reached.

Each reached secret's environment comes from its own name (namespace, path, config),
else the file naming it, else the parent credential's environments; what it reaches is
read off its names (:func:`hops.reach_of`), else the hop is shown for review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from blastscan.scanner.models import Environment, Evidence, ResolvedCredential, Scope, Usage
from blastscan.scanner.reach.context import RepoEvidence
from blastscan.scanner.reach.hops import Transit, place, reach_of

_K8S = frozenset({"k8s-secret-ref", "k8s-secret"})
_DOPPLER_READERS = frozenset({"cli_token", "service_token", "service_account_token"})


def transits(resolved: tuple[ResolvedCredential, ...], repo: RepoEvidence) -> tuple[Transit, ...]:
    return (*_kubernetes(resolved, repo), *_vault(resolved, repo), *_doppler(resolved, repo))


def _groups(repo: RepoEvidence, kinds: Iterable[str]) -> dict[str, list[Usage]]:
    """Usages by value: one hop per named secret, however many files name it."""
    wanted = frozenset(kinds)
    found: dict[str, list[Usage]] = defaultdict(list)
    for usage in repo.usages:  # sorted, so the first usage (the hop's evidence) is stable
        if usage.kind in wanted:
            found[usage.value].append(usage)
    return dict(sorted(found.items()))


def _envs(words: list[str], usages: list[Usage], parent: ResolvedCredential
          ) -> tuple[Environment, ...]:
    found = {e for u in usages for e in place(words, u.path, parent.reach.environments)}
    return tuple(e for e in Environment if e in found)


def _kubernetes(resolved: tuple[ResolvedCredential, ...],
                repo: RepoEvidence) -> list[Transit]:
    # An account-wide kubeconfig is the presumed cluster-admin; a resolver that proves a
    # narrower scope (a namespaced role) takes it out of here.
    admins = [r for r in resolved if r.credential.provider == "kubernetes"
              and r.reach.scope is Scope.ACCOUNT]
    found: list[Transit] = []
    for value, usages in _groups(repo, _K8S).items() if admins else ():
        *namespace, secret, key = value.split("/")
        first = usages[0]
        names = [*([key] if key != "*" else []), *(n for u in usages for n in u.names)]
        shown = f"key {key}" if key != "*" else "every key"
        provider, caps = reach_of(names, f"Secret {secret} ({shown})", repo.knowledge,
                                  words=[secret], exclude="kubernetes")
        verb = "defined" if first.kind == "k8s-secret" else "referenced"
        where = f"{first.path}:{first.line}"
        in_ns = f" in namespace {namespace[0]}" if namespace else ""
        why = (f"a cluster-admin kubeconfig can read Secret {secret} ({shown}){in_ns} "
               f"{verb} at {where}")
        evidence = Evidence(first.path, first.line, f"Kubernetes Secret {secret}/{key} {verb}")
        found.extend(Transit(a, f"k8s:{value}", provider, evidence,
                             _envs(namespace, usages, a), caps,
                             f"k8s secret {secret}/{key}{in_ns}", why) for a in admins)
    return found


def _vault(resolved: tuple[ResolvedCredential, ...], repo: RepoEvidence) -> list[Transit]:
    tokens = [r for r in resolved if r.credential.provider == "vault"]
    found: list[Transit] = []
    for path, usages in _groups(repo, ("vault-path",)).items() if tokens else ():
        segments = [s for s in path.split("/") if s and s != "*"]
        names = [*reversed(segments), *(n for u in usages for n in u.names)]
        provider, caps = reach_of(names, f"Vault path {path}", repo.knowledge,
                                  words=segments, exclude="vault")
        first = usages[0]
        why = (f"a Vault token (policies not visible: presumed root) can read {path} "
               f"referenced at {first.path}:{first.line}")
        evidence = Evidence(first.path, first.line, f"Vault path {path}")
        found.extend(Transit(t, f"vault:{path}", provider, evidence,
                             _envs([path], usages, t), caps, f"vault path {path}", why)
                     for t in tokens)
    return found


def _doppler(resolved: tuple[ResolvedCredential, ...], repo: RepoEvidence) -> list[Transit]:
    tokens = [r for r in resolved if r.credential.provider == "doppler"
              and r.reach.kind in _DOPPLER_READERS]
    found: list[Transit] = []
    for config, usages in _groups(repo, ("doppler-config",)).items() if tokens else ():
        names = [n for u in usages for n in u.names]  # variables the command consumes
        provider, caps = reach_of(names, f"a variable of Doppler config {config}",
                                  repo.knowledge, words=[config], exclude="doppler")
        first = usages[0]
        evidence = Evidence(first.path, first.line, f"Doppler config {config}")
        for token in tokens:
            why = (f"a Doppler {token.reach.kind} can read config {config} "
                   f"referenced at {first.path}:{first.line}")
            if token.reach.kind == "service_token":
                bound = token.credential.fact("config")
                if bound is not None and bound != config:
                    continue  # §22: a service token reads its own config only
                why += ("" if bound is not None else " (a service token is bound to one "
                        "config, which is not visible: every referenced config is kept)")
            found.append(Transit(token, f"doppler:{config}", provider, evidence,
                                 _envs([config], usages, token), caps,
                                 f"doppler config {config}", why))
    return found
