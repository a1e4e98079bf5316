"""Knowledge-base entries for the catalog's vendors (issue 14, family 1).

A catalog candidate names its provider by the rule's vendor slug and its kind by the rest
of the rule id (``huggingface-access-token`` -> ``huggingface`` / ``access_token``). These
tests pin that every such rule resolves to a kind here, that the researched providers
claim destructive operations with their sources, and that the others show up under their
own name with "reach unknown" instead of as an unknown provider.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from blastscan.detectors.knowledge.loader import load
from blastscan.scanner.cli.main import app
from blastscan.scanner.models import Credential, Location, Scope
from blastscan.scanner.reach.context import RepoEvidence
from blastscan.scanner.reach.registry import resolve

#: provider id -> (the rule ids' vendor prefix, the catalog rule ids it covers).
RESEARCHED: dict[str, tuple[str, tuple[str, ...]]] = {
    "huggingface": ("huggingface", ("huggingface-access-token",
                                    "huggingface-organization-api-token")),
    "databricks": ("databricks", ("databricks-api-token",)),
    "shopify": ("shopify", ("shopify-access-token", "shopify-custom-access-token",
                            "shopify-private-app-access-token", "shopify-shared-secret")),
    "sentry": ("sentry", ("sentry-access-token", "sentry-org-token", "sentry-user-token")),
    "grafana": ("grafana", ("grafana-api-key", "grafana-cloud-api-token",
                            "grafana-service-account-token")),
    "newrelic": ("new-relic", ("new-relic-browser-api-token", "new-relic-insert-key",
                               "new-relic-user-api-id", "new-relic-user-api-key")),
    "linear": ("linear", ("linear-api-key", "linear-client-secret")),
    "atlassian": ("atlassian", ("atlassian-api-token",)),
    "posthog": ("posthog", ("posthog-project-api-key", "posthog-personal-api-key")),
    "mailgun": ("mailgun", ("mailgun-private-api-token", "mailgun-pub-key",
                            "mailgun-signing-key")),
    "fastly": ("fastly", ("fastly-api-token",)),
    "pulumi": ("pulumi", ("pulumi-api-token",)),
    "bitbucket": ("bitbucket", ("bitbucket-client-id", "bitbucket-client-secret")),
    "okta": ("okta", ("okta-access-token",)),
    "algolia": ("algolia", ("algolia-api-key",)),
    "confluent": ("confluent", ("confluent-access-token", "confluent-secret-key")),
    "dropbox": ("dropbox", ("dropbox-api-token",)),
    "postman": ("postman", ("postman-api-token",)),
    "clickhouse": ("clickhouse", ("clickhouse-cloud-api-secret-key",)),
    "airtable": ("airtable", ("airtable-api-key", "airtable-personnal-access-token")),
    "rubygems": ("rubygems", ("rubygems-api-token",)),
    "launchdarkly": ("launchdarkly", ("launchdarkly-access-token",)),
    "openshift": ("openshift", ("openshift-user-token",)),
    "alibaba": ("alibaba", ("alibaba-access-key-id", "alibaba-secret-key")),
    "yandex": ("yandex", ("yandex-access-token", "yandex-api-key", "yandex-aws-access-token")),
}
MINIMAL: dict[str, tuple[str, tuple[str, ...]]] = {
    "groq": ("groq", ("groq-api-key",)),
    "figma": ("figma", ("figma-personal-access-token", "figma-personal-access-header-token")),
    "togetherai": ("togetherai", ("togetherai-api-key",)),
    "cohere": ("cohere", ("cohere-api-token",)),
    "dynatrace": ("dynatrace", ("dynatrace-api-token",)),
    "hubspot": ("hubspot", ("hubspot-api-key",)),
    "zendesk": ("zendesk", ("zendesk-secret-key",)),
    "intercom": ("intercom", ("intercom-api-key",)),
    "contentful": ("contentful", ("contentful-delivery-api-token",)),
    "mapbox": ("mapbox", ("mapbox-api-token",)),
    "plaid": ("plaid", ("plaid-api-token", "plaid-client-id", "plaid-secret-key")),
    "sumologic": ("sumologic", ("sumologic-access-id", "sumologic-access-token")),
    "typeform": ("typeform", ("typeform-api-token",)),
    "trello": ("trello", ("trello-access-token",)),
    "travisci": ("travisci", ("travisci-access-token",)),
    "droneci": ("droneci", ("droneci-access-token",)),
    "prefect": ("prefect", ("prefect-api-token",)),
    "scalingo": ("scalingo", ("scalingo-api-token",)),
    "codecov": ("codecov", ("codecov-access-token",)),
    "twitter": ("twitter", ("twitter-access-secret", "twitter-access-token", "twitter-api-key",
                            "twitter-api-secret", "twitter-bearer-token")),
    "adafruit": ("adafruit", ("adafruit-api-key",)),
    "authress": ("authress", ("authress-service-client-access-key",)),
    "beamer": ("beamer", ("beamer-api-token",)),
    "bittrex": ("bittrex", ("bittrex-access-key", "bittrex-secret-key")),
    "clojars": ("clojars", ("clojars-api-token",)),
    "coinbase": ("coinbase", ("coinbase-access-token",)),
    "duffel": ("duffel", ("duffel-api-token",)),
    "easypost": ("easypost", ("easypost-api-token", "easypost-test-api-token")),
    "etsy": ("etsy", ("etsy-access-token",)),
    "finicity": ("finicity", ("finicity-api-token", "finicity-client-secret")),
    "finnhub": ("finnhub", ("finnhub-access-token",)),
    "flickr": ("flickr", ("flickr-access-token",)),
    "flutterwave": ("flutterwave", ("flutterwave-encryption-key", "flutterwave-public-key",
                                    "flutterwave-secret-key")),
    "frameio": ("frameio", ("frameio-api-token",)),
    "freemius": ("freemius", ("freemius-secret-key",)),
    "freshbooks": ("freshbooks", ("freshbooks-access-token",)),
    "gitter": ("gitter", ("gitter-access-token",)),
    "gocardless": ("gocardless", ("gocardless-api-token",)),
    "harness": ("harness", ("harness-api-key",)),
    "infracost": ("infracost", ("infracost-api-token",)),
    "kraken": ("kraken", ("kraken-access-token",)),
    "kucoin": ("kucoin", ("kucoin-access-token", "kucoin-secret-key")),
    "linkedin": ("linkedin", ("linkedin-client-id", "linkedin-client-secret")),
    "lob": ("lob", ("lob-api-key", "lob-pub-api-key")),
    "looker": ("looker", ("looker-client-id", "looker-client-secret")),
    "mattermost": ("mattermost", ("mattermost-access-token",)),
    "maxmind": ("maxmind", ("maxmind-license-key",)),
    "nuget": ("nuget", ("nuget-config-password",)),
    "nytimes": ("nytimes", ("nytimes-access-token",)),
    "privateai": ("privateai", ("privateai-api-token",)),
    "rapidapi": ("rapidapi", ("rapidapi-access-token",)),
    "readme": ("readme", ("readme-api-token",)),
    "sendbird": ("sendbird", ("sendbird-access-id", "sendbird-access-token")),
    "sendinblue": ("sendinblue", ("sendinblue-api-token",)),
    "settlemint": ("settlemint", ("settlemint-application-access-token",
                                  "settlemint-personal-access-token",
                                  "settlemint-service-access-token")),
    "shippo": ("shippo", ("shippo-api-token",)),
    "squarespace": ("squarespace", ("squarespace-access-token",)),
    "twitch": ("twitch", ("twitch-api-token",)),
}
SELF_HOSTED = frozenset({"openshift"})
RULES = [(p, prefix, rule) for table in (RESEARCHED, MINIMAL)
         for p, (prefix, rules) in table.items() for rule in rules]


def _kind(prefix: str, rule: str) -> str:
    return rule.removeprefix(prefix + "-").replace("-", "_")


def _credential(provider: str, kind: str) -> Credential:
    return Credential("c-1", "sha256:x", "abcd…", provider, kind, ("catalog",),
                      (Location("app/.env", 3),))


@pytest.mark.parametrize(("provider", "prefix", "rule"), RULES,
                         ids=[rule for _, _, rule in RULES])
def test_every_catalog_rule_names_a_kind(provider: str, prefix: str, rule: str) -> None:
    info = load()[provider]
    kind = info.kind(_kind(prefix, rule))
    assert kind is not None, f"{rule}: no kind {_kind(prefix, rule)!r} in {provider}.toml"
    assert rule in kind.source or rule in info.source


@pytest.mark.parametrize("provider", sorted(RESEARCHED))
def test_researched_providers_claim_destructive_operations_with_sources(provider: str) -> None:
    info = load()[provider]
    # A cluster token opens the cluster its server names: labels on the file describe it.
    assert info.target == ("address" if provider in SELF_HOSTED else "hosted")
    destructive = [o for o in info.operations if o.destructive]
    assert destructive, provider
    # Each destructive operation cites the page it came from, and anything not read on the
    # provider's own docs says so instead of passing as confirmed.
    assert all(o.source.strip() and o.names for o in destructive)
    assert all("https://" in o.source or o.uncertain for o in destructive), provider


@pytest.mark.parametrize("provider", sorted(RESEARCHED))
def test_a_researched_kind_resolves_to_its_destructive_reach(provider: str) -> None:
    info = load()[provider]
    kind = next(k for k in info.kinds if k.operations)
    reach = resolve(_credential(provider, kind.id), RepoEvidence([])).reach
    assert (reach.provider, reach.kind, reach.scope) == (provider, kind.id, kind.scope)
    assert any(c.destructive for c in reach.capabilities)
    assert any(e.reason == f"{info.name} {kind.id} found here" for e in reach.evidence)


@pytest.mark.parametrize("provider", sorted(MINIMAL))
def test_minimal_providers_show_their_name_with_reach_unknown(provider: str) -> None:
    info = load()[provider]
    assert all(k.scope is Scope.UNKNOWN and not k.operations and k.uncertain
               and "reach unknown" in k.uncertain for k in info.kinds)
    assert not info.operations
    kind = info.kinds[0]
    reach = resolve(_credential(provider, kind.id), RepoEvidence([])).reach
    assert (reach.provider, reach.kind, reach.scope) == (provider, kind.id, Scope.UNKNOWN)
    assert reach.capabilities == ()
    assert any(e.reason == f"{info.name} {kind.id} found here" for e in reach.evidence)
    assert "reach unknown" in " ".join(reach.why)


def test_providers_lists_the_catalog_vendors() -> None:
    result = CliRunner().invoke(app, ["providers", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = {p["id"]: p for p in json.loads(result.stdout)["providers"]}
    assert set(RESEARCHED) | set(MINIMAL) <= set(listed)
    assert listed["huggingface"]["operations"][0]["names"][0] == "DELETE /api/repos/delete"
