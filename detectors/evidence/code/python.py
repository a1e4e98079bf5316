"""Python: env aliases, header dicts, HTTP calls, SDK deletes, GraphQL and SQL strings.

Queries (run in C) pick the few node shapes that matter; Python code only looks at
those matches. A module-level ``URL = "https://..."`` constant is remembered so that
``requests.post(URL, headers=h)`` still yields the host, and a dict assigned to ``h``
that carries a credential header lends that credential's names to the call.
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

# The costly predicates, on every call's arguments and every string (see any_case).
_ARGS = nodes.any_case("://", "header", "auth", "token", "key", "secret", "url")
_OPERATION = nodes.any_case(*nodes.OPERATION_WORDS)
_QUERY = rf"""
(assignment left: (identifier) @name right: (_) @rhs (#match? @rhs "environ|getenv|://"))
(pair key: (string) @key value: (_) @value
  (#match? @key "(?i)auth|token|key|secret|account"))
(assignment left: (subscript subscript: (string) @key) right: (_) @value
  (#match? @key "(?i)auth|token|key|secret|account"))
(call function: (_) @fn arguments: (argument_list) @args
  (#match? @args {_ARGS}))
(call function: (attribute attribute: (identifier) @method) arguments: (argument_list) @args
  (#match? @method "^(delete|request|del|cancel|(delete|terminate)_\\w+)$"))
((string) @str (#match? @str {_OPERATION}))
"""
_SKIP = frozenset({"self", "cls", "os", "environ", "getenv", "get", "str", "format"})
_ENV_CALLS = frozenset({"os.getenv", "getenv", "os.environ.get", "environ.get"})


@functools.cache
def _query() -> Query:
    return Query(language("python"), _QUERY)


def usages(tree: Tree, doc: Document) -> Iterator[Usage]:
    out = Emitter(doc)
    matches = QueryCursor(_query()).matches(tree.root_node)
    consts: dict[str, str] = {}
    header_vars: dict[str, set[str]] = {}
    for pattern, caps in matches:
        if pattern == 0:
            name, rhs = text(caps["name"][0]), caps["rhs"][0]
            if (env := _env_source(rhs)) is not None:
                out.add(rhs, "alias", env, (name,))
            elif rhs.type == "string" and "://" in (lit := _literal(rhs, consts) or ""):
                consts[name] = lit
        elif pattern in (1, 2):
            key = _literal(caps["key"][0], {}) or ""
            if evidence.is_header(key):
                value = caps["value"][0]
                names = _names(value)
                out.add(value, "header", evidence.header_value(key, _literal(value, {}) or ""),
                        names)
                holder = _assigned_to(caps["key"][0])
                if holder:
                    header_vars.setdefault(holder, set()).update(names)
    for pattern, caps in matches:
        if pattern == 3:
            _call(out, caps["fn"][0], caps["args"][0], consts, header_vars)
        elif pattern == 4:
            _operation(out, doc, caps["method"][0], caps["args"][0], consts)
        elif pattern == 5:
            node = caps["str"][0]
            if (node.parent is not None and node.parent.type != "expression_statement"
                    and may_name_operation(node)):
                names = _context_names(node)  # docstrings (skipped above) are prose
                out.strings(node, [*names, *(n for m in names for n in header_vars.get(m, ()))])
    return out.sorted()


def _env_source(node: Node) -> str | None:
    """``X`` for ``os.environ["X"]``, ``os.getenv("X")``, ``os.environ.get("X") or d``."""
    if node.type in ("parenthesized_expression", "boolean_operator") and node.named_children:
        return _env_source(node.named_children[0])
    if node.type == "subscript" and text(node.child_by_field_name("value")).endswith("environ"):
        key = node.child_by_field_name("subscript")
        return _literal(key, {}) if key is not None else None
    if node.type == "call" and text(node.child_by_field_name("function")) in _ENV_CALLS:
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        return _literal(first, {}) if first is not None and first.type == "string" else None
    return None


def _literal(node: Node | None, consts: dict[str, str]) -> str | None:
    """The text of a string expression, ``{}`` for holes; constants resolved; else None."""
    if node is None:
        return None
    if node.type == "string":
        parts: list[str] = []
        for child in node.named_children:
            if child.type == "string_content":
                parts.append(text(child))
            elif child.type == "interpolation":
                inner = child.named_children[0] if child.named_children else None
                parts.append(consts.get(text(inner), "{}"))
        return "".join(parts)
    if node.type in ("concatenated_string", "binary_operator"):
        pieces = [_literal(c, consts) for c in node.named_children]
        return "".join(p if p is not None else "{}" for p in pieces)
    if node.type == "identifier":
        return consts.get(text(node))
    return None


def _names(node: Node) -> tuple[str, ...]:
    """Identifiers whose value flows from ``node``; env lookups give the variable's name."""
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if (env := _env_source(current)) is not None and current.type != "boolean_operator":
            found.append(env)
        elif current.type == "identifier":
            if (name := text(current)) not in _SKIP:
                found.append(name)
        elif current.type == "keyword_argument":
            stack.extend(c for c in current.named_children[1:])
        else:
            stack.extend(current.named_children)
    return tuple(found)


def _assigned_to(key: Node) -> str | None:
    """``h`` when the header key sits in ``h = {...}`` or ``h["Authorization"] = ...``."""
    node: Node | None = key
    for _ in range(3):
        node = node.parent if node is not None else None
        if node is not None and node.type == "assignment":
            left = node.child_by_field_name("left")
            if left is not None and left.type == "subscript":
                left = left.child_by_field_name("value")
            return text(left) if left is not None and left.type == "identifier" else None
    return None


def _call(out: Emitter, fn: Node, args: Node, consts: dict[str, str],
          header_vars: dict[str, set[str]]) -> None:
    kwargs = {text(a.child_by_field_name("name")): a.child_by_field_name("value")
              for a in args.named_children if a.type == "keyword_argument"}
    auth = kwargs.get("auth")
    if auth is not None and (auth.type == "tuple" or text(auth).startswith("HTTPBasicAuth")):
        out.add(auth, "header", "authorization: basic", _names(auth))
    hosts = [host for arg in args.named_children
             for _, host, _path in evidence.urls(_literal(kwargs.get(text(
                 arg.child_by_field_name("name"))) if arg.type == "keyword_argument" else arg,
                 consts) or "")]
    if not hosts:
        return  # most calls: no need to walk the arguments for names
    names = set(_names(args))
    for name in list(names):
        names.update(header_vars.get(name, ()))
    if "headers" in kwargs or auth is not None or any(
            evidence.CREDENTIAL_LIKE.search(n) for n in names):
        for host in hosts:
            out.add(fn, "host", host, tuple(names))


def _operation(out: Emitter, doc: Document, method: Node, args: Node,
               consts: dict[str, str]) -> None:
    name = text(method)
    fn = method.parent
    chain = "".join(text(fn).split()) if fn is not None else name
    positional = [a for a in args.named_children if a.type != "keyword_argument"]
    literals = [_literal(a, consts) or "" for a in positional[:2]]
    if chain.startswith("stripe.") and name in ("delete", "del", "cancel"):
        out.add(method, "operation", chain, _names(args))
    elif name.startswith(("delete_", "terminate_")) and "boto" in doc.lowered:
        out.add(method, "operation", name, _names(args))
    elif name == "request" and literals and literals[0].upper() == "DELETE":
        out.add(method, "operation", evidence.delete_value(literals[1:][0] if literals[1:]
                                                           else ""), _names(args))
    elif name == "delete" and literals and ("://" in literals[0] or literals[0][:1] == "/"):
        out.add(method, "operation", evidence.delete_value(literals[0]), _names(args))


def _context_names(node: Node) -> tuple[str, ...]:
    """Names of the call or assignment that holds a string literal."""
    current: Node | None = node.parent
    for _ in range(6):
        if current is None:
            break
        if current.type == "call":
            args = current.child_by_field_name("arguments")
            return _names(args) if args is not None else ()
        if current.type == "assignment":
            left = current.child_by_field_name("left")
            return (text(left),) if left is not None and left.type == "identifier" else ()
        current = current.parent
    return ()
