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
from collections.abc import Iterable
from typing import Any

from blastscan.detectors.knowledge.loader import load
from blastscan.detectors.knowledge.sources import urls
from blastscan.scanner.models import Path, Severity

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

_REMEDIATION: tuple[str, ...] = (
    "Rotate the credential now: anything that could read this file may have copied it.",
    "Replace it with a token scoped to one environment and to the operations the task "
    "needs, and keep production tokens out of files an agent can read.",
    "Move backups out of the blast radius: store them where this credential cannot "
    "delete them (another project or account, or a provider-managed locked vault).",
    "Enable deletion protection on the production resources it reaches.",
)
_REVIEW_REMEDIATION: tuple[str, ...] = (
    "Identify what the secret belongs to; if it is live, rotate it.",
    "Remove it from files an agent can read, or suppress it with a reason if it is inert.",
)


def rule_id(path: Path) -> str:
    """The stable rule id of ``path`` (an info path is a credential whose reach is unknown)."""
    if path.severity is Severity.INFO:
        return REVIEW_RULE
    return f"BS-{path.action}/{path.severity}"


def build_rules(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """One rule per id used by ``paths`` (every path of an id has its severity), by id."""
    first: dict[str, Path] = {}
    for path in paths:
        first.setdefault(rule_id(path), path)
    return [_rule(key, first[key]) for key in sorted(first)]


def _rule(key: str, path: Path) -> dict[str, Any]:
    provider = path.action.split(".", 1)[0]
    if key == REVIEW_RULE:
        short = "Credential with unknown reach"
        full = ("An agent can read a secret whose provider and scope blastscan could not "
                "establish; what it can reach is unknown, so it needs a human review.")
        steps = _REVIEW_REMEDIATION
    else:
        verb = "destroy" if path.destructive else "access"
        short = f"Agent-readable credential can perform {path.action} ({path.severity})"
        full = (f"A credential that an agent working in this repository can read is allowed "
                f"to perform {path.action}, which can {verb} {provider} resources; the code "
                "flow shows each hop from the file to the operation, with its evidence.")
        # Backups and deletion protection only matter where something can be destroyed.
        steps = _REMEDIATION if path.destructive else _REMEDIATION[:2]
    text = full + " Remediation: " + " ".join(steps)
    markdown = f"{full}\n\n**Remediation**\n\n" + "".join(f"- {step}\n" for step in steps)
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
