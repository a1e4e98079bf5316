"""``home-store``: credential stores under a home directory that other detectors miss.

Runs only on files whose path ends like one of these stores (providers.md §24), so it
costs nothing elsewhere. Stores the line detectors already read well are left to them:
``~/.aws/credentials`` (aws-access-key), gh ``hosts.yml`` (github-token), ``.pypirc``,
``.npmrc``, ``~/.supabase/access-token`` (kb-format, detect-secrets, supabase-key).
Found here:

* Railway CLI ``~/.railway/config.json`` (§1.8): ``user.token``, ``user.accessToken``,
  ``user.refreshToken``; each linked project's ``environmentName`` becomes a
  ``linked_environment`` fact (the directory is linked to, e.g., production);
* Docker ``config.json`` ``auths.<registry>.auth`` (base64 ``user:password``);
* ``.netrc`` / ``_netrc`` ``machine H login U password P`` and ``.git-credentials``
  ``https://user:token@host`` lines, attributed by host (§24; Heroku is UNCERTAIN);
* gcloud application default credentials (§3): ``refresh_token`` / ``private_key``;
* ``~/.vault-token`` and Terraform ``credentials.tfrc.json`` (§22 Vault, §21).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.files import docker_config
from blastscan.detectors.match.finishing import finishing
from blastscan.scanner.models import Candidate

Found = tuple[str, str, str, tuple[tuple[str, str], ...]]  # provider, kind, secret, facts

# Hosts whose passwords are that provider's tokens. git/api.heroku.com: providers.md §24
# (UNCERTAIN); registries: §22 Docker Hub.
_HOSTS = {"api.heroku.com": ("heroku", "api_key"), "git.heroku.com": ("heroku", "api_key"),
          "github.com": ("github", "classic_pat"), "api.github.com": ("github", "classic_pat"),
          "gitlab.com": ("gitlab", "token"), "registry.gitlab.com": ("gitlab", "token"),
          "index.docker.io": ("dockerhub", "personal_access_token"),
          "registry-1.docker.io": ("dockerhub", "personal_access_token"),
          "docker.io": ("dockerhub", "personal_access_token")}
_TOKEN = re.compile(r"\S+")
_RAILWAY_USER_FIELDS = ("token", "accessToken", "refreshToken")  # [RW-CLI:src/config.rs]

_UUID = "3f9c2a1e-8b7d-4c6e-a5f4-0d1e2f3a4b5c"
_PW = "Hq7Tz2Lx9Wv4Rk1Nm6Bc3Jd8"


def _by_host(host: str) -> tuple[str, str]:
    return _HOSTS.get(host.lower(), ("generic", "secret"))


def _json(doc: Document) -> dict[str, Any]:
    try:
        with finishing("JSON"):  # nesting past the stack: counted, not "nothing found"
            data = json.loads(doc.text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _railway(doc: Document) -> Iterator[Found]:
    data = _json(doc)
    linked = sorted({p["environmentName"] for p in _dict(data.get("projects")).values()
                     if isinstance(p, dict) and isinstance(p.get("environmentName"), str)})
    facts = (("name", "RAILWAY_CLI_LOGIN"), *(("linked_environment", e) for e in linked))
    user = _dict(data.get("user"))
    for field in _RAILWAY_USER_FIELDS:
        if isinstance(secret := user.get(field), str) and secret:
            yield "railway", "token", secret, (*facts, ("field", f"user.{field}"))


def _docker(doc: Document) -> Iterator[Found]:
    for login in docker_config.logins(doc):
        provider, kind = docker_config.provider_of(login)
        yield provider, kind, login.password, (
            ("container", f"docker config auths.{login.registry}.auth"),
            ("host", login.registry), ("user", login.user))


def _netrc(doc: Document) -> Iterator[Found]:
    tokens = [m.group(0) for m in _TOKEN.finditer(doc.text)]
    host = ""
    for key, value in itertools.pairwise(tokens):
        if key == "machine":
            host = value
        elif key == "default":
            host = "default"
        elif key == "macdef":
            return  # a macro body follows; it holds commands, not credentials
        elif key == "password" and host:
            provider, kind = _by_host(host)
            yield provider, kind, value, (("host", host),)


def _git_credentials(doc: Document) -> Iterator[Found]:
    for line in doc.text.splitlines():
        try:
            parts = urlsplit(line.strip())
            host, password = parts.hostname or "", parts.password
        except ValueError:
            continue
        if password and host:
            provider, kind = _by_host(host)
            yield provider, kind, password, (("host", host),)


def _gcloud(doc: Document) -> Iterator[Found]:
    data = _json(doc)
    for field, kind in (("refresh_token", "user_credentials"),
                        ("private_key", "service_account_key")):
        if isinstance(secret := data.get(field), str) and secret:
            yield "gcp", kind, secret, (("field", field),)


def _vault(doc: Document) -> Iterator[Found]:
    token = doc.text.strip()
    if token and _TOKEN.fullmatch(token):
        kind = "batch_token" if token.startswith("hvb.") else "service_token"
        yield "vault", kind, token, (("name", "VAULT_TOKEN"),)


def _terraform(doc: Document) -> Iterator[Found]:
    for host, entry in _dict(_json(doc).get("credentials")).items():
        if isinstance(token := _dict(entry).get("token"), str) and token:
            yield "terraform-cloud", "api_token", token, (("host", host),)


_STORES: tuple[tuple[str, Callable[[Document], Iterator[Found]]], ...] = (
    (".railway/config.json", _railway),
    (".docker/config.json", _docker),
    (".netrc", _netrc),
    ("_netrc", _netrc),
    (".git-credentials", _git_credentials),
    ("gcloud/application_default_credentials.json", _gcloud),
    (".vault-token", _vault),
    (".terraform.d/credentials.tfrc.json", _terraform),
)


class HomeStoreDetector:
    id = "home-store"
    keywords = ("token", "auths", "password", "@", "private_key", "hv")
    positives = (
        Sample("~/.railway/config.json",
               '{"projects": {"/srv/app": {"name": "app", "environmentName": "production"}},\n'
               f' "user": {{"id": "u1", "token": "{_UUID}"}}}}\n'),
        Sample("~/.netrc", f"machine api.heroku.com\n  login ops@corp.dev\n  password {_UUID}\n"),
        Sample("~/.git-credentials", f"https://octo:{_PW}@github.com\n"),
    )
    negatives = (
        Sample("~/.docker/config.json", '{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}\n'),
        Sample("~/.netrc", "machine github.com login octo\n"),
        Sample("notes/netrc.txt", f"machine api.heroku.com login a password {_UUID}\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        path = "/" + doc.path.removeprefix("~/")
        for suffix, reader in _STORES:
            if path.endswith("/" + suffix):
                for provider, kind, secret, facts in reader(doc):
                    offset = _offset(doc, secret)
                    yield Candidate(self.id, provider, kind, secret, doc.location(offset),
                                    tuple(sorted(set(facts))))
                return


def _offset(doc: Document, secret: str) -> int:
    """Where the secret sits: as written, or JSON-escaped (a PEM key's newlines)."""
    for form in (secret, json.dumps(secret)[1:-1]):
        if (found := doc.text.find(form)) != -1:
            return found
    # A Docker password sits base64-encoded in its ``auth``.
    encoded = next((login.encoded for login in docker_config.logins(doc)
                    if login.password == secret), None)
    return max(doc.text.find(encoded), 0) if encoded else 0
