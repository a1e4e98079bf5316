"""``agent-config``: credentials handed to a coding agent's MCP servers and settings.

An agent reads its own configuration, and every MCP server entry that holds a token
exposes all the tools that server offers (providers.md §24, "Resolver notes"). This
detector parses the agent config files listed in :data:`AGENT_CONFIG_FILES` and reports
what line-based detectors miss: literal ``env`` values (attributed to a provider from
the variable, header or server name), ``headers``/``http_headers`` values with their
``Bearer`` scheme removed, tokens in ``args`` (``--token=…``, ``--api-key …``,
``KEY=value``) and credentials inside URLs (``?token=…``, ``https://user:pass@…``).
References (``${VAR}``, ``${env:VAR}``, ``${input:id}``, ``$VAR``, ``{{…}}``) are not
secrets: they name a variable defined elsewhere. Database URLs are left to
``database-url``. :func:`agent_usages` turns the same files into ``agent-tool`` and
``agent-permission`` usages the resolver shows as evidence. A malformed file yields
nothing (design principle 6); VS Code's JSON-with-comments is read too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import tomli

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.knowledge import loader as knowledge
from blastscan.detectors.match.assign import is_secret_name
from blastscan.detectors.match.finishing import finishing
from blastscan.scanner.models import Candidate, Usage

_DB_SCHEMES = re.compile(r"^(?:postgres(?:ql)?|mysql|mariadb|mongodb|rediss?)(?:\+[a-z0-9]+)?$")
_SCHEME = re.compile(r"^(?:bearer|basic|token|bot)\s+", re.IGNORECASE)
_QUERY_KEY = re.compile(r"^(?:key|sig|signature|access_token|code)$", re.IGNORECASE)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)

_T1 = "Wq8Lz3Rv6Tn1Ym4Kp7Hs2Dj5Fb9Xc0Ga"
_T2 = "Pk5Jx2Nw9Qe4Zr7Ub1Vt6Hm3Sy8Ld0Fo"

# Agent config files as (path suffix) — providers.md §24 and §1.8 ([RW-CLI:src/commands/mcp/
# install.rs] writes the Railway server into .claude.json, .cursor/mcp.json,
# .codex/config.toml, opencode.json, .copilot/mcp-config.json and .factory/mcp.json).
# UNCERTAIN per §24: claude_desktop_config.json, .gemini/settings.json, .windsurf and
# .codeium configs; .amazonq/mcp.json and .roo/mcp.json are from common knowledge only.
AGENT_CONFIG_FILES = (
    ".mcp.json", ".cursor/mcp.json", ".vscode/mcp.json", ".claude/settings.json",
    ".claude/settings.local.json", "claude_desktop_config.json", ".codex/config.toml",
    ".gemini/settings.json", ".copilot/mcp-config.json", ".factory/mcp.json", "opencode.json",
    ".claude.json", ".amazonq/mcp.json", ".roo/mcp.json",
)
# Where servers sit: Claude/Cursor/Gemini, VS Code, Codex, opencode.
_WRAPPERS = ("mcpServers", "servers", "mcp_servers", "mcp")
_REFERENCE = re.compile(
    r"\$\{(?:env:)?([A-Za-z_]\w*)\}|\$\{input:[^}]*\}|\$([A-Za-z_]\w*)|\{env:([A-Za-z_]\w*)\}"
    r"|\{\{[^}]*\}\}")
# A JSON string is matched first, so ``//`` inside "https://…" is never a comment.
_COMMENT = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.DOTALL)
_TRAILING_COMMA = re.compile(r'("(?:\\.|[^"\\])*")|,(\s*[}\]])')
# Variable-name prefixes that name a provider the knowledge base lists under another id.
_ALIASES = {"gh": "github", "gl": "gitlab", "cf": "cloudflare", "dd": "datadog", "fly": "flyio",
            "tfe": "terraform-cloud", "terraform": "terraform-cloud", "docker": "dockerhub",
            "google": "gcp", "gcloud": "gcp", "claude": "anthropic", "do": "digitalocean"}


_ENDINGS = tuple("/" + name for name in AGENT_CONFIG_FILES)


def is_agent_config(path: str) -> bool:
    """Is ``path`` (relative, POSIX, or ``~/…`` for a home store) an agent config file?"""
    path = "/" + path.removeprefix("~/")
    if path.endswith(_ENDINGS):
        return True
    if ".json" not in path:  # the rules below want a JSON file: most paths end here
        return False
    parts = PurePosixPath(path).parts
    name = parts[-1] if parts else ""
    windsurf = ".windsurf" in parts and "mcp" in name
    return name.endswith(".json") and (
        windsurf or (".codeium" in parts and name == "mcp_config.json"))


@dataclass(frozen=True, slots=True)
class _Server:
    name: str  # "" for Claude settings' top-level ``env``
    env: Mapping[str, str]
    headers: Mapping[str, str]
    args: tuple[str, ...]
    urls: tuple[str, ...]
    referenced: tuple[str, ...]  # variables the server reads by reference


def load(doc: Document) -> dict[str, Any] | None:
    try:
        with finishing("agent configuration"):  # nesting past the stack: counted
            if doc.path.endswith(".toml"):
                data: object = tomli.loads(doc.text)
            else:
                data = json.loads(_strip_jsonc(doc.text))
    except ValueError:  # JSONDecodeError and TOMLDecodeError are ValueErrors
        return None
    return data if isinstance(data, dict) else None


def _servers(data: dict[str, Any]) -> Iterator[_Server]:
    tables = [data.get(key) for key in _WRAPPERS]
    projects = data.get("projects")  # ~/.claude.json keeps local-scope servers per project
    if isinstance(projects, dict):
        tables.extend(p.get("mcpServers") for p in projects.values() if isinstance(p, dict))
    for table in tables:
        if isinstance(table, dict):
            for name, spec in table.items():
                if isinstance(spec, dict):
                    yield _server(str(name), spec)
    if isinstance(data.get("env"), dict):  # Claude settings: "applied to every session"
        yield _server("", data)


def _server(name: str, spec: dict[str, Any]) -> _Server:
    env = {**_strings(spec.get("environment")), **_strings(spec.get("env"))}
    headers = {**_strings(spec.get("headers")), **_strings(spec.get("http_headers"))}
    args = [a for a in _list(spec.get("args")) if isinstance(a, str)]
    command = spec.get("command")
    if isinstance(command, list):  # opencode: "command": ["npx", "-y", "server", ...]
        args = [str(a) for a in command] + args
    urls = tuple(u for k in ("url", "serverUrl", "httpUrl")
                 if isinstance(u := spec.get(k), str))
    refs = [*_strings(spec.get("env_http_headers")).values()]  # Codex: header -> variable
    if isinstance(token_var := spec.get("bearer_token_env_var"), str):
        refs.append(token_var)
    for text in (*env.values(), *headers.values(), *args, *urls):
        refs.extend(g for m in _REFERENCE.finditer(text) for g in m.groups() if g)
    return _Server(name, env, headers, tuple(args), urls, tuple(refs))


def _allowed(data: dict[str, Any]) -> Iterator[str]:
    permissions = data.get("permissions")
    if isinstance(permissions, dict):
        yield from (r for r in _list(permissions.get("allow")) if isinstance(r, str))


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def is_reference(value: str) -> bool:
    return bool(_REFERENCE.search(value))


@lru_cache(maxsize=1)
def _by_variable() -> dict[str, str]:
    return {v.upper(): p.id for p in knowledge.load().values() for v in p.variables}


def attribute(name: str, server: str) -> tuple[str, str]:
    """(provider, kind) from a variable/header/flag name, then the server's name."""
    providers = knowledge.load()
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    provider = _by_variable().get(name.upper())
    for word in (*words[:1], *re.split(r"[^a-z0-9]+", server.lower())):
        if provider is None and word:
            candidate = _ALIASES.get(word, word)
            provider = candidate if candidate in providers else None
    if provider is None or provider == "generic":
        return "generic", "secret"
    if provider == "railway":
        return "railway", "token"  # every Railway token is a UUID: its resolver decides
    kinds = providers[provider].kinds
    # A kind the name spells out (SUPABASE_SERVICE_ROLE_KEY); else the first one that can
    # do something, so an unproven kind is not assumed harmless.
    named = next((k.id for k in kinds if k.id in "_".join(words)), None)
    kind = named or next((k.id for k in kinds if k.operations), None)
    return (provider, kind) if kind else ("generic", "secret")


def _strip_jsonc(text: str) -> str:
    """Drop ``//`` and ``/* */`` comments and trailing commas outside strings (VS Code)."""
    text = _COMMENT.sub(lambda m: m.group(1) if m.group(1) is not None else "", text)
    return _TRAILING_COMMA.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2),
                               text)


class AgentConfigDetector:
    id = "agent-config"
    keywords = ("env", "headers", "args", "url")
    positives = (
        Sample(".cursor/mcp.json", '{"mcpServers": {"linear": {"command": "npx",\n'
                                   f'  "args": ["-y", "linear-mcp", "--api-key", "{_T1}"]}}}}}}\n'),
        Sample(".vscode/mcp.json", '{\n  // remote server\n  "servers": {"docs": {"type": "http",\n'
                                   f'    "url": "https://mcp.docs.dev/sse?token={_T2}",}}}}}}\n'),
        Sample(".codex/config.toml", '[mcp_servers.railway]\nurl = "https://mcp.railway.com"\n'
                                     f'http_headers = {{ "Authorization" = "Bearer {_T1}" }}\n'),
    )
    negatives = (
        Sample(".mcp.json", '{"mcpServers": {"gh": {"env": {"GITHUB_TOKEN": "${GITHUB_TOKEN}"},\n'
                            '  "headers": {"Authorization": "Bearer ${input:gh_pat}"},\n'
                            '  "args": ["--token", "$GH_TOKEN"]}}}\n'),
        Sample(".claude/settings.json",
               '{"env": {"LOG_LEVEL": "debug", "NODE_ENV": "production"},\n'
               ' "permissions": {"allow": ["Bash(railway:*)"]}}\n'),
        Sample("config.json", f'{{"mcpServers": {{"x": {{"env": {{"API_TOKEN": "{_T1}"}}}}}}}}\n'),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        if not is_agent_config(doc.path):
            return
        data = load(doc)
        if data is None:
            return
        for server in _servers(data):
            for name, secret, facts in _secrets(server):
                provider, kind = attribute(name, server.name)
                if server.name:
                    facts = (*facts, ("mcp_server", server.name))
                offset = doc.text.find(secret)
                yield Candidate(self.id, provider, kind, secret, doc.location(max(offset, 0)),
                                tuple(sorted({("name", name), *facts})))


def agent_usages(doc: Document) -> Iterator[Usage]:
    """``agent-tool`` per MCP server (names: the variables it is handed) and
    ``agent-permission`` per Claude ``permissions.allow`` entry (evidence only)."""
    if not is_agent_config(doc.path):
        return
    data = load(doc)
    if data is None:
        return
    for server in _servers(data):
        if server.name:
            names = (*server.env, *server.referenced)
            yield Usage(doc.path, _line_of(doc, server.name), "agent-tool", server.name,
                        tuple(sorted(set(names))))
    for rule in _allowed(data):
        yield Usage(doc.path, _line_of(doc, rule), "agent-permission", rule, ())


def _secrets(server: _Server) -> Iterator[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """(name, secret, facts) for every literal credential a server entry holds."""
    for name, value in server.env.items():
        if _URL.match(value):
            yield from _url_secrets(value, name)
        elif is_secret_name(name) and _literal(value):
            yield name, value, ()
    for name, value in server.headers.items():
        token = _SCHEME.sub("", value.strip())
        if is_secret_name(name) and _literal(token):
            # The railway resolver reads the header form to decide the token kind (§1.1).
            scheme = value.strip()[: len(value.strip()) - len(token)].strip().lower()
            header = f"{name.lower()}: {scheme}" if scheme else name.lower()
            yield name, token, (("header", header),)
    args = server.args
    for i, arg in enumerate(args):
        if arg.startswith("-"):
            flag, eq, inline = arg.partition("=")
            value = inline if eq else (args[i + 1] if i + 1 < len(args) else "")
            if not _URL.match(value) and is_secret_name(flag.lstrip("-")) and _literal(value):
                yield flag, value, ()
        elif _URL.match(arg):
            yield from _url_secrets(arg, "")
        elif "=" in arg:  # docker-style ``-e KEY=value``
            name, _, value = arg.partition("=")
            if is_secret_name(name) and _literal(value):
                yield name, value, ()
    for url in server.urls:
        yield from _url_secrets(url, "")


def _url_secrets(url: str, name: str) -> Iterator[tuple[str, str, tuple[tuple[str, str], ...]]]:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        password = parts.password
    except ValueError:
        return
    if _DB_SCHEMES.match(parts.scheme.lower()):
        return  # the database-url detector reports these with host, user and database
    facts = (("host", host),) if host else ()
    if password and _literal(password):
        yield name or "password", password, facts
    for key, value in parse_qsl(parts.query):
        if (is_secret_name(key) or _QUERY_KEY.match(key)) and _literal(value):
            yield name or key, value, facts


def _literal(value: str) -> bool:
    """A stored value, not a reference to one (providers.md §24) nor a stub."""
    return len(value) >= 8 and not is_reference(value) and not any(
        c.isspace() for c in value)


def _line_of(doc: Document, text: str) -> int:
    for needle in (f'"{text}"', text):
        offset = doc.text.find(needle)
        if offset != -1:
            return doc.line_no(offset)
    return 1
