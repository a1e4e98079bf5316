"""The credential fingerprint: a domain-separated SHA-256 of the secret and its identity.

Its own module, importing only hashlib, because ``blastscan guard`` fingerprints pieces
of every tool call with it and must not load the models or the pipeline to do so.
"""

from __future__ import annotations

import hashlib

_DOMAIN = b"blastscan/v1\x00"


def fingerprint(secret: str, identity: str = "") -> str:
    digest = hashlib.sha256(_DOMAIN + identity.encode() + b"\x00" + secret.encode())
    return "sha256:" + digest.hexdigest()
