"""The provider knowledge base: every file loads, validates, and cites its sources."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from blastscan.detectors import registry
from blastscan.detectors.base import Document
from blastscan.detectors.knowledge import formats as kb_formats
from blastscan.detectors.knowledge.loader import Provider, load, parse
from blastscan.detectors.knowledge.model import compile_format
from blastscan.detectors.providers.detect_secrets_plugins import _PLUGINS
from blastscan.scanner.cli.main import app
from blastscan.scanner.errors import KnowledgeError


def test_every_provider_loads_with_sources() -> None:
    kb = load()
    assert {"railway", "aws", "stripe", "github", "supabase", "postgres", "mysql", "mongodb",
            "redis", "kubernetes", "generic"} <= set(kb)
    for provider in kb.values():
        assert provider.source
        for kind in provider.kinds:
            assert kind.source
            assert kind.why
        for op in provider.operations:
            assert op.source
            assert op.why
            assert op.names


def test_every_operation_is_reachable_from_some_kind() -> None:
    for provider in load().values():
        used = {op for kind in provider.kinds for op in kind.operations}
        assert used == {op.id for op in provider.operations}, provider.id


def _minimal() -> dict[str, Any]:
    return {
        "id": "demo", "name": "Demo", "source": "test",
        "kind": [{"id": "k", "scope": "account", "environment_scoped": False,
                  "operations": ["x.delete"], "why": "w", "source": "s"}],
        "operation": [{"id": "x.delete", "resource": "r", "destructive": True,
                       "names": ["n"], "why": "w", "source": "s"}],
    }


def test_minimal_file_parses() -> None:
    provider = parse("demo", _minimal())
    assert provider.kinds[0].operations == ("demo.x.delete",)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.update(id="other"),
        lambda d: d.update(colour="red"),
        lambda d: d["kind"][0].update(scope="galaxy"),
        lambda d: d["kind"][0].update(operations=["missing"]),
        lambda d: d["kind"][0].pop("source"),
        lambda d: d["operation"][0].update(typo=True),
        lambda d: d["kind"].append(dict(d["kind"][0])),
    ],
)
def test_malformed_files_are_rejected(breakage: Any) -> None:
    data = _minimal()
    breakage(data)
    with pytest.raises(KnowledgeError):
        parse("demo", data)


# --- schema additions: formats, samples, provider-level facts ----------------------------------

_SAMPLES = [(p.id, i, s) for p in load().values() for i, s in enumerate(p.samples)]


def test_at_least_thirty_providers_load() -> None:
    assert len(load()) >= 30


@pytest.mark.parametrize(("provider_id", "index", "sample"), _SAMPLES,
                         ids=[f"{p}-{i}" for p, i, _ in _SAMPLES])
def test_provider_samples_through_the_registry(provider_id: str, index: int, sample: Any) -> None:
    detection = registry.scan_document(Document.of(sample.path, sample.text))
    ours = [c for c in detection.candidates if c.provider == provider_id]
    if sample.secret:
        assert ours, f"{provider_id} sample {index} found nothing"
        if sample.kind is not None:
            assert sample.kind in {c.kind for c in ours}
    else:
        assert not ours, f"{provider_id} sample {index} is not a secret"


@pytest.mark.parametrize("provider", [p for p in load().values() if p.formats], ids=str)
def test_providers_with_formats_have_both_kinds_of_samples(provider: Provider) -> None:
    assert any(s.secret for s in provider.samples)
    assert any(not s.secret for s in provider.samples)
    for fmt in provider.formats:
        assert fmt.source
        assert fmt.keywords


def test_every_detector_kind_exists_in_the_knowledge_base() -> None:
    kb = load()
    for plugin in _PLUGINS:
        assert kb[plugin.provider].kind(plugin.kind) is not None, plugin.provider


def _with_format(**fmt: Any) -> dict[str, Any]:
    data = _minimal()
    data["format"] = [{"kind": "k", "regex": r"\bdemo_[a-z]{8}\b", "keywords": ["demo_"],
                       "source": "s", **fmt}]
    return data


def test_formats_compile_and_samples_parse() -> None:
    data = _with_format(context=True)
    data["sample"] = [{"path": "a.env", "text": "X=demo_abcdefgh\n", "expect": "secret",
                       "kind": "k"}]
    data.update(backups="deleted with the project", backups_source="docs", variables=["DEMO"])
    provider = parse("demo", data)
    (fmt,) = provider.formats
    assert fmt.context
    assert fmt.regex.search("demo_abcdefgh")
    assert provider.samples[0].secret
    assert provider.variables == ("DEMO",)


@pytest.mark.parametrize("fmt", [
    {"regex": "demo_[a-z"},  # does not compile
    {"kind": "nope"},  # not a kind of this provider
    {"keywords": []},
    {"keywords": ["Demo_"]},  # keywords are matched against lowercased text
    {"regex": "(a)(b)"},  # two capture groups: which one is the secret?
    {"colour": "red"},
])
def test_malformed_formats_are_rejected(fmt: dict[str, Any]) -> None:
    with pytest.raises(KnowledgeError):
        parse("demo", _with_format(**fmt))


def test_every_built_in_regex_is_valid() -> None:
    # load() leaves the built-in regexes to compile on first use: they are checked here
    # instead, as parse() checks a repository's own provider files.
    for provider in load().values():
        for fmt in provider.formats:
            assert compile_format(fmt.pattern, fmt.label).pattern == fmt.pattern


def test_a_bad_regex_still_fails_when_compiled_lazily() -> None:
    provider = parse("demo", _with_format(regex="(a)(b)"), check_regexes=False)
    with pytest.raises(KnowledgeError, match="at most one capture group"):
        _ = provider.formats[0].regex


def test_format_without_keywords_is_rejected() -> None:
    data = _with_format()
    del data["format"][0]["keywords"]
    with pytest.raises(KnowledgeError):
        parse("demo", data)


@pytest.mark.parametrize("breakage", [
    lambda d: d.update(sample=[{"path": "a", "text": "b", "expect": "maybe"}]),
    lambda d: d.update(sample=[{"path": "a", "text": "b", "expect": "none", "kind": "nope"}]),
    lambda d: d.update(backups="gone"),  # a fact without its source
    lambda d: d.update(hosts="api.example.com"),
])
def test_malformed_provider_facts_are_rejected(breakage: Any) -> None:
    data = _minimal()
    breakage(data)
    with pytest.raises(KnowledgeError):
        parse("demo", data)


# --- coverage of providers.md ------------------------------------------------------------------

#: Every provider providers.md describes (§1-§22), in its order.
DOCUMENTED = (
    "railway", "aws", "gcp", "azure", "github", "gitlab", "stripe", "supabase", "postgres",
    "mysql", "mongodb", "redis", "kubernetes", "vercel", "netlify", "render", "flyio", "heroku",
    "neon", "planetscale", "atlas", "digitalocean", "cloudflare", "terraform-cloud", "slack",
    "twilio", "sendgrid", "openai", "anthropic", "datadog", "doppler", "vault", "npm", "pypi",
    "dockerhub",
)
#: Providers with a dedicated detector: their ``[[format]]`` tables are documentation.
CORE = ("railway", "aws", "stripe", "github", "supabase", "postgres", "mysql", "mongodb",
        "redis", "kubernetes", "generic")


@pytest.mark.parametrize("provider_id", DOCUMENTED)
def test_every_documented_provider_has_samples_and_sources(provider_id: str) -> None:
    provider = load()[provider_id]
    assert any(s.secret for s in provider.samples), f"{provider_id}: no secret sample"
    assert any(not s.secret for s in provider.samples), f"{provider_id}: no none sample"
    facts = [*provider.kinds, *provider.operations, *provider.formats]
    assert all(fact.source.strip() for fact in facts), provider_id


@pytest.mark.parametrize("provider_id", CORE)
def test_core_providers_state_usage_evidence_and_backups(provider_id: str) -> None:
    provider = load()[provider_id]
    assert provider.backups, provider_id
    assert provider.backups_source, provider_id
    assert provider.formats, provider_id
    if provider_id != "generic":
        assert provider.variables, provider_id


@pytest.mark.parametrize("provider_id", CORE)
def test_core_formats_are_documentation_that_matches_the_samples(provider_id: str) -> None:
    # kb-format must skip natively detected providers, or every token would be found twice.
    assert provider_id in kb_formats.NATIVE
    provider = load()[provider_id]
    secrets = [s.text for s in provider.samples if s.secret]
    for fmt in provider.formats:
        assert any(fmt.regex.search(text) for text in secrets), fmt.label


def test_providers_json_lists_every_provider_with_a_source() -> None:
    result = CliRunner().invoke(app, ["providers", "--format", "json"])
    assert result.exit_code == 0
    providers = json.loads(result.stdout)["providers"]
    assert len(providers) >= 30
    assert all(p["source"] for p in providers)
    assert set(DOCUMENTED) <= {p["id"] for p in providers}
    railway = next(p for p in providers if p["id"] == "railway")
    assert "RAILWAY_API_TOKEN" in railway["variables"]
    assert railway["backups_source"]
