"""The enclosing keys of a line in an indentation-structured config (YAML, TOML tables).

``production:`` above a ``password:`` line in a Rails ``database.yml`` is environment
evidence; this reads it without parsing the file, so malformed YAML costs nothing.
"""

from __future__ import annotations

import re

from blastscan.detectors.base import Document

_KEY = re.compile(r"^(\s*)(?:-\s+)?[\"']?([\w.-]+)[\"']?\s*:")
_TABLE = re.compile(r"^\s*\[+\s*([\w.\"'-]+)\s*\]+")
_SPACE = re.compile(r"\s*")
_LOOKBACK = 400
# INI-style credential stores without a suffix: AWS profile names are environment evidence.
STRUCTURED = (".yml", ".yaml", ".toml", ".ini", ".cfg", ".aws/credentials", ".aws/config",
              ".pypirc")


def enclosing_keys(doc: Document, line: int) -> tuple[str, ...]:
    """Keys of the blocks that contain ``line``, innermost first."""
    # Measured in place: copying the line per candidate was quadratic on a one-line file.
    start, end = doc.line_span(line)
    space = _SPACE.match(doc.text, start, end)  # ``\s*`` always matches: as lstrip strips
    indent = space.end() - start if space else 0
    keys: list[str] = []
    for number in range(line - 1, max(0, line - _LOOKBACK), -1):
        previous = doc.line(number)
        if not previous.strip() or previous.lstrip().startswith("#"):
            continue
        if table := _TABLE.match(previous):
            keys.append(table.group(1).strip("\"'"))
            break  # a TOML/INI table header closes the search
        match = _KEY.match(previous)
        if match and len(match.group(1)) < indent:
            keys.append(match.group(2))
            indent = len(match.group(1))
            if indent == 0:
                break
    return tuple(keys)
