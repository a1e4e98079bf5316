"""Which blastscan provider and token kind a catalog rule id names, and which rules
blastscan leaves to its own detectors.

A rule id is ``<vendor>-<kind>[.<n>]`` (``groq-api-key``, ``new-relic-user-api-key``,
``auth0-client-secret.1``). The provider id is the vendor slug, lowercase, with the
dashes of a multi-word vendor name dropped (``new-relic`` → ``newrelic``), or the
knowledge base's id where it has one under another name (``1password`` →
``onepassword``, ``hashicorp-tf`` → ``terraform-cloud``). The kind is the rest of the
id with underscores (``user_api_key``), or the knowledge base's name for it (``KINDS``).

Rules for what blastscan detects itself (it knows more: the AWS key id beside a secret
key, the environment of a Railway token, a database URL's host) are skipped, as are
the catalog's generic keyword rules (blastscan's generic detector reads names and
values with its own filters), rules for identifiers (client ids are public) and rules about
files rather than text.
"""

from __future__ import annotations

import functools
import re

#: Vendor names of more than one dash-separated word, and vendor slugs the knowledge
#: base spells differently; longest prefix first.
VENDORS: tuple[tuple[str, str], ...] = (
    ("canadian-digital-service-notify", "canadiandigitalservicenotify"),
    ("weights-and-biases", "weightsandbiases"),
    ("defined-networking", "definednetworking"),
    ("microsoft-teams", "microsoft-teams"),
    ("rainforest-pay", "rainforestpay"),
    ("redirect-pizza", "redirectpizza"),
    ("mongodb-atlas", "atlas"),
    ("cisco-meraki", "ciscomeraki"),
    ("hashicorp-tf", "terraform-cloud"),
    ("new-relic", "newrelic"),
    ("1password", "onepassword"),
    ("val-town", "valtown"),
    ("sonar", "sonarqube"),
)

#: Providers blastscan's own detectors find and know more about (the AWS key id beside a
#: secret key, Stripe's key modes, a Railway token's environment). The providers the
#: detect-secrets adapter finds (SendGrid, PyPI, GitLab, ...) are not listed: the
#: catalog knows shapes the adapter does not, and on the same value and line the
#: registry keeps the adapter's candidate, which comes first.
OWN_PROVIDERS = frozenset({"railway", "aws", "github", "stripe", "supabase", "slack",
                           "openai"})
#: Rules (by id) left to blastscan's own detectors: private keys, JWTs, database URLs,
#: generic keyword rules, curl command lines, Kubernetes Secret manifests, file types.
OWN_RULES = frozenset({
    "private-key", "jwt", "jwt-base64", "mongodb-connection-string", "generic-api-key",
    "generic-credential-uri", "generic-password", "generic-username", "curl-auth-header",
    "curl-auth-user", "kubernetes-secret-yaml", "pkcs12-file",
    # A ``password`` in a ``.tf`` file is the resource's (an Azure SQL admin login), not
    # Terraform Cloud's, which the id's vendor would name: the keyword net reports it.
    "hashicorp-tf-password",
})
#: Rules whose kind the knowledge base names otherwise (its kinds carry the reach).
KINDS: dict[str, str] = {
    "anthropic-admin-api-key": "admin_key",
    "azure-ad-client-secret": "client_secret",
    "digitalocean-pat": "personal_access_token",
    "dockerhub-organization-access-token": "org_access_token",
    "facebook-page-access-token": "access_token",
    "facebook-secret": "app_secret",
    "gcp-gemini-api": "api_key",
    "gcp-service-account": "service_account_key",
    "gcp-application-default-credentials": "user_credentials",
    "heroku-api-key-v2": "api_key",
    "messagebird-api-token": "api_key",
    "notion-api-token": "integration_token",
    "planetscale-password": "branch_password",
    "sendgrid-api-token": "api_key",
    "sidekiq-secret": "license_credentials",
    "sidekiq-sensitive-url": "license_credentials",
    "sonar-api-token": "token",
    "telegram-bot-api-token": "bot_token",
    "vercel-api-token": "access_token",
    "vercel-personal-access-token": "access_token",
    # No knowledge-base format for these shapes, one kind for the provider's tokens.
    "artifactory-api-key": "credentials",
    "artifactory-reference-token": "credentials",
    "dropbox-long-lived-api-token": "api_token",
    "dropbox-short-lived-api-token": "api_token",
}
#: Every GitLab token shape is the knowledge base's one GitLab kind.
_ONE_KIND = {"gitlab": "token"}
#: Rules too slow for Python's backtracking engine on ordinary code (RE2 is linear).
#: ``azure-storage-account-key`` tries ``.{0,24}?`` then 86 characters at every ``key``:
#: 0.2 s of CPU on SQLAlchemy, 1.2 s on botocore, for one rule.
SLOW_RULES = frozenset({"azure-storage-account-key"})
_SUFFIX = re.compile(r"\.\d+$")
# ``asana-client-id``, ``sumologic-access-id``: a public identifier is no credential alone.
_IDENTIFIER = re.compile(r"-id(?:\.\d+)?$")


@functools.lru_cache(maxsize=4096)  # asked 3 times per rule while the catalog loads
def provider_and_kind(rule_id: str) -> tuple[str, str]:
    """``(provider, kind)`` of a rule id (see the module docstring)."""
    base = _SUFFIX.sub("", rule_id.lower())
    vendor = next(((p, v) for p, v in VENDORS if base == p or base.startswith(p + "-")),
                  None)
    if vendor is None:
        provider, _, rest = base.partition("-")
    else:
        provider, rest = vendor[1], base[len(vendor[0]):].strip("-")
    kind = KINDS.get(rule_id) or _ONE_KIND.get(provider) or rest.replace("-", "_")
    return provider, kind or "token"


def skip_reason(rule_id: str) -> str | None:
    """Why blastscan does not run this rule (``None``: it does)."""
    if rule_id in OWN_RULES:
        return "blastscan's own detector"
    if rule_id in SLOW_RULES:
        return "too slow for Python's regex engine"
    if _IDENTIFIER.search(rule_id):
        return "an identifier, not a secret"
    if provider_and_kind(rule_id)[0] in OWN_PROVIDERS:
        return "provider with a blastscan detector"
    return None
