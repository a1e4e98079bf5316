"""Safe YAML loading for IaC files: CloudFormation tags tolerated, errors swallowed.

CloudFormation's short-form intrinsics (``!Ref``, ``!Sub``, ``!GetAtt``…) are unknown
tags to a plain safe loader, which would reject the whole template. They are read here
as the plain value under the tag (``!Ref DeployRole`` → ``"DeployRole"``): for evidence,
the name referenced is what matters. Loading stays ``SafeLoader``-based: no Python tags.
The loader is :mod:`blastscan.detectors.match.yamlload` (aliases bounded), imported on
first use with PyYAML.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from blastscan.detectors.base import Document


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
    """1-based line of the first ``key:`` (YAML) or ``"key":`` (JSON) at or after ``start``
    (a line start)."""
    pattern = re.compile(rf"^[ \t]*[-{{,]?[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*:", re.MULTILINE)
    match = pattern.search(text, start)
    return text.count("\n", 0, match.start()) + 1 if match else 0


# key_line's pattern with the key captured, for keys of letters and digits (CloudFormation
# logical ids, Kubernetes settings). The key starts at the line's first letter or digit
# (the prefix holds none) and runs to its last (a quote, blank or colon must follow), so a
# line matches key_line's pattern for such a key exactly when this captures that key.
_ANY_KEY = re.compile(r"^[ \t]*[-{,]?[ \t]*[\"']?([A-Za-z0-9]+)[\"']?[ \t]*:", re.MULTILINE)
_PLAIN = re.compile(r"[A-Za-z0-9]+")


class KeyLines:
    """:func:`key_line` for many keys of one document, from one pass over its text.

    A template with thousands of resources searched the text from the top once per
    resource, each search as long as the text: quadratic, minutes for a few megabytes.
    Other keys (CloudFormation allows only letters and digits in logical ids) are still
    searched for, the first :data:`SEARCHED` of them: after that, 0 (the caller's default
    line), so a hostile document of a million odd keys stays linear.
    """

    SEARCHED = 64

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._starts: dict[str, list[int]] | None = None  # key -> offsets of its lines
        self._searched = 0

    def line(self, key: str, start: int = 0) -> int:
        if not _PLAIN.fullmatch(key):
            self._searched += 1
            return key_line(self._doc.text, key, start) if self._searched <= self.SEARCHED else 0
        if self._starts is None:
            self._starts = {}
            for match in _ANY_KEY.finditer(self._doc.text):
                self._starts.setdefault(match.group(1), []).append(match.start())
        offsets = self._starts.get(key, [])
        at = bisect.bisect_left(offsets, start)
        return self._doc.line_no(offsets[at]) if at < len(offsets) else 0


def mapping(value: object) -> dict[str, object]:
    """``value`` if it is a mapping with string keys (as most IaC nodes are), else ``{}``."""
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items()}
