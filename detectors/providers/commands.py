"""``command-secret``: passwords written into commands and SQL.

Where the syntax, not a variable name, says "this is the password":

* SQL: ``IDENTIFIED BY '…'`` (MySQL/MariaDB ``CREATE USER``/``ALTER USER``/``GRANT``,
  Oracle), ``[CREATE|ALTER] USER|ROLE … [WITH] PASSWORD '…'`` (PostgreSQL);
* command lines: ``mysql``/``mysqldump``/``mysqladmin`` ``-p<pw>`` or ``--password=<pw>``,
  ``PGPASSWORD=<pw>`` before a command, ``sshpass -p <pw>``, ``gpg --passphrase <pw>``,
  ``docker login … -p <pw>`` / ``--password <pw>``, and any ``--password[= ]<pw>`` flag.

Values that are references (``$PW``, ``${{ secrets.X }}``, ``%s``, ``?``) are left out by
the shape checks and the central filter. The SQL user and the command's ``-h``/``-u`` are
facts; which server the password opens is not written there, so reach stays unknown
(generic).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match.keywords import (
    UNICODE_SPACE,
    KeywordIndex,
    MatchEnds,
    MatchStarts,
)
from blastscan.detectors.match.prefix import finditer_from, finditer_in
from blastscan.detectors.match.shapes import looks_like_password, looks_random
from blastscan.scanner.models import Candidate


def _value(name: str) -> str:
    """A password argument: quoted (anything but the quote) or bare (no space or quote)."""
    return (rf"""(?:(?P<{name}_q>['"])(?P<{name}>(?:(?!(?P={name}_q)).){{1,128}})(?P={name}_q)"""
            rf"""|(?P<{name}_bare>[^\s'"`;|&)]{{1,128}}))""")


_SQL = re.compile(
    r"""(?i:\b(?:identified\s+by(?:\s+password)?|(?:create|alter)\s+(?:user|role)\s+
    (?P<user>["'`]?[\w.@%-]{1,64}["'`]?)(?:@["'`][^"'`\s]{0,255}["'`])?[^;'"]{0,200}?\bpassword)
    \s+)
    (?P<q>['"])(?P<pw>(?:(?!(?P=q)).){1,128})(?P=q)""",
    re.VERBOSE)
# Each alternative opens with its literal, so ``finditer_in`` finds every opening in one
# Hyperscan pass (a lookbehind in front made the regex engine try every character: 4.5 s
# of a 6 s SQLAlchemy scan); "not inside a longer word" is checked on the match instead.
# Every gap is bounded: an unbounded ``[^\n]*?`` after each ``mysql`` of a 1.6 MB
# one-line search index was quadratic.
_FLAGS = re.compile(
    rf"""(?:mysql(?:dump|admin)?|mariadb)\b[^\n|;&]{{0,200}}?\s-p{_value("mysql")}
    |PGPASSWORD={_value("pg")}\s+\w
    |sshpass\s+-p\s*{_value("sshpass")}
    |docker\s+login\b[^\n|;&]{{0,200}}?\s-p\s+{_value("docker")}
    |--(?P<flag_name>password|passphrase)(?:=|\s+){_value("flag")}""",
    re.VERBOSE)
_SQL_WORDS = KeywordIndex(("identified", "password"))
# Texts every command-line match holds, lowered: ``PGPASSWORD=`` or ``--pass`` (of
# ``--password``/``--passphrase``) alone; the mysql, sshpass and docker forms their name
# and ``-p`` after a space (Python's \s: any Unicode space, found by one Hyperscan pass).
# A document holding only "password" (Django's auth code) or naming mysql without such a
# flag (SQLAlchemy's dialects) is not searched: trying the regex at each "mysql" and
# "create" was 0.06 s of a SQLAlchemy scan.
_DASH_P = MatchEnds((UNICODE_SPACE + "-p",))
_NEEDS_DASH_P = KeywordIndex(("mysql", "mariadb", "sshpass", "docker"))
_ALONE = KeywordIndex(("pgpassword=", "--pass"))
# Where a SQL match can start (its opening, found with its leftmost start), so the regex
# is tried there alone, not at each of SQLAlchemy's thousands of "create"s.
_SQL_OPENING = MatchStarts((f"identified{UNICODE_SPACE}+by",
                            f"(?:create|alter){UNICODE_SPACE}+(?:user|role)"))
_GROUPS = (("mysql", "mysql -p"), ("pg", "PGPASSWORD"), ("sshpass", "sshpass -p"),
           ("docker", "docker login -p"), ("flag", "--password"))
_WORD, _VARIABLE = re.compile(r"[\w-]"), re.compile(r"[\w$]")  # what may not come before
_PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"


def _candidate(doc: Document, offset: int, secret: str,
               facts: list[tuple[str, str]]) -> Candidate:
    return Candidate("command-secret", "generic", "secret", secret, doc.location(offset),
                     tuple(sorted(facts)))


def _plausible(value: str) -> bool:
    return looks_random(value) or looks_like_password(value)


def _sql_matches(doc: Document) -> Iterator[re.Match[str]]:
    """``_SQL.finditer(doc.text)``. Every match holds "identified" or "password" (keywords of
    the registry's pass) and starts at an opening; unless a character lowers to other
    letters than the regex folds it to (U+0130, U+0131, U+017F), where the lowered text
    could miss one: then the regex searches as it is."""
    if not doc.lowers_in_place:
        return finditer_in(_SQL, doc)
    if not _SQL_WORDS.present_in(doc):
        return iter(())
    return finditer_from(_SQL, doc, _SQL_OPENING)


def _searches_flags(doc: Document) -> bool:
    """Whether the command-line regex can match ``doc``: False only where a text every
    match holds is missing (case-sensitive: no spelling hides from the lowered text)."""
    return bool(_ALONE.present_in(doc)) or (bool(_NEEDS_DASH_P.present_in(doc))
                                            and _DASH_P.found_in(doc) is not False)


class CommandSecretDetector:
    id = "command-secret"
    keywords = ("identified", "password", "pgpassword=", "sshpass", "--pass", "mysql",
                "mariadb", "docker")
    positives = (
        Sample("init.sql", f"CREATE USER 'app'@'%' IDENTIFIED BY '{_PW}';\n"),
        Sample("roles.sql", f"ALTER ROLE reporting WITH LOGIN PASSWORD '{_PW}';\n"),
        Sample("backup.sh", f"mysqldump -u root -p{_PW} shop > shop.sql\n"),
        Sample("deploy.sh", f"PGPASSWORD={_PW} psql -h db.internal -U app shop\n"),
        Sample("copy.sh", f"sshpass -p '{_PW}' scp dump.sql ops@10.0.0.5:/tmp\n"),
        Sample("sign.sh", f'gpg --batch --passphrase "{_PW}" --sign release.tar\n'),
        Sample("ci.sh", f"docker login -u deploy -p {_PW} registry.corp.net\n"),
    )
    negatives = (
        Sample("init.sql", "CREATE USER app IDENTIFIED BY '${DB_PASSWORD}';\n"),
        Sample("backup.sh", 'mysqldump -u root -p"$MYSQL_PWD" shop\nmysql -p shop\n'),
        Sample("deploy.sh", 'PGPASSWORD="$PW" psql -h db\nsshpass -p "$SSHPASS" ssh h\n'),
        Sample("cli.py", 'parser.add_argument("--password", help="the password")\n'),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        # Every SQL match holds "identified" or "password": read off the registry's keyword
        # pass (both are keywords), unless a character lowers to other letters than the
        # regex folds it to (U+0130, U+0131, U+017F), where the lowered text could miss one.
        for m in _sql_matches(doc):
            user = (m.group("user") or "").strip("\"'`")
            if len(m.group("pw")) >= 6 and not m.group("pw").startswith(("$", "%", ":")):
                facts = [("flag", "SQL password")] + ([("user", user)] if user else [])
                yield _candidate(doc, m.start("pw"), m.group("pw"), facts)
        text = doc.text
        for m in finditer_in(_FLAGS, doc) if _searches_flags(doc) else ():
            for group, flag in _GROUPS:
                value = m.group(group) or m.group(group + "_bare")
                if not value:
                    continue
                before = _VARIABLE if group == "pg" else _WORD
                if m.start() and before.match(text, m.start() - 1):
                    break  # ``xmysql``, ``my-docker``, ``$PGPASSWORD``: another word
                if _plausible(value):
                    if group == "flag":
                        flag = "--" + m.group("flag_name")
                    yield _candidate(doc, m.start(), value, [("flag", flag)])
                break
