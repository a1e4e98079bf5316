"""Kubernetes manifests read with PyYAML: the Secrets they define and reference.

:mod:`kube` says which documents can hold one (its markers) and imports this module
on first use: most scans meet no manifest, and PyYAML was ~15 ms of every start-up.
The usage conventions are in :mod:`kube`'s docstring.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from blastscan.detectors.base import Document
from blastscan.detectors.match import yamlload
from blastscan.scanner.models import Usage


def usages(doc: Document) -> Iterator[Usage]:
    try:  # an alias bomb raises Unparseable, counted by the file pass: not caught here
        roots = list(yamlload.compose_all(doc.text))
    except (yaml.YAMLError, ValueError):
        return iter(())
    found: list[Usage] = []
    for root in roots:
        manifest = _mapping(root)
        namespace = _scalar(_mapping(manifest.get("metadata")).get("namespace"))
        prefix = f"{namespace}/" if namespace else ""
        if _scalar(manifest.get("kind")) == "Secret":
            name = _scalar(_mapping(manifest.get("metadata")).get("name"))
            for section in ("data", "stringData"):
                node = manifest.get(section)
                for key, _ in node.value if isinstance(node, yaml.MappingNode) else ():
                    if name and (k := _scalar(key)):
                        found.append(Usage(doc.path, _line(key), "k8s-secret",
                                           f"{prefix}{name}/{k}"))
        elif root is not None:
            found.extend(_refs(doc.path, root, prefix))
    return iter(sorted(set(found)))


def _refs(path: str, root: yaml.Node, prefix: str) -> Iterator[Usage]:
    """Every ``env`` / ``envFrom`` list under ``root`` (containers sit at any depth).

    Each node is read once: an alias shares its node, and walking it once per path to it
    was exponential (a 571-byte file of nested aliases ran past 120 s). A shared node
    yields the same usages on every path (its own lines, the document's namespace), so
    nothing is lost. Iterative, so deep documents cannot exhaust the stack.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            fields = _mapping(node)
            yield from _env_refs(path, node, fields, prefix)
            stack.extend(fields.values())


def _env_refs(path: str, node: yaml.Node, fields: dict[str, yaml.Node],
              prefix: str) -> Iterator[Usage]:
    for item in _items(fields.get("env")):
        ref = _mapping(_mapping(item.get("valueFrom")).get("secretKeyRef"))
        secret, key, var = (_scalar(ref.get("name")), _scalar(ref.get("key")),
                            _scalar(item.get("name")))
        if secret and key:
            where = ref.get("key") or node
            yield Usage(path, _line(where), "k8s-secret-ref", f"{prefix}{secret}/{key}",
                        (var,) if var.isidentifier() else ())
    for item in _items(fields.get("envFrom")):
        ref = _mapping(item.get("secretRef"))
        if secret := _scalar(ref.get("name")):
            yield Usage(path, _line(ref.get("name") or node), "k8s-secret-ref",
                        f"{prefix}{secret}/*")


def _mapping(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _items(node: yaml.Node | None) -> Iterator[dict[str, yaml.Node]]:
    if isinstance(node, yaml.SequenceNode):
        yield from (_mapping(item) for item in node.value)


def _scalar(node: yaml.Node | None) -> str:
    if isinstance(node, yaml.ScalarNode) and "/" not in str(node.value):
        return str(node.value).strip()
    return ""


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1
