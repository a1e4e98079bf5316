"""Kubernetes manifests read with PyYAML: the Secrets they define and reference.

:mod:`kube` says which documents can hold one (its markers) and imports this module
on first use: most scans meet no manifest, and PyYAML was ~15 ms of every start-up.
The usage conventions are in :mod:`kube`'s docstring.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from blastscan.detectors.base import Document
from blastscan.scanner.models import Usage

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10x faster


def usages(doc: Document) -> Iterator[Usage]:
    try:
        roots = list(yaml.compose_all(doc.text, Loader=_LOADER))
    except (yaml.YAMLError, RecursionError, ValueError):
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



def _refs(path: str, node: yaml.Node, prefix: str) -> Iterator[Usage]:
    """Every ``env`` / ``envFrom`` list under ``node`` (containers sit at any depth)."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _refs(path, item, prefix)
        return
    if not isinstance(node, yaml.MappingNode):
        return
    fields = _mapping(node)
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
    for child in fields.values():
        yield from _refs(path, child, prefix)


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
