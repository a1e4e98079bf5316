"""Small helpers shared by the language modules: node text, an ordered usage sink, a fast
form of their case-blind query predicates, and where in code a name can be taken."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.code import evidence
from blastscan.detectors.evidence.code.parsers import parse
from blastscan.scanner.models import Usage

# Names must be identifiers: this is what keeps a literal secret out of `names`.
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def any_case(*words: str) -> str:
    """A query's ``#match?`` argument for ``"(?i)one|two"``, written so that ``re`` runs
    it twice as fast: the same matches, found where one may start.

    Under ``(?i)``, ``re`` tries every word at every character. A leading set of the
    characters a match can start with lets it skip to those in C: each word's first
    character in both cases, and every non-ASCII one (the Kelvin sign and the long s,
    which ``(?i)`` also folds to k and s, among them). A look-behind then checks that
    character as ``(?i)`` would.
    """
    starts = "".join(sorted({c for w in words for c in (w[0].lower(), w[0].upper())}))
    rest = "|".join(f"(?<=(?i:{re.escape(w[0])}))(?i:{re.escape(w[1:])})" for w in words)
    regex = f"[{re.escape(starts)}\\x80-\\U0010ffff](?:{rest})"
    return '"' + regex.replace("\\", "\\\\") + '"'


# A string literal without one of these cannot yield an operation (see Emitter.strings):
# callers skip the costly name lookup of every other string (most of a parse's time). The
# queries' ``(?i)`` string predicates are a superset (Python's re folds more than lower()).
OPERATION_WORDS = ("mutation", "drop", "truncate", "delete")


def may_name_operation(node: Node) -> bool:
    low = text(node).lower()
    return any(word in low for word in OPERATION_WORDS)


# Where no reader takes a name: a string's text yields one only as an environment
# variable's (``os.environ["X"]``), which the evidence pass reads with env_reads instead.
_PROSE = frozenset({"comment", "string_content", "string_fragment"})


def in_code(text: str, language: str, names: Iterable[str]) -> bool:
    """Whether one of ``names`` occurs in ``text`` outside comments and the text of
    strings, where a reader could take it. The parse is not lost: :func:`parse` keeps the
    last tree for the reader's own."""
    source = text.encode("utf-8", "replace")
    tree = parse(language, source)
    if tree is None:
        return True  # no parse, no usages: a later parse fails alike
    for name in names:
        word = name.encode("utf-8", "replace")
        at = source.find(word)
        while at >= 0:
            node = tree.root_node.descendant_for_byte_range(at, at + len(word))
            if node is None or node.type not in _PROSE:
                return True
            at = source.find(word, at + 1)
    return False


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
