"""SARIF rules: one stable rule per operation a credential reaches, plus one for review.

Rule ids are public API (GitHub code scanning keys alerts on them), so they are derived
from the operation and the severity only: ``BS-<action>/<severity>`` for a known
operation, whose action id already starts with the provider
(``BS-railway.volume.delete/critical``), and :data:`REVIEW_RULE` (``BS-review``) for a
credential whose reach is unknown (an ``info`` path). GitHub reads ``security-severity``
from the rule, not the result (docs.github.com, "SARIF support for code scanning",
``security-severity``), so each severity has its own rule: a staging delete (medium) is
not ranked like the production one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from blastscan.detectors.knowledge.loader import load
from blastscan.detectors.knowledge.sources import urls
from blastscan.reports.md_text import md_escape
from blastscan.reports.remediation import merged, remediation_for
from blastscan.scanner.models import Path, ResolvedCredential, Severity

REVIEW_RULE = "BS-review"

#: GitHub code scanning reads ``security-severity`` (0.0 to 10.0) to rank alerts.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}
LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def rule_id(path: Path) -> str:
    """The stable rule id of ``path`` (an info path is a credential whose reach is unknown)."""
    if path.severity is Severity.INFO:
        return REVIEW_RULE
    return f"BS-{path.action}/{path.severity}"


def build_rules(paths: Iterable[Path],
                by_id: Mapping[str, ResolvedCredential]) -> list[dict[str, Any]]:
    """One rule per id used by ``paths`` (every path of an id has its severity), by id."""
    grouped: dict[str, list[Path]] = {}
    for path in paths:
        grouped.setdefault(rule_id(path), []).append(path)
    return [_rule(key, grouped[key], by_id) for key in sorted(grouped)]


def _help(paths: list[Path], by_id: Mapping[str, ResolvedCredential]) -> tuple[str, str]:
    """The rule's remediation as text and Markdown: the steps of every path under the rule
    (credentials of different kinds need different steps), each step once, with sources."""
    fixes = [remediation_for(p, by_id.get(p.credential_id)) for p in paths]
    # Credentials of different providers can share a rule only through "BS-review".
    narrower = list(dict.fromkeys(f.narrower for f in fixes if f.narrower))
    fix = merged(fixes)
    lines = [f"Use instead: {n}." for n in narrower]
    lines += [f"{s.action}: {s.why}." + (f" UNCERTAIN: {s.uncertain}." if s.uncertain else "")
              for s in fix.steps]
    sources = fix.sources
    text = " ".join(lines) + (" Sources: " + "; ".join(sources) + "." if sources else "")
    # Steps hold path labels (repository text) and our own '<id>' placeholders: escaped,
    # so GitHub renders them as written instead of as markup or swallowed HTML tags.
    markdown = "".join(f"- {md_escape(line)}\n" for line in lines)
    if sources:
        markdown += "\n**Sources**\n\n" + "".join(f"- <{s}>\n" if s.startswith("https://")
                                                   else f"- {s}\n" for s in sources)
    return text, markdown


def _rule(key: str, paths: list[Path], by_id: Mapping[str, ResolvedCredential]) -> dict[str, Any]:
    path = paths[0]
    provider = path.action.split(".", 1)[0]
    if key == REVIEW_RULE:
        short = "Credential with unknown reach"
        full = ("An agent can read a secret whose provider and scope blastscan could not "
                "establish; what it can reach is unknown, so it needs a human review.")
    else:
        verb = "destroy" if path.destructive else "access"
        short = f"Agent-readable credential can perform {path.action} ({path.severity})"
        full = (f"A credential that an agent working in this repository can read is allowed "
                f"to perform {path.action}, which can {verb} {provider} resources; the code "
                "flow shows each hop from the file to the operation, with its evidence.")
    help_text, help_markdown = _help(paths, by_id)
    text = full + " Remediation: " + help_text
    markdown = f"{full}\n\n**Remediation**\n\n" + help_markdown
    rule: dict[str, Any] = {
        "id": key,
        "name": "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", key)),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        **({"helpUri": uri} if (uri := help_uri(path.action)) else {}),
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[path.severity]},
        "properties": {
            "tags": ["security", "secrets", provider],
            "security-severity": SECURITY_SEVERITY[path.severity],
            "precision": "high" if key != REVIEW_RULE else "low",
        },
    }
    return rule


def help_uri(action: str) -> str | None:
    """The first public URL the knowledge base cites for ``action`` (the provider's own
    documentation of the operation, or its schema); None when it cites none (a review
    rule, an operation known only from the research notes): no link is better than a
    made-up one."""
    provider_id, _, op_id = action.partition(".")
    provider = load().get(provider_id)
    if provider is None:
        return None
    for operation in provider.operations:
        if operation.id in (action, op_id):
            cited = urls(operation.source)
            return cited[0] if cited else None
    return None
