"""Safe YAML loading for IaC files: CloudFormation tags tolerated, errors swallowed.

CloudFormation's short-form intrinsics (``!Ref``, ``!Sub``, ``!GetAtt``…) are unknown
tags to a plain safe loader, which would reject the whole template. They are read here
as the plain value under the tag (``!Ref DeployRole`` → ``"DeployRole"``): for evidence,
the name referenced is what matters. Loading stays ``SafeLoader``-based: no Python tags.
"""

from __future__ import annotations

import re
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


def key_line(text: str, key: str, start: int = 0) -> int:
    """1-based line of the first ``key:`` (YAML) or ``"key":`` (JSON) at or after ``start``."""
    pattern = re.compile(rf"^[ \t]*[-{{,]?[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*:", re.MULTILINE)
    match = pattern.search(text, start)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def mapping(value: object) -> dict[str, object]:
    """``value`` if it is a mapping with string keys (as most IaC nodes are), else ``{}``."""
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items()}
