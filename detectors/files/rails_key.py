"""``rails-master-key``: the key that decrypts a Rails app's encrypted credentials.

``config/master.key`` (and per-environment ``config/credentials/<env>.key``) holds 32 hex
characters; with ``config/credentials.yml.enc`` it opens every secret the app keeps there
(guides.rubyonrails.org/security.html, "Custom Credentials"). What those secrets reach is
not readable statically (they are encrypted), so reach is generic, and the environment
comes from the file's name (``credentials/production.key`` says production).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.scanner.models import Candidate

_PATH = re.compile(r"(?:^|/)config/(?:master|credentials/[\w-]+)\.key$")
_KEY = re.compile(r"\A\s*([0-9a-f]{32})\s*\Z")
_HEX = "9f2c7a1e4b8d3f6a0c5e7b2d9a4f1c3e"


class RailsMasterKeyDetector:
    id = "rails-master-key"
    keywords = ("file:.key",)
    positives = (
        Sample("config/master.key", _HEX),
        Sample("app/config/credentials/production.key", _HEX + "\n"),
    )
    negatives = (
        Sample("keys/master.key", _HEX),
        Sample("config/master.key", "-----BEGIN PRIVATE KEY-----\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        if not _PATH.search(doc.path.lower()):
            return
        found = _KEY.match(doc.text)
        if found is not None:
            yield Candidate(self.id, "generic", "secret", found.group(1),
                            doc.location(found.start(1)),
                            (("flag", "Rails credentials key"),
                             ("name", doc.path.rsplit("/", 1)[-1])))
