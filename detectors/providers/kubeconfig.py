"""``kubeconfig``: static credentials in Kubernetes kubeconfig files.

A kubeconfig (``kind: Config`` with ``clusters``, ``users`` and ``contexts``; providers.md
§10.1, kubernetes.io/docs/reference/config-api/kubeconfig.v1) keeps its secrets under
``users[].user``: a bearer ``token``, a ``client-key-data`` private key (with its
certificate) or a ``password``. ``exec`` and ``auth-provider`` entries hold no static
secret and are not reported. The file is parsed (the alias-bounded safe loader of
:mod:`blastscan.detectors.match.yamlload`) rather than matched line by line, so each
credential can carry the contexts, clusters, API servers and namespaces it is used with —
the resolver's evidence for which cluster (and which environment) the credential
reaches. YAML and JSON kubeconfigs are both read; malformed input yields nothing
instead of an error, and an alias bomb is counted as ``unparseable``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match import prefix
from blastscan.scanner.errors import Unparseable
from blastscan.scanner.models import Candidate

_SECRET_FIELDS = (("token", "kubeconfig_token"), ("client-key-data", "kubeconfig_client_key"),
                  ("password", "kubeconfig_password"))
_TOKEN = "Ko5mT8dzbqXyP1VVnf4GDhU3JcXlWIsSeo0gaRZn"
_KIND_CONFIG = re.compile(r"""["']?kind["']?\s*:\s*["']?config\b""")
_SECTIONS = re.compile(r"""^\s*["']?(clusters|users|contexts)["']?\s*:""", re.MULTILINE)
_SECTION_ORDER = ("contexts", "clusters", "users")  # the rarest first
# A secret field as a plain scalar on its own line: the reading of a file the parser gave up
# on (no alias, anchor or tag: those start with ``*``, ``&`` or ``!``).
_FIELD = re.compile(r"""^[ \t-]*(token|client-key-data|password)[ \t]*:[ \t]*["']?"""
                    r"""([^\s"'#*&!][^\s"'#]*)["']?[ \t]*(?:#.*)?$""", re.MULTILINE)


def _is_config(lowered: str) -> bool:
    """``_KIND_CONFIG.search``, tried only where ``kind`` occurs (API models and docs
    name clusters on every page, and the regex has no fixed opening to skip ahead on)."""
    return next(prefix.finditer(_KIND_CONFIG, lowered), None) is not None


def _has_sections(lowered: str) -> bool:
    """``set(_SECTIONS.findall(lowered))`` holds all three, reading only lines that hold
    a section name, and stopping at the first name without one.

    A match starts at a line start and holds only blanks before its name, so its name
    is on the line it starts, or on a later line whose start it runs across; in both
    cases matching at that line's start finds the same name. So a name is found by
    ``findall`` exactly when some line holding it finds it that way.
    """
    return all(_line_starts_with(lowered, name) for name in _SECTION_ORDER)


def _line_starts_with(lowered: str, name: str) -> bool:
    at = lowered.find(name)
    while at != -1:
        line = _SECTIONS.match(lowered, lowered.rfind("\n", 0, at) + 1)
        if line is not None and line.group(1) == name:
            return True
        end = lowered.find("\n", at)
        at = -1 if end == -1 else lowered.find(name, end)
    return False


def _config(text: str) -> dict[str, Any] | None:
    # PyYAML on first use: few documents get this far, and it was ~15 ms of start-up.
    import yaml

    from blastscan.detectors.match import yamlload

    try:  # an alias bomb raises Unparseable, counted by the file pass: not caught here
        data = yamlload.load(text)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):  # malformed: not ours
        return None
    return data if isinstance(data, dict) else None


def _named(data: dict[str, Any], section: str, inner: str) -> list[tuple[str, dict[str, Any]]]:
    """``[{name: n, <inner>: {...}}]`` entries as ``(name, inner dict)``; junk is skipped."""
    entries = data.get(section)
    if not isinstance(entries, list):
        return []
    return [(str(e.get("name", "")), e[inner]) for e in entries
            if isinstance(e, dict) and isinstance(e.get(inner), dict)]


def _host(server: object) -> str | None:
    try:
        return urlsplit(str(server)).hostname or None
    except ValueError:
        return None


def _context_facts(name: str, ctx: dict[str, Any],
                   hosts: dict[str, str | None]) -> frozenset[tuple[str, str]]:
    facts = {("context", name)}
    cluster = str(ctx.get("cluster", ""))
    if cluster:
        facts.add(("cluster", cluster))
        if hosts.get(cluster):
            facts.add(("server", str(hosts[cluster])))
    if ctx.get("namespace"):
        facts.add(("namespace", str(ctx["namespace"])))
    return frozenset(facts)


def _sample(user: str) -> str:
    return ("apiVersion: v1\nkind: Config\nclusters:\n- name: prod-eu\n  cluster:\n"
            "    server: https://k8s.prod.example.net:6443\ncontexts:\n- name: prod\n"
            f"  context:\n    cluster: prod-eu\n    user: admin\n    namespace: payments\n"
            f"users:\n- name: admin\n  user:\n{user}")


class KubeconfigDetector:
    id = "kubeconfig"
    keywords = ("clusters",)
    positives = (
        Sample(".kube/config", _sample(f"    token: {_TOKEN}\n")),
        Sample("ci/kubeconfig.yaml",
               _sample("    client-certificate-data: TFMwdExTMUNSVWRKVGlC\n"
                       "    client-key-data: TFMwdExTMUNSVWRKVGlCU2xCUjl4\n")),
        Sample("admin.conf", _sample("    username: admin\n    password: Wq8rV1mzT4xKp2Ln\n")),
    )
    negatives = (
        Sample(".kube/config",
               _sample("    exec:\n      command: aws\n      args: [eks, get-token]\n")),
        Sample("broken.yaml", "kind: Config\nclusters: [\nusers:\n  - {token: ]]\n"),
        Sample("values.yaml", f"clusters: 3\ntoken: {_TOKEN}\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        if not (_is_config(doc.lowered) or _has_sections(doc.lowered)):
            return
        try:
            data = _config(doc.text)
        except Unparseable:
            # A bomb in the file must not turn a kubeconfig token into a generic secret
            # (a critical path into an info line): its fields are still read line by line,
            # without the contexts, as a file naming no cluster would be. Then the file
            # is counted as unparseable.
            yield from self._fields(doc)
            raise
        if data is None:
            return
        hosts = {name: _host(c.get("server")) for name, c in _named(data, "clusters", "cluster")}
        raw_contexts = _named(data, "contexts", "context")
        contexts = {name: _context_facts(name, ctx, hosts) for name, ctx in raw_contexts}
        users = {name: str(ctx.get("user", "")) for name, ctx in raw_contexts}
        by_user: dict[str, set[tuple[str, str]]] = {}
        for name, context_facts in contexts.items():
            by_user.setdefault(users[name], set()).update(context_facts)
        # A user no context names may be used with any of them; with no contexts at all,
        # every cluster in the file is in reach.
        everywhere = (frozenset().union(*contexts.values()) if contexts else frozenset(
            {("cluster", n) for n in hosts} | {("server", h) for h in hosts.values() if h}))
        everywhere_sorted = sorted(everywhere)
        for user_name, user in _named(data, "users", "user"):
            if user_name in by_user:
                facts = sorted(by_user[user_name] | {("user", user_name)})
            else:  # copy + insort: linear even for a file with thousands of clusters
                facts = list(everywhere_sorted)
                bisect.insort(facts, ("user", user_name))
            for field, kind in _SECRET_FIELDS:
                value = user.get(field)
                if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                    secret = str(value)
                    offset = doc.text.find(secret)
                    if offset == -1:  # quoted/escaped in the file: point at the field instead
                        offset = max(doc.text.find(field + ":"), 0)
                    yield Candidate(self.id, "kubernetes", kind, secret, doc.location(offset),
                                    tuple(facts))

    def _fields(self, doc: Document) -> Iterator[Candidate]:
        for match in _FIELD.finditer(doc.text):
            field, value = match.group(1), match.group(2)
            yield Candidate(self.id, "kubernetes", dict(_SECRET_FIELDS)[field], value,
                            doc.location(match.start(2)), ())
