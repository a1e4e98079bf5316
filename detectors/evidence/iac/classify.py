"""Which knowledge-base operations an IAM grant allows (providers.md §2.4, §3, §10.2).

Pure: a grant and the KB's ``(operation id, names)`` pairs in, operation ids out. Only
names shaped like IAM actions (``rds:DeleteDBInstance``) are matched; CLI and SDK names
in the same list are ignored. Patterns follow IAM: ``*`` and ``?`` wildcards, the
service prefix case-insensitive. ``NotAction`` with Allow grants everything not listed.
A Deny statement grants nothing (combining it with other statements is the caller's job).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from blastscan.detectors.evidence.iac.model import Effect, IamGrant

_IAM_ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*?]+$")

# AWS managed policies whose reach is well known (providers.md §2.4). UNCERTAIN there:
# "the exact action lists were not re-fetched", hence :func:`uncertainty`.
_ALL_EXCEPT: dict[str, tuple[str, ...]] = {
    "AdministratorAccess": (),
    "PowerUserAccess": ("iam:*", "organizations:*"),
}
_FULL_ACCESS = {"AmazonRDSFullAccess": "rds", "AmazonS3FullAccess": "s3",
                "AmazonDynamoDBFullAccess": "dynamodb", "AmazonEC2FullAccess": "ec2"}
# Roles that reach every operation of their provider: GCP basic roles "roles/owner" and
# "roles/editor" are broad (providers.md §3); Kubernetes cluster-admin is "super-user
# access to perform any action on any resource" (providers.md §10.2).
_BROAD_ROLES = frozenset({"roles/owner", "roles/editor", "cluster-admin"})


def destructive_operations(
    grant: IamGrant, operations: Iterable[tuple[str, tuple[str, ...]]],
) -> tuple[str, ...]:
    """The ids of ``operations`` that ``grant`` allows, in the order given."""
    if grant.effect is Effect.DENY:
        return ()
    own = [(op_id, names) for op_id, names in operations
           if op_id.startswith(f"{grant.provider}.")]
    if grant.managed_policy is not None:
        return tuple(op_id for op_id, names in own if _managed_allows(grant, names))
    return tuple(op_id for op_id, names in own
                 if any(_statement_allows(grant, n) for n in names if _IAM_ACTION.match(n)))


def uncertainty(grant: IamGrant) -> str | None:
    """A note when the expansion rests on an unverified managed-policy action list."""
    if grant.managed_policy in _ALL_EXCEPT or grant.managed_policy in _FULL_ACCESS:
        return (f"{grant.managed_policy}: expanded from its well-known name; the exact action "
                "list was not re-fetched (providers.md §2.4, UNCERTAIN)")
    return None


def matches(pattern: str, action: str) -> bool:
    """Does an IAM action pattern (``s3:Delete*``, ``*``) cover ``action``?"""
    return _compile(pattern).match(action) is not None


def _statement_allows(grant: IamGrant, action: str) -> bool:
    if grant.not_actions:
        return not any(matches(p, action) for p in grant.not_actions)
    return any(matches(p, action) for p in grant.actions)


def _managed_allows(grant: IamGrant, names: tuple[str, ...]) -> bool:
    policy = grant.managed_policy or ""
    if policy in _BROAD_ROLES:
        return True
    actions = [n for n in names if _IAM_ACTION.match(n)]
    if policy in _ALL_EXCEPT:
        return any(not any(matches(p, a) for p in _ALL_EXCEPT[policy]) for a in actions)
    if policy in _FULL_ACCESS:
        return any(matches(f"{_FULL_ACCESS[policy]}:*", a) for a in actions)
    if policy.startswith("roles/"):  # e.g. roles/cloudsql.admin → cloudsql.* permissions
        service = policy.removeprefix("roles/").split(".", 1)[0]
        return policy.endswith(".admin") and any(n.startswith(f"{service}.") for n in names)
    return False  # a customer-managed policy: its own document is a separate grant


@lru_cache(maxsize=1024)
def _compile(pattern: str) -> re.Pattern[str]:
    # IAM matches action names case-insensitively, service prefix included.
    return re.compile(_glob(pattern.strip()) + r"\Z", re.IGNORECASE)


def _glob(text: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
