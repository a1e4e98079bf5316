"""The credential fingerprint: a domain-separated HMAC-SHA256 of the secret and its identity
under the fingerprint key (issue 16), and the unkeyed SHA-256 it replaced.

Its own module, importing only hashlib and hmac, because ``blastscan guard`` fingerprints
pieces of every tool call with it and must not load the models or the pipeline to do so.
The legacy fingerprint is for matching what was written before keys (baselines, fences):
never for a report.
"""

from __future__ import annotations

import hashlib
import hmac

_DOMAIN = b"blastscan/v1\x00"
SCHEME = "hmac-sha256"
LEGACY_PREFIX = "sha256:"


def fingerprint(secret: str, identity: str, key: bytes) -> str:
    """The one place a credential fingerprint is computed."""
    return f"{SCHEME}:{hmac.new(key, _message(secret, identity), hashlib.sha256).hexdigest()}"


def legacy_fingerprint(secret: str, identity: str = "") -> str:
    """The unkeyed fingerprint reports carried before issue 16."""
    return LEGACY_PREFIX + hashlib.sha256(_message(secret, identity)).hexdigest()


def _message(secret: str, identity: str) -> bytes:
    # surrogatepass: a lone surrogate in a secret still hashes (never raises); text that
    # is valid UTF-8 encodes as before, so legacy fingerprints are unchanged.
    return (_DOMAIN + identity.encode("utf-8", "surrogatepass") + b"\x00"
            + secret.encode("utf-8", "surrogatepass"))
