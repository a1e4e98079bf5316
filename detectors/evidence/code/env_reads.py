"""Which environment variables a Python, JS or TS file reads by a literal name, from text.

The deferred evidence pass (``blastscan.scanner.pipeline.evidence_pass``) parses a code file for a
credential that reads only aliases from it (a generic secret's: ``T = os.environ["X"]``
makes ``T`` a name of the secret known as ``X``) only if the file can define such an
alias. An alias usage's value is the variable's name as the readers' ``_env_source`` take
it: in Python ``<…environ>[KEY]`` or ``os.getenv(KEY)``/``os.environ.get(KEY)`` with a
string ``KEY``; in JS and TS ``process.env.KEY``, ``process.env[KEY]``,
``Deno.env.get(KEY)`` or ``const {KEY: t} = process.env``. Each of those contains its
marker (``environ``, ``getenv``, ``process.env``, …) as written, so every marker is looked
at: it is followed by one plain literal name (kept), by something no reader takes as an
alias (skipped: ``os.environ.copy()``, ``os.getenv(name)``, ``getenv("A" "B")`` which is
not a plain string), or by anything else (``unsure``: a comment or a line break where the
access may go on, a concatenated or escaped key, a bare ``process.env`` that may be
destructured), for which the caller falls back to a looser test. Wrong answers can only
go one way: a name read here that the readers would not take, never the reverse.
tests/test_env_reads.py checks that against the readers on generated code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PYTHON = re.compile(r"environ|getenv")
_JS = re.compile(r"process\.env|import\.meta\.env|(?:Deno|Bun)\.env\.get")
# One plain literal: no escape, no hole or brace, no other quote, one line. Triple quotes
# first, or ``"""A"""`` would read as the empty string "" followed by more.
_PY_STRING = re.compile(r"""[rRbBuUfF]{0,2}(?:"{3}([^'"\\{\n]*)"{3}|'{3}([^'"\\{\n]*)'{3}"""
                        r"""|"([^'"\\{\n]*)"|'([^'"\\{\n]*)')""")
_PY_QUOTE = re.compile(r"""[rRbBuUfF]{0,2}['"]""")
_JS_STRING = re.compile(r"""(?:"([^'"`\\${\n]*)"|'([^'"`\\${\n]*)'|`([^'"`\\${\n]*)`)""")
_PY_VARIABLE_KEY = re.compile(r"[A-Za-z_]\w*[ \t]*\]")
_JS_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")
_BLANK = " \t"
_SPACE = " \t\r\n\f"
_BREAK = frozenset("#\\\r\n")  # Python: the access may go on past a comment or a line break
_JS_END = frozenset(";,)}/\r\n")  # JS: a bare ``process.env`` a binding may destructure


@dataclass(frozen=True, slots=True)
class EnvReads:
    names: frozenset[str]  # read by a plain literal name
    unsure: bool  # some access this module cannot read: any name may be read there


def reads(text: str, language: str) -> EnvReads:
    """The variables ``text`` (a file in ``language``: python, javascript, typescript or
    tsx) may read by a literal name."""
    names: set[str] = set()
    unsure = False
    scan = _python if language == "python" else _javascript
    pattern = _PYTHON if language == "python" else _JS
    for match in pattern.finditer(text):
        found = scan(text, match.group(), match.end())
        if found is None:
            unsure = True
        elif found:
            names.add(found)
    return EnvReads(frozenset(names), unsure)


def _skip(text: str, at: int, chars: str) -> int:
    while at < len(text) and text[at] in chars:
        at += 1
    return at


def _next(text: str, at: int) -> str:
    return text[at] if at < len(text) else ""


def _python(text: str, marker: str, end: int) -> str | None:
    """The name read at this marker, "" for none, None when unsure."""
    if _next(text, end) in _WORD:
        return ""  # ``environment``, ``getenv_all``: another identifier
    call = marker == "getenv"
    if not call and text.startswith(".get", end) and _next(text, end + 4) not in _WORD:
        call, end = True, end + 4
    at = _skip(text, end, _BLANK)
    opener = _next(text, at)
    if opener in _BREAK:
        return None
    if opener != ("(" if call else "["):
        return ""
    at = _skip(text, at + 1, _SPACE)
    if _next(text, at) in ("#", "\\"):
        return None
    literal = _PY_STRING.match(text, at)
    if literal is None:
        if _PY_QUOTE.match(text, at):
            return None  # escapes, braces, quotes inside: not read here
        # A call's first argument is no string: no alias. A subscript by a variable reads
        # a constant, and the readers keep only URL constants.
        return "" if call or _PY_VARIABLE_KEY.match(text, at) else None
    name = next(group for group in literal.groups() if group is not None)
    after = _next(text, _skip(text, literal.end(), _SPACE))
    if not call:
        # A key may be concatenated ("A" "B", "A" + "B") or the first of several.
        return name if after == "]" else None
    if after in (",", ")"):
        return name
    # More after the first argument ("A" "B", "A".lower()): no plain string, which the
    # readers do not take; but a comment may sit between two concatenated parts.
    return None if after in ("#", "\\") else ""


def _javascript(text: str, marker: str, end: int) -> str | None:
    if _next(text, end) in _WORD:
        return ""  # ``process.envelope``: another identifier
    at = _skip(text, end, _BLANK)
    following = _next(text, at)
    if marker.endswith(".get"):  # Deno.env.get(KEY), Bun.env.get(KEY)
        if following in ("/", "\r", "\n"):
            return None
        return _js_key(text, at + 1, (",", ")")) if following == "(" else ""
    if following == "?" and text.startswith("?.", at):
        following, at = ".", at + 1
    if following == ".":
        at = _skip(text, at + 1, _BLANK)
        member = _JS_IDENT.match(text, at)
        return member.group() if member else None
    if following == "[":
        return _js_key(text, at + 1, ("]",))
    # The end of an expression: a binding's right side, which may be destructured.
    return None if following in _JS_END or following == "" else ""


def _js_key(text: str, at: int, closers: tuple[str, ...]) -> str | None:
    at = _skip(text, at, _SPACE)
    literal = _JS_STRING.match(text, at)
    if literal is not None:
        if _next(text, _skip(text, literal.end(), _SPACE)) in closers:
            return next(group for group in literal.groups() if group is not None)
        return None  # "A" + "B", a comment: not read here
    name = _JS_IDENT.match(text, at)
    if name is not None and _next(text, _skip(text, name.end(), _SPACE)) in closers:
        return ""  # a variable reads a constant, and the readers keep only URLs
    return None
