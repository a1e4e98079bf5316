"""Terraform IAM evidence: policies, policy documents and attachments (providers.md §2.4, §3).

Covers ``aws_iam_policy`` / ``aws_iam_{role,user,group}_policy`` (``policy =
jsonencode({...})`` or a heredoc), ``aws_iam_role`` inline policies and
``managed_policy_arns``, ``data "aws_iam_policy_document"`` statements, the
``aws_iam_*_policy_attachment`` resources, and GCP ``google_*_iam_binding|member`` roles.
Protection settings live in :mod:`blastscan.detectors.evidence.iac.terraform_protect`; this
module's :func:`collect` runs both over one parse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.iac import hcl, policy, terraform_protect, terraform_tags
from blastscan.detectors.evidence.iac.model import Finding, IamGrant

_INLINE = {"aws_iam_role_policy": "role", "aws_iam_user_policy": "user",
           "aws_iam_group_policy": "group"}
_ATTACH = re.compile(r"^aws_iam_(?:role|user|group)?_?policy_attachment$")
_GCP_IAM = re.compile(r"^google_(project|folder|organization)_iam_(binding|member)$")
_REF_SUFFIX = re.compile(r"\.(?:name|id|arn|json|unique_id)$")


def collect(doc: Document) -> Iterator[Finding]:
    blocks = hcl.parse(doc.text)
    yield from _iam(doc, blocks)
    yield from terraform_protect.collect(doc, blocks)
    yield from terraform_tags.collect(doc, blocks)


def ref(value: hcl.Value) -> str:
    """A reference as a name: ``aws_iam_role.deployer.name`` → ``aws_iam_role.deployer``."""
    if isinstance(value, hcl.Expr):
        return _REF_SUFFIX.sub("", value.text)
    return value if isinstance(value, str) else ""


def _iam(doc: Document, blocks: tuple[hcl.Block, ...]) -> Iterator[IamGrant]:
    for block in blocks:
        if len(block.labels) != 2:
            continue
        kind, name = block.labels
        if block.type == "data" and kind == "aws_iam_policy_document":
            yield from _document(doc, block, f"data.{kind}.{name}")
        elif block.type != "resource":
            continue
        elif kind == "aws_iam_policy":
            yield from _policy(doc, block, f"{kind}.{name}")
        elif kind in _INLINE:
            yield from _policy(doc, block, ref(block.attributes.get(_INLINE[kind])) or
                               f"{kind}.{name}")
        elif kind == "aws_iam_role":
            for inline in block.children("inline_policy"):
                yield from _policy(doc, inline, f"{kind}.{name}")
            for arn in policy.strings(block.attributes.get("managed_policy_arns")):
                yield policy.managed(arn, path=doc.path, line=block.line_of("managed_policy_arns"),
                                     principal=f"{kind}.{name}")
        elif _ATTACH.match(kind):
            yield from _attachment(doc, block, f"{kind}.{name}")
        elif match := _GCP_IAM.match(kind):
            yield from _gcp(doc, block, match.group(1))


def _policy(doc: Document, block: hcl.Block, principal: str) -> Iterator[IamGrant]:
    value = block.attributes.get("policy")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return  # a heredoc with interpolations outside strings, or not JSON at all
    line = block.line_of("policy")
    yield from policy.grants(value, path=doc.path, line=line, principal=principal,
                             locate=_locator(doc, line))


def _document(doc: Document, block: hcl.Block, principal: str) -> Iterator[IamGrant]:
    for statement in block.children("statement"):
        attrs = statement.attributes
        as_json = {"Effect": attrs.get("effect", "Allow"), "Action": attrs.get("actions"),
                   "NotAction": attrs.get("not_actions"), "Resource": attrs.get("resources")}
        yield from policy.grants({"Statement": [as_json]}, path=doc.path, line=statement.line,
                                 principal=principal)


def _attachment(doc: Document, block: hcl.Block, fallback: str) -> Iterator[IamGrant]:
    arn = block.attributes.get("policy_arn")
    owners = [ref(block.attributes[k]) for k in ("role", "user", "group") if k in block.attributes]
    for key in ("roles", "users", "groups"):  # aws_iam_policy_attachment takes lists
        value = block.attributes.get(key)
        owners += [ref(v) for v in value] if isinstance(value, list) else []
    line = block.line_of("policy_arn")
    for owner in [o for o in owners if o] or [fallback]:
        yield policy.managed(ref(arn) if arn is not None else "", path=doc.path, line=line,
                             principal=owner)


def _gcp(doc: Document, block: hcl.Block, level: str) -> Iterator[IamGrant]:
    role = block.attributes.get("role")
    target = ref(block.attributes.get({"project": "project", "folder": "folder"}.get(
        level, "org_id")))
    members = policy.strings(block.attributes.get("members", block.attributes.get("member")))
    for member in members or ("",):
        yield IamGrant(doc.path, block.line_of("role"), member, (), (),
                       (f"{level}:{target}",) if target else ("*",), ref(role) or None, "gcp")


def _locator(doc: Document, line: int) -> Callable[[tuple[str, ...]], int]:
    start = 0
    for _ in range(line - 1):
        start = doc.text.find("\n", start) + 1
    return policy.text_locator(doc, start)
