"""Small helpers shared by the language modules: node text and an ordered usage sink."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from blastscan.detectors.base import Document
from blastscan.detectors.code import evidence
from blastscan.scanner.models import Usage

# Names must be identifiers: this is what keeps a literal secret out of `names`.
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


# A string literal without one of these cannot yield an operation (see Emitter.strings):
# callers skip the costly name lookup of every other string (most of a parse's time). The
# queries' ``(?i)`` string predicates are a superset (Python's re folds more than lower()).
OPERATION_WORDS = ("mutation", "drop", "truncate", "delete")


def may_name_operation(node: Node) -> bool:
    low = text(node).lower()
    return any(word in low for word in OPERATION_WORDS)


class Emitter:
    """Collects usages for one document; ``line_offset`` shifts embedded snippets
    (a workflow's ``run:`` block parsed as shell) back to the host file's lines."""

    def __init__(self, doc: Document, line_offset: int = 0) -> None:
        self.doc = doc
        self.line_offset = line_offset
        self.found: set[Usage] = set()

    def add(self, node: Node, kind: str, value: str, names: Iterable[str]) -> None:
        self.at(node.start_point.row + 1, kind, value, names)

    def at(self, line: int, kind: str, value: str, names: Iterable[str]) -> None:
        if not value or (kind == "alias" and not _IDENT.fullmatch(value)):
            return
        clean = tuple(sorted({n for n in names if _IDENT.fullmatch(n)}))
        self.found.add(Usage(self.doc.path, line + self.line_offset, kind, value, clean))

    def strings(self, node: Node, names: Iterable[str]) -> None:
        """GraphQL mutation fields and destructive SQL inside one string literal."""
        body = text(node)
        low = body.lower()
        if not any(word in low for word in OPERATION_WORDS):
            return
        first = node.start_point.row + 1
        names = tuple(names)
        if "mutation" in low:
            for offset, field in evidence.mutations(body):
                self.at(first + body.count("\n", 0, offset), "operation", field, names)
        if "drop" in low or "truncate" in low or "delete" in low:
            for offset, statement in evidence.sql(body):
                self.at(first + body.count("\n", 0, offset), "sql", statement, names)

    def sorted(self) -> Iterator[Usage]:
        return iter(sorted(self.found, key=lambda u: (u.line, u.kind, u.value, u.names)))
