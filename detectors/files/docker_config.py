"""``docker-config``: registry logins in a Docker client config committed anywhere.

``docker login`` stores ``auths.<registry>.auth`` = base64 ``user:password``
(docs.docker.com/reference/cli/docker/login/, "credential stores" section; the legacy
``.dockercfg`` keeps the registries at the top level). Committed under any name
(``deploy/docker-config.json``, a CI folder, a Kubernetes ``dockerconfigjson``), the
keyword net saw only an opaque base64 value; decoded, the password is often a provider's
own token (a GitHub PAT for ``ghcr.io``), whose format names the provider, or else the
registry's host does. The home-directory store (``~/.docker/config.json``) uses the same
reading (:mod:`blastscan.detectors.providers.home_stores`).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.knowledge.formats import identify
from blastscan.scanner.models import Candidate

# Registries whose passwords are that provider's tokens (providers.md §22 Docker Hub; GitHub
# Packages: docs.github.com/packages/working-with-a-github-packages-registry, "a personal
# access token (classic)"; GitLab: docs.gitlab.com/user/packages/container_registry).
_REGISTRIES = {"ghcr.io": ("github", "classic_pat"),
               "docker.pkg.github.com": ("github", "classic_pat"),
               "registry.gitlab.com": ("gitlab", "token"),
               "index.docker.io": ("dockerhub", "personal_access_token"),
               "registry-1.docker.io": ("dockerhub", "personal_access_token"),
               "docker.io": ("dockerhub", "personal_access_token")}


@dataclass(frozen=True, slots=True)
class Login:
    registry: str  # the host
    user: str
    password: str
    encoded: str  # the ``auth`` value as written


def _entries(doc: Document) -> Iterator[tuple[str, str]]:
    """Each (registry, ``auth`` string) of the config (nothing for malformed JSON)."""
    try:
        data = json.loads(doc.text)
    except (ValueError, RecursionError):
        return
    if not isinstance(data, dict):
        return
    entries = data.get("auths", data if doc.path.endswith(".dockercfg") else {})
    for registry, entry in (entries.items() if isinstance(entries, dict) else ()):
        encoded = entry.get("auth") if isinstance(entry, dict) else None
        if isinstance(encoded, str) and isinstance(registry, str):
            yield registry, encoded


def logins(doc: Document) -> Iterator[Login]:
    """Every ``user:password`` login with a password the config holds."""
    for registry, encoded in _entries(doc):
        try:
            user, sep, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if sep and password:
            host = urlsplit(registry if "//" in registry else "//" + registry).hostname
            yield Login((host or registry).lower(), user, password, encoded)


def provider_of(login: Login) -> tuple[str, str]:
    """The token's own format first, then the registry; unknown registries: generic."""
    return identify(login.password) or _REGISTRIES.get(login.registry, ("generic", "secret"))


def is_encoded_login(doc: Document, value: str) -> bool:
    """``value`` is one of the config's ``auth`` strings: read decoded by this reader, or
    a login without a password (anonymous pulls), which holds no credential."""
    if '"auths"' not in doc.text and not doc.path.endswith(".dockercfg"):
        return False
    return any(encoded == value for _, encoded in _entries(doc))


def _candidate(detector: str, doc: Document, login: Login) -> Candidate:
    provider, kind = provider_of(login)
    at = max(doc.text.find(login.encoded), 0)
    facts = (("container", f"docker config auths.{login.registry}.auth"),
             ("host", login.registry), ("user", login.user))
    return Candidate(detector, provider, kind, login.password, doc.location(at), facts)


def _auth(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


_PAT = "ghp_" + "KGBwkwQQtZaO5TXzW7UkUaGasJHjpF7XOYmp"  # the github KB sample's token


class DockerConfigDetector:
    id = "docker-config"
    # The key as JSON writes it, quotes and all: "auths" alone is in words of 120 botocore
    # API models, each parsed whole for nothing (0.07 s of a scan).
    keywords = ('"auths"', "file:.dockercfg")
    positives = (
        Sample("deploy/docker-config.json",
               f'{{"auths": {{"ghcr.io": {{"auth": "{_auth("ci", _PAT)}"}}}}}}\n'),
        Sample("ci/.dockercfg",
               f'{{"https://registry.corp.net/": {{"auth": "{_auth("ci", "Hq7Tz2Lx9Wv4Rk1Nm6Bc")}",'
               ' "email": "ci@corp.net"}}\n'),
    )
    negatives = (
        Sample("deploy/docker-config.json", '{"auths": {"ghcr.io": {}}, "credsStore": "pass"}\n'),
        Sample("deploy/docker-config.json",  # anonymous pull: no password
               f'{{"auths": {{"quay.io": {{"auth": "{_auth("anonymous", "")}"}}}}}}\n'),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        if ("/" + doc.path).endswith("/.docker/config.json"):
            return  # the home-store reader's file, read the same way there
        for login in logins(doc):
            yield _candidate(self.id, doc, login)
