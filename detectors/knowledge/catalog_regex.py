"""Go RE2 regexes (the betterleaks/gitleaks rule catalog's dialect) as Python ``re``.

RE2 and ``re`` agree on most of the catalog; three differences are mechanical:

* RE2 lets a flag group such as ``(?i)`` sit mid-pattern, applying to the rest of the
  enclosing group; Python only takes one at the start. ``p8e-(?i)[a-z0-9]{32}`` becomes
  ``p8e-(?i:[a-z0-9]{32})`` (scoped up to the enclosing group's close);
* RE2 spells the end of text ``\\z``; Python ``\\Z`` (which is the same thing);
* POSIX classes (``[[:alnum:]]``) and ``(?<name>...)`` groups are spelled out.

RE2's ``\\w``, ``\\d``, ``\\s`` and ``\\b`` are ASCII, so patterns compile with
``re.ASCII``: in Unicode mode ``\\w`` would also take letters a token can never hold.
A pattern that still does not compile is reported, never guessed at.
"""

from __future__ import annotations

import importlib
import re
import warnings
from typing import Any

_sre_parser: Any = importlib.import_module("re._parser")  # sre_parse before Python 3.11

_POSIX = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "digit": "0-9", "lower": "a-z",
    "upper": "A-Z", "space": r"\t\n\v\f\r ", "xdigit": "0-9A-Fa-f", "word": r"\w",
    "punct": r"!-/:-@\[-`{-~",
}
_POSIX_CLASS = re.compile(r"\[:(\w+):\]")
_FLAGS = re.compile(r"\(\?([imsU]+)\)")


def _group_end(pattern: str, start: int) -> int:
    """Where the group holding ``start`` closes (the pattern's length at top level),
    skipping escapes and character classes."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern.startswith("[^]", i) or pattern.startswith("[]", i):
                i += 2 if pattern[i + 1] == "]" else 3  # a leading ``]`` is a member
                continue
        elif c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return len(pattern)


def _scope_flags(pattern: str) -> str:
    # One flag group at a time, from the right, so earlier offsets stay valid.
    for m in reversed(list(_FLAGS.finditer(pattern))):
        if m.start() == 0 or "U" in m.group(1):
            continue  # at the start Python takes it as is; ``U`` (ungreedy) has no match
        if m.start() > 0 and pattern[m.start() - 1] == "\\":
            continue
        end = _group_end(pattern, m.end())
        pattern = (f"{pattern[:m.start()]}(?{m.group(1)}:{pattern[m.end():end]})"
                   f"{pattern[end:]}")
    return pattern


def translate(pattern: str) -> str:
    """The Python spelling of an RE2 ``pattern`` (see the module docstring)."""
    out = pattern.replace(r"\z", r"\Z").replace("(?<", "(?P<").replace("(?P<=", "(?<=")
    out = out.replace("(?P<!", "(?<!")
    out = _POSIX_CLASS.sub(lambda m: _POSIX.get(m.group(1), m.group(0)), out)
    return _scope_flags(out)


def compile_re2(pattern: str) -> re.Pattern[str]:
    """Compile an RE2 pattern for Python; raises ``re.error`` when it cannot be."""
    with warnings.catch_warnings():
        # ``[[`` inside a class warns of a future set syntax: RE2 reads it as a literal.
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile(translate(pattern), re.ASCII)


def required_texts(regex: re.Pattern[str]) -> tuple[tuple[str, bool], ...]:
    """Literal texts (two characters or more) every match of ``regex`` holds, each with
    whether it is case-insensitive: a cheap test a document must pass before the regex
    runs (Azure's ``...key\\b(?s:.{0,24}?)([A-Za-z0-9+/]{86}==)`` tried at every ``key``
    of botocore's JSON took 1.2 s; no ``==``, no match). Read from the parse tree of
    :mod:`re` (as :mod:`blastscan.detectors.match.openings` does); none when it cannot be."""
    try:
        tree = _sre_parser.parse(regex.pattern, regex.flags)
    except Exception:  # an internal of re: any surprise means "no texts"
        return ()
    found: list[tuple[str, bool]] = []
    _walk(tree, bool(regex.flags & re.IGNORECASE), found)
    return tuple(dict.fromkeys(t for t in found if len(t[0]) >= 2))


def _walk(items: object, folded: bool, found: list[tuple[str, bool]]) -> None:
    run: list[str] = []
    for op, av in items:  # type: ignore[attr-defined]
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av))
            continue
        found.append(("".join(run), folded))
        run = []
        if name == "SUBPATTERN":
            add = av[1]
            _walk(av[3], folded or bool(add & re.IGNORECASE), found)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            _walk(av[2], folded, found)
    found.append(("".join(run), folded))
