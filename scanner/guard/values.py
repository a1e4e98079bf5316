"""Does a tool call carry a fenced credential's value? Compared by fingerprint only.

The fence holds fingerprints, never values, so the guard cuts the call's strings into
the pieces a secret can be (quoted strings, header values, ``user:pass@`` parts, query
parameters) and fingerprints each with the scan's own function and key (the same key the
scan used: ``BLASTSCAN_FINGERPRINT_KEY`` or the per-machine one). A credential whose
fingerprint mixes in an identity (an AWS secret key with its key id, a password with
its host) cannot be matched this way; its file and variable are still fenced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from blastscan.scanner.fence.model import Fence, FencedCredential
from blastscan.scanner.pipeline.fingerprint import LEGACY_PREFIX, fingerprint, legacy_fingerprint

_WORD = re.compile(r"[^\s'\"`,;|&(){}\[\]<>\\]{8,4096}")
_PARTS = re.compile(r"[:=@/?#&]")
_MAX_PIECES = 20_000  # bounded work on a hostile megabyte of input
_MIN = 8  # the detectors emit nothing shorter that the fence would hold


class Values:
    def __init__(self, fence: Fence) -> None:
        self._by_fingerprint = {c.fingerprint: c for c in fence.credentials}
        self._key: bytes | None = None
        # A fence written before keyed fingerprints (issue 16) holds unkeyed ones.
        self._legacy = any(fp.startswith(LEGACY_PREFIX) for fp in self._by_fingerprint)

    def _fingerprints(self, piece: str) -> list[str]:
        if self._key is None:  # the scan's key, resolved as the scan resolves it
            import os

            from blastscan.scanner.config.fingerprint_key import resolve

            self._key = resolve(os.environ).secret
        keyed = [fingerprint(piece, "", self._key)]
        return [*keyed, legacy_fingerprint(piece)] if self._legacy else keyed

    def sent(self, texts: Iterable[str]) -> FencedCredential | None:
        if not self._by_fingerprint:
            return None
        seen: set[str] = set()
        for piece in _pieces(texts):
            if piece in seen:
                continue
            seen.add(piece)
            if len(seen) > _MAX_PIECES:
                return None
            for fp in self._fingerprints(piece):
                if found := self._by_fingerprint.get(fp):
                    return found
        return None


def _pieces(texts: Iterable[str]) -> Iterable[str]:
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group()
            yield word
            for part in _PARTS.split(word):
                if len(part) >= _MIN and part != word:
                    yield part
