"""Which fenced file a word of a tool call names, resolved the way the tool would.

A word is tried as written and in the shapes commands wrap paths in: ``--opt=PATH``,
``@PATH`` (curl's upload), ``REV:PATH`` (``git show HEAD:PATH``) and ``file://PATH``.
Relative words resolve against the hook's working directory; both the normalised path
and its ``realpath`` are compared (a symlink in the tree pointing at a fenced file is
the fenced file). Glob words (``cat secrets/*``) match with ``fnmatch``.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator

_GLOB = frozenset("*?[")
_MAX_WORD = 4096


class FencedFiles:
    def __init__(self, root: str, files: dict[str, str]) -> None:
        """``files``: root-relative fenced path -> the id of the credential it holds."""
        self.root = os.path.normpath(root)
        self._by_path: dict[str, str] = {}
        for rel, owner in files.items():
            full = os.path.normpath(os.path.join(self.root, rel))
            self._by_path[full] = owner
            self._by_path.setdefault(os.path.realpath(full), owner)

    def relative(self, full: str) -> str:
        return os.path.relpath(full, self.root)

    def named(self, word: str, cwd: str) -> tuple[str, str] | None:
        """(fenced file, credential id) the word names, if any."""
        for candidate in _shapes(word):
            full = os.path.normpath(os.path.join(cwd, os.path.expanduser(candidate)))
            if _GLOB & set(candidate):
                hit = next((p for p in self._by_path if fnmatch.fnmatchcase(p, full)), None)
                if hit:
                    return hit, self._by_path[hit]
                continue
            # realpath costs a stat per component: only for a word naming something that
            # exists (a symlink to a fenced file does; a flag or a pattern does not).
            owner = self._by_path.get(full) or (
                self._by_path.get(_real(full)) if os.path.exists(full) else None)
            if owner:
                return full, owner
        return None

    def inside(self, word: str, cwd: str) -> tuple[str, str] | None:
        """A fenced file under the folder the word names (a recursive read of it)."""
        full = os.path.normpath(os.path.join(cwd, word))
        if not os.path.isdir(full):
            return None
        for folder in {full, _real(full)}:
            prefix = folder.rstrip("/") + "/"
            hit = next((p for p in sorted(self._by_path) if p.startswith(prefix)), None)
            if hit:
                return hit, self._by_path[hit]
        return None


def _shapes(word: str) -> Iterator[str]:
    if not word or len(word) > _MAX_WORD or "\x00" in word:
        return
    yield word
    if word.startswith("file://"):
        yield word[len("file://"):]
    if word.startswith("@"):
        yield word[1:]
    if "=" in word:
        yield word.split("=", 1)[1].lstrip("@")
    if ":" in word and not word.startswith(("http:", "https:")):
        yield word.rsplit(":", 1)[1]


def _real(path: str) -> str:
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return path
