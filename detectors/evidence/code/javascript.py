"""JavaScript and TypeScript: process.env aliases, header objects, fetch/axios calls.

The same evidence as the Python module, in JS shapes: ``const t = process.env.X``,
``{headers: {Authorization: `Bearer ${t}`}}``, ``headers.set("X-Api-Key", k)``,
``fetch(url, {method: "DELETE"})``, ``axios.delete(url)``, ``stripe.customers.del(id)``.
One query set serves JS, TS and TSX: their node names for these shapes are the same.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from tree_sitter import Node, Query, QueryCursor, Tree

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.code import evidence, nodes
from blastscan.detectors.evidence.code.nodes import Emitter, may_name_operation, text
from blastscan.detectors.evidence.code.parsers import language
from blastscan.scanner.models import Usage

_KEY = '"(?i)auth|token|key|secret|account"'
# The costly predicates, on every call's arguments and every string (see any_case).
_ARGS = nodes.any_case("://", "header", "auth", "token", "key", "secret", "url", "delete")
_OPERATION = nodes.any_case(*nodes.OPERATION_WORDS)
_QUERY = rf"""
(variable_declarator name: (_) @name value: (_) @rhs (#match? @rhs "env|://"))
(assignment_expression left: (identifier) @name right: (_) @rhs (#match? @rhs "env|://"))
(pair key: [(property_identifier) (string)] @key value: (_) @value (#match? @key {_KEY}))
(assignment_expression left: (subscript_expression index: (string) @key) right: (_) @value
  (#match? @key {_KEY}))
(call_expression function: (member_expression property: (property_identifier) @m)
  arguments: (arguments . (string) @key . (_) @value)
  (#match? @m "^(set|append|setRequestHeader|setHeader|header)$") (#match? @key {_KEY}))
(call_expression function: (_) @fn arguments: (arguments) @args
  (#match? @args {_ARGS}))
(call_expression function: (member_expression property: (property_identifier) @m) @fn
  arguments: (arguments) @args (#match? @m "^(del|delete|cancel)$"))
([(string) (template_string)] @str (#match? @str {_OPERATION}))
"""
_SKIP = frozenset({"process", "env", "this", "JSON", "stringify", "String", "console"})
_ENV_OBJECTS = frozenset({"process.env", "import.meta.env"})


@functools.cache
def _query(grammar: str) -> Query:
    return Query(language(grammar), _QUERY)


def usages(tree: Tree, doc: Document, grammar: str = "javascript") -> Iterator[Usage]:
    out = Emitter(doc)
    matches = QueryCursor(_query(grammar)).matches(tree.root_node)
    consts: dict[str, str] = {}
    header_vars: dict[str, set[str]] = {}
    for pattern, caps in matches:
        if pattern in (0, 1):
            _binding(out, caps["name"][0], caps["rhs"][0], consts)
        elif pattern in (2, 3, 4):
            key, value = caps["key"][0], caps["value"][0]
            name = _literal(key, {}) if key.type == "string" else text(key)
            if name and evidence.is_header(name):
                names = _names(value)
                out.add(value, "header", evidence.header_value(name, _literal(value, {}) or ""),
                        names)
                if holder := _holder(key):
                    header_vars.setdefault(holder, set()).update(names)
    for pattern, caps in matches:
        if pattern in (5, 6):  # a call matching both is emitted twice into a set: harmless
            _call(out, caps["fn"][0], caps["args"][0], consts, header_vars)
        elif pattern == 7 and may_name_operation(caps["str"][0]):
            names = _context_names(caps["str"][0])
            out.strings(caps["str"][0],
                        [*names, *(n for m in names for n in header_vars.get(m, ()))])
    return out.sorted()


def _binding(out: Emitter, name: Node, rhs: Node, consts: dict[str, str]) -> None:
    if name.type == "object_pattern" and text(rhs) in _ENV_OBJECTS:
        for part in name.named_children:  # const {A: b, C} = process.env
            if part.type == "pair_pattern":
                key, value = part.child_by_field_name("key"), part.child_by_field_name("value")
                out.add(part, "alias", text(key), (text(value),))
            elif part.type == "shorthand_property_identifier_pattern":
                out.add(part, "alias", text(part), (text(part),))
    elif name.type == "identifier":
        if (env := _env_source(rhs)) is not None:
            out.add(rhs, "alias", env, (text(name),))
        elif "://" in (literal := _literal(rhs, consts) or ""):
            consts[text(name)] = literal


def _env_source(node: Node) -> str | None:
    """``X`` for ``process.env.X``, ``process.env["X"]``, ``Deno.env.get("X")``, ``… || d``."""
    if node.type in ("binary_expression", "parenthesized_expression", "non_null_expression",
                     "as_expression", "satisfies_expression") and node.named_children:
        return _env_source(node.named_children[0])
    if node.type == "member_expression" and text(node.child_by_field_name("object")) in (
            _ENV_OBJECTS):
        return text(node.child_by_field_name("property"))
    if node.type == "subscript_expression" and text(node.child_by_field_name("object")) in (
            _ENV_OBJECTS):
        return _literal(node.child_by_field_name("index"), {})
    if node.type == "call_expression" and text(node.child_by_field_name("function")) in (
            "Deno.env.get", "Bun.env.get"):
        args = node.child_by_field_name("arguments")
        return _literal(args.named_children[0], {}) if args and args.named_children else None
    return None


def _literal(node: Node | None, consts: dict[str, str]) -> str | None:
    """The text of a string expression, ``{}`` for holes; constants resolved; else None."""
    if node is None:
        return None
    if node.type in ("string", "template_string"):
        parts: list[str] = []
        for child in node.named_children:
            if child.type in ("string_fragment", "escape_sequence"):
                parts.append(text(child))
            elif child.type == "template_substitution":
                parts.append(consts.get(text(child)[2:-1].strip(), "{}"))
        return "".join(parts)
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
        pieces = [_literal(c, consts) for c in node.named_children]
        return "".join(p if p is not None else "{}" for p in pieces)
    if node.type == "identifier":
        return consts.get(text(node))
    return None


def _names(node: Node) -> tuple[str, ...]:
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if (env := _env_source(current)) is not None and current.type not in (
                "binary_expression", "parenthesized_expression"):
            found.append(env)
        elif current.type in ("identifier", "property_identifier",
                              "shorthand_property_identifier"):
            if (name := text(current)) not in _SKIP:
                found.append(name)
        elif current.type == "pair":  # the key names a field, not a value
            stack.extend(c for c in current.named_children[1:])
        else:
            stack.extend(current.named_children)
    return tuple(found)


def _holder(key: Node) -> str | None:
    """``h`` when a header sits in ``const h = {...}`` or ``h["Authorization"] = ...``."""
    node: Node | None = key
    for _ in range(4):
        node = node.parent if node is not None else None
        if node is not None and node.type == "variable_declarator":
            name = node.child_by_field_name("name")
            return text(name) if name is not None and name.type == "identifier" else None
        if node is not None and node.type == "assignment_expression":
            left = node.child_by_field_name("left")
            obj = left.child_by_field_name("object") if left is not None else None
            return text(obj) if obj is not None and obj.type == "identifier" else None
    return None


def _call(out: Emitter, fn: Node, args: Node, consts: dict[str, str],
          header_vars: dict[str, set[str]]) -> None:
    names = set(_names(args))
    for name in list(names):
        names.update(header_vars.get(name, ()))
    options = {text(p.child_by_field_name("key")).strip("\"'"): p.child_by_field_name("value")
               for obj in args.named_children if obj.type == "object"
               for p in obj.named_children if p.type == "pair"}
    shorthand = {text(p) for obj in args.named_children if obj.type == "object"
                 for p in obj.named_children if p.type == "shorthand_property_identifier"}
    first = args.named_children[0] if args.named_children else None
    url = _literal(first, consts) or _literal(options.get("url"), consts) or ""
    chain = "".join(text(fn).split())
    method = chain.rsplit(".", 1)[-1]
    if chain.startswith("stripe.") and method in ("del", "delete", "cancel"):
        out.add(fn, "operation", chain, names)
    elif (_literal(options.get("method"), {}) or "").upper() == "DELETE" or (
            method in ("delete", "del") and ("://" in url or url[:1] == "/")):
        out.add(fn, "operation", evidence.delete_value(url), names)
    carries = bool({"headers", "auth"} & (set(options) | shorthand)) or any(
        evidence.CREDENTIAL_LIKE.search(n) for n in names)
    if carries:
        for value in (first, options.get("url"), options.get("baseURL")):
            for _, host, _path in evidence.urls(_literal(value, consts) or ""):
                out.add(fn, "host", host, names)


def _context_names(node: Node) -> tuple[str, ...]:
    current: Node | None = node.parent
    for _ in range(6):
        if current is None:
            break
        if current.type == "call_expression":
            args = current.child_by_field_name("arguments")
            return _names(args) if args is not None else ()
        if current.type == "variable_declarator":
            name = current.child_by_field_name("name")
            return (text(name),) if name is not None and name.type == "identifier" else ()
        current = current.parent
    return ()
