"""Whether a file mentions a credential's name where its usages could carry it.

The deferred evidence pass (``blastscan.scanner.pipeline.evidence_pass``) parses a file only when
it can add to a known credential. A Python, JS or TS usage names identifiers of its own
file, so a whole-word occurrence is the test. A shell or config usage names only
variables written as references — ``$X``, ``${X}``, ``${env:X}``, ``${{ secrets.X }}``
(and ``vars.``/``env.``), ``${var.X}``/``${local.X}`` — or assigned before a command
(``X=... cmd``); its alias usages are read through their source, a reference too. So
there the name must appear in one of those forms: ``Key`` or ``Password`` all over a
large JSON API model is no reason to parse it. tests/test_evidence_gate.py checks both
rules on every code-evidence sample. An alias in shell or config is always defined from a
reference (``T=$X``, ``env: {T: ${X}}``), so a name only assigned (``key=`` in prose, say)
cannot define one. Most credentials read nothing from a usage but its value, an operation
name: :func:`holds` tells whether a file can yield that value at all.
"""

from __future__ import annotations

import functools
import re
import string

import ahocorasick

from blastscan.detectors.match.keywords import KeywordIndex

_WORD = frozenset(string.ascii_letters + string.digits + "_")
CODE = frozenset({"python", "javascript", "typescript", "tsx"})
_PREFIXES = ("$", "${", "${env:", "secrets.", "vars.", "env.", "var.", "local.")
_SUFFIXES = ("=", "+=")
# How each value of ``evidence.sql`` shows in the lowered text of a file it finds it in:
# its pattern loosened (no ``\b``, nothing past the blank after). Lowering maps each letter
# its ``(?i:)`` parts match to that letter, except a long s and the Turkish i's, which the
# ``(?i:)`` parts here still match; no first word holds an s or an i, so each is a plain
# literal that lets ``re`` skip ahead. Lowercase truncate counts there only before table;
# alone, only in capitals, looked for in the text as is.
_SQL_FORMS = {
    "DROP TABLE": re.compile(r"drop\s+(?i:table)\s"),
    "DROP DATABASE": re.compile(r"drop\s+(?i:database)\s"),
    "DROP SCHEMA": re.compile(r"drop\s+(?i:schema)\s"),
    "TRUNCATE": re.compile(r"truncate\s+(?i:table)\s"),
    "DELETE FROM": re.compile(r"delete\s+(?i:from)\s"),
}
_TRUNCATE = re.compile(r"TRUNCATE\s")
#: The values ``evidence.sql`` gives destructive SQL (its docstring lists them).
SQL = frozenset(_SQL_FORMS)
_FIRST_WORD = re.compile(r"[a-z0-9]+")


def mentions(text: str, names: frozenset[str], language: str | None) -> bool:
    """Whether ``text`` (a file in ``language``) mentions one of ``names`` usably."""
    forms = ("word",) if language in CODE else ("reference", "assignment")
    return any(mentioned(text, names, form, first=True) for form in forms)


def mentioned(text: str, names: frozenset[str], form: str, first: bool = False) -> set[str]:
    """Which of ``names`` ``text`` holds in ``form`` ("word", "reference": ``$X`` and the
    like, "assignment": ``X=``); ``first``: stop at one."""
    found: set[str] = set()
    if not names:
        return found
    index = _index(names, form)
    if index.engine != "hyperscan":
        for end, (name, offset, size) in _automaton(names, form).iter(text):
            if _alone(text, end - size + 1, name, offset, size):
                found.add(name)
                if first:
                    break
        return found
    # One fast pass says which spellings occur at all (none, in most files); str.find then
    # looks for each alone, up to its first occurrence that stands alone.
    spellings = _spelt(names, form)
    for spelling in sorted(index.present(text)):
        name, offset, size = spellings[spelling]
        at = -1 if name in found else text.find(spelling)
        while at >= 0 and not _alone(text, at, name, offset, size):
            at = text.find(spelling, at + 1)
        if at >= 0:
            found.add(name)
            if first:
                break
    return found


def _alone(text: str, at: int, name: str, offset: int, size: int) -> bool:
    """Whether the spelling at ``at`` is not part of a longer name: the name's neighbours
    outside the form are no identifier characters (a prefix form's start, a suffix form's
    end are fixed)."""
    start = at + offset  # where the name itself starts
    stop = start + len(name)
    return (offset > 0 or start == 0 or text[start - 1] not in _WORD) and (
        offset + len(name) < size or stop == len(text) or text[stop] not in _WORD)


def _spellings(name: str, form: str) -> list[str]:
    return {"word": [name],
            "reference": [prefix + name for prefix in _PREFIXES],
            "assignment": [name + suffix for suffix in _SUFFIXES]}[form]


@functools.lru_cache(maxsize=16)
def _index(names: frozenset[str], form: str) -> KeywordIndex:
    return KeywordIndex(s for name in names for s in _spellings(name, form))


@functools.lru_cache(maxsize=16)
def _spelt(names: frozenset[str], form: str) -> dict[str, tuple[str, int, int]]:
    """Every spelling of every name in ``form``, each with (the name, its offset in the
    spelling, the spelling's length); the last name wins a spelling two share."""
    return {spelling: (name, spelling.find(name), len(spelling))
            for name in sorted(names) for spelling in _spellings(name, form)}


@functools.lru_cache(maxsize=16)
def _automaton(names: frozenset[str], form: str) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for spelling, info in _spelt(names, form).items():
        automaton.add_word(spelling, info)
    automaton.make_automaton()
    return automaton


def holds(value: str, text: str, lowered: str, code: bool) -> bool:
    """Whether a file (``lowered``: ``text.lower()``; ``code``: Python, JS or TS) can yield
    a usage whose value is the operation name ``value``.

    Every operation, CLI or SQL value a reader emits starts with a word of its file. In
    code a SQL value comes only from a string literal, raw source where ``evidence.sql``
    must match, or, for a word like ``TRUNCATE``, from a GraphQL mutation field spelt as
    is. Config and shell readers may rework a value before reading it (a YAML block is
    dedented, a workflow's ``run:`` parsed apart): there the first word is the test.
    """
    if code and value in SQL:
        return (_SQL_FORMS[value].search(lowered) is not None
                or (value == "TRUNCATE" and _TRUNCATE.search(text) is not None)
                or (value.isidentifier() and "mutation" in lowered and value in text))
    first = _FIRST_WORD.search(value.lower())
    return first is not None and first.group(0) in lowered
