"""``django-settings``: a database login in a Django ``DATABASES`` setting.

``DATABASES = {"default": {"ENGINE": …, "NAME": …, "USER": …, "PASSWORD": …, "HOST": …,
"PORT": …}}`` (docs.djangoproject.com/en/stable/ref/settings/#databases; an empty or
missing ``HOST`` "means localhost"). Each alias is one login: provider from the
``ENGINE`` module (``django.db.backends.postgresql``, ``…mysql``; SQLite is a local file
and Oracle is not a provider here), host and database name as facts. Only a string
literal is a secret: ``os.environ["DB_PASSWORD"]`` or ``env("DB_PASSWORD")`` is a
reference to one, read elsewhere. Parsed with tree-sitter (never imported or run).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from tree_sitter import Node, Query, QueryCursor

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.evidence.code import parsers
from blastscan.detectors.evidence.code.nodes import text
from blastscan.detectors.files import dblogin
from blastscan.scanner.models import Candidate

_QUERY = """
(assignment left: (identifier) @name right: (dictionary) @value (#eq? @name "DATABASES"))
"""
_ASSIGNED = re.compile(r"^[ \t]*DATABASES[ \t]*=", re.MULTILINE)
_PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"


@functools.cache
def _query() -> Query:
    return Query(parsers.language("python"), _QUERY)


def _literal(node: Node | None) -> str | None:
    """A plain string literal's text; None for f-strings, calls, names and the rest."""
    if node is None or node.type != "string":
        return None
    if any(c.type == "interpolation" for c in node.children):
        return None
    return "".join(text(c) for c in node.children if c.type == "string_content")


def _pairs(dictionary: Node) -> Iterator[tuple[str, Node]]:
    for pair in dictionary.named_children:
        key = _literal(pair.child_by_field_name("key")) if pair.type == "pair" else None
        value = pair.child_by_field_name("value")
        if key is not None and value is not None:
            yield key, value


def _engine(value: str) -> tuple[str, str] | None:
    # ``django.db.backends.postgresql`` and third-party backends named after the database
    # (``django.contrib.gis.db.backends.postgis``, ``django_prometheus.db.backends.mysql``).
    return dblogin.ENGINES.get(value.rsplit(".", 1)[-1].lower())


class DjangoSettingsDetector:
    id = "django-settings"
    keywords = ("databases",)
    positives = (
        Sample("shop/settings/production.py",
               "DATABASES = {\n    'default': {\n"
               "        'ENGINE': 'django.db.backends.postgresql',\n"
               "        'NAME': 'orders', 'USER': 'app',\n"
               f"        'PASSWORD': '{_PW}',\n        'HOST': 'orders-db.corp.net',\n"
               "    }\n}\n"),
        Sample("settings.py", 'DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", '
               f'"HOST": "db.shop.net", "PORT": 3306, "PASSWORD": "{_PW}"}}}}\n'),
    )
    negatives = (
        Sample("settings.py", "import os\nDATABASES = {'default': {\n"
               "    'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db.corp.net',\n"
               "    'PASSWORD': os.environ['DB_PASSWORD']}}\n"),
        Sample("settings.py", "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',"
               f" 'NAME': 'db.sqlite3', 'PASSWORD': '{_PW}'}}}}\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        # A settings module assigns DATABASES at a line start; the parse is only for those.
        if (not doc.path.endswith(".py") or "PASSWORD" not in doc.text
                or _ASSIGNED.search(doc.text) is None):
            return
        tree = parsers.parse("python", doc.text.encode("utf-8"))
        if tree is None:
            return
        for _, caps in QueryCursor(_query()).matches(tree.root_node):
            for alias, settings in _pairs(caps["value"][0]):
                if settings.type == "dictionary":
                    yield from self._alias(doc, alias, dict(_pairs(settings)))

    def _alias(self, doc: Document, alias: str, settings: dict[str, Node]) -> Iterator[Candidate]:
        password_node = settings.get("PASSWORD")
        password = _literal(password_node)
        engine = _engine(_literal(settings.get("ENGINE")) or "")
        if not password or engine is None or password_node is None:
            return
        values = {k: _literal(node) or (text(node) if node is not None and node.type == "integer"
                                        else "")
                  for k in ("HOST", "PORT", "NAME", "USER") for node in [settings.get(k)]}
        # An empty or missing HOST is localhost (Django's docs); a computed one is unknown.
        host_node = settings.get("HOST")
        computed = host_node is not None and _literal(host_node) is None
        host = "" if computed else values["HOST"].lower() or "localhost"
        login = dblogin.Login(*engine, host, values["PORT"], values["NAME"], values["USER"])
        at = doc.line_span(password_node.start_point.row + 1)[0]
        yield dblogin.candidate(self.id, login, password, doc.location(at),
                                f"DATABASES['{alias}']['PASSWORD']")
