"""Set documentation examples aside before reach: listed in the report, never gated.

Detection reads a value as an example (``blastscan.detectors.match.examples``); here the rest
of the repository may overrule it. Code that uses the credential by name (a header, a
host, an operation, a CLI or SQL call, an agent's MCP server), or a production label on
it (``production:`` in ``database.yml``, ``.env.production``, ``PROD_DB_URL``), makes
it a credential again: ``scott:tiger`` is a demo value until something deploys it.
"""

from __future__ import annotations

from collections.abc import Iterable

from blastscan.scanner.models import Credential, Environment, Example
from blastscan.scanner.reach.context import RepoEvidence, location_clues

# Usage kinds that show the credential doing something, not merely being mentioned.
_USE_KINDS = frozenset({"header", "host", "operation", "cli", "sql", "agent-tool",
                        "vault-path"})
_CONTEXT_FACTS = ("mcp_server", "linked_environment")


def set_aside(credentials: Iterable[Credential], repo: RepoEvidence
              ) -> tuple[tuple[Credential, ...], tuple[Example, ...], dict[str, str]]:
    """``(credentials, examples, overruled)``: each credential lands in exactly one of the
    first two; ``overruled`` says, by credential id, why a reading as an example was
    overruled (the report shows it with the credential)."""
    kept: list[Credential] = []
    examples: list[Example] = []
    overruled: dict[str, str] = {}
    for credential in credentials:
        if credential.example is None:
            kept.append(credential)
            continue
        veto = _veto(credential, repo)
        if veto is not None:
            kept.append(credential)
            overruled[credential.id] = (f"reads like a documentation example "
                                        f"({credential.example}), but {veto}")
            continue
        first = credential.locations[0]
        why = (f"documentation example: {credential.example} ({first.label()})",
               "no code uses it by name and nothing labels it production")
        examples.append(Example(credential, why))
    return tuple(kept), tuple(examples), overruled


def _veto(credential: Credential, repo: RepoEvidence) -> str | None:
    named = repo.named(credential)
    for usage in named:
        if usage.kind in _USE_KINDS:
            return f"used as {usage.kind} {usage.value} at {usage.path}:{usage.line}"
    for key in _CONTEXT_FACTS:
        if credential.fact(key) is not None:
            return f"{key.replace('_', ' ')} {credential.fact(key)}"
    for clue in location_clues(credential, named):
        if clue.environment is Environment.PRODUCTION:
            return clue.evidence.reason
    return None
