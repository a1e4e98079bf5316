"""IAM policy documents (JSON, or the same shape from HCL / YAML) into :class:`IamGrant`.

The shape is providers.md §2.4: ``{"Version": "2012-10-17", "Statement": [{"Effect",
"Action" | "NotAction", "Resource"}]}``; ``Statement`` and each field may be a single
value or a list. Values that are not plain strings (an unresolved ``Fn::Join``, a
Terraform ``var.actions``) are kept as their text so nothing is silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.iac.model import Effect, IamGrant

_ARN_MANAGED = re.compile(r"^arn:aws[\w-]*:iam::aws:policy/(?:.*/)?([\w+=,.@-]+)$")


def strings(value: object) -> tuple[str, ...]:
    """A field that may be a string or a list of them, as a tuple (non-strings as text)."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    return tuple(item if isinstance(item, str) else _text(item) for item in items)


def _text(item: object) -> str:
    text = getattr(item, "text", None)  # hcl.Expr keeps its source text
    return text if isinstance(text, str) else repr(item)


def managed_name(arn: str) -> str:
    """``arn:aws:iam::aws:policy/AdministratorAccess`` → ``AdministratorAccess``.

    Customer-managed ARNs and references are returned as written: their contents are
    not knowable from the ARN, and the resolver should see exactly what was attached.
    """
    match = _ARN_MANAGED.match(arn.strip())
    return match.group(1) if match else arn


def grants(
    document: object,
    *,
    path: str,
    line: int,
    principal: str,
    locate: Callable[[tuple[str, ...]], int] | None = None,
) -> Iterator[IamGrant]:
    """One grant per statement of a policy document; anything else yields nothing.

    ``locate`` maps a statement's actions to a line, for formats where each statement's
    own position is recoverable; otherwise every grant carries ``line``.
    """
    if isinstance(document, str):
        return  # an unparsed heredoc or a reference: the caller decodes JSON first
    if not isinstance(document, dict):
        return
    statements = document.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict):
            continue
        effect = Effect.DENY if str(statement.get("Effect", "")).lower() == "deny" else Effect.ALLOW
        actions = strings(statement.get("Action"))
        not_actions = strings(statement.get("NotAction"))
        if not actions and not not_actions:
            continue
        where = locate(actions or not_actions) if locate is not None else line
        yield IamGrant(path, where or line, principal, actions, not_actions,
                       strings(statement.get("Resource")), None, "aws", effect)


def managed(arn: str, *, path: str, line: int, principal: str) -> IamGrant:
    """An attached managed policy (``policy_arn``, ``ManagedPolicyArns``) as a grant."""
    return IamGrant(path, line, principal, (), (), ("*",), managed_name(arn), "aws")


def text_locator(doc: Document, start: int = 0) -> Callable[[tuple[str, ...]], int]:
    """Line of each statement's first action, searched forward through the document.

    Statements appear in document order, so a moving cursor finds the right repeat of an
    action that several statements share. Lines come from the document's line index:
    counting newlines from the top for each statement was quadratic in a large template.
    """
    cursor = [start]
    text = doc.text

    def locate(actions: tuple[str, ...]) -> int:
        for action in actions:
            pos = text.find(action, cursor[0])
            if pos != -1:
                cursor[0] = pos + len(action)
                return doc.line_no(pos)
        return 0

    return locate
