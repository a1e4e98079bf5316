"""Railway: decide account / workspace / project token from how the token is used.

Evidence order (providers.md §0.2, §1.2): the header in code, then CLI use, then the
variable name. A name alone never proves a narrow scope: ``RAILWAY_TOKEN`` usually
holds a project token, but an unproven project token is treated as account-wide.
"""

from __future__ import annotations

from blastscan.scanner.models import Confidence, Credential, Environment, Evidence, Reach, Usage
from blastscan.scanner.reach.base import build
from blastscan.scanner.reach.context import RepoEvidence

_HEADER_KIND = {
    "project-access-token": "project_token",
    "team-access-token": "workspace_token",
    "authorization: bearer": "account_token",
    "bearer": "account_token",
}
_HEADER_LABEL = {
    "project-access-token": "Project-Access-Token",
    "team-access-token": "Team-Access-Token",
    "authorization: bearer": "Authorization: Bearer",
    "bearer": "Authorization: Bearer",
}


class RailwayResolver:
    providers = ("railway",)

    def resolve(self, credential: Credential, repo: RepoEvidence) -> Reach:
        related = repo.related(credential)
        names = set(repo.names(credential))
        host = next((u for u in related if u.kind == "host"), None)
        to_host = f" to {host.value}" if host else ""
        evidence: list[Evidence] = []
        why: list[str] = []
        header, where = self._header(credential, related, names)
        if header not in _HEADER_KIND:
            header = None  # an Authorization header without a readable scheme proves nothing
        if header is not None:
            kind, confidence = _HEADER_KIND[header], Confidence.HIGH
            reason = f"sent as '{_HEADER_LABEL[header]}'{to_host}"
            evidence.append(Evidence(where[0], where[1], reason))
            if kind == "account_token":
                why.append(reason + ": an account or workspace token (treated as account-wide)")
        elif "RAILWAY_TOKEN" in names and any(u.kind == "cli" for u in related):
            # The CLI sends RAILWAY_TOKEN as Project-Access-Token [RW-CLI:src/client.rs].
            cli = next(u for u in related if u.kind == "cli")
            kind, confidence = "project_token", Confidence.MEDIUM
            evidence.append(Evidence(cli.path, cli.line, f"RAILWAY_TOKEN used by `{cli.value}`"))
        else:
            kind, confidence = "account_token", Confidence.LOW
            label = credential.fact("label")  # ``railway token: <uuid>`` in prose
            named = (", ".join(sorted(names)) or (f"labelled '{label}'" if label else "")
                     or "an unnamed value")
            why.append(f"{named}: no header or CLI use proves a narrower token: "
                       "treated as account-wide")
        spans: tuple[Environment, ...] = ()
        if kind != "project_token":
            spans = (Environment.PRODUCTION, Environment.STAGING, *repo.environments_seen())
        evidence.extend(Evidence(u.path, u.line, f"calls {u.value}")
                        for u in related if u.kind == "operation")
        if kind == "project_token" and not any(u.kind == "environment" for u in related):
            why.append("project token, but no evidence names its environment")
        return build(credential, repo, kind, confidence=confidence, evidence=evidence, why=why,
                     spans=spans)

    @staticmethod
    def _header(credential: Credential, related: tuple[Usage, ...],
                names: set[str]) -> tuple[str | None, tuple[str, int]]:
        literal = credential.fact("header")
        if literal is not None:
            first = credential.locations[0]
            return literal, (first.path, first.line)
        headers = [u for u in related if u.kind == "header"]
        named = [u for u in headers if names & set(u.names)]
        chosen = named or headers
        if not chosen:
            return None, ("", 0)
        # Several headers: the narrowest one proven wins only when it is the sole one.
        values = {u.value for u in chosen}
        value = "project-access-token" if values == {"project-access-token"} else min(
            values - {"project-access-token"} or values)
        usage = next(u for u in chosen if u.value == value)
        return value, (usage.path, usage.line)
