"""The one YAML loader of every reader of scanned YAML: safe, and aliases bounded.

An alias is a pointer, so PyYAML composes and constructs a billion-laughs document in
microseconds and kilobytes; the cost comes later, when a reader walks or prints the value
(``str(server)`` on a kubeconfig cluster built from 9**9 strings took 69 s and 5 GB, then
a MemoryError). So after composing each document, and before anyone reads it, the loader
counts the nodes a full walk of it would meet: each alias use counts its whole target,
each distinct node's total is computed once. A document whose walk is more than
:data:`EXPANSION` times its distinct nodes plus :data:`SLACK`, or whose alias points back
into itself (a walk without end), raises :class:`Unparseable`, as does nesting or memory
that runs out. Real files stay far inside: a docker-compose ``<<: *defaults`` repeats a
few keys a few times. Malformed YAML (a Helm template, prose) is a ``yaml.YAMLError`` for
the caller to read as "not this format"; only what no reader can finish is refused.

``tags=True`` reads unknown tags (CloudFormation's ``!Ref``, ``!Sub``…) as the plain value
under them; no Python tag is ever constructed. libyaml's loader is used when present
(~10x faster); it also refuses nesting past 1,000 levels by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TypeVar

import yaml

from blastscan.detectors.match.finishing import finishing
from blastscan.scanner.errors import Unparseable

EXPANSION = 10
SLACK = 10_000
_SATURATED = 1 << 62  # totals stop growing here: 10**1000 expansions cost no big integers
_T = TypeVar("_T")
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Plain(_Base):  # type: ignore[valid-type,misc]  # CSafeLoader when libyaml is there
    pass


class _Tagged(_Base):  # type: ignore[valid-type,misc]
    pass


def _any_tag(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return None


_Tagged.add_multi_constructor("!", _any_tag)


def compose_all(text: str) -> Iterator[yaml.Node]:
    """Each document's root node, checked; ``yaml.YAMLError`` for malformed YAML."""
    loader = _Plain(text)
    try:
        while _exhausting("compose", loader.check_node):
            node = _exhausting("compose", loader.get_node)
            if node is not None:
                _check_if_aliased(text, node)
                yield node
    finally:
        loader.dispose()


def documents(text: str, *, tags: bool = True) -> Iterator[tuple[int, object]]:
    """Each document's value with its 1-based first line; ``yaml.YAMLError`` (and the
    ``ValueError``/``TypeError`` of a bad date or an unhashable key) for malformed YAML."""
    loader = (_Tagged if tags else _Plain)(text)
    try:
        while _exhausting("compose", loader.check_node):
            node = _exhausting("compose", loader.get_node)
            if node is None:
                return
            _check_if_aliased(text, node)
            yield node.start_mark.line + 1, _exhausting(
                "construct", partial(loader.construct_document, node))
    finally:
        loader.dispose()


def load(text: str) -> object:
    """The value of a one-document stream (``yaml.safe_load``), checked the same way."""
    loader = _Plain(text)
    try:
        node = _exhausting("compose", loader.get_single_node)
        if node is None:
            return None
        _check_if_aliased(text, node)
        return _exhausting("construct", partial(loader.construct_document, node))
    finally:
        loader.dispose()


def _check_if_aliased(text: str, node: yaml.Node) -> None:
    # Every alias is written ``*name``: a text without a star shares no node (most files).
    if "*" in text:
        check(node)


def check(root: yaml.Node) -> None:
    """Raise :class:`Unparseable` if walking ``root`` would meet too many nodes, or never end.

    Iterative and memoised by node identity: linear in the distinct nodes, whatever the
    aliases multiply them to, and no recursion for deep documents.
    """
    totals: dict[int, int] = {}
    open_: set[int] = set()  # nodes whose walk is under way: meeting one again is a cycle
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_.discard(key)
            totals[key] = min(_SATURATED, 1 + sum(totals[id(c)] for c in _children(node)))
        elif key in open_:
            raise Unparseable("YAML: an alias refers to a node that contains it")
        elif key not in totals:
            open_.add(key)
            stack.append((node, True))
            for child in _children(node):
                if isinstance(child, yaml.ScalarNode):
                    totals[id(child)] = 1  # most nodes: never pushed
                elif id(child) not in totals:
                    stack.append((child, False))
    limit = SLACK + EXPANSION * len(totals)
    if totals[id(root)] > limit:
        raise Unparseable(f"YAML: aliases expand {len(totals)} nodes past {limit}")


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value


def _exhausting(step: str, call: Callable[[], _T]) -> _T:
    with finishing(f"YAML {step}"):
        return call()
