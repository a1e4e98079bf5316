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

_FROM_KB = KindFromDetectorResolver()
_UNKNOWN = UnknownResolver()
RESOLVERS: tuple[Resolver, ...] = (RailwayResolver(), StripeResolver(), _FROM_KB, _UNKNOWN)
_BY_PROVIDER = {p: r for r in RESOLVERS for p in r.providers}


def resolve(credential: Credential, repo: RepoEvidence) -> ResolvedCredential:
    info = repo.knowledge.get(credential.provider)
    known = info is not None and info.kind(credential.kind) is not None
    # Railway decides its token kind itself (its tokens all look alike); any other
    # provider needs a kind the knowledge base knows, else it is shown as unknown. A known
    # provider without a resolver of its own is read off the knowledge base.
    if not known and credential.provider != "railway":
        resolver: Resolver = _UNKNOWN
    else:
        resolver = _BY_PROVIDER.get(credential.provider, _FROM_KB)
    return ResolvedCredential(credential, resolver.resolve(credential, repo))
