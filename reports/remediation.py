"""What to do about a path: remediation steps per provider and per path, each with a why.

Knowledge as data (house style 6): :data:`ADVICE` says, per provider, which narrower
credential replaces a broad one and how deletion protection is turned on; the
functions below only pick the steps that apply to a path. The text is ours, never the
scanned repository's, but reporters still escape it like everything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from blastscan.scanner.models import Environment, Path, ResolvedCredential, Scope, SourceKind


@dataclass(frozen=True, slots=True)
class Step:
    """One thing to do, and why it closes (part of) the path."""

    action: str
    why: str


@dataclass(frozen=True, slots=True)
class Advice:
    """A provider's narrower credential and its deletion protection, if it has them."""

    narrower: str
    why: str
    protection: str
    # Where the claims come from. "general practice" marks advice that is not a
    # provider fact from providers.md (worded as advice, not as a verdict on reach).
    source: str = "general practice (not in providers.md)"


#: Scopes already as narrow as a credential gets: no "replace it" step for these.
NARROW = frozenset({Scope.ENVIRONMENT, Scope.READ_ONLY})

GENERIC = Advice(
    narrower="identify the provider, then issue the narrowest credential it offers",
    why="an unattributed secret cannot be shown to be narrow, so it is treated as broad",
    protection="turn on the provider's deletion protection or a resource lock, if it has one",
)

ADVICE: dict[str, Advice] = {
    "railway": Advice(
        "a Railway project token (Project-Access-Token), which is bound to one environment",
        "account and workspace tokens act on every project and environment of the account",
        "no deletion-protection flag is known for Railway volumes: keep backups off them",
        source=("providers.md §1.1 (project tokens: one environment),"
                " §1.6 (wiping a volume deletes all backups)"),
    ),
    "doppler": Advice(
        "a Doppler service token for the one config the code needs (read-only if it can)",
        "personal and CLI tokens reach every project and config the user can",
        "restrict who may delete configs in the workplace's roles",
        source="providers.md §22 Doppler (service tokens: one config)",
    ),
    "stripe": Advice(
        "a Stripe restricted key (rk_…) with only the permissions used, or a test key",
        "a secret live key can do anything the API allows on the live account",
        "Stripe has no deletion protection: restricted keys are the control",
        source="providers.md §7.3 (restricted keys, test vs live), §7.4 (no restorable backup)",
    ),
    "aws": Advice(
        "an IAM role with a least-privilege policy and short-lived credentials (SSO/STS)",
        "long-lived access keys carry every permission of their user, in every region",
        "set deletion_protection on databases and an explicit Deny on Delete* in production",
        source="providers.md §2.3-2.5 (account-wide keys; RDS deletion_protection)",
    ),
    "gcp": Advice(
        "a dedicated service account with a narrow predefined role on one project",
        "service-account keys with primitive roles can delete most resources of a project",
        "set deletion_protection on Cloud SQL instances and disks",
        source="providers.md §3 (GCP); Cloud SQL deletion_protection: general practice",
    ),
    "azure": Advice(
        "a managed identity with a role assignment scoped to one resource group",
        "a subscription-wide principal can delete every resource group it sees",
        "add a CanNotDelete resource lock on production resource groups",
        source="providers.md §4 (Azure: resource locks CanNotDelete)",
    ),
    "github": Advice(
        "a fine-grained token or GitHub App limited to the repositories and permissions used",
        "a classic token with repo or workflow scope reaches every repository and its secrets",
        "protect branches and require reviews for workflow changes",
        source="providers.md §5.3 (classic vs fine-grained tokens, App permissions)",
    ),
    "gitlab": Advice(
        "a project access token with the lowest role and only the scopes used",
        "personal tokens act on every group and project of the user",
        "protect branches and environments; restrict who may delete projects",
        source="providers.md §6 (PAT scopes; project/group access tokens)",
    ),
    "supabase": Advice(
        "the anon key with row-level security, keeping the service_role key server-side",
        "the service_role key bypasses row-level security entirely",
        "enable point-in-time recovery and keep backups outside the project",
        source="providers.md §8.1 (anon vs service_role), §8.3 (backups deleted with the project)",
    ),
    "kubernetes": Advice(
        "a namespace-scoped ServiceAccount bound to a Role with only the verbs used",
        "a cluster-admin kubeconfig can delete every namespace and read every secret",
        "deny delete on production namespaces with RBAC or an admission policy",
        source="providers.md §10.2 (cluster-admin), §10.3 (namespace delete cascades)",
    ),
    "vercel": Advice(
        "a token scoped to one team, with an expiry",
        "a personal token acts on every project of every team of the user",
        "restrict project deletion to owners",
        source=("providers.md §11 (account or team token scope,"
                " UNCERTAIN); owner-only deletion: general practice"),
    ),
}

_DATABASE = Advice(
    "a database role per environment without DROP, TRUNCATE or DELETE where not needed",
    "an owner or superuser login can drop the whole database",
    "keep backups in a separate account and revoke DROP from application roles",
    source="providers.md §9.2 (superuser names), §9.4 (platform backups out of a DB user's reach)",
)
for _db in ("postgres", "mysql", "mongodb", "redis", "planetscale", "neon"):
    ADVICE.setdefault(_db, _DATABASE)


def advice_for(provider: str) -> Advice:
    return ADVICE.get(provider, GENERIC)


def steps_for(path: Path, resolved: ResolvedCredential | None) -> tuple[Step, ...]:
    """The steps that close ``path``, most urgent first."""
    provider = resolved.reach.provider if resolved else "generic"
    advice = advice_for(provider)
    rotate_why = "an agent could read it, and deleting the file does not revoke it"
    if resolved and any(loc.source is SourceKind.GIT_HISTORY
                        for loc in resolved.credential.locations):
        rotate_why = "git history keeps it after the file is fixed: only rotation revokes it"
    steps = [Step(f"rotate the {provider} credential and remove it from the workspace",
                  rotate_why)]
    if resolved is None or resolved.reach.scope not in NARROW:
        steps.append(Step(f"replace it with {advice.narrower}", advice.why))
    if path.backups_in_blast_radius:
        steps.append(Step(
            f"move the backups of {path.resource} out of this credential's reach",
            "the operation that destroys the data also destroys its backups",
        ))
    if path.destructive and path.environment is Environment.PRODUCTION and not path.mitigations:
        steps.append(Step(advice.protection,
                          "no deletion protection was found in the repository for it"))
    return tuple(steps)
