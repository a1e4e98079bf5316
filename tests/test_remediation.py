"""Remediation (issue 15): concrete, sourced advice beside every critical path.

The knowledge is data (``reports/remediation/data/*.toml``): every entry and step must
carry a source the schema accepts, and a malformed file must fail at load. Per provider,
a critical path built by hand must show that provider's own fix in every report format,
and the steps must follow what the path shows (backups in reach, protection found, a
copy in git history, a scope that is already narrow).
"""

from __future__ import annotations

import dataclasses
import json
import re
from importlib import resources
from typing import Any

import pytest
import tomli
from markdown_it import MarkdownIt

from blastscan.reports import markdown
from blastscan.reports.html import render_html
from blastscan.reports.json_report import render_json
from blastscan.reports.markdown import md_source, render_markdown
from blastscan.reports.remediation import merged, remediation_for
from blastscan.reports.remediation.load import advice_table
from blastscan.reports.remediation.schema import index, is_source, parse
from blastscan.reports.sarif import render_sarif
from blastscan.reports.text import render_text
from blastscan.scanner.errors import KnowledgeError
from blastscan.scanner.models import (
    Confidence,
    Credential,
    Environment,
    Gate,
    Hop,
    Location,
    Path,
    Reach,
    ResolvedCredential,
    ScanResult,
    Scope,
    Severity,
    SourceKind,
    Summary,
)


def _raw_files() -> dict[str, dict[str, Any]]:
    folder = resources.files("blastscan.reports.remediation").joinpath("data")
    return {e.name: tomli.loads(e.read_text(encoding="utf-8"))
            for e in folder.iterdir() if e.name.endswith(".toml")}


def _case(provider: str, kind: str, scope: Scope, action: str, *, backups: bool | None = False,
          mitigations: tuple[str, ...] = (), history: bool = False,
          env: Environment = Environment.PRODUCTION) -> tuple[Path, ResolvedCredential]:
    locations = [Location(".env.production", 3)]
    if history:
        locations.append(Location(".env.production", 3, SourceKind.GIT_HISTORY, "ab" * 20))
    credential = Credential("c-1", "sha256:" + "0" * 64, "abcd…", provider, kind,
                            ("test",), tuple(locations))
    reach = Reach(provider, kind, scope, (env,), Confidence.HIGH, (), ())
    hops = (Hop("source", ".env.production:3"), Hop("credential", "c-1"),
            Hop("operation", action))
    path = Path("p-1", Severity.CRITICAL, "c-1", env, f"{provider} resource", action, True,
                backups, hops, ("reaches production",), mitigations)
    return path, ResolvedCredential(credential, reach)


def _result(path: Path, resolved: ResolvedCredential) -> ScanResult:
    return ScanResult(".", "0.1.0", Summary(1, (), 0, 0), (resolved,), (path,),
                      Gate(True, Severity.CRITICAL, (path.id,)))


# ---------------------------------------------------------------- the data and its schema

def test_every_remediation_entry_and_step_has_a_source_or_says_it_has_none() -> None:
    raw = _raw_files()
    assert raw, "no remediation data files found"
    steps = unsourced = 0
    for name, data in raw.items():
        for table in [*data["advice"], *(s for e in data["advice"] for s in e.get("step", []))]:
            steps += "when" in table
            assert table["source"] or table.get("uncertain"), (name, table)
            unsourced += not table["source"]
            # Issue 21: every source is a URL a reader can open, none the unshipped notes.
            assert all(is_source(s) and "providers.md" not in s for s in table["source"]), name
    loaded = advice_table()
    assert all((a.sources or a.uncertain) and all(f.sources or f.uncertain for f in a.fixes)
               for a in loaded.values())
    assert 0 < unsourced < steps  # the honest gaps are marked, and they are the exception
    assert steps == sum(len(a.fixes) for a in {id(a): a for a in loaded.values()}.values())


def test_destructive_providers_of_the_brief_have_their_own_entry() -> None:
    covered = set(advice_table())
    for provider in ("railway", "aws", "supabase", "github", "stripe", "heroku", "digitalocean",
                     "gcp", "postgres", "kubernetes", "terraform-cloud"):
        assert provider in covered, provider


@pytest.mark.parametrize(("change", "message"), [
    (lambda e: e.pop("source"), "missing 'source'"),
    (lambda e: e.update(source=[]), "needs a source"),
    (lambda e: e.update(source=["providers.md §1.1"]), "not an https URL"),
    (lambda e: e.update(source=["https://example.com/<b>"]), "not an https URL"),
    (lambda e: e["step"][0].update(source=[]), "needs a source, or an uncertain note"),
    (lambda e: e["step"][0].update(source=["providers.md §22 Doppler"]), "not an https URL"),
    (lambda e: e.update(uncertain=""), r"advice\[0\]\.uncertain"),
    (lambda e: e.update(source=["http://example.com/insecure"]), "not an https URL"),
    (lambda e: e.update(source=["https://example.com/a b"]), "not an https URL"),
    (lambda e: e.update(colour="red"), "unknown key"),
    (lambda e: e["step"][0].update(when="sometimes"), "when"),
    (lambda e: e["step"][0].update(action="delete {secret}"), "unknown placeholder"),
    (lambda e: e["step"][0].update(action="unmatched {brace"), r"step\[0\]\.action"),
    (lambda e: e["step"][0].pop("source"), "missing 'source'"),
    (lambda e: e["step"][0].update(source=["see the docs"]), "not an https URL"),
])  # fmt: skip
def test_schema_rejects_a_malformed_entry(change: Any, message: str) -> None:
    entry = {"providers": ["x"], "narrower": "n", "why": "w", "source": ["https://example.com/n"],
             "step": [{"when": "broad", "action": "a", "why": "w",
                       "source": ["https://example.com/doc"]}]}
    parse("ok.toml", {"advice": [entry]})  # the unchanged entry is valid
    change(entry)
    with pytest.raises(KnowledgeError, match=message):
        parse("bad.toml", {"advice": [entry]})


def test_an_unsourced_entry_parses_only_with_its_uncertain_note() -> None:
    entry = {"providers": ["x"], "narrower": "n", "why": "w", "source": [],
             "uncertain": "not re-read", "step": [{"when": "broad", "action": "a", "why": "w",
                                                    "source": [], "uncertain": "no source"}]}
    (advice,) = parse("ok.toml", {"advice": [entry]})
    assert advice.sources == ()
    assert advice.uncertain == "not re-read"
    assert advice.fixes[0].sources == ()
    assert advice.fixes[0].uncertain == "no source"
    del entry["uncertain"]
    with pytest.raises(KnowledgeError, match=r"advice\[0\]\.source: every entry needs"):
        parse("bad.toml", {"advice": [entry]})


def test_a_narrower_credential_without_a_source_is_shown_as_uncertain() -> None:
    # Cloudflare's entry rests on notes with no public source: the advice must say so.
    path, resolved = _case("cloudflare", "global_api_key", Scope.ACCOUNT, "cloudflare.zone.delete")
    fix = remediation_for(path, resolved)
    assert fix.narrower
    assert "(UNCERTAIN: no public source was recorded" in fix.narrower
    narrow = _case("cloudflare", "global_api_key", Scope.READ_ONLY, "cloudflare.zone.delete")
    assert remediation_for(*narrow).narrower is None  # no advice, so no note either


def test_a_provider_covered_twice_is_an_error() -> None:
    entry = {"providers": ["x"], "narrower": "n", "why": "w", "source": ["https://example.com/n"]}
    with pytest.raises(KnowledgeError, match="covered twice"):
        index(parse("a.toml", {"advice": [entry, entry]}))


# ---------------------------------------------------------------- per provider, every format

CASES = {
    "railway": (("railway", "account_token", Scope.ACCOUNT, "railway.volume.delete"),
                ["projectTokenCreate", "RAILWAY_TOKEN", "Wiping a volume deletes all backups"]),
    "aws": (("aws", "access_key", Scope.ACCOUNT, "aws.rds.delete_db_instance"),
            ["rds:DeleteDBInstance", "modify-db-instance", "Vault Lock", "IAM Identity Center"]),
    "supabase": (("supabase", "service_role_key", Scope.PROJECT, "supabase.project.delete"),
                 ["publishable key", "row-level security", "db dump"]),
    "github": (("github", "classic_pat", Scope.ACCOUNT, "github.repo.delete"),
               ["Fine-grained tokens", "Administration permission"]),
    "stripe": (("stripe", "secret_key", Scope.ACCOUNT, "stripe.customer.delete"),
               ["restricted key", "test-mode keys"]),
    "kubernetes": (("kubernetes", "kubeconfig_token", Scope.ACCOUNT,
                    "kubernetes.namespace.delete"), ["RoleBinding", "deletecollection"]),
    "postgres": (("postgres", "connection_url", Scope.ACCOUNT, "postgres.data.drop"),
                 ["pg_read_all_data", "read replica"]),
    "digitalocean": (("digitalocean", "personal_access_token", Scope.ACCOUNT,
                      "digitalocean.database.delete"), ["custom scopes"]),
    "heroku": (("heroku", "api_key", Scope.ACCOUNT, "heroku.app.delete"),
               ["authorizations:create"]),
    "gcp": (("gcp", "service_account_key", Scope.PROJECT, "gcp.cloudsql.delete"),
            ["predefined roles", "deletion protection"]),
}  # fmt: skip


@pytest.mark.parametrize("provider", sorted(CASES))
def test_critical_path_advice_appears_in_every_format(provider: str) -> None:
    (slug, kind, scope, action), markers = CASES[provider]
    path, resolved = _case(slug, kind, scope, action, backups=True)
    result = _result(path, resolved)
    sarif = json.loads(render_sarif(result))
    rule_help = sarif["runs"][0]["tool"]["driver"]["rules"][0]["help"]
    document = json.loads(render_json(result))
    entries = {entry["id"]: entry for entry in document["remediations"]}
    fix = entries[document["paths"][0]["remediation"]]
    rendered = {
        "text": render_text(result, width=400),
        "markdown": render_markdown(result).replace("\\", ""),  # escapes aside
        "html": render_html(result).replace("&#39;", "'"),
        "sarif-help": rule_help["text"] + rule_help["markdown"],
        "json": json.dumps(fix, ensure_ascii=False),
    }
    for marker in markers:
        for name, text in rendered.items():
            assert marker in text, (provider, name, marker)
    assert fix["narrower"]
    assert fix["sources"]
    assert all(step["sources"] or step["uncertain"] for step in fix["steps"])
    assert resolved.credential.redacted not in json.dumps(fix)


def test_json_paths_share_one_entry_per_distinct_remediation() -> None:
    path, resolved = _case("railway", "account_token", Scope.ACCOUNT, "railway.volume.delete",
                           backups=True)
    other = dataclasses.replace(path, id="p-2")  # same shape: same advice
    unprotected = dataclasses.replace(path, id="p-3", backups_in_blast_radius=False)
    result = dataclasses.replace(_result(path, resolved), paths=(path, other, unprotected))
    document = json.loads(render_json(result))
    by_path = {p["id"]: p["remediation"] for p in document["paths"]}
    assert by_path["p-1"] == by_path["p-2"] != by_path["p-3"]
    assert len(document["remediations"]) == 2
    assert render_json(result) == render_json(result)  # ids are content hashes: stable


def test_markdown_spells_out_the_fix_of_the_first_credentials_only() -> None:
    cases = [_case(p, k, s, a) for p, k, s, a in (CASES[name][0] for name in sorted(CASES))]
    paths = tuple(dataclasses.replace(path, id=f"p-{i}", credential_id=f"c-{i}")
                  for i, (path, _) in enumerate(cases))
    creds = tuple(dataclasses.replace(rc, credential=dataclasses.replace(
        rc.credential, id=f"c-{i}")) for i, (_, rc) in enumerate(cases))
    result = dataclasses.replace(_result(*cases[0]), credentials=creds, paths=paths)
    text = render_markdown(result)
    shown = text.count("revoke and reissue")
    assert shown == markdown.MAX_FIXES
    # Each further credential's block points at the JSON report instead (one line each).
    blocks = min(len(cases), markdown.MAX_PATH_ROWS)
    assert text.count("list has this credential's steps") == blocks - shown > 0


def test_markdown_links_our_source_urls_and_refuses_other_text() -> None:
    path, resolved = _case("aws", "access_key", Scope.ACCOUNT, "aws.rds.delete_db_instance")
    markdown = render_markdown(_result(path, resolved))
    # Our own validated URLs are autolinks a reader can follow, not escaped text.
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds-programmatic-access.html"
    assert f"<{url}>" in markdown
    assert "https:\\//docs" not in markdown
    assert md_source(url) == f"<{url}>"
    for text in ("providers.md §1.6", "[click](javascript:alert(1))", "https://x.test/a>b",
                 "https://x.test/a b", "http://x.test/"):
        with pytest.raises(TypeError):
            md_source(text)


# ---------------------------------------------------------------- tailored to the path

def _actions(path: Path, resolved: ResolvedCredential) -> str:
    return " | ".join(step.action for step in remediation_for(path, resolved).steps)


def test_account_token_with_backups_in_reach_says_so_and_names_the_kind() -> None:
    path, resolved = _case("railway", "account_token", Scope.ACCOUNT, "railway.volume.delete",
                           backups=True)
    fix = remediation_for(path, resolved)
    backups = [s for s in fix.steps if "outside Railway" in s.action]
    assert len(backups) == 1
    assert "this account token deletes the volume and every Railway-side backup" in backups[0].why
    assert fix.narrower is not None
    assert "project token" in fix.narrower


def test_a_credentials_paths_merge_into_one_step_per_fix() -> None:
    volume, resolved = _case("railway", "account_token", Scope.ACCOUNT, "railway.volume.delete",
                             backups=True)
    project = dataclasses.replace(volume, id="p-2", action="railway.project.delete",
                                  resource="railway project")
    fix = merged([remediation_for(p, resolved) for p in (volume, project)])
    assert sum("outside Railway" in s.action for s in fix.steps) == 1
    assert len({s.key for s in fix.steps}) == len(fix.steps)
    assert fix.sources == tuple(dict.fromkeys(fix.sources))
    # The uncovered entry names the resource: merged, it speaks of the first (worst) path.
    uncovered, other = _case("mailgun", "api_key", Scope.ACCOUNT, "mailgun.domain.delete",
                             backups=True)
    second = dataclasses.replace(uncovered, id="p-2", resource="mailgun lists")
    both = merged([remediation_for(p, other) for p in (uncovered, second)])
    backups = [s.action for s in both.steps if s.action.startswith("move the backups")]
    assert backups == ["move the backups of mailgun resource out of this credential's reach"]


def test_no_backups_step_when_backups_are_not_in_reach() -> None:
    path, resolved = _case("railway", "account_token", Scope.ACCOUNT, "railway.volume.delete",
                           backups=False)
    assert "outside Railway" not in _actions(path, resolved)


def test_an_environment_scoped_token_gets_no_narrower_credential() -> None:
    path, resolved = _case("railway", "project_token", Scope.ENVIRONMENT, "railway.volume.delete")
    fix = remediation_for(path, resolved)
    assert fix.narrower is None
    assert "projectTokenCreate" not in _actions(path, resolved)
    assert "revoke and reissue" in _actions(path, resolved)  # it was still readable


def test_protection_found_in_the_repository_drops_the_protection_step() -> None:
    bare = _case("aws", "access_key", Scope.ACCOUNT, "aws.rds.delete_db_instance")
    protected = _case("aws", "access_key", Scope.ACCOUNT, "aws.rds.delete_db_instance",
                      mitigations=("deletion_protection = true in main.tf:4",))
    assert "--deletion-protection" in _actions(*bare)
    assert "--deletion-protection" not in _actions(*protected)
    assert "rds:DeleteDBInstance" in _actions(*protected)  # the Deny still closes it


def test_steps_follow_the_operation_and_the_kind() -> None:
    s3 = _case("aws", "access_key", Scope.ACCOUNT, "aws.s3.delete_object")
    assert "s3:DeleteBucket" in _actions(*s3)
    assert "rds:DeleteDBInstance" not in _actions(*s3)
    management = _case("supabase", "management_token", Scope.ACCOUNT, "supabase.project.delete")
    assert "scoped personal access token" in _actions(*management)
    assert "publishable key" not in _actions(*management)


def test_an_unknown_environment_is_treated_as_production() -> None:
    unknown = _case("aws", "access_key", Scope.ACCOUNT, "aws.rds.delete_db_instance",
                    env=Environment.UNKNOWN)
    staging = _case("aws", "access_key", Scope.ACCOUNT, "aws.rds.delete_db_instance",
                    env=Environment.STAGING)
    assert "--deletion-protection" in _actions(*unknown)
    assert "rds:DeleteDBInstance" in _actions(*unknown)
    assert "--deletion-protection" not in _actions(*staging)


def test_a_copy_in_git_history_adds_the_history_step() -> None:
    plain = _case("stripe", "secret_key", Scope.ACCOUNT, "stripe.customer.delete")
    history = _case("stripe", "secret_key", Scope.ACCOUNT, "stripe.customer.delete", history=True)
    assert "git history" not in _actions(*plain)
    assert "git history" in _actions(*history)


def test_a_secret_read_out_of_terraform_state_adds_the_state_step() -> None:
    path, resolved = _case("postgres", "connection_url", Scope.ACCOUNT, "postgres.data.drop")
    assert "remote backend" not in _actions(path, resolved)
    container = ("container", "terraform state aws_db_instance.orders.password")
    in_state = dataclasses.replace(resolved, credential=dataclasses.replace(
        resolved.credential, facts=(container,)))
    assert "use_lockfile = true" in _actions(path, in_state)


def test_repository_text_filled_into_a_step_stays_inert() -> None:
    # {resource} comes from the path, which can carry repository text: the reporters must
    # escape the filled-in step like any other repository text.
    evil = "<script>x</script> [a](http://e) `c` \x1b[31m"
    path, resolved = _case("mailgun", "api_key", Scope.ACCOUNT, "mailgun.domain.delete",
                           backups=True)
    result = _result(dataclasses.replace(path, resource=evil), resolved)
    html = render_html(result)
    assert "<script>x" not in html
    assert "&lt;script&gt;x" in html
    rendered = MarkdownIt("commonmark").render(render_markdown(result))
    for tag in ("<script", "<code", "href=\"http://e"):
        assert tag not in rendered, tag
    # The only links are our own sources, each linking to exactly the URL it shows.
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', rendered)
    assert links
    assert rendered.count("<a ") == len(links)
    assert all(is_source(href) and href == text for href, text in links)
    assert {href for href, _ in links} == set(remediation_for(path, resolved).sources)
    assert "\x1b" not in render_text(result, width=400)
    rule = json.loads(render_sarif(result))["runs"][0]["tool"]["driver"]["rules"][0]
    help_html = MarkdownIt("commonmark").render(rule["help"]["markdown"])
    for tag in ("<script", "<a href=\"http://e", "<code"):
        assert tag not in help_html, tag


def test_sarif_help_keeps_placeholders_like_id_visible() -> None:
    path, resolved = _case("aws", "access_key", Scope.ACCOUNT, "aws.rds.delete_db_instance")
    driver = json.loads(render_sarif(_result(path, resolved)))["runs"][0]["tool"]["driver"]
    rule = driver["rules"][0]
    assert "&lt;id&gt;" in MarkdownIt("commonmark").render(rule["help"]["markdown"])


def test_a_provider_without_an_entry_is_told_so() -> None:
    path, resolved = _case("mailgun", "api_key", Scope.ACCOUNT, "mailgun.domain.delete",
                           backups=True)
    fix = remediation_for(path, resolved)
    assert fix.narrower is not None
    assert "no provider-specific advice" in fix.narrower
    assert any(s.uncertain and "not known to blastscan" in s.uncertain for s in fix.steps)
    assert "move the backups of mailgun resource" in _actions(path, resolved)
