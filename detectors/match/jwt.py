"""Read a JWT's claims offline (no signature check: only the claims are evidence).

The ``role`` claim tells a Supabase ``service_role`` key (bypasses Row Level Security)
from the public ``anon`` key that is shipped to browsers (providers.md §8.1).
"""

from __future__ import annotations

import base64
import binascii
import json

_MAX_PAYLOAD = 4096  # real Supabase payloads are ~150 characters; don't decode blobs
PUBLIC_ROLES = frozenset({"anon"})


def jwt_claims(segment: str) -> dict[str, object]:
    """Decode a base64url JWT payload; anything malformed gives ``{}``, never an error."""
    if len(segment) > _MAX_PAYLOAD:
        return {}
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return {}
    return claims if isinstance(claims, dict) else {}


def is_public_jwt(token: str) -> bool:
    """A JWT whose role claim makes it public by design (a Supabase anon key)."""
    parts = token.split(".")
    return len(parts) == 3 and jwt_claims(parts[1]).get("role") in PUBLIC_ROLES
