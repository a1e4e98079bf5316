"""``wp-config``: WordPress database settings, ``define('DB_PASSWORD', '…')``.

WordPress reads the database password from a PHP constant in ``wp-config.php``
(developer.wordpress.org/advanced-administration/wordpress/wp-config/); many PHP apps copy
the idiom. The constant's name says what the value is, and ``DB_HOST``, ``DB_USER`` and
``DB_NAME`` in the same file say where it connects, so it is a MySQL credential whose
environment comes from its host, as a database URL's does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match.shapes import looks_random
from blastscan.scanner.models import Candidate

_DEFINE = re.compile(
    r"""define\s*\(\s*(['"])(DB_(?:PASSWORD|HOST|USER|NAME))\1\s*,\s*(['"])((?:(?!\3).){0,256})\3""",
    re.IGNORECASE)
# The eight security keys and salts (developer.wordpress.org/apis/wp-config-php/
# #security-keys): secrets, but they reach nothing by themselves (generic signing_salt,
# info, never gating). The sample file's placeholder is not one.
_SALT = re.compile(
    r"""define\s*\(\s*(['"])((?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(?:KEY|SALT))\1\s*,\s*"""
    r"""(['"])((?:(?!\3).){16,256})\3""")
_PLACEHOLDER = "put your unique phrase here"
_PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"


class WpConfigDetector:
    id = "wp-config"
    keywords = ("db_password", "auth_key", "logged_in_key", "nonce_key")
    positives = (
        Sample("wp-config.php", f"<?php\ndefine( 'DB_USER', 'wp' );\n"
                                f"define( 'DB_PASSWORD', '{_PW}' );\n"
                                "define( 'DB_HOST', 'db.shop-internal.net' );\n"),
        Sample("config.php", f'define("DB_PASSWORD", "{_PW}");\n'),
    )
    negatives = (
        Sample("wp-config.php", "define( 'DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD') );\n"),
        Sample("wp-config-sample.php", "define( 'DB_PASSWORD', 'password_here' );\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        for m in _SALT.finditer(doc.text):
            if m.group(4) != _PLACEHOLDER and looks_random(m.group(4)):
                yield Candidate(self.id, "generic", "signing_salt", m.group(4),
                                doc.location(m.start(4)), (("name", m.group(2)),))
        yield from self._database(doc)

    def _database(self, doc: Document) -> Iterator[Candidate]:
        values: dict[str, tuple[str, int]] = {}
        for m in _DEFINE.finditer(doc.text):
            values.setdefault(m.group(2).upper(), (m.group(4), m.start(4)))
        found = values.get("DB_PASSWORD")
        if found is None or not found[0]:
            return
        password, offset = found
        host = values.get("DB_HOST", ("", 0))[0].lower()
        user = values.get("DB_USER", ("", 0))[0]
        database = values.get("DB_NAME", ("", 0))[0]
        host, _, port = host.partition(":")
        facts = [("scheme", "mysql"), ("name", "DB_PASSWORD"), ("user", user)]
        facts += [(k, v) for k, v in (("host", host), ("port", port), ("database", database))
                  if v]
        authority = f"{host}{':' + port if port else ''}/{database}"
        yield Candidate(self.id, "mysql", "connection_url", password, doc.location(offset),
                        tuple(sorted(facts)), identity=f"mysql://{user}@{authority}",
                        preview=f"DB_PASSWORD for {user}@{authority} ****")
