"""One database login read from split settings: the candidate every settings reader yields.

Spring, Hibernate, Django and Rails keep a login as separate keys (a JDBC URL or an engine
name, a host, a database, a user, a password). Each reader parses its own format and hands
the parts here, so the candidate is the same shape whichever file it came from: provider
and scheme from the driver or engine, the host, port and database as facts (the resolver's
target evidence and the destructive reach of the provider's ``connection_url`` kind), and
``user@host:port/db`` as the identity, so one password on two servers is two credentials.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from blastscan.scanner.models import Candidate, Location

# jdbc:postgresql://host:5432/db (jdbc.postgresql.org/documentation/use/, "Connecting to the
# Database"); jdbc:mysql:// and jdbc:mariadb:// (dev.mysql.com/doc/connector-j/en/
# connector-j-reference-jdbc-url-format.html). H2, HSQLDB, Derby and SQLite URLs name an
# embedded or in-memory database: no server, nothing reached beyond the process.
JDBC_URL = re.compile(r"^(?:jdbc|r2dbc):(?P<driver>postgresql|mysql|mariadb)://"
                      r"(?P<host>[^:/?#;\s]+)(?::(?P<port>\d{1,5}))?(?:/(?P<database>[^?#;\s]*))?")
# Driver or engine word -> (provider, URL scheme). Django's ENGINE is a module path
# (docs.djangoproject.com/en/stable/ref/settings/#engine); Rails' adapter a gem name
# (guides.rubyonrails.org/configuring.html#configuring-a-database).
ENGINES: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("postgresql", "postgres", "postgresql_psycopg2", "postgis", "postgis_adapter"),
                    ("postgres", "postgres")),
    **dict.fromkeys(("mysql", "mysql2", "mariadb", "trilogy"), ("mysql", "mysql")),
}


@dataclass(frozen=True, slots=True)
class Login:
    provider: str
    scheme: str
    host: str  # "" when the settings refer to it (``os.environ["DB_HOST"]``)
    port: str = ""
    database: str = ""
    user: str = ""


def from_jdbc(url: str, user: str = "") -> Login | None:
    """The login a JDBC/R2DBC URL names, or None for an embedded or unknown driver."""
    match = JDBC_URL.match(url.strip())
    if match is None:
        return None
    provider, scheme = ENGINES[match.group("driver").lower()]
    return Login(provider, scheme, match.group("host").lower(), match.group("port") or "",
                 match.group("database") or "", user)


def candidate(detector: str, login: Login, password: str, location: Location, name: str,
              extra: tuple[tuple[str, str], ...] = ()) -> Candidate:
    """``name`` is the settings key the password sits under (``hibernate.connection.password``);
    ``extra`` adds reader facts (the Rails environment block as a ``section``)."""
    facts = [("scheme", login.scheme), ("name", name), ("user", login.user), *extra]
    # An empty host is one the file does not say (an ERB or environment reference): no
    # host fact, so nothing reads it as local.
    facts += [(k, v) for k, v in (("host", login.host), ("port", login.port),
                                  ("database", login.database)) if v]
    authority = f"{login.host}{':' + login.port if login.port else ''}/{login.database}"
    return Candidate(detector, login.provider, "connection_url", password, location,
                     tuple(sorted(set(facts))),
                     identity=f"{login.scheme}://{login.user}@{authority}",
                     preview=f"{name} for {login.user}@{authority} ****")
