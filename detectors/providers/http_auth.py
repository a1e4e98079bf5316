"""``http-auth``: credentials written into HTTP auth headers and ``curl --user``.

Scripts, READMEs and code that call an API carry the token where it is used:
``curl -H "Authorization: Bearer …"``, ``headers = {"Authorization": "token …"}``,
``curl -u user:password`` — the shape of the request in the incident this tool exists
for. There is no variable name to go on, so the value itself must convince: bearer
tokens must look random (:func:`blastscan.detectors.match.shapes.looks_random`), Basic
credentials must decode to ``user:password`` with a password, and ``--user`` passwords
must look random or like passwords.
Variables (``$API_KEY``), command substitutions and ``<placeholders>`` never match the
value pattern or are dropped by the central filters. Provider detectors win when they
report the same value on the same line; the resolver attributes the rest from the host
the request goes to.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match import prefix
from blastscan.detectors.match.keywords import KeywordIndex
from blastscan.detectors.match.shapes import looks_like_password, looks_random
from blastscan.scanner.models import Candidate

_HEADER = re.compile(
    r"""\bauthorization["']?\s*[:=,]\s*["'`]?(?:(bearer|token|basic)\s+)?"""
    r"""([A-Za-z0-9._~+/-]{8,}=*)(?![\w$.{}<>*-])""",
    re.IGNORECASE,
)
# ``<user:password>``, ``[PASSWORD]`` and ``{{ values }}`` are documentation, not values.
_CURL_USER = re.compile(
    r"""(?:^|\s)(?:-u|--user)\s*["']?([^\s"':$<>\[\]{}]*):([^\s"'<>\[\]{}]+?)["']?(?=\s|$)""",
    re.MULTILINE,
)

_CURL_WORDS = ("curl", "wget", "--user")
_INDEX = KeywordIndex(("authorization", *_CURL_WORDS))

_BEARER = "Sj6xrWmPqcgSUWcVZV7vwrdjo7WAsrDr"


def _basic_user(value: str) -> str | None:
    """The user of a Basic credential that decodes to ``user:password``, else None."""
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    user, sep, password = decoded.partition(":")
    return user if sep and password and decoded.isprintable() else None


class HttpAuthDetector:
    id = "http-auth"
    keywords = ("authorization", *_CURL_WORDS)
    positives = (
        Sample("call.sh", f'curl -H "Authorization: Bearer {_BEARER}" https://api.example.com\n'),
        Sample("client.py",
               'headers = {"Authorization": "Basic c3ZjOkdsMjk3ZGEwakhUMmhmajl3Z2hk"}\n'),
        Sample("README.md", "curl -u deploy:Gl297da0jHT2hfj9wghd https://registry.example.com\n"),
    )
    negatives = (
        Sample("call.sh", 'curl -H "Authorization: Bearer $API_KEY" https://api.example.com\n'
                          'curl -H "Authorization: Bearer $(gcloud auth print-access-token)"\n'),
        Sample("README.md", "curl -u username:token https://x\ncurl -u '${USER}:${PASSWORD}'\n"
                            "curl -u <user:password> https://x\n"),
        Sample("doc.md", 'curl -H "Authorization: Bearer <Openverse API token>"\n'
                         "Authorization: Token **********\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        present = _INDEX.present_in(doc)  # one pass, not one per word
        if "authorization" in present:
            for m in prefix.finditer_in(_HEADER, doc):
                scheme, value = (m.group(1) or "").lower(), m.group(2)
                facts = [("header", "authorization"), ("scheme", scheme or "none")]
                if scheme == "basic":
                    user = _basic_user(value)
                    if user is None:
                        continue
                    facts.append(("user", user))
                    kind = "basic_credentials"
                elif looks_random(value):
                    kind = "bearer_token"
                else:
                    continue
                yield Candidate(self.id, "generic", kind, value, doc.location(m.start(2)),
                                tuple(sorted(facts)))
        if present.isdisjoint(_CURL_WORDS):
            return
        for m in prefix.finditer(_CURL_USER, doc.text):
            user, password = m.group(1), m.group(2)
            if looks_random(password) or looks_like_password(password):
                yield Candidate(self.id, "generic", "basic_credentials", password,
                                doc.location(m.start(2)), (("flag", "curl --user"), ("user", user)))
