"""``markup-secret``: passwords in XML elements and in prose ``ID: …, PW: …`` pairs.

* XML/HTML elements whose name says password or secret (``<password>…</password>``,
  ``<db:Password>``, ``<secretKey>``), the shape the keyword detector misses because
  there is no ``=`` or ``:`` between name and value;
* handover notes and tickets: ``ID: admin, PW: …`` / ``user: ops / pass: …`` on one line.

Values must look generated or like a chosen password (shapes.py); templates
(``${db.password}``, ``{{ pw }}``) are left to the central filter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match import prefix
from blastscan.detectors.match.keywords import KeywordIndex, MatchStarts
from blastscan.detectors.match.shapes import looks_like_password, looks_random
from blastscan.scanner.models import Candidate

_ELEMENT = re.compile(
    r"<((?:[\w-]+:)?(?:[\w-]*?)(?:password|passwd|secret(?:key)?|pwd))(?:\s[^>]*)?>"
    r"\s*([^<\s]{6,200})\s*</\1>", re.IGNORECASE)
# Every element match ends in its closing tag, whose name ends in one of these: without
# one, the ``<`` the search opens on (423,000 of them in SQLAlchemy's files, most of them
# comparisons) need not be tried. Lowering may lose a spelling the regex folds (the long s,
# U+017F): such a text is searched anyway.
_CLOSINGS = ("password>", "passwd>", "secret>", "secretkey>", "pwd>")
_CLOSING = KeywordIndex(_CLOSINGS)
# The password half opens the search (rarer than ``id``, which is in every identifier):
# finditer_in skips ahead to it, then the user half is read back on the same line.
_PW_KEY = re.compile(r"(?i)(?:pw|pwd|passwd|pass(?:word)?) ?[:=][ \t]*"
                     r"(?P<pw>[^\s,;|\"'<>`]{6,128})")
# Where a pair opens, all of it (``pw`` and ``pass`` alone are in every "password"; a
# translation file holds thousands): the regex is tried there only.
_PW_OPENING = MatchStarts((r"(?:pw|pwd|passwd|pass(?:word)?) ?[:=]",))
_USER = re.compile(r"(?i)\b(?:id|user(?:name)?|login|acct|account)[ \t]*[:=][ \t]*"
                   r"(?P<user>[^\s,;/|]{1,64})[ \t]*[,;/|]?[ \t]*$")
_BEFORE = 100  # how far back on the line the user half may start
_PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"


class MarkupSecretDetector:
    id = "markup-secret"
    # Every ``<name> ?[:=]`` the pair regex takes ("pw" covers pwd, "pass" passwd/password).
    keywords = (*_CLOSINGS,
                *(f"{word}{space}{sep}" for word in ("pw", "pwd", "pass", "passwd", "password")
                  for space in ("", " ") for sep in ":="))
    positives = (
        Sample("settings.xml", f"<config><db><password>{_PW}</password></db></config>\n"),
        Sample("notes.txt", f"prod box\nID: admin, PW: {_PW}\n"),
        Sample("handover.md", f"user: ops / pass: {_PW}\n"),
    )
    negatives = (
        Sample("settings.xml", "<password>${db.password}</password>\n<password></password>\n"),
        Sample("form.html", '<label for="pw">Password</label><input type="password">\n'),
        Sample("notes.txt", "ID: admin, PW: (ask the on-call)\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        # Read off the registry's keyword pass (the closings are keywords): no lowering.
        closes = bool(_CLOSING.present_in(doc)) or not doc.lowers_in_place
        for m in prefix.finditer_in(_ELEMENT, doc) if closes else ():
            value = m.group(2)
            if looks_random(value) or looks_like_password(value):
                yield Candidate(self.id, "generic", "secret", value, doc.location(m.start(2)),
                                (("name", m.group(1)),))
        text = doc.text
        for m in prefix.finditer_from(_PW_KEY, doc, _PW_OPENING):
            line_start = text.rfind("\n", max(0, m.start() - _BEFORE), m.start()) + 1
            user = _USER.search(text, max(line_start, m.start() - _BEFORE), m.start())
            if user is None or (m.start() and text[m.start() - 1].isalnum()):
                continue
            value = m.group("pw")
            if looks_random(value) or looks_like_password(value):
                yield Candidate(self.id, "generic", "basic_credentials", value,
                                doc.location(m.start("pw")),
                                (("flag", "ID/PW pair"), ("user", user.group("user"))))
