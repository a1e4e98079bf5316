"""``pgpass``: PostgreSQL password files (``~/.pgpass``, ``%APPDATA%/postgresql/pgpass.conf``).

One entry a line, ``hostname:port:database:username:password``; ``\\:`` and ``\\\\`` escape
a colon and a backslash, ``#`` starts a comment, and ``*`` in the first four fields matches
anything (postgresql.org/docs/current/libpq-pgpass.html). The format says the fifth field
is the password, so no value-shape guess is needed. A ``*`` host names no server: the host
fact is left out (unknown, presumed production) rather than read as a local name.
"""

from __future__ import annotations

from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.scanner.models import Candidate

_NAMES = (".pgpass", "pgpass.conf")
_PW = "Rk7Lq2Wz9Xv4Tn1Bm6Hc"


def _fields(line: str) -> list[str]:
    fields: list[str] = []
    current: list[str] = []
    chars = iter(line)
    for char in chars:
        if char == "\\":
            current.append(next(chars, ""))
        elif char == ":":
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    return [*fields, "".join(current)]


class PgpassDetector:
    id = "pgpass"
    keywords = tuple(f"file:{n}" for n in _NAMES)  # by file name: its lines hold no word
    positives = (
        Sample(".pgpass", f"# prod\ndb.shop-internal.net:5432:shop:app:{_PW}\n"),
        Sample("ops/pgpass.conf", f"*:*:*:postgres:{_PW}\\:x\n"),
    )
    negatives = (
        Sample("notes.txt", f"db.shop-internal.net:5432:shop:app:{_PW}\n"),
        Sample(".pgpass", "# host:port:db:user:password\nlocalhost:5432:*:app\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        if not doc.path.rsplit("/", 1)[-1].lower().endswith(_NAMES):
            return
        offset = 0
        for line in doc.text.split("\n"):
            start, offset = offset, offset + len(line) + 1
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = _fields(line.rstrip("\r"))
            if len(fields) != 5 or not fields[4]:
                continue
            host, port, database, user, password = fields
            facts = [("scheme", "postgresql"), ("user", user)]
            facts += [(k, v) for k, v in (("host", host.lower()), ("port", port),
                                          ("database", database)) if v and v != "*"]
            authority = f"{host}:{port}/{database}"
            yield Candidate(self.id, "postgres", "connection_url", password,
                            doc.location(start),
                            tuple(sorted(facts)), identity=f"pgpass://{user}@{authority}",
                            preview=f"pgpass {user}@{authority} ****")
