"""``rails-database``: database logins in a Rails ``config/database.yml``.

One block per Rails environment (``production:``, ``staging:``, ``development:``, …), each
with ``adapter``, ``host``, ``port``, ``database``, ``username`` and ``password``, often
sharing a ``default: &default`` block through ``<<: *default``; Rails 6 multi-database
files nest one block per database under the environment (guides.rubyonrails.org/
configuring.html#configuring-a-database, guides.rubyonrails.org/active_record_multiple_
databases.html). The block's name is the environment that uses the login, kept as a
``section`` fact (config-section evidence). ERB values (``<%= ENV["DB_PASSWORD"] %>``) are
references, not secrets, and are filtered as placeholders; a missing ``host`` is the local
socket (the adapters' documented default); SQLite is a local file and yields nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.evidence.iac.yamldocs import documents, mapping
from blastscan.detectors.files import dblogin
from blastscan.scanner.models import Candidate

_PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"
_ORDER = ("production", "staging")  # a password several blocks share is named by these first


def _blocks(data: dict[str, object]) -> Iterator[tuple[str, dict[str, object]]]:
    """(environment, settings) per block; a multi-database environment yields each one."""
    for env, block in data.items():
        settings = mapping(block)
        if "adapter" in settings or "password" in settings:
            yield str(env), settings
            continue
        for inner in settings.values():
            if "password" in mapping(inner):
                yield str(env), mapping(inner)


def _scalar(settings: dict[str, object], key: str) -> str:
    value = settings.get(key)
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""


def _offset(text: str, password: str) -> int:
    """Where the value sits after a ``password:`` key (not an earlier mention of it)."""
    at = text.find(password)
    while at > 0 and not text[text.rfind("\n", 0, at) + 1:at].strip(" \t'\"").endswith(
            "password:"):
        at = text.find(password, at + 1)
    return max(at, text.find(password), 0)


class RailsDatabaseDetector:
    id = "rails-database"
    keywords = ("file:database.yml",)
    positives = (
        Sample("config/database.yml",
               "default: &default\n  adapter: postgresql\n  pool: 5\n"
               "development:\n  <<: *default\n  database: shop_dev\n"
               "production:\n  <<: *default\n  host: shop-db.corp.net\n  database: shop\n"
               f"  username: shop\n  password: {_PW}\n"),
        Sample("config/database.yml",
               "production:\n  primary:\n    adapter: mysql2\n    host: db.shop.net\n"
               f"    password: {_PW}\n"),
    )
    negatives = (
        Sample("config/database.yml",
               "production:\n  adapter: postgresql\n  host: db.corp.net\n"
               "  password: <%= ENV['SHOP_DATABASE_PASSWORD'] %>\n"),
        Sample("config/database.yml",
               f"development:\n  adapter: sqlite3\n  database: db/dev.sqlite3\n"
               f"  password: {_PW}\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        if "password" not in doc.text:
            return
        # password line -> (environments sharing it, the login of the first in _ORDER)
        found: dict[tuple[str, int], list[tuple[str, dblogin.Login]]] = {}
        for _, data in documents(doc.text):
            for env, settings in _blocks(mapping(data)):
                password = _scalar(settings, "password")
                engine = dblogin.ENGINES.get(_scalar(settings, "adapter").lower())
                if not password or engine is None:
                    continue
                host = _scalar(settings, "host").lower()
                # No host is the local socket; an ERB host is read at boot: not known here.
                host = "" if "<%" in host else host or "localhost"
                login = dblogin.Login(*engine, host,
                                      _scalar(settings, "port"), _scalar(settings, "database"),
                                      _scalar(settings, "username"))
                at = _offset(doc.text, password)
                found.setdefault((password, at), []).append((env, login))
        for (password, at), uses in found.items():
            # One line holds one candidate (the registry keys on value and line): the login
            # of the most production-like block, every block that uses it as a section.
            # ``default:`` is the shared anchor, not an environment: last, unless alone.
            uses.sort(key=lambda u: (u[0] == "default",
                                     _ORDER.index(u[0]) if u[0] in _ORDER else len(_ORDER)))
            sections = tuple(("section", env) for env, _ in uses if env != "default")
            yield dblogin.candidate(self.id, uses[0][1], password, doc.location(at),
                                    f"{uses[0][0]}.password", sections)
