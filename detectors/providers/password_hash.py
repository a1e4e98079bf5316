"""``password-hash``: stored password hashes (crypt formats, Django's, ``.htpasswd``).

``/etc/shadow`` lines, ``.htpasswd`` entries and the bcrypt column of a SQL dump are
credentials too: cracked offline (easily, for a weak password or md5-crypt) they give the
password, which then works wherever its owner reused it. By themselves they open nothing,
so they are reported as ``info`` with that reason (generic kind ``password_hash``) and
never fail the gate. Shapes, from the formats' own specifications: bcrypt ``$2b$NN$`` +
53 characters (OpenBSD bcrypt(3)); SHA-crypt ``$5$``/``$6$`` with an optional
``rounds=`` (Drepper, "Unix crypt using SHA-256 and SHA-512"); md5-crypt ``$1$`` and
Apache's ``$apr1$`` (httpd.apache.org/docs/2.4/misc/password_encryptions.html, which also
gives ``{SHA}`` + base64 SHA-1); yescrypt ``$y$``; argon2 PHC strings
(RFC 9106 §4 / the PHC string format); Django's ``pbkdf2_sha256$<iterations>$<salt>$<hash>``
(docs.djangoproject.com/en/stable/topics/auth/passwords/).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match.prefix import matches_at_texts
from blastscan.scanner.models import Candidate

_C = r"[./A-Za-z0-9]"
# The hash opens the regex (``$2b$``, ``pbkdf2_``, ``{SHA}``): finditer_in skips ahead to
# those literals, and the ``user:`` before it is read back separately.
_USER = re.compile(r"(?:^|(?<=[\s:,;'\"(]))(?P<user>[a-z_][\w.-]{0,31}):$")
_HASH = re.compile(
    rf"(?P<hash>"
    rf"(?P<bcrypt>\$2[abxy]?\$\d\d\${_C}{{53}})"
    rf"|(?P<sha>\$[56]\$(?:rounds=\d{{1,9}}\$)?{_C}{{1,16}}\${_C}{{43}}(?:{_C}{{43}})?)"
    rf"|(?P<md5>\$(?:1|apr1)\${_C}{{1,8}}\${_C}{{22}})"
    rf"|(?P<yescrypt>\$y\${_C}{{1,16}}\${_C}{{1,86}}\${_C}{{43}})"
    r"|(?P<argon2>\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{11,}"
    r"\$[A-Za-z0-9+/]{16,})"
    r"|(?P<pbkdf2>pbkdf2_sha(?:256|1)\$\d{4,7}\$[A-Za-z0-9]{1,64}\$[A-Za-z0-9+/]{27,44}={0,2})"
    r"|(?P<sha1>\{SHA\}[A-Za-z0-9+/]{27}=))(?![./A-Za-z0-9+=$])")
_ALGORITHMS = ("bcrypt", "sha", "md5", "yescrypt", "argon2", "pbkdf2", "sha1")
_NAMES = {"sha": "sha-crypt", "md5": "md5-crypt", "pbkdf2": "django pbkdf2", "sha1": "{SHA}"}
_SALT = "Qx7Lm3Rz"
_BCRYPT = "$2y$10$" + "J8w3nQ7mK2pVfR5tY9uZ1eXcC4vB6nM8aS0dF3gH7jK9lP2oI5uY8"
# Where a hash can start: the regex is tried only there (prefix.matches_at_texts).
_OPENINGS = ("$2", "$1$", "$5$", "$6$", "$apr1$", "$y$", "$argon2", "pbkdf2_sha", "{SHA}")


class PasswordHashDetector:
    id = "password-hash"
    keywords = ("$2a$", "$2b$", "$2y$", "$2x$", "$5$", "$6$", "$1$", "$apr1$", "$y$",
                "$argon2", "pbkdf2_sha", "{sha}")
    positives = (
        Sample("etc/shadow", f"root:$6${_SALT}${'J8w3.nQ7mK2pVfR5tY9uZ1xC4vB6nM8aS0dF3gH7jK9' * 2}"
                             ":19000:0:99999:7:::\n"),
        Sample("dump.sql", f"INSERT INTO users VALUES (1,'admin','{_BCRYPT}');\n"),
        Sample(".htpasswd", f"ops:$apr1${_SALT}$J8w3nQ7mK2pVfR5tY9uZ1.\n"),
    )
    negatives = (
        Sample("etc/shadow", "daemon:*:19000:0:99999:7:::\nops:!:19000::::::\n"),
        Sample("run.sh", 'echo "$1$2" > out.txt\n'),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for m in matches_at_texts(_HASH, text, _OPENINGS):
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_$"):
                continue  # inside a longer word or string of ``$`` fields
            algorithm = next(a for a in _ALGORITHMS if m.group(a))
            facts = [("algorithm", _NAMES.get(algorithm, algorithm))]
            user = _USER.search(text, max(0, m.start() - 33), m.start())
            if user is not None:
                facts.append(("user", user.group("user")))
            yield Candidate(self.id, "generic", "password_hash", m.group("hash"),
                            doc.location(m.start("hash")), tuple(sorted(facts)))
