"""Files mode (``blastscan scan-files``): scan only the files named, not the whole tree.

pre-commit passes the staged files' names, relative to the repository root it runs the
hook from. :func:`relative` turns them into target-relative POSIX paths (a file outside
the target is a usage error); :func:`refs` turns those into discovery refs with the same
rules a walk applies: no VCS internals, no symlinks, nothing over the size cap, and
dependency folders only when asked.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from blastscan.scanner.errors import UsageError
from blastscan.scanner.models import SkipReason
from blastscan.scanner.pipeline.discovery import DEPENDENCY_DIRS, VCS_DIRS, FileRef


def relative(root: Path, files: Iterable[Path]) -> tuple[str, ...]:
    base = Path(os.path.abspath(root))
    rels = []
    for file in files:
        absolute = Path(os.path.abspath(file))
        if not absolute.is_relative_to(base) or absolute == base:
            raise UsageError(f"{file}: not a file under {root}")
        rels.append(absolute.relative_to(base).as_posix())
    return tuple(sorted(set(rels)))


def refs(root: Path, rels: Iterable[str], *, max_file_size: int, include_deps: bool,
         skipped: Counter[SkipReason]) -> list[FileRef]:
    found = []
    for rel in rels:
        folders = rel.split("/")[:-1]
        if VCS_DIRS.intersection(folders):
            continue
        if not include_deps and DEPENDENCY_DIRS.intersection(folders):
            skipped[SkipReason.DEPENDENCY_DIR] += 1
            continue
        path = root / rel
        if path.is_symlink():
            skipped[SkipReason.SYMLINK] += 1
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue  # deleted since it was staged: nothing an agent can read
        if not path.is_file():
            if not path.is_dir():  # a FIFO, socket or device: never opened
                skipped[SkipReason.NOT_REGULAR] += 1
            continue
        if size > max_file_size:
            skipped[SkipReason.TOO_LARGE] += 1
            continue
        found.append(FileRef(path, rel, size))
    return found
