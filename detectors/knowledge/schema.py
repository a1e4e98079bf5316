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
        if set(table) - self.allowed:  # its name is the file's text: not repeated
            raise KnowledgeError(f"{where}: an unknown key (allowed: "
                                 f"{', '.join(sorted(self.allowed))})")
        if missing := sorted(self.required - set(table)):
            raise KnowledgeError(f"{where}: missing {missing}")
        if wrong := sorted(k for k in _TEXT & set(table) if not isinstance(table[k], str)):
            raise KnowledgeError(f"{where}.{wrong[0]}: expected a string")
        return table


def _table(required: str, optional: str = "") -> _Table:
    return _Table(frozenset(required.split() + optional.split()), frozenset(required.split()))


_PROVIDER = _table("id name source kind",
                   "operation variables hosts headers backups backups_source format sample "
                   "target named_hosts")
_TARGETS = frozenset({"hosted", "address"})
_KIND = _table("id scope environment_scoped operations why source", "uncertain gates")
_OP = _table("id resource destructive names why source", "uncertain backups_in_blast_radius")
_FORMAT = _table("kind regex keywords source", "uncertain context target_regex")
_SAMPLE = _table("path text expect", "kind")
# Keys whose values are text: checked, since a wrong type would fail later, mid-scan.
_TEXT = frozenset({"id", "name", "source", "resource", "why", "uncertain", "scope", "regex",
                   "path", "text", "expect", "backups", "backups_source", "target"})


def _strings(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise KnowledgeError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def parse(file_id: str, data: dict[str, Any], *, check_regexes: bool = True) -> Provider:
    _PROVIDER.check(file_id, data)
    if data["id"] != file_id:
        raise KnowledgeError(f"{file_id}.toml declares another id")
    if ("backups" in data) != ("backups_source" in data):
        raise KnowledgeError(f"{file_id}: backups and backups_source go together")
    target = data.get("target", "address")
    if target not in _TARGETS:
        raise KnowledgeError(f"{file_id}.target: expected one of {', '.join(sorted(_TARGETS))}")
    ops = tuple(_operation(f"{file_id}:operation[{i}]", file_id, raw)
                for i, raw in enumerate(_list(f"{file_id}.operation", data.get("operation", []))))
    op_ids = {o.id for o in ops}
    kinds = tuple(_kind(f"{file_id}:kind[{i}]", file_id, raw, op_ids)
                  for i, raw in enumerate(_list(f"{file_id}.kind", data["kind"])))
    kind_ids = {k.id for k in kinds}
    if len(kind_ids) != len(kinds) or len(op_ids) != len(ops):
        raise KnowledgeError(f"{file_id}: duplicate kind or operation ids")
    formats = tuple(_format(file_id, i, raw, kind_ids, check_regexes)
                    for i, raw in enumerate(_list(f"{file_id}.format", data.get("format", []))))
    samples = tuple(_sample(file_id, raw, kind_ids)
                    for raw in _list(f"{file_id}.sample", data.get("sample", [])))
    return Provider(
        file_id, data["name"], data["source"], kinds, ops,
        variables=_strings(f"{file_id}.variables", data.get("variables", [])),
        hosts=_strings(f"{file_id}.hosts", data.get("hosts", [])),
        headers=_strings(f"{file_id}.headers", data.get("headers", [])),
        backups=data.get("backups"), backups_source=data.get("backups_source"),
        formats=formats, samples=samples, target=target,
        named_hosts=_strings(f"{file_id}.named_hosts", data.get("named_hosts", [])),
    )


def _list(where: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise KnowledgeError(f"{where}: expected an array of tables")
    return value


# Places in messages are indexes (``acme:kind[2]``), not ids: a value is the file's text,
# and an extra provider file is a scanned repository's.
def _operation(where: str, file_id: str, raw: Any) -> Operation:
    _OP.check(where, raw)
    return Operation(f"{file_id}.{raw['id']}", raw["resource"], bool(raw["destructive"]),
                     raw.get("backups_in_blast_radius"),
                     _strings(f"{where}.names", raw["names"]), raw["why"],
                     raw["source"], raw.get("uncertain"))


def _kind(where: str, file_id: str, raw: Any, op_ids: set[str]) -> Kind:
    _KIND.check(where, raw)
    try:
        scope = Scope(raw["scope"])
    except ValueError as exc:
        raise KnowledgeError(f"{where}: bad scope (expected one of"
                             f" {', '.join(s.value for s in Scope)})") from exc
    refs = tuple(f"{file_id}.{o}" for o in _strings(f"{where}.operations", raw["operations"]))
    if any(r not in op_ids for r in refs):
        raise KnowledgeError(f"{where}.operations: names an operation the file does not"
                             " declare")
    return Kind(raw["id"], scope, bool(raw["environment_scoped"]), refs, raw["why"],
                raw["source"], raw.get("uncertain"), bool(raw.get("gates", True)))


def _format(file_id: str, index: int, raw: Any, kind_ids: set[str], check_regex: bool) -> Format:
    where = f"{file_id}:format[{index}]"
    _FORMAT.check(where, raw)
    if not isinstance(raw["kind"], str) or raw["kind"] not in kind_ids:
        raise KnowledgeError(f"{where}.kind: not a kind the file declares")
    keywords = _strings(f"{where}.keywords", raw["keywords"])
    if not keywords or any(k != k.lower() for k in keywords):
        raise KnowledgeError(f"{where}: keywords must be a non-empty list of lowercase strings")
    pattern = raw["regex"]
    if not isinstance(pattern, str):
        raise KnowledgeError(f"{where}: bad regex: expected a string")
    target = raw.get("target_regex")
    if target is not None and not isinstance(target, str):
        raise KnowledgeError(f"{where}.target_regex: expected a regex string")
    if check_regex:
        compile_format(pattern, where)
        if target is not None:
            compile_format(target, where + ".target")
    return Format(f"{file_id}.{raw['kind']}#{index}", raw["kind"], pattern, keywords,
                  raw["source"], raw.get("uncertain"), bool(raw.get("context", False)),
                  target)


def _sample(file_id: str, raw: Any, kind_ids: set[str]) -> ProviderSample:
    _SAMPLE.check(f"{file_id}:sample", raw)
    if raw["expect"] not in ("secret", "none"):
        raise KnowledgeError(f"{file_id}:sample: expect must be 'secret' or 'none'")
    kind = raw.get("kind")
    if kind is not None and (not isinstance(kind, str) or kind not in kind_ids):
        raise KnowledgeError(f"{file_id}:sample.kind: not a kind the file declares")
    return ProviderSample(raw["path"], raw["text"], raw["expect"] == "secret", kind)
