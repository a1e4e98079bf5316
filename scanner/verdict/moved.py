"""Why a credential the baseline knows gates again: it moved, or was copied.

A baseline entry is keyed on the file a secret sits in (:mod:`baseline`), so after
``git mv tools/gh.py ops/gh.py`` the same token at the same reach is no longer accepted:
deliberately — a secret in a new place is a new exposure, perhaps to a new reader — but
the report used to show it as a brand-new finding, and the reviewer had to work out that
nothing but the path had changed. Each such path now says so in its ``why``: accepted at
the old file, now at the new one, and how to accept it again. The gate is unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from blastscan.scanner.models import Path, ResolvedCredential, SourceKind
from blastscan.scanner.verdict.baseline import Baseline

_SHOWN = 3  # file names listed in one reason; the rest are counted


def explain(paths: tuple[Path, ...], credentials: tuple[ResolvedCredential, ...],
            baseline: Baseline | None) -> tuple[Path, ...]:
    if baseline is None:
        return paths
    accepted_at: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for entry in baseline.entries:
        key = entry.key
        accepted_at[key.fingerprint, key.action, key.environment].add(key.path)
    by_id = {rc.credential.id: rc for rc in credentials}
    explained = []
    for path in paths:
        resolved = by_id.get(path.credential_id)
        if resolved is not None:
            cred = resolved.credential
            known = accepted_at.get((cred.fingerprint, path.action, str(path.environment)))
            files = {loc.path for loc in cred.locations}
            # Gone from the working tree: after a move, git history still has the old file.
            current = {loc.path for loc in cred.locations if loc.source is SourceKind.WORKTREE}
            if known and (new := files - known):
                path = replace(path, why=(*path.why, _reason(known - current, new)))
        explained.append(path)
    return tuple(explained)


def _reason(gone: set[str], new: set[str]) -> str:
    if gone:
        return (f"the baseline accepted this at {_names(gone)}, now at {_names(new)}: a"
                " moved secret gates again until `blastscan baseline update` records the"
                " new place")
    return (f"the baseline accepts this secret elsewhere, not at {_names(new)}: a copy in a"
            " new file is a new exposure and gates again")


def _names(files: set[str]) -> str:
    ordered = sorted(files)
    shown = ", ".join(ordered[:_SHOWN])
    return shown + (f" (+{len(ordered) - _SHOWN} more)" if len(ordered) > _SHOWN else "")
