"""Sources beyond the tree (agent configs, home stores, env vars) and their two detectors.

Every credential here is fake: random strings of the right shape.
"""

from __future__ import annotations

import base64
from collections import Counter
from pathlib import Path

import pytest

from blastscan.detectors import registry
from blastscan.detectors.base import Document
from blastscan.detectors.providers.agent_config import agent_usages
from blastscan.scanner.errors import Unparseable
from blastscan.scanner.models import Candidate, SkipReason, SourceKind
from blastscan.scanner.pipeline import sources

TOKEN = "Wq8Lz3Rv6Tn1Ym4Kp7Hs2Dj5Fb9Xc0Ga"
UUID = "3f9c2a1e-8b7d-4c6e-a5f4-0d1e2f3a4b5c"
OTHER = "Pk5Jx2Nw9Qe4Zr7Ub1Vt6Hm3Sy8Ld0Fo"


def found(path: str, text: str, detector: str) -> list[Candidate]:
    detection = registry.scan_document(Document.of(path, text))
    return [c for c in detection.candidates if c.detector == detector]


@pytest.mark.parametrize(("path", "kind"), [
    (".mcp.json", SourceKind.AGENT_CONFIG),
    ("apps/web/.mcp.json", SourceKind.AGENT_CONFIG),
    (".cursor/mcp.json", SourceKind.AGENT_CONFIG),
    (".vscode/mcp.json", SourceKind.AGENT_CONFIG),
    (".claude/settings.local.json", SourceKind.AGENT_CONFIG),
    (".codex/config.toml", SourceKind.AGENT_CONFIG),
    (".windsurf/mcp_config.json", SourceKind.AGENT_CONFIG),
    (".codeium/windsurf/mcp_config.json", SourceKind.AGENT_CONFIG),
    ("opencode.json", SourceKind.AGENT_CONFIG),
    ("mcp.json", SourceKind.WORKTREE),
    (".vscode/settings.json", SourceKind.WORKTREE),
    ("src/config.toml", SourceKind.WORKTREE),
    ("~/.aws/credentials", SourceKind.HOME),
    ("env:RAILWAY_TOKEN", SourceKind.ENVIRONMENT),
])
def test_source_kind(path: str, kind: SourceKind) -> None:
    assert sources.source_kind(path) is kind


def test_home_files_lists_only_present_stores_inside_home(tmp_path: Path) -> None:
    home, outside = tmp_path / "home", tmp_path / "elsewhere"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws/credentials").write_text("[default]\n")
    (home / ".netrc").write_text("x" * 100)
    (home / "notes.txt").write_text("password hunter2\n")
    outside.mkdir()
    (outside / "creds").write_text("https://u:p@github.com\n")
    (home / ".git-credentials").symlink_to(outside / "creds")
    skipped: Counter[SkipReason] = Counter()
    listed = list(sources.home_files(home, max_size=50, skipped=skipped))
    assert [display for _, display in listed] == ["~/.aws/credentials"]
    assert listed[0][0] == (home / ".aws/credentials").resolve()
    assert skipped == Counter({SkipReason.SYMLINK_OUTSIDE_ROOT: 1, SkipReason.TOO_LARGE: 1})
    assert [r.rel for r in sources.home_refs(home, max_size=500)] == [
        "~/.aws/credentials", "~/.netrc"]


def test_home_files_on_a_missing_home(tmp_path: Path) -> None:
    assert list(sources.home_files(tmp_path / "nope", max_size=10)) == []


def test_environment_documents_skip_plain_variables() -> None:
    env = {"PATH": "/usr/bin", "HOME": "/root", "LC_ALL": "C", "EMPTY": "",
           "RAILWAY_API_TOKEN": UUID, "DEBUG": "1"}
    docs = list(sources.environment_documents(env))
    assert [d.path for d in docs] == ["env:DEBUG", "env:RAILWAY_API_TOKEN"]
    assert docs[1].text == f"RAILWAY_API_TOKEN={UUID}\n"
    assert {d.source for d in docs} == {SourceKind.ENVIRONMENT}
    (candidate,) = registry.scan_document(docs[1]).candidates
    assert (candidate.provider, candidate.location.path) == ("railway", "env:RAILWAY_API_TOKEN")
    assert candidate.location.source is SourceKind.ENVIRONMENT


# --- agent-config ------------------------------------------------------------------

CURSOR = f"""{{"mcpServers": {{
  "railway": {{"command": "npx", "args": ["-y", "@railway/mcp-server"],
              "env": {{"API_TOKEN": "{UUID}", "LOG_LEVEL": "debug"}}}},
  "docs": {{"type": "http", "url": "https://mcp.docs.dev/mcp",
           "headers": {{"Authorization": "Bearer {TOKEN}"}}}},
  "linear": {{"command": "npx", "args": ["linear-mcp", "--token={OTHER}"]}},
  "gh": {{"command": "gh-mcp", "env": {{"GITHUB_TOKEN": "${{GITHUB_TOKEN}}"}},
         "headers": {{"Authorization": "Bearer ${{env:GH_PAT}}"}}}}
}}}}
"""


def test_agent_config_finds_env_header_and_args_tokens() -> None:
    by_secret = {c.secret: c for c in found(".cursor/mcp.json", CURSOR, "agent-config")}
    assert set(by_secret) == {UUID, TOKEN, OTHER}
    railway = by_secret[UUID]
    assert (railway.provider, railway.kind, railway.location.line) == ("railway", "token", 3)
    assert railway.fact("mcp_server") == "railway"
    assert railway.fact("name") == "API_TOKEN"
    assert by_secret[TOKEN].fact("header") == "authorization: bearer"
    assert by_secret[OTHER].fact("name") == "--token"


def test_agent_config_reads_urls_codex_and_claude_settings() -> None:
    url = f'{{"servers": {{"s": {{"url": "https://u:{TOKEN}@mcp.io/x?api_key={UUID}",}}}}}}'
    assert {c.secret for c in found(".vscode/mcp.json", url, "agent-config")} == {TOKEN, UUID}
    codex = f'[mcp_servers.stripe]\ncommand = "x"\nenv = {{ STRIPE_SECRET_KEY = "{TOKEN}" }}\n'
    (stripe,) = found(".codex/config.toml", codex, "agent-config")
    assert (stripe.provider, stripe.kind) == ("stripe", "secret_key")
    settings = f'{{"env": {{"SUPABASE_ACCESS_TOKEN": "{TOKEN}"}}}}'
    (supabase,) = found("~/.claude/settings.json", settings, "agent-config")
    assert (supabase.provider, supabase.fact("mcp_server")) == ("supabase", None)


def test_agent_config_leaves_database_urls_to_their_detector() -> None:
    text = ('{"mcpServers": {"pg": {"args": ["--dsn", '
            '"postgres://admin:Xk29fjQpL0v8@db.prod.internal:5432/app"]}}}')
    detected = registry.scan_document(Document.of(".mcp.json", text)).candidates
    assert [c.detector for c in detected] == ["database-url"]


@pytest.mark.parametrize("text", ["{", "[1, 2]", '{"mcpServers": 3}',
                                  '{"mcpServers": {"x": {"env": [1], "args": {"a": 1}}}}'])
def test_agent_config_survives_malformed_json(text: str) -> None:
    assert found(".mcp.json", text, "agent-config") == []
    assert [u.value for u in agent_usages(Document.of(".mcp.json", text))] == (
        ["x"] if "args" in text else [])


def test_agent_config_nested_past_the_stack_is_unparseable() -> None:
    with pytest.raises(Unparseable):
        list(agent_usages(Document.of(".mcp.json", "[" * 5000)))


def test_agent_config_survives_malformed_toml() -> None:
    assert found(".codex/config.toml", "[mcp_servers.x\nenv = {", "agent-config") == []


def test_agent_usages_name_the_server_and_the_permissions() -> None:
    usages = list(agent_usages(Document.of(".cursor/mcp.json", CURSOR)))
    tools = {u.value: u for u in usages if u.kind == "agent-tool"}
    assert set(tools) == {"railway", "docs", "linear", "gh"}
    assert tools["railway"].names == ("API_TOKEN", "LOG_LEVEL")
    assert tools["gh"].names == ("GH_PAT", "GITHUB_TOKEN")
    assert tools["railway"].line == 2
    settings = '{"permissions": {"allow": ["Bash(railway:*)", "Read(**)"], "deny": ["x"]}}'
    permissions = list(agent_usages(Document.of(".claude/settings.json", settings)))
    assert [(u.kind, u.value, u.names) for u in permissions] == [
        ("agent-permission", "Bash(railway:*)", ()), ("agent-permission", "Read(**)", ())]
    assert list(agent_usages(Document.of("settings.json", settings))) == []


# --- home-store --------------------------------------------------------------------


def test_railway_cli_login_with_linked_production() -> None:
    text = ('{"projects": {"/srv/a": {"name": "a", "environmentName": "production"},\n'
            '  "/srv/b": {"name": "b", "environmentName": "staging"}},\n'
            f' "user": {{"token": "{UUID}", "accessToken": "{TOKEN}"}}}}\n')
    candidates = found("~/.railway/config.json", text, "home-store")
    assert {c.secret for c in candidates} == {UUID, TOKEN}
    for c in candidates:
        assert (c.provider, c.kind, c.fact("name")) == ("railway", "token", "RAILWAY_CLI_LOGIN")
        assert {v for k, v in c.facts if k == "linked_environment"} == {"production", "staging"}
        assert c.location.line == 3


def test_docker_netrc_and_git_credentials() -> None:
    auth = base64.b64encode(f"octo:{TOKEN}".encode()).decode()
    docker = f'{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{auth}"}}}}}}'
    (hub,) = found("~/.docker/config.json", docker, "home-store")
    # Decoded: the password is the credential, the same one as anywhere else it sits.
    assert (hub.provider, hub.fact("host"), hub.secret) == ("dockerhub", "index.docker.io", TOKEN)
    assert hub.fact("container") == "docker config auths.index.docker.io.auth"
    netrc = f"machine api.heroku.com\n  login ops@corp.dev\n  password {UUID}\n"
    (heroku,) = found("~/.netrc", netrc, "home-store")
    assert (heroku.provider, heroku.fact("host"), heroku.location.line) == (
        "heroku", "api.heroku.com", 3)
    creds = f"https://octo:{TOKEN}@github.com\nhttps://me:{UUID}@git.corp.dev\n"
    hosts = {c.fact("host"): c.provider for c in found("~/.git-credentials", creds, "home-store")}
    assert hosts == {"github.com": "github", "git.corp.dev": "generic"}


def test_gcloud_adc_and_malformed_stores() -> None:
    adc = f'{{"type": "authorized_user", "refresh_token": "{TOKEN}"}}'
    (gcp,) = found("~/.config/gcloud/application_default_credentials.json", adc, "home-store")
    assert (gcp.provider, gcp.kind) == ("gcp", "user_credentials")
    wrong_types = '{"user": [1], "projects": [2], "auths": {"x": {"auth": "%%%"}, "y": 3}}'
    for path in ("~/.railway/config.json", "~/.docker/config.json", "~/.git-credentials"):
        for text in (wrong_types, wrong_types[:-3], "https://u:Pk5Jx2Nw9Q@[::1\n"):
            assert found(path, text, "home-store") == []
