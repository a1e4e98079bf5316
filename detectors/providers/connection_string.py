"""``connection-string``: ADO.NET-style ``Server=…;User Id=…;Password=…`` strings.

.NET, ODBC and many Windows tools write a database login as ``key=value;`` pairs
(``appsettings.json`` ``ConnectionStrings``, ``web.config`` ``connectionString``, code).
The keys come from the drivers' documentation: SqlClient ``Data Source``/``Server``,
``Initial Catalog``/``Database``, ``User ID``/``UID``, ``Password``/``PWD``
(learn.microsoft.com/en-us/dotnet/api/microsoft.data.sqlclient.sqlconnection.connectionstring);
Npgsql ``Host``, ``Username``, ``Port`` (npgsql.org/doc/connection-string-parameters.html);
MySqlConnector ``Server``, ``Uid``, ``Pwd`` (mysqlconnector.net/connection-options/).
The password is the secret; the server, port, database and user are facts, so the host
decides the environment as a URL's does. Which engine: Npgsql's ``Host``/``Username`` or
port 5432 say PostgreSQL, port 3306 or MySQL-only keys say MySQL, anything else is SQL
Server (SqlClient's syntax; an Azure SQL host says so too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match import prefix
from blastscan.detectors.match.keywords import MatchStarts
from blastscan.scanner.models import Candidate

# Opens with its literal, so finditer_in skips ahead to it; "not inside a longer word" is
# checked on the match (a lookbehind in front made the engine try every character).
_PASSWORD = re.compile(r"(?i)(?:password|pwd)[ \t]*=")
_OPENING = MatchStarts((r"(?:password|pwd)[ \t]*=",))  # the whole key: "password" is common
_WORD = re.compile(r"[\w-]")
_STOP = "\"'<>\n`"  # where a connection string written in a file or string literal ends
_SERVER_KEYS = ("server", "data source", "host", "address", "addr", "network address")
_DB_KEYS = ("database", "initial catalog")
_USER_KEYS = ("user id", "uid", "user", "username", "user name")
_MYSQL_ONLY = ("sslmode", "allowuservariables", "allowpublickeyretrieval", "convertzerodatetime")
_PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"


def _bounds(text: str, at: int) -> tuple[int, int]:
    start = max(text.rfind(c, 0, at) for c in _STOP) + 1
    ends = [e for e in (text.find(c, at) for c in _STOP) if e != -1]
    return start, min(ends, default=len(text))


def _pairs(body: str) -> dict[str, tuple[str, int]]:
    """Lowercased key -> (value, offset in body); the first of repeated keys wins."""
    pairs: dict[str, tuple[str, int]] = {}
    offset = 0
    for part in body.split(";"):
        key, sep, value = part.partition("=")
        if sep:
            lead = len(value) - len(value.lstrip())
            pairs.setdefault(key.strip().lower(), (value.strip(), offset + len(key) + 1 + lead))
        offset += len(part) + 1
    return pairs


def _first(pairs: dict[str, tuple[str, int]], keys: tuple[str, ...]) -> str:
    return next((pairs[k][0] for k in keys if k in pairs), "")


def _engine(pairs: dict[str, tuple[str, int]], host: str, port: str) -> str:
    if port == "5432" or "username" in pairs or ("host" in pairs and "server" not in pairs):
        return "postgres"
    if port == "3306" or any(k.replace(" ", "") in _MYSQL_ONLY for k in pairs):
        return "mysql"
    return "mssql"


class ConnectionStringDetector:
    id = "connection-string"
    keywords = ("password=", "pwd=", "password =")
    positives = (
        Sample("appsettings.Production.json",
               '{"ConnectionStrings": {"Orders": "Server=tcp:orders.database.windows.net,1433;'
               f'Initial Catalog=orders;User ID=app;Password={_PW};Encrypt=True;"}}}}\n'),
        Sample("Web.config", '<add name="db" connectionString="Host=pg.corp.net;Port=5432;'
                             f'Database=shop;Username=shop;Password={_PW}" />\n'),
    )
    negatives = (
        Sample("appsettings.json", '{"Db": "Server=.;Database=x;Trusted_Connection=True;"}\n'),
        Sample("Program.cs", 'var cs = $"Server={host};User Id={user};Password={pw};";\n'),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        text, seen = doc.text, -1
        for m in prefix.finditer_from(_PASSWORD, doc, _OPENING):
            if m.start() and _WORD.match(text, m.start() - 1):
                continue  # ``db_password=``: a name, not a connection string's key
            start, end = _bounds(text, m.start())
            if start <= seen or end - start > 2048:
                continue
            seen = start
            pairs = _pairs(text[start:end])
            password, at = pairs.get("password") or pairs.get("pwd") or ("", 0)
            server = _first(pairs, _SERVER_KEYS)
            if not password or not server or "{" in password or "{" in server:
                continue
            server = server.removeprefix("tcp:")
            host, _, port = server.replace(",", ":").partition(":")
            port = port or _first(pairs, ("port",))
            provider = _engine(pairs, host, port)
            user, database = _first(pairs, _USER_KEYS), _first(pairs, _DB_KEYS)
            facts = [(k, v) for k, v in (("host", host.lower()), ("port", port), ("user", user),
                                         ("database", database)) if v]
            authority = f"{host.lower()}{':' + port if port else ''}/{database}"
            yield Candidate(self.id, provider, "connection_url", password,
                            doc.location(start + at),
                            tuple(sorted([("scheme", provider), *facts])),
                            identity=f"{provider}://{user}@{authority}",
                            preview=f"connection string for {user}@{authority} ****")
