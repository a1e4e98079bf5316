"""``url-token``: tokens passed in URL query strings and in libcurl options.

``https://api.shop.net/orders?access_token=…`` in a link, a fetch call or a log line
carries the credential in the URL itself (RFC 6750 §2.3 names ``access_token`` as the
query form of a bearer token). The parameter name must say token/key/secret/sig and
the value must look generated (``sig`` is an Azure SAS token's signature, which is the
grant; S3's presigned ``Signature``/``X-Amz-Signature`` is one object's expiring signature
and is left out); the URL's host is a fact (reach still generic: the name of
the parameter does not say which provider issued the token). In C, libcurl options name
the secret: ``CURLOPT_XOAUTH2_BEARER``, ``CURLOPT_PASSWORD`` and the ``user:password`` of
``CURLOPT_USERPWD`` (curl.se/libcurl/c/curl_easy_setopt.html).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match.keywords import MatchEnds
from blastscan.detectors.match.prefix import finditer_in
from blastscan.detectors.match.shapes import looks_like_password, looks_random
from blastscan.scanner.models import Candidate

_QUERY = re.compile(
    r"https?://(?P<host>[A-Za-z0-9.-]{1,253})(?::\d+)?[^\s\"'`<>?#]{0,2048}\?"
    r"(?:[^\s\"'`<>#]{0,2048}?[&;])?"
    r"(?P<name>(?:access_|auth_|api_?|private_|secret_)?(?:token|key|secret|sig)"
    r"|apikey|auth)=(?P<value>[A-Za-z0-9._~%+/=-]{16,512})", re.IGNORECASE)
# Every match is a URL with a query: one Hyperscan pass says whether a document has one
# (a superset: the port and path as one run, of any length), and only then is the regex
# tried at each ``http`` (SQLAlchemy's docstrings hold hundreds, none with a query).
_QUERY_URL = MatchEnds((r"https?://[a-z0-9.-]{1,253}[^\s\"'`<>?#]*\?",))
_CURL = re.compile(
    r"CURLOPT_(?P<opt>XOAUTH2_BEARER|PASSWORD|USERPWD|PROXYPASSWORD)\s*,\s*\"(?P<value>[^\"]{6,256})\"")
_T = "Wq8Lz3Rv6Tn1Ym4Kp7Hs2Dj5Fb9Xc0Ga"


def _queries(doc: Document) -> Iterator[re.Match[str]]:
    """``_QUERY.finditer(doc.text)``, skipping ahead to each ``http``, where a query URL is
    (IGNORECASE reads U+0130, U+0131 and U+017F as ASCII letters; the pass does not)."""
    if doc.lowers_in_place and _QUERY_URL.found_in(doc) is False:
        return iter(())
    return finditer_in(_QUERY, doc)


class UrlTokenDetector:
    id = "url-token"
    keywords = ("token=", "key=", "secret=", "sig=", "auth=", "curlopt_")
    positives = (
        Sample("page.html", f'<a href="https://api.shop.net/v1/orders?page=2&access_token={_T}">'
                            "orders</a>\n"),
        Sample("app.js", f"fetch(`https://hooks.corp.net/x?token={_T}`)\n"),
        Sample("mail.c", f'curl_easy_setopt(curl, CURLOPT_XOAUTH2_BEARER, "{_T}");\n'),
    )
    negatives = (
        Sample("app.js", "fetch(`https://api.x.io/v1?token=${token}`)\n"),
        Sample("docs.md", "GET https://api.x.io/v1/items?api_key=YOUR_API_KEY_HERE_PLEASE\n"),
        Sample("mail.c", "curl_easy_setopt(curl, CURLOPT_PASSWORD, password);\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        for m in _queries(doc):
            value = m.group("value")
            if looks_random(value):
                yield Candidate(self.id, "generic", "bearer_token", value,
                                doc.location(m.start("value")),
                                (("host", m.group("host").lower()),
                                 ("name", m.group("name"))))
        if "CURLOPT_" not in doc.text:
            return
        for m in _CURL.finditer(doc.text):
            value = m.group("value")
            if m.group("opt") == "USERPWD":
                value = value.partition(":")[2]
            if value and (looks_random(value) or looks_like_password(value)):
                yield Candidate(self.id, "generic", "secret", value,
                                doc.location(m.start("value")),
                                (("flag", "CURLOPT_" + m.group("opt")),))
