"""Safe YAML loading for IaC files: CloudFormation tags tolerated, errors swallowed.

CloudFormation's short-form intrinsics (``!Ref``, ``!Sub``, ``!GetAtt``…) are unknown
tags to a plain safe loader, which would reject the whole template. They are read here
as the plain value under the tag (``!Ref DeployRole`` → ``"DeployRole"``): for evidence,
the name referenced is what matters. Loading stays ``SafeLoader``-based: no Python tags.
The loader is :mod:`blastscan.detectors.match.yamlload` (aliases bounded), imported on
first use with PyYAML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def documents(text: str) -> Iterator[tuple[int, object]]:
    """Each YAML document with its 1-based first line; stops quietly at malformed input.
    An alias bomb raises :class:`~blastscan.scanner.errors.Unparseable` (counted per file)."""
    import yaml  # PyYAML, loaded when first needed

    from blastscan.detectors.match import yamlload

    try:
        yield from yamlload.documents(text)
    except (yaml.YAMLError, TypeError, ValueError, OverflowError):
        return  # bad YAML is "nothing found", never a crash (design principle 6)


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
