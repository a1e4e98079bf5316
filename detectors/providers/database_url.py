"""``database-url``: database connection URLs that carry a password.

``postgres://``/``postgresql://`` (also SQLAlchemy ``+driver`` forms and
``jdbc:postgresql://…?user=…&password=…``), ``mysql://``, ``mongodb://`` /
``mongodb+srv://`` and ``redis://``/``rediss://`` (providers.md §9.1,
[TH:pkg/detectors/postgres], [TH:pkg/detectors/mongodb], [TH:pkg/detectors/redis],
[TH:pkg/detectors/jdbc]). A URL without a password grants nothing by itself and is not
reported. The password is the secret; ``scheme://user@host:port/db`` is the identity, so
one password reused on two hosts stays two credentials, and the preview shows the URL
with the password masked. The user, host, port and database are facts the resolver
reads for privilege (``postgres``/``root`` users) and environment (``prod`` hosts,
``*.proxy.rlwy.net``) — and the central filter reads ``host`` to drop well-known
default passwords on local-only hosts (``postgres:postgres@localhost``, compose ``db``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match import prefix
from blastscan.detectors.match.names import assigned
from blastscan.scanner.models import Candidate

_SCHEME = r"(?P<scheme>(?P<base>postgres(?:ql)?|mysql2?|mariadb|mongodb|rediss?)(?:\+[a-z0-9]+)?)"
_URL = re.compile(
    rf"(?<![A-Za-z0-9.+-]){_SCHEME}://"
    r"(?P<user>[^:@/\s'\"`<>]*):(?P<password>[^@/\s'\"`]+)@"
    r"(?P<host>\[[0-9a-fA-F:]+\]|[^:/?#,\s'\"`@]+)(?::(?P<port>\d{1,5}))?"
    r"(?:/(?P<database>[^?#\s'\"`,;]*))?",
    re.IGNORECASE,
)
# JDBC URLs put the credentials in the query string instead of the authority.
_JDBC = re.compile(
    r"jdbc:(?P<base>postgresql|mysql|mariadb)://(?P<host>[^:/?#\s'\"`]+)(?::(?P<port>\d{1,5}))?"
    r"(?:/(?P<database>[^?#\s'\"`;]*))?\?(?P<query>[^\s'\"`]+)",
    re.IGNORECASE,
)
_PROVIDERS = {"postgres": "postgres", "postgresql": "postgres", "mysql": "mysql",
              "mysql2": "mysql",  # Rails' mysql2 adapter
              "mariadb": "mysql", "mongodb": "mongodb", "redis": "redis", "rediss": "redis"}

_PW1, _PW2 = "Gl297da0jHT2hfj9wghd", "ie4cA4hMi1csID4OinIYOXEq"


# Every match starts with a scheme the regexes spell out, then ``+driver`` or ``://`` (JDBC
# URLs hold ``postgresql://`` too): gating on those forms rather than on the bare names
# keeps the regexes (which try every position) off the many files that only mention a
# database. Spellings ``str.lower`` does not fold (IGNORECASE takes long s, U+017F, for
# ``s``) slip past the keywords, and are not schemes: ``detect`` drops them too.
_SCHEMES = ("postgres", "postgresql", "mysql", "mysql2", "mariadb", "mongodb", "redis", "rediss")


class DatabaseUrlDetector:
    id = "database-url"
    keywords = (*(s + "://" for s in _SCHEMES), *(s + "+" for s in _SCHEMES))
    positives = (
        Sample(".env.production",
               f"DATABASE_URL=postgresql://postgres:{_PW1}@db.qwhxkzpv.supabase.co:5432/postgres\n"),
        Sample("settings.py", f'MONGO = "mongodb+srv://app:{_PW2}@cluster0.ab1cd.mongodb.net/shop"\n'),
        Sample("worker.yml", f"redis_url: rediss://default:{_PW1}@redis-prod.proxy.rlwy.net:6379\n"),
        Sample("app.properties",
               f"url=jdbc:postgresql://pg.internal:5432/app?user=svc&password={_PW2}\n"),
    )
    negatives = (
        Sample(".env", "DATABASE_URL=postgres://app@db.internal:5432/app\n"),
        Sample("docker-compose.yml", "DATABASE_URL: postgres://postgres:postgres@db:5432/app\n"),
        Sample(".env.example", "DATABASE_URL=postgres://user:${DB_PASSWORD}@prod.example.net/app\n"),
        Sample("docs.md", "Connect with mysql://root:<password>@localhost:3306/shop\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        for m in prefix.finditer_in(_URL, doc):
            if m.group("base").lower() not in _PROVIDERS:
                continue  # IGNORECASE matched a long s or dotless i: not a scheme
            yield self._candidate(doc, m.start(), m.group("scheme").lower(), m.group("base"),
                                  m.group("user"), m.group("password"), m.group("host"),
                                  m.group("port"), m.group("database"))
        for m in prefix.finditer_in(_JDBC, doc):
            query = parse_qs(m.group("query").replace(";", "&"))
            password = query.get("password", [""])[0]
            if password and m.group("base").lower() in _PROVIDERS:
                yield self._candidate(doc, m.start(), "jdbc:" + m.group("base").lower(),
                                      m.group("base"), query.get("user", [""])[0], password,
                                      m.group("host"), m.group("port"), m.group("database"))

    def _candidate(self, doc: Document, offset: int, scheme: str, base: str, user: str,
                   password: str, host: str, port: str | None, database: str | None) -> Candidate:
        host = host.lower()
        facts = [("scheme", scheme), ("user", user), ("host", host)]
        authority = host + (f":{port}" if port else "")
        if port:
            facts.append(("port", port))
        if database:
            facts.append(("database", database))
            authority += f"/{database}"
        assignment = assigned(doc, offset)
        if assignment is not None:
            facts.append(("name", assignment.name))
        return Candidate(
            self.id, _PROVIDERS[base.lower()], "connection_url", password, doc.location(offset),
            tuple(sorted(facts)), identity=f"{scheme}://{user}@{authority}",
            preview=f"{scheme}://{user}:****@{authority}",
        )
