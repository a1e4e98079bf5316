"""A small HCL reader on tree-sitter-hcl: blocks, attributes and literal values.

Only literals become Python values (strings, numbers, booleans, null, lists, objects,
and ``jsonencode(...)`` of them, which is how Terraform writes inline IAM policies,
providers.md §2.4). Anything computed (``var.x``, ``aws_iam_role.r.name``) stays an
:class:`Expr` holding its source text, so callers can tell "not proven" from a value.
A block with a syntax error is skipped rather than half-read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeAlias

import tree_sitter_hcl
from tree_sitter import Language, Node, Parser


@dataclass(frozen=True, slots=True)
class Expr:
    """A non-literal expression, as written (``var.deletion_protection``)."""

    text: str


Value: TypeAlias = "str | int | float | bool | Expr | list[Value] | dict[str, Value] | None"


@dataclass(frozen=True, slots=True)
class Block:
    type: str
    labels: tuple[str, ...]
    line: int
    attributes: dict[str, Value] = field(default_factory=dict)
    attribute_lines: dict[str, int] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()
    end_line: int = 0  # the closing brace's line

    def children(self, block_type: str) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.type == block_type)

    def line_of(self, attribute: str) -> int:
        return self.attribute_lines.get(attribute, self.line)


_ESCAPE = re.compile(r"\\(.)|\$\$\{")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return Parser(Language(tree_sitter_hcl.language()))


def parse(text: str) -> tuple[Block, ...]:
    """The top-level blocks of an HCL file; those with syntax errors are left out."""
    root = _parser().parse(text.encode("utf-8")).root_node
    body = next((c for c in root.children if c.type == "body"), None)
    if body is None:
        return ()
    return tuple(_block(c) for c in body.children if c.type == "block" and not c.has_error)


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def _unescape(raw: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1) is None:
            return "${"
        return _ESCAPES.get(m.group(1), m.group(1))

    return _ESCAPE.sub(one, raw)


def _block(node: Node) -> Block:
    kids = node.children
    labels = tuple(_unescape(_text(c)[1:-1]) if c.type == "string_lit" else _text(c)
                   for c in kids[1:] if c.type in ("string_lit", "identifier"))
    attrs: dict[str, Value] = {}
    lines: dict[str, int] = {}
    blocks: list[Block] = []
    body = next((c for c in kids if c.type == "body"), None)
    for child in body.children if body is not None else ():
        if child.type == "attribute" and child.child_count >= 3:
            name = _text(child.children[0])
            attrs[name] = value(child.children[2])
            lines[name] = child.start_point.row + 1
        elif child.type == "block":
            blocks.append(_block(child))
    return Block(_text(kids[0]), labels, node.start_point.row + 1, attrs, lines, tuple(blocks),
                 node.end_point.row + 1)


def value(node: Node) -> Value:
    """Convert one expression node to a Python value (or an :class:`Expr`)."""
    kids = [c for c in node.children if c.is_named]
    if node.type in ("expression", "collection_value", "literal_value") and len(kids) == 1:
        return value(kids[0])
    match node.type:
        case "string_lit":
            return _unescape(_text(node)[1:-1])
        case "numeric_lit":
            raw = _text(node)
            try:
                return int(raw)
            except ValueError:
                return float(raw)
        case "bool_lit":
            return _text(node) == "true"
        case "null_lit":
            return None
        case "template_expr" if kids and kids[0].type == "quoted_template":
            return _unescape(_text(kids[0])[1:-1])
        case "template_expr" if kids and kids[0].type == "heredoc_template":
            return _heredoc(_text(kids[0]))
        case "tuple":
            return [value(c) for c in kids if c.type == "expression"]
        case "object":
            return dict(_element(c) for c in kids if c.type == "object_elem")
        case "function_call" if kids and _text(kids[0]) == "jsonencode":
            args = [c for c in node.children if c.type == "function_arguments"]
            exprs = [c for c in args[0].children if c.type == "expression"] if args else []
            if len(exprs) == 1:
                return value(exprs[0])
    return Expr(_text(node))


def _element(node: Node) -> tuple[str, Value]:
    key_node, value_node = [c for c in node.children if c.type == "expression"][:2]
    key = value(key_node)
    # A bare identifier key (``Version = ...``) is a variable_expr: its text is the key.
    return (key.text if isinstance(key, Expr) else str(key)), value(value_node)


def _heredoc(raw: str) -> str:
    lines = raw.split("\n")
    body = lines[1:-1] if len(lines) > 2 else []  # drop "<<EOT" and the closing "EOT"
    return "\n".join(body)
