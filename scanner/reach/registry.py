"""Which resolver handles which provider: an explicit table, no discovery magic."""

from __future__ import annotations

from blastscan.detectors.knowledge import load
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


def resolve(credential: Credential, repo: RepoEvidence) -> ResolvedCredential:
    resolver = _BY_PROVIDER.get(credential.provider, _UNKNOWN)
    info = load().get(credential.provider)
    # A kind the knowledge base does not know is shown as unknown, never guessed.
    if resolver is not _BY_PROVIDER.get("railway") and (
        info is None or info.kind(credential.kind) is None
    ):
        resolver = _UNKNOWN
    return ResolvedCredential(credential, resolver.resolve(credential, repo))
