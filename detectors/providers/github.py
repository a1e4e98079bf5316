"""``github-token``: GitHub tokens recognised by their prefix.

Since 2021 every GitHub token carries a prefix that names its kind (providers.md §5.1,
github.blog changelog 2021-03-31): ``ghp_`` classic personal access token, ``gho_``
OAuth token, ``ghu_`` App user-to-server token, ``ghs_`` App installation token (also
Actions' ``GITHUB_TOKEN``), ``ghr_`` App refresh token, and ``github_pat_`` fine-grained
PAT ([GL:github-fine-grained-pat]). The prefix decides the kind, which decides the scope
model the resolver applies (classic scopes cover every repository the user can reach;
fine-grained and App tokens are limited to chosen repositories). Lengths follow
trufflehog's combined regex (36-255 characters) [TH:pkg/detectors/github/v2/github.go].
Legacy 40-hex tokens need context and are left to the generic detector.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match.names import assigned
from blastscan.scanner.models import Candidate

_TOKEN = re.compile(r"\b(?:(gh[pousr]_)[A-Za-z0-9_]{36,255}|(github_pat_)\w{82,255})\b")
_KINDS = {
    "ghp_": "classic_pat",
    "gho_": "oauth_token",
    "ghu_": "app_user_token",
    "ghs_": "app_installation_token",
    "ghr_": "app_refresh_token",
    "github_pat_": "fine_grained_pat",
}

_PAT = "ghp_3fStrhv4zbuIzMIVkmEVuMphPjbqwWZcOTjg"
_FINE = ("github_pat_ABFIO6OcJlRYG8glvZ4w8w_"
         "McV6rs6CSsKNHC85XQwDVmOkUtmOWhlRqv7qB60nARCRaNIVavJqcpYJe4X")


class GitHubTokenDetector:
    id = "github-token"
    keywords = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")
    positives = (
        Sample(".env", f"GITHUB_TOKEN={_PAT}\n"),
        Sample(".mcp.json", f'{{"env": {{"GITHUB_PERSONAL_ACCESS_TOKEN": "{_FINE}"}}}}\n'),
        Sample("ci.sh", "git clone https://x-access-token:ghs_CELHDibIXFNVnSMqYqB9OqWvaHOwhAMxiCZ2"
                        "@github.com/acme/app.git\n"),
        Sample("oauth.py", 'TOKEN = "gho_obUxTmXhrhyXhzkkZAM0TDFkePmZbSxPPLCK"\n'),
    )
    negatives = (
        Sample("README.md", "Create a token (it starts with ghp_) and export GITHUB_TOKEN.\n"),
        Sample(".env", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"),
        Sample("x.py", 'PREFIX = "ghp_short123"\n'),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        for m in _TOKEN.finditer(doc.text):
            prefix = m.group(1) or m.group(2)
            facts = [("prefix", prefix)]
            assignment = assigned(doc, m.start())
            # ``https://x-access-token:ghs_…@github.com`` parses as ``https: //…``: no name.
            if assignment is not None and not doc.text.startswith("//", assignment.offset):
                facts.append(("name", assignment.name))
            yield Candidate(self.id, "github", _KINDS[prefix], m.group(0),
                            doc.location(m.start()), tuple(sorted(facts)))
