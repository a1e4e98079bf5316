"""``ftp-client``: saved FTP/SFTP logins of desktop and editor clients.

* FileZilla ``sitemanager.xml`` / ``recentservers.xml``: ``<Server>`` entries with
  ``<Host>``, ``<User>`` and ``<Pass>``, base64 when ``encoding="base64"`` (FileZilla 3.x
  stores it so; wiki.filezilla-project.org/Configuration, "sitemanager.xml");
* JSON configs of editor upload plugins: ``.ftpconfig`` (Atom remote-ftp), ``sftp-config.json``
  (Sublime SFTP), ``.vscode/sftp.json`` (VS Code SFTP): ``host``, ``user``/``username`` and
  ``pass``/``password``.

The format says which field is the password. Reach is generic (a file server), with the
host and user as facts.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from typing import Any

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match.finishing import finishing
from blastscan.scanner.models import Candidate

_XML_NAMES = ("sitemanager.xml", "recentservers.xml", "filezilla.xml")
_JSON_NAMES = (".ftpconfig", "sftp-config.json", "sftp.json")
_SERVER = re.compile(r"<Server\b.*?</Server>", re.DOTALL | re.IGNORECASE)
_FIELD = re.compile(r"<(Host|User|Pass)\b([^>]*)>([^<]*)</\1>", re.IGNORECASE)
_PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"
_B64 = base64.b64encode(_PW.encode()).decode()


def _json(text: str) -> Any:
    try:
        with finishing("JSON"):  # nesting past the stack: counted, not "nothing found"
            return json.loads(text)
    except ValueError:
        return None


class FtpClientDetector:
    id = "ftp-client"
    keywords = tuple(f"file:{n}" for n in (*_XML_NAMES, *_JSON_NAMES))
    positives = (
        Sample("sitemanager.xml", f'<FileZilla3><Servers><Server><Host>ftp.shop.net</Host>'
                                  f'<User>deploy</User><Pass encoding="base64">{_B64}</Pass>'
                                  "</Server></Servers></FileZilla3>\n"),
        Sample(".ftpconfig", f'{{"protocol": "sftp", "host": "ftp.shop.net", "user": "deploy",'
                             f' "pass": "{_PW}"}}\n'),
    )
    negatives = (
        Sample("sitemanager.xml", "<Server><Host>ftp.shop.net</Host><User>anonymous</User>"
                                  "</Server>\n"),
        Sample("sftp-config.json", '{"host": "h", "user": "u", "ssh_key_file": "~/.ssh/id"}\n'),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        name = doc.path.rsplit("/", 1)[-1].lower()
        if name.endswith(_XML_NAMES):
            yield from self._filezilla(doc)
        elif name.endswith(_JSON_NAMES):
            yield from self._json_config(doc)

    def _filezilla(self, doc: Document) -> Iterator[Candidate]:
        for server in _SERVER.finditer(doc.text):
            fields = {m.group(1).lower(): m for m in _FIELD.finditer(server.group(0))}
            found = fields.get("pass")
            if found is None or not found.group(3).strip():
                continue
            secret = found.group(3).strip()
            if "base64" in found.group(2).lower():
                try:
                    secret = base64.b64decode(secret, validate=True).decode("utf-8")
                except (binascii.Error, UnicodeDecodeError, ValueError):
                    continue
            facts = [(k, fields[k].group(3).strip()) for k in ("host", "user") if k in fields]
            yield self._candidate(doc, server.start() + found.start(3), secret, facts)

    def _json_config(self, doc: Document) -> Iterator[Candidate]:
        data = _json(doc.text)
        if not isinstance(data, dict):
            return
        secret = data.get("password", data.get("pass"))
        if not isinstance(secret, str) or not secret:
            return
        user = data.get("user", data.get("username"))
        facts = [(k, v) for k, v in (("host", data.get("host")), ("user", user))
                 if isinstance(v, str) and v]
        yield self._candidate(doc, max(doc.text.find(json.dumps(secret)), 0), secret, facts)

    def _candidate(self, doc: Document, offset: int, secret: str,
                   facts: list[tuple[str, str]]) -> Candidate:
        facts = [(k, v.lower() if k == "host" else v) for k, v in facts]
        return Candidate(self.id, "generic", "basic_credentials", secret, doc.location(offset),
                         tuple(sorted({("flag", "FTP client login"), *facts})))
