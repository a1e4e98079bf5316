"""The part of betterleaks' ``filter`` programs blastscan reads: a finding is dropped when
its rule's filter (or the catalog's global filter) holds.

A filter is an Expr program. blastscan never evaluates one: it parses the small subset
that 440 of the catalog's rules are written in, ``||``, ``&&`` and ``!`` (and parentheses) over

* ``entropy(finding["secret"]) <= 3.5`` (and ``len(...)``, with ``< <= > >= ==``);
* ``matchesAny(<field>, [`regex`, ...])`` and ``containsAny(<field>, ["text", ...])``
  on ``finding["secret"]``, ``finding["match"]`` or ``attributes["path"]``;
* ``tokenRatio(...)`` (betterleaks' BPE test for natural language): read as false, as
  it needs a tokenizer's data; blastscan's own placeholder filters stand in for it.

Anything else (``let``, calls to other functions, comments) is a :class:`FilterError`:
the catalog module then leaves the rule out rather than run it half-filtered.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from blastscan.detectors.knowledge.catalog_regex import compile_re2

_TOKEN = re.compile(r"""\s*(?:(\|\||&&|<=|>=|==|<|>|[!()\[\],])|(`[^`]*`|"(?:[^"\\]|\\.)*")
                        |([A-Za-z_]\w*)|(\d+(?:\.\d+)?))""", re.VERBOSE)
_FIELDS = {('finding', 'secret'): "secret", ('finding', 'match'): "match",
           ('attributes', 'path'): "path"}
_OPS = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__,
        "==": float.__eq__}


class FilterError(ValueError):
    """A filter outside the subset blastscan reads."""


def entropy(text: str) -> float:
    """Shannon entropy in bits per character (gitleaks' ``ShannonEntropy``)."""
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values()) if n else 0.0


@dataclass(frozen=True, slots=True)
class Measure:
    """``entropy``/``len``/``tokenRatio`` of the secret compared with a number."""

    name: str
    op: str
    value: float

    def holds(self, fields: Mapping[str, str]) -> bool:
        if self.name == "tokenRatio":
            return False
        got = entropy(fields["secret"]) if self.name == "entropy" else len(fields["secret"])
        return _OPS[self.op](float(got), self.value)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """``matchesAny`` (regexes) or ``containsAny`` (texts) on one field."""

    field: str
    patterns: tuple[re.Pattern[str], ...] = ()
    texts: tuple[str, ...] = ()

    def holds(self, fields: Mapping[str, str]) -> bool:
        value = fields[self.field]
        return (any(p.search(value) for p in self.patterns)
                or any(t in value for t in self.texts))


@dataclass(frozen=True, slots=True)
class Either:
    """``||`` (``every=False``) or ``&&`` (``every=True``) over terms."""

    every: bool
    terms: tuple[Term, ...]

    def holds(self, fields: Mapping[str, str]) -> bool:
        seen = (t.holds(fields) for t in self.terms)
        return all(seen) if self.every else any(seen)


@dataclass(frozen=True, slots=True)
class Not:
    """``!term``."""

    term: Term

    def holds(self, fields: Mapping[str, str]) -> bool:
        return not self.term.holds(fields)


Term = Measure | AnyOf | Either | Not


@functools.lru_cache(maxsize=1024)  # terms are frozen: rules may share one
def parse(program: str) -> Term:
    """The filter ``program`` as a term; :class:`FilterError` outside the subset."""
    # The catalog's 418 filters are 48 programs (most rules share the placeholder one):
    # parsed once each, the catalog loads 7 ms sooner on every scan.
    tokens, pos = [], 0
    text = program.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise FilterError(f"unsupported syntax at {pos}")
        tokens.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    parser = _Parser(tokens)
    term = parser.either()
    if parser.i != len(tokens):
        raise FilterError(f"unsupported syntax: {tokens[parser.i]!r}")
    return term


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.i = tokens, 0

    def _next(self, expected: str | None = None) -> str:
        if self.i >= len(self.tokens):
            raise FilterError("unexpected end")
        token = self.tokens[self.i]
        if expected is not None and token != expected:
            raise FilterError(f"expected {expected!r}, got {token!r}")
        self.i += 1
        return token

    def _peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def either(self) -> Term:
        terms = [self.every()]
        while self._peek() == "||":
            self._next()
            terms.append(self.every())
        return terms[0] if len(terms) == 1 else Either(False, tuple(terms))

    def every(self) -> Term:
        terms = [self.atom()]
        while self._peek() == "&&":
            self._next()
            terms.append(self.atom())
        return terms[0] if len(terms) == 1 else Either(True, tuple(terms))

    def atom(self) -> Term:
        token = self._next()
        if token == "!":
            return Not(self.atom())
        if token == "(":
            term = self.either()
            self._next(")")
            return term
        self._next("(")
        field = self._field()
        if token in ("matchesAny", "containsAny"):
            self._next(",")
            items = self._strings()
            self._next(")")
            if token == "containsAny":
                return AnyOf(field, texts=items)
            try:
                return AnyOf(field, patterns=tuple(compile_re2(p) for p in items))
            except re.error as exc:
                raise FilterError(f"pattern: {exc}") from exc
        if token not in ("entropy", "len", "tokenRatio") or field != "secret":
            raise FilterError(f"unsupported call {token!r}")
        self._next(")")
        op, number = self._next(), self._next()
        if op not in _OPS or not number[0].isdigit():
            raise FilterError(f"unsupported comparison {op!r} {number!r}")
        return Measure(token, op, float(number))

    def _field(self) -> str:
        base = self._next()
        self._next("[")
        key = self._next().strip('"')
        self._next("]")
        if (base, key) not in _FIELDS:
            raise FilterError(f"unsupported field {base}[{key}]")
        return _FIELDS[(base, key)]

    def _strings(self) -> tuple[str, ...]:
        self._next("[")
        items: list[str] = []
        while (token := self._next()) != "]":
            if token == ",":
                continue
            if token[0] == "`":
                items.append(token[1:-1])
            elif token[0] == '"':
                items.append(token[1:-1].encode().decode("unicode_escape"))
            else:
                raise FilterError(f"expected a string, got {token!r}")
        return tuple(items)
