"""Build the fence from a scan: every credential on a path at or above ``--fail-on``.

A credential is fenced when one of its paths is at or above the threshold (the gate's
own comparison); review-only paths (kinds that never gate) are left out, as the gate
leaves them out. Each fenced operation carries the names the knowledge base gives it
(``volumeDelete``, ``railway volume delete``) so that the guard can recognise a call
without the knowledge base, which it never loads.
"""

from __future__ import annotations

import re
from collections import defaultdict

from blastscan.detectors.knowledge.loader import load as load_knowledge
from blastscan.scanner.fence.model import Fence, FencedCredential, FencedOperation
from blastscan.scanner.models import Path, ScanResult, Severity, SourceKind

# Files an agent in the workspace opens by path. A history blob is not a file (``git
# log -p`` reads it), a home store lies outside the root, an environment variable is
# fenced by its name.
_FILE_SOURCES = frozenset({SourceKind.WORKTREE, SourceKind.AGENT_CONFIG})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")


def derive(result: ScanResult, fail_on: Severity | None = None) -> Fence:
    threshold = fail_on or result.gate.fail_on
    review_only = set(result.gate.review_only)
    paths: dict[str, list[Path]] = defaultdict(list)
    for path in result.paths:
        if path.severity.rank >= threshold.rank and path.id not in review_only:
            paths[path.credential_id].append(path)
    fenced = []
    for item in result.credentials:
        cred = item.credential
        if cred.id not in paths:
            continue
        files = sorted({loc.path for loc in cred.locations if loc.source in _FILE_SOURCES})
        variables = sorted({name for key, name in cred.facts
                            if key == "name" and _IDENTIFIER.fullmatch(name)})
        operations = sorted({FencedOperation(p.action, p.environment.value, p.severity.value,
                                             operation_names(p.action))
                             for p in paths[cred.id]},
                            key=lambda o: (-Severity(o.severity).rank, o.action, o.environment))
        fenced.append(FencedCredential(cred.id, cred.fingerprint, item.reach.provider,
                                       item.reach.kind, tuple(files), tuple(variables),
                                       tuple(operations)))
    return Fence(fail_on=threshold.value, credentials=tuple(sorted(fenced)),
                 tool_version=result.tool_version)


def operation_names(action: str) -> tuple[str, ...]:
    """The knowledge base's names for ``provider.operation`` (empty when it has none: the
    path is still fenced by file, value and variable, just not recognised as a call)."""
    provider = load_knowledge().get(action.partition(".")[0])
    if provider is None:
        return ()
    # Loaded operation ids carry their provider's prefix, as the paths' actions do.
    found = next((op for op in provider.operations if op.id == action), None)
    return tuple(sorted(found.names)) if found else ()
