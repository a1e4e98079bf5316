"""blastscan's own files in the user's cache directory (never in the scanned tree).

What is kept there is derived from installed software (the catalog a binary prints, the
Hyperscan database compiled from it), re-derivable at any time, and read as untrusted:
a damaged or missing file only costs the time to derive it again.
"""

from __future__ import annotations

import os
from pathlib import Path


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
