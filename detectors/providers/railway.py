"""``railway-token``: Railway API tokens (account, workspace or project).

Every kind of Railway token is a bare UUID v4, so the format alone proves nothing
(providers.md §1.2, [RW-DOCS:content/docs/cli/deploying.md]); trufflehog keys on the
word ``railway`` nearby and gitleaks has no rule. A UUID is attributed to Railway only
with context: an assignment to a name that says Railway and token/key/secret, a
Railway auth header on the same line (``Project-Access-Token`` / ``Team-Access-Token``),
or a token-like name in a file that talks to ``backboard.railway.app|com``. Names such
as ``RAILWAY_PROJECT_ID`` hold identifiers, not credentials, and are not reported.
The token *kind* is decided later by the resolver from how the token is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match.assign import assignment_at, is_secret_name
from blastscan.scanner.models import Candidate

_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
_HEADER = re.compile(r"(project-access-token|team-access-token|authorization\s*:\s*bearer)",
                     re.IGNORECASE)
_BACKBOARD = re.compile(r"backboard\.railway\.(?:app|com)", re.IGNORECASE)
# Prose that labels the value just before it: ``railway token: <uuid>`` in a README or a
# note, ``Railway API key = …``. The label must end right before the value.
_PROSE = re.compile(
    r"railway[\w .-]{0,24}?\b(?:token|key|secret)s?\b[ \t]*[:=-]?[ \t]*[\"'`]?$",
    re.IGNORECASE)

_T1 = "0b7a3c1e-5f4d-4e2a-9c8b-7d6e5f4a3b2c"
_T2 = "9f1e2d3c-4b5a-4697-8877-665544332211"


class RailwayTokenDetector:
    id = "railway-token"
    keywords = ("railway", "project-access-token", "team-access-token")
    positives = (
        Sample(".env", f"RAILWAY_API_TOKEN={_T1}\n"),
        Sample("deploy.sh", f'export RAILWAY_TOKEN="{_T2}"\nrailway up\n'),
        Sample("x.sh", f'curl -H "Project-Access-Token: {_T1}" https://backboard.railway.com/graphql/v2\n'),
        Sample("job.py", f'TOKEN = "{_T2}"\nURL = "https://backboard.railway.app/graphql/v2"\n'),
        Sample("README.md", f"staging notes\nrailway token: {_T1}\n"),
    )
    negatives = (
        Sample(".env", f"RAILWAY_PROJECT_ID={_T1}\nRAILWAY_ENVIRONMENT_ID={_T2}\n"),
        Sample("ids.py", f'request_id = "{_T1}"  # railway\n'),
        Sample("other.env", f"API_TOKEN={_T1}\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        talks_to_railway = bool(_BACKBOARD.search(doc.text))
        for m in _UUID.finditer(doc.text):
            location = doc.location(m.start())
            line = doc.line(location.line)
            assignment = assignment_at(doc, m.start())
            name = assignment.name if assignment else ""
            header = _HEADER.search(line)
            facts: list[tuple[str, str]] = []
            start = doc.line_span(location.line)[0]
            if name and is_secret_name(name) and ("railway" in name.lower() or talks_to_railway):
                facts.append(("name", name))
            elif header is None and (prose := _PROSE.search(doc.text, start, m.start())):
                facts.append(("label", prose.group(0).strip()))
            elif header is None or (
                header.group(1).lower().startswith("authorization") and "railway" not in doc.lowered
            ):
                continue
            if header is not None:
                facts.append(("header", re.sub(r"\s+", " ", header.group(1).lower())))
            yield Candidate(self.id, "railway", "token", m.group(0), location, tuple(sorted(facts)))
