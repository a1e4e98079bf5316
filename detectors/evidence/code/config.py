"""YAML, JSON, TOML and HCL: env mappings, header maps, Actions environments, run blocks.

Each format is flattened to *entries* — (key path, scalar text, line) — and one set of
rules reads them, so ``env: {T: ${X}}`` means the same in a compose file, ``.mcp.json``
and ``.codex/config.toml``. Shell found in ``run:``/``script:`` values (and
``package.json`` scripts) is handed to the shell module with its line offset. Secret
stores (providers.md §22): ``.doppler.yaml``'s ``config:`` is a ``doppler-config`` usage
and an HCL Vault policy's ``path "..."`` block a ``vault-path``; Kubernetes manifests'
Secrets are read by :mod:`kube` (``k8s-secret-ref`` / ``k8s-secret``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import replace

from tree_sitter import Node, Tree

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.code import evidence, kube, shell, stores
from blastscan.detectors.evidence.code.nodes import Emitter, text
from blastscan.scanner.models import Usage

Entry = tuple[tuple[str, ...], str, int]  # key path ("-" for a list item), text, 1-based line
_ENV_KEYS = frozenset({"env", "environment", "variables", "envs"})
_SCRIPT_KEYS = frozenset({"run", "script", "before_script", "after_script"})
_PAIRS = frozenset({"block_mapping_pair", "flow_pair", "pair", "object_elem"})
_LISTS = frozenset({"block_sequence_item", "flow_sequence", "array", "tuple"})
_SCALARS = frozenset({"plain_scalar", "double_quote_scalar", "single_quote_scalar",
                      "block_scalar", "string", "template_expr", "variable_expr"})
#: In JSON every key is a double-quoted string, so a rule of :func:`usages` can only fire
#: where the lowered text holds one of these: a key its path needs (an env parent, a
#: header, ``environment`` under ``jobs``, a script key). package.json's ``scripts`` aside.
JSON_KEYS = frozenset(f'"{key}' + ("" if key == "x-" else '"') for key in (
    *_ENV_KEYS, *_SCRIPT_KEYS, *evidence.HEADERS, "x-"))


def usages(tree: Tree, doc: Document) -> Iterator[Usage]:
    out = Emitter(doc)
    entries = list(_entries(tree.root_node, ()))
    job_names = _job_names(entries)
    found: list[Usage] = []
    for path, value, line in entries:
        key = path[-1] if path else ""
        parent = path[-2].lower() if len(path) >= 2 else ""
        if parent in _ENV_KEYS:
            name, _, source = value.partition("=") if key == "-" else (key, "", value)
            if (ref := evidence.single_ref(source)) is not None:
                out.at(line, "alias", ref, (name.strip(),))
        if evidence.is_header(key):
            out.at(line, "header", evidence.header_value(key, value), evidence.refs(value))
        if len(path) in (3, 4) and path[0] == "jobs" and path[2] == "environment" and (
                path[3:] in ((), ("name",))) and "${{" not in value and value.strip():
            out.at(line, "environment", value.strip().lower(), job_names.get(path[1], ()))
        if key.lower() in _SCRIPT_KEYS or (key == "-" and parent in _SCRIPT_KEYS) or (
                len(path) == 2 and path[0] == "scripts" and doc.path.endswith("package.json")):
            # A job's commands see its env and secrets: they name the credentials used.
            extra = job_names.get(path[1], ()) if path[0] == "jobs" and len(path) > 2 else ()
            found.extend(replace(u, names=tuple(sorted({*u.names, *extra})))
                         for u in shell.embedded(value, line, doc))
        if key == "config" and doc.path.rsplit("/", 1)[-1] == ".doppler.yaml":
            out.at(line, "doppler-config", value.strip(), ())  # the CLI's pinned config
    if doc.path.endswith((".yaml", ".yml")):
        found.extend(kube.usages(doc))  # Secrets named by Kubernetes manifests
    elif doc.path.endswith(".hcl"):
        found.extend(stores.policy_paths(doc))  # a Vault policy's path "..." blocks
    return iter(sorted({*out.sorted(), *found},
                       key=lambda u: (u.line, u.kind, u.value, u.names)))


def _job_names(entries: list[Entry]) -> dict[str, tuple[str, ...]]:
    """Per Actions job: its env keys and every secret it references, with workflow env."""
    workflow = [p[1] for p, _, _ in entries if len(p) == 2 and p[0] == "env"]
    jobs: dict[str, list[str]] = {}
    for path, value, _ in entries:
        if len(path) >= 3 and path[0] == "jobs":
            names = jobs.setdefault(path[1], list(workflow))
            names.extend(evidence.refs(value))
            if path[-2] == "env":
                names.append(path[-1])
    return {job: tuple(names) for job, names in jobs.items()}


def _entries(node: Node, path: tuple[str, ...]) -> Iterator[Entry]:
    kind = node.type
    if kind in _PAIRS:
        key = node.child_by_field_name("key")
        value = node.child_by_field_name("value") or node.child_by_field_name("val")
        if key is None or value is None:
            children = node.named_children  # TOML pairs have no field names
            if len(children) < 2:
                return
            key, value = children[0], children[-1]
        yield from _entries(value, path + _key(key))
    elif kind in ("table", "table_array_element"):  # TOML [a.b] then its pairs
        children = node.named_children
        head = _key(children[0]) if children else ()
        for child in children[1:]:
            yield from _entries(child, head)
    elif kind == "block":  # HCL: resource "type" "name" { body }
        labels = tuple(text(c).strip('"') for c in node.named_children if c.type != "body")
        for child in node.named_children:
            if child.type == "body":
                yield from _entries(child, path + labels)
    elif kind == "attribute":  # HCL name = expression
        children = node.named_children
        if len(children) >= 2:
            yield from _entries(children[1], (*path, text(children[0])))
    elif kind in _SCALARS:
        yield _scalar(node, path)
    else:
        step = ("-",) if kind in _LISTS else ()
        for child in node.named_children:
            yield from _entries(child, path + step)


def _key(node: Node) -> tuple[str, ...]:
    raw = text(node)
    if node.type == "dotted_key":
        return tuple(part.strip().strip("\"'") for part in raw.split("."))
    return (raw.strip().strip("\"'"),)


def _scalar(node: Node, path: tuple[str, ...]) -> Entry:
    raw = text(node)
    line = node.start_point.row + 1
    if node.type == "block_scalar":  # `|` / `>` header line, then indented content
        body = raw.partition("\n")[2]
        return path, textwrap.dedent(body), line + 1
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        raw = raw[1:-1]
    return path, raw, line
