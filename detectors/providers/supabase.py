"""``supabase-key``: Supabase keys that bypass Row Level Security, and management tokens.

Legacy Supabase API keys are JWTs whose ``role`` claim says what they are
(providers.md §8.1, supabase.com/docs/guides/api/api-keys): ``anon`` keys are public
(shipped to browsers, subject to RLS) and are not reported; ``service_role`` keys "can
bypass Row Level Security" and are. The payload is decoded offline, so the verdict is
exact rather than guessed from a variable name, and the ``ref`` claim (or the project
host in ``iss``) ties the key to a project. JWTs with any other role are not Supabase's
and are left alone, as are the fixed keys of the local CLI stack (``iss`` =
``supabase-demo``), which are signed with a published demo secret. New-style keys:
``sb_secret_…`` (same power as service_role) is reported and ``sb_publishable_…`` is
not. Personal access tokens ``sbp_`` + 40 hex reach the Management API with the
privileges of the user's account [KF:supabase.yml], [TH:pkg/detectors/supabasetoken].
The project URL configured in the same file is the key's target (``project_host``): a
local stack (``http://localhost:54321``) or a hosted project (``<ref>.supabase.co``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.match import prefix
from blastscan.detectors.match.jwt import jwt_claims
from blastscan.detectors.match.names import assigned
from blastscan.scanner.models import Candidate

_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]+\.(eyJ[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+")
_PAT = re.compile(r"\bsbp_[0-9a-f]{40}\b")
_SECRET = re.compile(r"\bsb_secret_[A-Za-z0-9_-]{20,}")
_ISS_REF = re.compile(r"^https://([a-z0-9]+)\.supabase\.(?:co|in)\b")
# The project URL the same file configures (``NEXT_PUBLIC_SUPABASE_URL=…``,
# ``supabaseUrl: "…"``): the key's target, a hosted project or a local stack.
_PROJECT_URL = re.compile(r"supabase_?url[\"']?\s*[=:]\s*[\"'`]?https?://([^\s\"'`/:]+)",
                          re.IGNORECASE)
_HOSTED_REF = re.compile(r"^([a-z0-9]{20})\.supabase\.(?:co|in)$")

_SERVICE = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF3aHhrenB2bmJ0b"
            "WpybHNkZmdhIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoyMDE1NTc2MD"
            "AwfQ.CO3tLulLcckmlAH5v5lbBW74Rq6UCnWVNsU-1M8kcI8")
_ANON = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF3aHhrenB2bmJ0bWpy"
         "bHNkZmdhIiwicm9sZSI6ImFub24iLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MjAxNTU3NjAwMH0.Ib3WqzCRr5o"
         "oDoVMI5kS-0MX5HDcvyXOspk1EZ2CdPU")
_OTHER = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0Iiwicm9sZSI6ImF1dGhlbnRpY2F0ZWQifQ."
          "yMacZlVWd_iHbTQwaSXDw-e2jYdhXKmyP4L0caQsvRA")


class SupabaseKeyDetector:
    id = "supabase-key"
    keywords = ("eyj", "sbp_", "sb_secret_")
    positives = (
        Sample(".env", f"SUPABASE_SERVICE_ROLE_KEY={_SERVICE}\n"),
        Sample(".mcp.json", '{"env": {"SUPABASE_ACCESS_TOKEN": '
                            '"sbp_18f72bbef69123224edbadf6612436eb22ea3368"}}\n'),
        Sample("server.ts", 'const key = "sb_secret_on240dvMxviIylMsgC2S1i1QwoGiNTCl";\n'),
    )
    negatives = (
        Sample(".env", f"NEXT_PUBLIC_SUPABASE_ANON_KEY={_ANON}\n"),
        Sample("client.ts", 'const key = "sb_publishable_b8UsPw7wpEccwEBj2cTdq2wAPGdubMN4";\n'),
        Sample("session.json", f'{{"access_token": "{_OTHER}"}}\n'),
        Sample("bad.env", "SUPABASE_KEY=eyJhbGciOi.eyJ%%%notbase64.sig\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        # finditer_in: each regex opens with \b or a caseless name, so Python's own search
        # tried every position of the document (0.05 s on botocore's API models).
        project = next(prefix.finditer_in(_PROJECT_URL, doc), None)
        target = [("project_host", project.group(1).lower())] if project else []
        for m in prefix.finditer_in(_JWT, doc):
            claims = jwt_claims(m.group(1))
            if claims.get("role") != "service_role" or claims.get("iss") == "supabase-demo":
                continue
            facts = [("role", "service_role")]
            ref = claims.get("ref")
            iss = claims.get("iss")
            if not isinstance(ref, str) and isinstance(iss, str):
                host = _ISS_REF.match(iss)
                ref = host.group(1) if host else None
            if isinstance(ref, str) and ref:
                facts.append(("ref", ref))
            yield self._candidate(doc, m.start(), m.group(0), "service_role_key",
                                  _with_target(facts, target))
        for m in prefix.finditer_in(_PAT, doc):
            yield self._candidate(doc, m.start(), m.group(0), "management_token", [])
        for m in prefix.finditer_in(_SECRET, doc):
            yield self._candidate(doc, m.start(), m.group(0), "secret_key",
                                  _with_target([], target))

    def _candidate(self, doc: Document, offset: int, secret: str, kind: str,
                   facts: list[tuple[str, str]]) -> Candidate:
        assignment = assigned(doc, offset)
        if assignment is not None:
            facts.append(("name", assignment.name))
        return Candidate(self.id, "supabase", kind, secret, doc.location(offset),
                         tuple(sorted(facts)))


def _with_target(facts: list[tuple[str, str]],
                 target: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The project URL's host, and the project ref it names when the key carries none."""
    found = [*facts, *target]
    hosted = _HOSTED_REF.match(target[0][1]) if target else None
    if hosted and not any(k == "ref" for k, _ in facts):
        found.append(("ref", hosted.group(1)))
    return found
