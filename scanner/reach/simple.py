"""Resolvers whose token kind is read off the credential itself.

Stripe (the key prefix gives type *and* mode: the most reliable environment signal of
any provider, providers.md §7.5), GitHub, Supabase, AWS, Kubernetes and database URLs
(the detector already named the kind; environment comes from location evidence, and
unknown means presumed production). Unknown providers resolve to "review me" with no
destructive claim.
"""

from __future__ import annotations

from blastscan.detectors.knowledge.loader import load
from blastscan.detectors.match.filters import is_local_host
from blastscan.scanner.models import Confidence, Credential, Environment, Evidence, Reach
from blastscan.scanner.reach.base import build
from blastscan.scanner.reach.context import RepoEvidence
from blastscan.scanner.reach.environment import Clue, Rank, from_word

_ALL = (Environment.PRODUCTION, Environment.STAGING)


class StripeResolver:
    providers = ("stripe",)

    def resolve(self, credential: Credential, repo: RepoEvidence) -> Reach:
        mode = credential.fact("mode")
        first = credential.locations[0]
        clues = []
        if mode in ("live", "test"):
            env = Environment.PRODUCTION if mode == "live" else Environment.TEST
            reason = f"{mode}-mode key (prefix {credential.redacted})"
            clues.append(Clue(env, Rank.KEY, Evidence(first.path, first.line, reason)))
        return build(credential, repo, credential.kind, confidence=Confidence.HIGH, clues=clues)


class KindFromDetectorResolver:
    """The detector's kind is the token kind; account-wide kinds span every environment.

    The registry's default for every knowledge-base provider without a resolver of its
    own, so it claims no provider by name.
    """

    providers: tuple[str, ...] = ()

    def resolve(self, credential: Credential, repo: RepoEvidence) -> Reach:
        first = credential.locations[0]
        clues = []
        # Kubeconfig context and cluster names are the cluster's own labels (§10.4).
        for label in (*credential.facts_for("context"), *credential.facts_for("cluster")):
            if env := from_word(label):
                reason = f"kubeconfig context/cluster '{label}'"
                clues.append(Clue(env, Rank.SECTION, Evidence(first.path, first.line, reason)))
        # A key configured against a local Supabase stack reaches that stack only.
        project = credential.fact("project_host")
        if project is not None and is_local_host(project):
            reason = f"project URL host {project}: a local Supabase stack"
            clues.append(Clue(Environment.DEVELOPMENT, Rank.TARGET,
                              Evidence(first.path, first.line, reason)))
        # A Supabase management token reaches every project of the account (§8.4).
        spans = _ALL if (credential.provider, credential.kind) == (
            "supabase", "management_token") else ()
        return build(credential, repo, credential.kind, confidence=Confidence.MEDIUM,
                     clues=clues, spans=spans)


class UnknownResolver:
    providers = ("generic",)

    def resolve(self, credential: Credential, repo: RepoEvidence) -> Reach:
        kind = credential.kind if load()["generic"].kind(credential.kind) else "secret"
        named = credential.fact("provider_from") == "name" and credential.provider != "generic"
        why = [] if not named else [
            f"{credential.provider}: named so by the variable "
            f"{', '.join(credential.facts_for('name'))}; the token kind, and so the reach, "
            "is unknown"]
        return build(credential, repo, kind, confidence=Confidence.LOW, provider_id="generic",
                     why=why)
