"""Whether a file mentions a credential's name where its usages could carry it.

The deferred evidence pass (``blastscan.scanner.evidence_pass``) parses a file only when
it can add to a known credential. A Python, JS or TS usage names identifiers of its own
file, so a whole-word occurrence is the test. A shell or config usage names only
variables written as references — ``$X``, ``${X}``, ``${env:X}``, ``${{ secrets.X }}``
(and ``vars.``/``env.``), ``${var.X}``/``${local.X}`` — or assigned before a command
(``X=... cmd``); its alias usages are read through their source, a reference too. So
there the name must appear in one of those forms: ``Key`` or ``Password`` all over a
large JSON API model is no reason to parse it. tests/test_evidence_gate.py checks both
rules on every code-evidence sample. An alias in shell or config is always defined from a
reference (``T=$X``, ``env: {T: ${X}}``), so a name only assigned (``key=`` in prose, say)
cannot define one.
"""

from __future__ import annotations

import functools
import string

import ahocorasick

from blastscan.detectors.keywords import KeywordIndex

_WORD = frozenset(string.ascii_letters + string.digits + "_")
CODE = frozenset({"python", "javascript", "typescript", "tsx"})
_PREFIXES = ("$", "${", "${env:", "secrets.", "vars.", "env.", "var.", "local.")
_SUFFIXES = ("=", "+=")


def mentions(text: str, names: frozenset[str], language: str | None) -> bool:
    """Whether ``text`` (a file in ``language``) mentions one of ``names`` usably."""
    forms = ("word",) if language in CODE else ("reference", "assignment")
    return any(mentioned(text, names, form, first=True) for form in forms)


def mentioned(text: str, names: frozenset[str], form: str, first: bool = False) -> set[str]:
    """Which of ``names`` ``text`` holds in ``form`` ("word", "reference": ``$X`` and the
    like, "assignment": ``X=``); ``first``: stop at the first."""
    found: set[str] = set()
    if not names:
        return found
    index = _index(names, form)
    if index.engine == "hyperscan" and not index.present(text):
        return found  # one fast pass proves no spelling occurs (most files, most names)
    last = len(text) - 1
    for end, (name, offset, size) in _automaton(names, form).iter(text):
        start = end - size + 1 + offset  # where the name itself starts
        stop = start + len(name) - 1
        # A name is not part of a longer one: its neighbours outside the form are no
        # identifier characters (a prefix form's start, a suffix form's end are fixed).
        if (offset > 0 or start == 0 or text[start - 1] not in _WORD) and (
                offset + len(name) < size or stop == last or text[stop + 1] not in _WORD):
            found.add(name)
            if first:
                break
    return found


def _spellings(name: str, form: str) -> list[str]:
    return {"word": [name],
            "reference": [prefix + name for prefix in _PREFIXES],
            "assignment": [name + suffix for suffix in _SUFFIXES]}[form]


@functools.lru_cache(maxsize=16)
def _index(names: frozenset[str], form: str) -> KeywordIndex:
    return KeywordIndex(s for name in names for s in _spellings(name, form))


@functools.lru_cache(maxsize=16)
def _automaton(names: frozenset[str], form: str) -> ahocorasick.Automaton:
    """Every spelling of every name in ``form``, each with (the name, its offset in the
    spelling, the spelling's length)."""
    automaton = ahocorasick.Automaton()
    for name in sorted(names):
        for spelling in _spellings(name, form):
            automaton.add_word(spelling, (name, spelling.find(name), len(spelling)))
    automaton.make_automaton()
    return automaton
