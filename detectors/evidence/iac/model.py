"""Typed results of the IaC extractors: IAM grants and protection settings.

These are evidence, not verdicts: the resolver joins them to credentials. A grant is one
policy statement (or one managed-policy / role attachment) exactly as written; a
protection is one setting that keeps data alive (``protective``) or puts it in reach of a
delete (not ``protective``), each with a ``note`` quoting the providers.md fact behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Effect(StrEnum):
    ALLOW = "Allow"
    DENY = "Deny"


@dataclass(frozen=True, slots=True, order=True)
class IamGrant:
    """One IAM statement or attachment.

    ``principal`` names who holds it (``aws_iam_user.deployer``, a role or policy name,
    ``ServiceAccount ci/deployer``) or is ``""`` when the file does not say. ``actions``
    are kept as written (``s3:*``, ``*``); :mod:`blastscan.detectors.evidence.iac.classify` expands
    them. Deny statements are recorded (``effect``) but grant nothing.
    """

    path: str
    line: int
    principal: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    managed_policy: str | None
    provider: str
    effect: Effect = Effect.ALLOW


@dataclass(frozen=True, slots=True, order=True)
class Protection:
    """One setting that protects data from deletion, or a risk / missing protection.

    ``value`` is the setting as written (or ``"absent"`` / the documented default when the
    attribute is missing); ``environment_hint`` is a canonical environment name
    (``production`` …) read from resource names, tags or the path, when they say one.
    """

    path: str
    line: int
    resource: str
    resource_type: str
    setting: str
    value: str
    protective: bool
    environment_hint: str | None
    note: str


@dataclass(frozen=True, slots=True, order=True)
class TargetTag:
    """An environment tag on a Terraform resource or a provider's ``default_tags``.

    It names what the module's credentials reach (issue 20): ``provider`` is the
    knowledge-base id the resource type belongs to (``aws_db_instance`` → ``aws``), and
    ``line``..``end_line`` the block, so a secret written inside it is joined whatever
    its provider. ``tag`` is ``Key=value`` as written; ``environment`` its canonical name.
    """

    path: str
    line: int
    end_line: int
    resource: str
    provider: str
    tag: str
    environment: str


Finding = IamGrant | Protection | TargetTag
