"""The provider knowledge base: one TOML file per provider, validated at load time.

Facts live in ``blastscan/detectors/data/providers/<id>.toml`` with a ``source`` on
every kind and operation; an ``uncertain`` note marks what providers.md could not
confirm. Unknown keys, dangling operation references and bad scopes are errors, so a
typo in a data file fails loudly instead of silently narrowing a blast radius.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from blastscan.scanner.errors import KnowledgeError
from blastscan.scanner.models import Scope


@dataclass(frozen=True, slots=True)
class Operation:
    id: str
    resource: str
    destructive: bool
    backups_in_blast_radius: bool | None
    names: tuple[str, ...]
    why: str
    source: str
    uncertain: str | None


@dataclass(frozen=True, slots=True)
class Kind:
    id: str
    scope: Scope
    environment_scoped: bool
    operations: tuple[str, ...]
    why: str
    source: str


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    name: str
    source: str
    kinds: tuple[Kind, ...]
    operations: tuple[Operation, ...]

    def kind(self, kind_id: str) -> Kind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)

    def operation(self, op_id: str) -> Operation:
        return next(o for o in self.operations if o.id == op_id)


_PROVIDER_KEYS = {"id", "name", "source", "kind", "operation"}
_KIND_KEYS = {"id", "scope", "environment_scoped", "operations", "why", "source"}
_OP_KEYS = {"id", "resource", "destructive", "backups_in_blast_radius", "names", "why",
            "source", "uncertain"}


def _check_keys(where: str, table: dict[str, Any], allowed: set[str], required: set[str]) -> None:
    unknown = set(table) - allowed
    missing = required - set(table)
    if unknown or missing:
        raise KnowledgeError(f"{where}: unknown keys {sorted(unknown)}, missing {sorted(missing)}")


def parse(file_id: str, data: dict[str, Any]) -> Provider:
    _check_keys(file_id, data, _PROVIDER_KEYS, {"id", "name", "source", "kind"})
    if data["id"] != file_id:
        raise KnowledgeError(f"{file_id}.toml declares id {data['id']!r}")
    ops = []
    for raw in data.get("operation", []):
        optional = {"uncertain", "backups_in_blast_radius"}
        _check_keys(f"{file_id}:{raw.get('id')}", raw, _OP_KEYS, _OP_KEYS - optional)
        ops.append(Operation(f"{file_id}.{raw['id']}", raw["resource"], bool(raw["destructive"]),
                             raw.get("backups_in_blast_radius"), tuple(raw["names"]), raw["why"],
                             raw["source"], raw.get("uncertain")))
    op_ids = {o.id for o in ops}
    kinds = []
    for raw in data["kind"]:
        _check_keys(f"{file_id}:{raw.get('id')}", raw, _KIND_KEYS, _KIND_KEYS)
        try:
            scope = Scope(raw["scope"])
        except ValueError as exc:
            raise KnowledgeError(f"{file_id}:{raw['id']}: bad scope {raw['scope']!r}") from exc
        refs = tuple(f"{file_id}.{o}" for o in raw["operations"])
        if dangling := [r for r in refs if r not in op_ids]:
            raise KnowledgeError(f"{file_id}:{raw['id']}: unknown operations {dangling}")
        kinds.append(Kind(raw["id"], scope, bool(raw["environment_scoped"]), refs, raw["why"],
                          raw["source"]))
    if len({k.id for k in kinds}) != len(kinds) or len(op_ids) != len(ops):
        raise KnowledgeError(f"{file_id}: duplicate kind or operation ids")
    return Provider(file_id, data["name"], data["source"], tuple(kinds), tuple(ops))


@lru_cache(maxsize=1)
def load() -> dict[str, Provider]:
    folder = resources.files("blastscan.detectors").joinpath("data/providers")
    providers = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            file_id = entry.name.removesuffix(".toml")
            try:
                data = tomllib.loads(entry.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise KnowledgeError(f"{entry.name}: {exc}") from exc
            providers[file_id] = parse(file_id, data)
    return providers
