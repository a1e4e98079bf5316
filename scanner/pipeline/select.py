"""Which files a scan reads, from the ``include`` and ``exclude`` globs of its configuration.

Globs are gitignore-style (``docs/``, ``*.md``, ``!keep.md``, ``**/fixtures/**``), matched
by ``pathspec``, the library pip, black and hatch use for exactly this syntax, against
POSIX paths relative to the target. They apply to git history blobs too: excluding a
folder should not bring its old versions back through ``git log -p``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


class FileFilter:
    def __init__(self, include: tuple[str, ...], exclude: tuple[str, ...]) -> None:
        self._include = _spec(include) if include else None
        self._exclude = _spec(exclude) if exclude else None

    @property
    def active(self) -> bool:
        return self._include is not None or self._exclude is not None

    def wants(self, rel: str) -> bool:
        if self._include is not None and not self._include.match_file(rel):
            return False
        return self._exclude is None or not self._exclude.match_file(rel)


def _spec(globs: tuple[str, ...]) -> GitIgnoreSpec:
    # Imported on first use: most scans set no globs, and pathspec costs start-up time.
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(globs)
