"""Turn candidates (raw secrets) into credentials (fingerprints and previews only).

This is the boundary of principle 2: after :func:`merge`, no object holds a raw secret.
The fingerprint is a domain-separated HMAC-SHA256, under the scan's fingerprint key
(:mod:`blastscan.scanner.config.fingerprint_key`), of the secret and its non-secret
identity, so one token found in three files is one credential with three locations,
while one password on two hosts stays two credentials; without the key a report's
fingerprints cannot be used to test guesses of a weak password. The unkeyed SHA-256 of
before (the ``legacy`` fingerprint) is still computed here, where the secret is at hand,
and kept in memory only, so that baselines written with it keep matching.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from blastscan.scanner.config.fingerprint_key import FingerprintKey
from blastscan.scanner.models import Candidate, Credential
from blastscan.scanner.pipeline.fingerprint import SCHEME, fingerprint, legacy_fingerprint

__all__ = ["fingerprint", "legacy_fingerprint", "merge", "redact"]

_GENERIC = "generic"
_KEYWORD_NET = "generic-secret"


def redact(secret: str) -> str:
    """A few leading characters at most: fewer for short secrets, none for tiny ones."""
    keep = min(4, len(secret) // 4)
    return secret[:keep] + "…"


def merge(candidates: Iterable[Candidate], key: FingerprintKey) -> tuple[Credential, ...]:
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        groups[fingerprint(candidate.secret, candidate.identity, key.secret)].append(candidate)
    credentials = [_credential(fp, group) for fp, group in groups.items()]
    return tuple(sorted(credentials, key=lambda c: (c.provider, c.locations[0], c.id)))


def _credential(fp: str, group: list[Candidate]) -> Credential:
    # A provider-specific detector knows more than the generic one: let it name the kind.
    # The keyword net ranks with the generic ones whatever vendor its name named; of its
    # own candidates, one whose name named a vendor (``ALGOLIA_KEY`` beside ``key``) wins.
    group.sort(key=lambda c: (c.provider == _GENERIC or c.detector == _KEYWORD_NET,
                              c.detector, c.provider == _GENERIC, c.location))
    best = group[0]
    previews = sorted({c.preview for c in group if c.preview})
    return Credential(
        id="c-" + fp.removeprefix(f"{SCHEME}:")[:12],
        fingerprint=fp,
        legacy_fingerprint=legacy_fingerprint(best.secret, best.identity),
        redacted=previews[0] if previews else redact(best.secret),
        provider=best.provider,
        kind=best.kind,
        detectors=tuple(sorted({c.detector for c in group})),
        locations=tuple(sorted({c.location for c in group})),
        facts=tuple(sorted({f for c in group for f in c.facts})),
        # One real-looking place (a .env beside the README's copy) makes it a credential.
        example=(min(c.example for c in group if c.example)
                 if all(c.example for c in group) else None),
    )
