"""blastscan's own files in the user's cache directory (never in the scanned tree).

What is kept there is derived from installed software (the catalog a binary prints, the
Hyperscan database compiled from it, the parsed knowledge base), re-derivable at any time,
and read as untrusted: a damaged or missing file only costs the time to derive it again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/blastscan``, else ``~/.cache/blastscan``.

    Raises RuntimeError where there is no home directory to cache in."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "blastscan"


def write_atomically(target: Path, data: bytes) -> None:
    """Best effort: a read-only or missing home only costs the derivation again, and two
    scans writing at once each rename a whole file into place."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError:
        pass


def cache_file(name: str) -> Path | None:
    """``name`` in the user cache, None where there is no home directory to cache in."""
    try:
        return user_cache_dir() / name
    except RuntimeError:
        return None


def read_checked(path: Path | None, limit: int) -> bytes | None:
    """What :func:`write_checked` put at ``path``, if it is there, at most ``limit`` bytes
    and intact (its SHA-256 matches): a reader then never parses a damaged file (Hyperscan's
    deserialiser is C and trusts its input)."""
    try:
        if path is None or not path.is_file() or path.stat().st_size > limit:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    body = data[32:]
    return body if hashlib.sha256(body).digest() == data[:32] else None


def write_checked(path: Path | None, body: bytes) -> None:
    """``body`` behind its SHA-256, for :func:`read_checked` (best effort)."""
    if path is not None:
        write_atomically(path, hashlib.sha256(body).digest() + body)


_MAX_JSON = 16 << 20  # the knowledge base's copy is 0.3 MB, the catalog's 0.4 MB


def parsed_via_cache(name: str, salt: str, texts: Sequence[str],
                     parse: Callable[[int, str], Any]) -> list[Any]:
    """``[parse(i, text) for each text]``, read instead from a JSON copy of that result kept
    for exactly these texts, when there is one: the TOML parser took 15 ms of every
    start-up for the knowledge base's 139 files and the catalog, ``json`` takes 2 ms.

    ``salt`` names what turns a text into data (the parser and its version). The copy is
    checked against its SHA-256 before it is read; a result JSON cannot hold (a TOML date)
    is never cached. ``parse`` raising is the caller's error, and nothing is written."""
    digest = hashlib.sha256(f"{name}\0{salt}\0{len(texts)}".encode())
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big") + data)
    path = cache_file(f"{name}-{digest.hexdigest()[:32]}.json")
    kept = read_checked(path, _MAX_JSON)
    if kept is not None:
        try:
            loaded = json.loads(kept)
            if isinstance(loaded, list) and len(loaded) == len(texts):
                return loaded
        except ValueError:
            pass
    result = [parse(i, text) for i, text in enumerate(texts)]
    try:
        body = json.dumps(result, ensure_ascii=False).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):  # not JSON's to hold: parsed again next time
        return result
    write_checked(path, body)
    return result
