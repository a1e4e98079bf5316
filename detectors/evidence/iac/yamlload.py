"""PyYAML's safe loader with CloudFormation's short-form tags read as plain values.

Imported by :func:`yamldocs.documents` on first use: most scans meet no CloudFormation or
Kubernetes YAML, and PyYAML was ~15 ms of every start-up.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml


class _Loader(yaml.SafeLoader):
    pass


def _any_tag(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return None


_Loader.add_multi_constructor("!", _any_tag)


def documents(text: str) -> Iterator[tuple[int, object]]:
    """Each YAML document with its 1-based first line; stops quietly at malformed input."""
    loader = _Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                return
            yield node.start_mark.line + 1, loader.construct_document(node)
    except (yaml.YAMLError, RecursionError, TypeError, ValueError):
        return  # bad YAML is "nothing found", never a crash (design principle 6)
    finally:
        loader.dispose()
