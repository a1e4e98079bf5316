"""Which lines of a Python file are docstrings (for reading documentation examples).

A docstring is a string that is a statement of its own (``expression_statement`` whose
only child is a string): module, class and function docs, and the bare strings Sphinx
reads as attribute docs. A string assigned to a name is data, not documentation
(``CONFIG = \"\"\"postgres://…\"\"\"``), so it is never one. Parsed only when a demo-looking
value was found in a ``.py`` file, once per file.
"""

from __future__ import annotations

import functools

from tree_sitter import Query, QueryCursor

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.code.parsers import language, parse

_QUERY = "(expression_statement . (string) @doc .)"


@functools.cache
def _query() -> Query:
    return Query(language("python"), _QUERY)


def docstring_lines(doc: Document) -> tuple[tuple[int, int], ...]:
    """1-based ``(first, last)`` line spans of the docstrings in ``doc``."""
    return _spans(doc.text)


@functools.lru_cache(maxsize=2)
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    tree = parse("python", text.encode("utf-8", "surrogatepass"))
    if tree is None:
        return ()
    captures = QueryCursor(_query()).captures(tree.root_node).get("doc", [])
    return tuple(sorted((n.start_point[0] + 1, n.end_point[0] + 1) for n in captures))
