"""The knowledge-base schema: typed provider facts and the strict parse that builds them.

Every table is checked for unknown and missing keys, every reference (a kind's
operations, a format's or sample's kind) must resolve, and every ``[[format]]`` regex
is compiled here, so a typo in a data file fails at load time instead of silently
narrowing a blast radius or a detector. The built-in files skip that compile
(``check_regexes=False``): their regexes compile on first use, with the same checks, and a
test compiles every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from blastscan.detectors.knowledge.model import (
    Format,
    Kind,
    Operation,
    Provider,
    ProviderSample,
    compile_format,
)
from blastscan.scanner.errors import KnowledgeError
from blastscan.scanner.models import Scope


@dataclass(frozen=True, slots=True)
class _Table:
    allowed: frozenset[str]
    required: frozenset[str]

    def check(self, where: str, table: Any) -> dict[str, Any]:
        if not isinstance(table, dict):
            raise KnowledgeError(f"{where}: expected a table, got {type(table).__name__}")
        unknown, missing = set(table) - self.allowed, self.required - set(table)
        if unknown or missing:
            raise KnowledgeError(
                f"{where}: unknown keys {sorted(unknown)}, missing {sorted(missing)}")
        return table


def _table(required: str, optional: str = "") -> _Table:
    return _Table(frozenset(required.split() + optional.split()), frozenset(required.split()))


_PROVIDER = _table("id name source kind",
                   "operation variables hosts headers backups backups_source format sample "
                   "target")
_TARGETS = frozenset({"hosted", "address"})
_KIND = _table("id scope environment_scoped operations why source", "uncertain gates")
_OP = _table("id resource destructive names why source", "uncertain backups_in_blast_radius")
_FORMAT = _table("kind regex keywords source", "uncertain context")
_SAMPLE = _table("path text expect", "kind")


def _strings(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise KnowledgeError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def parse(file_id: str, data: dict[str, Any], *, check_regexes: bool = True) -> Provider:
    _PROVIDER.check(file_id, data)
    if data["id"] != file_id:
        raise KnowledgeError(f"{file_id}.toml declares id {data['id']!r}")
    if ("backups" in data) != ("backups_source" in data):
        raise KnowledgeError(f"{file_id}: backups and backups_source go together")
    target = data.get("target", "address")
    if target not in _TARGETS:
        raise KnowledgeError(f"{file_id}.target: expected one of {', '.join(sorted(_TARGETS))}")
    ops = tuple(_operation(file_id, raw) for raw in data.get("operation", []))
    op_ids = {o.id for o in ops}
    kinds = tuple(_kind(file_id, raw, op_ids) for raw in data["kind"])
    kind_ids = {k.id for k in kinds}
    if len(kind_ids) != len(kinds) or len(op_ids) != len(ops):
        raise KnowledgeError(f"{file_id}: duplicate kind or operation ids")
    formats = tuple(_format(file_id, i, raw, kind_ids, check_regexes)
                    for i, raw in enumerate(data.get("format", [])))
    samples = tuple(_sample(file_id, raw, kind_ids) for raw in data.get("sample", []))
    return Provider(
        file_id, data["name"], data["source"], kinds, ops,
        variables=_strings(f"{file_id}.variables", data.get("variables", [])),
        hosts=_strings(f"{file_id}.hosts", data.get("hosts", [])),
        headers=_strings(f"{file_id}.headers", data.get("headers", [])),
        backups=data.get("backups"), backups_source=data.get("backups_source"),
        formats=formats, samples=samples, target=target,
    )


def _operation(file_id: str, raw: Any) -> Operation:
    _OP.check(f"{file_id}:{raw.get('id')}", raw)
    return Operation(f"{file_id}.{raw['id']}", raw["resource"], bool(raw["destructive"]),
                     raw.get("backups_in_blast_radius"),
                     _strings(f"{file_id}:{raw['id']}.names", raw["names"]), raw["why"],
                     raw["source"], raw.get("uncertain"))


def _kind(file_id: str, raw: Any, op_ids: set[str]) -> Kind:
    where = f"{file_id}:{raw.get('id')}"
    _KIND.check(where, raw)
    try:
        scope = Scope(raw["scope"])
    except ValueError as exc:
        raise KnowledgeError(f"{where}: bad scope {raw['scope']!r}") from exc
    refs = tuple(f"{file_id}.{o}" for o in raw["operations"])
    if dangling := [r for r in refs if r not in op_ids]:
        raise KnowledgeError(f"{where}: unknown operations {dangling}")
    return Kind(raw["id"], scope, bool(raw["environment_scoped"]), refs, raw["why"],
                raw["source"], raw.get("uncertain"), bool(raw.get("gates", True)))


def _format(file_id: str, index: int, raw: Any, kind_ids: set[str], check_regex: bool) -> Format:
    where = f"{file_id}:format[{index}]"
    _FORMAT.check(where, raw)
    if raw["kind"] not in kind_ids:
        raise KnowledgeError(f"{where}: unknown kind {raw['kind']!r}")
    keywords = _strings(f"{where}.keywords", raw["keywords"])
    if not keywords or any(k != k.lower() for k in keywords):
        raise KnowledgeError(f"{where}: keywords must be a non-empty list of lowercase strings")
    pattern = raw["regex"]
    if not isinstance(pattern, str):
        raise KnowledgeError(f"{where}: bad regex: expected a string")
    if check_regex:
        compile_format(pattern, where)
    return Format(f"{file_id}.{raw['kind']}#{index}", raw["kind"], pattern, keywords,
                  raw["source"], raw.get("uncertain"), bool(raw.get("context", False)))


def _sample(file_id: str, raw: Any, kind_ids: set[str]) -> ProviderSample:
    _SAMPLE.check(f"{file_id}:sample", raw)
    if raw["expect"] not in ("secret", "none"):
        raise KnowledgeError(f"{file_id}:sample: expect must be 'secret' or 'none'")
    kind = raw.get("kind")
    if kind is not None and kind not in kind_ids:
        raise KnowledgeError(f"{file_id}:sample: unknown kind {kind!r}")
    return ProviderSample(raw["path"], raw["text"], raw["expect"] == "secret", kind)
