"""The fence file: what ``blastscan guard`` needs to decide a tool call, and nothing else.

Paths relative to the scanned root, credential fingerprints, variable names, and the
destructive operations each fenced credential reaches with the names the knowledge base
gives them (``volumeDelete``, ``railway volume delete``). Never a secret value and never a
redacted preview: the file sits in the tree the agent can read. The guard imports this
module on every tool call, so it uses the standard library only, and it validates what it
loads because a hostile tree can plant its own fence file.

The types are ``NamedTuple``s, not the house's frozen dataclasses: as immutable, typed
and ordered, but importing :mod:`dataclasses` (and :mod:`inspect` with it) was a fifth of
the guard's start-up, which every tool call of the agent pays.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from blastscan.scanner.errors import FenceError

FENCE_VERSION = 1
#: Where ``blastscan fence`` writes the fence, relative to the scanned root.
DEFAULT_FENCE = ".blastscan/fence.json"
MAX_FENCE_BYTES = 4 * 1024 * 1024

_FINGERPRINT = re.compile(r"(?:hmac-)?sha256:[0-9a-f]{64}")  # keyed (issue 16), or a legacy fence
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
_MAX_TEXT = 300  # a name, action or path longer than this is not one blastscan wrote
_MAX_ITEMS = 10_000


class FencedOperation(NamedTuple):
    action: str  # the report's action id, e.g. railway.volume.delete
    environment: str
    severity: str
    names: tuple[str, ...]  # how a call spells it (knowledge base operation names)


class FencedCredential(NamedTuple):
    id: str
    fingerprint: str
    provider: str
    kind: str
    files: tuple[str, ...]  # POSIX paths relative to the root
    variables: tuple[str, ...]
    operations: tuple[FencedOperation, ...]

    def summary(self) -> str:
        """One clause for a deny reason: which credential, and its widest production reach."""
        if not self.operations:
            return f"a {self.provider} {self.kind} ({self.id})"
        first, more = self.operations[0], len(self.operations) - 1
        also = f" and {more} more" if more else ""
        return (f"a {self.provider} {self.kind} ({self.id}) reaching {first.action}{also}"
                f" in {first.environment}")


class Fence(NamedTuple):
    fail_on: str
    credentials: tuple[FencedCredential, ...]
    tool_version: str = ""
    # The rules ``blastscan fence`` added to each agent file (relative path -> rules), so
    # that the next run can replace exactly those and never a rule the user wrote.
    written: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def written_to(self, path: str) -> tuple[str, ...]:
        return next((rules for name, rules in self.written if name == path), ())


def dumps(fence: Fence) -> str:
    """Deterministic JSON: sorted keys, sorted lists, no timestamps."""
    body = {
        "fence_version": FENCE_VERSION,
        "tool": {"name": "blastscan", "version": fence.tool_version},
        "fail_on": fence.fail_on,
        "credentials": [_credential_json(c) for c in sorted(fence.credentials)],
        "written": {name: sorted(rules) for name, rules in sorted(fence.written)},
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def _credential_json(c: FencedCredential) -> dict[str, Any]:
    return {"id": c.id, "fingerprint": c.fingerprint, "provider": c.provider, "kind": c.kind,
            "files": sorted(c.files), "variables": sorted(c.variables),
            "operations": [{"action": o.action, "environment": o.environment,
                            "severity": o.severity, "names": sorted(o.names)}
                           for o in sorted(c.operations)]}


def loads(text: str) -> Fence:
    """Parse and validate a fence file; :class:`FenceError` names the first problem."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FenceError(f"fence file is not JSON ({type(exc).__name__})") from None
    body = _object(data, "fence file")
    if body.get("fence_version") != FENCE_VERSION:
        raise FenceError(f"fence file: fence_version must be {FENCE_VERSION}")
    tool = _object(body.get("tool", {}), "tool")
    written = _object(body.get("written", {}), "written")
    return Fence(
        fail_on=_text(body.get("fail_on"), "fail_on"),
        credentials=tuple(_credential(c) for c in _list(body.get("credentials"), "credentials")),
        tool_version=_text(tool.get("version", ""), "tool.version"),
        written=tuple((_path(name), tuple(_text(r, "written rule") for r in _list(rules, name)))
                      for name, rules in sorted(written.items())),
    )


def _credential(raw: object) -> FencedCredential:
    item = _object(raw, "credential")
    fingerprint = _text(item.get("fingerprint"), "fingerprint")
    if not _FINGERPRINT.fullmatch(fingerprint):
        raise FenceError("fence file: a fingerprint is not hmac-sha256:<64 hex>")
    variables = tuple(_text(v, "variable") for v in _list(item.get("variables", []), "variables"))
    if not all(_VARIABLE.fullmatch(v) for v in variables):
        raise FenceError("fence file: a variable is not an identifier")
    return FencedCredential(
        id=_text(item.get("id"), "id"), fingerprint=fingerprint,
        provider=_text(item.get("provider"), "provider"), kind=_text(item.get("kind"), "kind"),
        files=tuple(_path(f) for f in _list(item.get("files", []), "files")),
        variables=variables,
        operations=tuple(_operation(o) for o in _list(item.get("operations", []), "operations")),
    )


def _operation(raw: object) -> FencedOperation:
    item = _object(raw, "operation")
    return FencedOperation(
        action=_text(item.get("action"), "action"),
        environment=_text(item.get("environment"), "environment"),
        severity=_text(item.get("severity"), "severity"),
        names=tuple(_text(n, "name") for n in _list(item.get("names", []), "names")))


def _path(value: object) -> str:
    """A relative POSIX path inside the root: no absolute path, no ``..``, no control
    character (a planted fence must not make the guard or an agent file name ``/etc``)."""
    path = _text(value, "path")
    parts = path.split("/")
    if (not path or path.startswith("/") or any(p in ("", ".", "..") for p in parts)
            or any(ord(ch) < 32 or ch == "\\" for ch in path)):
        raise FenceError("fence file: a path is not relative to the root")
    return path


def _object(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FenceError(f"fence file: {what} is not an object")
    return value


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list) or len(value) > _MAX_ITEMS:
        raise FenceError(f"fence file: {what} is not a list (of at most {_MAX_ITEMS})")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise FenceError(f"fence file: {what} is not a short string")
    return value
