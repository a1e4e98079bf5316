"""Which resolver handles which provider: an explicit table, no discovery magic."""

from __future__ import annotations

from blastscan.scanner.models import Credential, ResolvedCredential
from blastscan.scanner.reach.base import Resolver
from blastscan.scanner.reach.context import RepoEvidence
from blastscan.scanner.reach.railway import RailwayResolver
from blastscan.scanner.reach.simple import (
    KindFromDetectorResolver,
    StripeResolver,
    UnknownResolver,
)

RESOLVERS: tuple[Resolver, ...] = (
    RailwayResolver(),
    StripeResolver(),
    KindFromDetectorResolver(),
    UnknownResolver(),
)
_BY_PROVIDER = {p: r for r in RESOLVERS for p in r.providers}
_UNKNOWN = UnknownResolver()


_FROM_KB = KindFromDetectorResolver()


def resolve(credential: Credential, repo: RepoEvidence) -> ResolvedCredential:
    info = repo.knowledge.get(credential.provider)
    known = info is not None and info.kind(credential.kind) is not None
    # Any provider in the knowledge base without a resolver of its own is read off the
    # knowledge base; Railway decides its kind itself (its tokens all look alike).
    resolver = _BY_PROVIDER.get(credential.provider, _FROM_KB if known else _UNKNOWN)
    if not known and credential.provider != "railway":
        resolver = _UNKNOWN  # a kind the knowledge base does not know is shown as unknown
    return ResolvedCredential(credential, resolver.resolve(credential, repo))
