"""Find ``NAME = value`` style assignments across the formats agents read.

One regex covers dotenv (``NAME=value``), shell (``export NAME=value``), Python/JS/Go
(``name = "value"``, ``name := "value"``), YAML (``name: value``), JSON
(``"name": "value"``) and TOML. It is deliberately a line-level heuristic: the
structural (tree-sitter) pass that follows a value to its uses is the resolver's job.
:func:`named` finds the assignments to names holding given words without trying the
regex everywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from blastscan.detectors.base import LOWERS_LONGER, Document
from blastscan.detectors.match.keywords import KeywordIndex, MatchEnds

_ASSIGNMENT = re.compile(
    # The lookbehind anchors names at an identifier boundary: without it the regex retries
    # at every character of a long word run (seconds on a minified file).
    r"""(?<![A-Za-z0-9_.-])(?P<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})["']?\]?"""
    r"""[ \t]*(?::=|=>|=|:)[ \t]*"""
    r"""(?:[frbuFRBU]{1,2}(?=["']))?(?P<q>["'`]?)(?P<value>[^\s"'`]{1,1024}?)(?P=q)"""
    r"""(?=$|[\s,;)}\]#])""",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Assignment:
    name: str
    value: str
    offset: int  # character offset of the value in the document


def assignments(doc: Document, near: tuple[str, ...] = ()) -> Iterator[Assignment]:
    """Every assignment, or with ``near`` (lowercase words) only those on lines whose
    lowercased text holds one: the assignment regex is the costly part, and most lines of
    most files mention no secret-like name at all."""
    if not near:
        for m in _ASSIGNMENT.finditer(doc.text):
            yield Assignment(m.group("name"), m.group("value"), m.start("value"))
        return
    for start, end in _lines_holding(doc, near):
        for m in _ASSIGNMENT.finditer(doc.text, start, end):
            yield Assignment(m.group("name"), m.group("value"), m.start("value"))


def _lines_holding(doc: Document, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """``(start, end)`` of each line holding one of ``words``, in document order."""
    text, lowered = doc.text, doc.lowered
    if len(lowered) != len(text):
        # A character that lowers to two (``İ``) shifts offsets between the two texts;
        # this path keeps the exact lines the original regex pass found then.
        found, end = [], -1
        for hit in _near(words).finditer(lowered):
            if hit.start() <= end:
                continue  # this line was already scanned
            start = text.rfind("\n", 0, hit.start()) + 1
            end = text.find("\n", hit.start())
            end = len(text) if end == -1 else end
            found.append((start, end))
        return found
    lines: dict[int, int] = {}
    # ``str.find`` per word (one hit per line, then on to the next line) is about twice
    # as fast as one alternation regex, which stops at every t, s, p, k, a and c.
    for word in words:
        at = lowered.find(word)
        while at != -1:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            if end == -1:
                lines[start] = len(text)
                break
            lines[start] = end
            at = lowered.find(word, end)
    return sorted(lines.items())


@lru_cache(maxsize=4)
def _near(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words)))


_NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
_NAME_MAX = 81  # ``[A-Za-z_][A-Za-z0-9_.-]{0,80}``
# What follows a word inside an assigned name: the rest of the name, up to the operator.
_REST_OF_NAME = re.compile(r"""[A-Za-z0-9_.-]*["']?\]?[ \t]*[:=]""")


def named(doc: Document, words: tuple[str, ...],
          keep: Callable[[str, str], bool]) -> Iterator[Assignment]:
    """What ``assignments(doc, near=words)`` yields whose name holds one of ``words``
    (lowercase) and that ``keep(name, value)`` accepts, in the same order, found from
    where the words occur.

    Trying the assignment regex at every position of every line holding a word was most
    of generic-secret's time on large JSON and HTML, whose prose lines mention keys and
    tokens everywhere. A name is a whole run of name characters (the regex's lookbehind
    starts it at the run's start, and what follows a name is never a name character),
    so each occurrence of a word points at one possible start, tried alone. The regex
    then decides, with one more check: ``finditer`` skips a start that an earlier match on
    the line runs across (``x=token=…`` is ``x``'s value), so the line's matches are
    replayed up to it from the nearest point no match can cross (see :func:`_restart`),
    for the assignments ``keep`` accepts (few: it is asked first).
    """
    text = doc.text
    if LOWERS_LONGER in text:  # offsets differ between the two texts: the plain path
        for found in assignments(doc, near=words):
            if any(w in found.name.lower() for w in words) and keep(found.name, found.value):
                yield found
        return
    ends = _name_ends(words).ends(doc)
    if ends is None:  # no Hyperscan: a search per word the document holds
        present = _index(words).present_in(doc)
        starts = _name_starts(text, doc.lowered, tuple(w for w in words if w in present))
    else:
        starts = _starts_before(text, ends)
    # The Kelvin sign lowers to ``k`` but is no name character: beside one, the lowered
    # text holds a word that the name Hyperscan pointed at may not.
    kelvin = ends is not None and not text.isascii() and "\u212a" in text
    line_start = line_end = cursor = -1
    for start in starts:
        if start >= line_end:  # a new line: its bounds, and replay from its start
            line_start = cursor = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            line_end = len(text) if line_end == -1 else line_end
        if start < cursor:
            continue  # inside the previous match on this line
        m = _ASSIGNMENT.match(text, start, line_end)
        if m is None:
            continue
        name = m.group("name")
        if (kelvin and not any(w in name.lower() for w in words)) or not keep(
                name, m.group("value")):
            continue
        cursor = _restart(text, cursor, start, line_start)
        while cursor < start:  # the matches ``finditer`` finds before this start
            earlier = _ASSIGNMENT.search(text, cursor, line_end)
            if earlier is None or earlier.start() >= start:
                break
            cursor = earlier.end()
        if cursor > start:
            continue  # an earlier match runs across this name
        yield Assignment(name, m.group("value"), m.start("value"))
        cursor = m.end()


@lru_cache(maxsize=4)
def _index(words: tuple[str, ...]) -> KeywordIndex:
    return KeywordIndex(words)


@lru_cache(maxsize=4)
def _name_ends(words: tuple[str, ...]) -> MatchEnds:
    """Ends of a word, more name characters, a quote, ``]`` and blanks as the assignment
    regex allows them, and an operator's first character, in the lowered text."""
    return MatchEnds([f"(?:{'|'.join(map(re.escape, words))})"
                      r"""[a-z0-9_.\-]*["']?\]?[ \t]*[:=]"""])


def _name_starts(text: str, lowered: str, words: tuple[str, ...]) -> list[int]:
    """Where a name holding one of ``words`` and followed by ``=`` or ``:`` can start."""
    starts: set[int] = set()
    for word in words:
        at = lowered.find(word)
        while at != -1:
            if _REST_OF_NAME.match(text, at):
                starts.add(_run_start(text, at))
            at = lowered.find(word, at + 1)
    return sorted(starts)


def _starts_before(text: str, ends: list[int]) -> list[int]:
    """Where the names start whose operators ``ends`` are just past."""
    starts: set[int] = set()
    for end in ends:
        at = end - 1  # the operator's first character
        while at > 0 and text[at - 1] in " \t":
            at -= 1
        if at > 0 and text[at - 1] == "]":
            at -= 1
        if at > 0 and text[at - 1] in "\"'":
            at -= 1
        start = _run_start(text, at)
        if start < at:
            starts.add(start)
    return sorted(starts)


def _run_start(text: str, at: int) -> int:
    """Start of the run of name characters that goes on at ``at``, looking back no
    further than a name can reach (a longer run holds no name: the regex fails there)."""
    before = text[max(0, at - _NAME_MAX - 1):at]
    return at - (len(before) - len(before.rstrip(_NAME_CHARS)))


def _restart(text: str, cursor: int, start: int, line_start: int) -> int:
    """A point in ``[cursor, start]`` from which ``finditer`` finds the same matches as
    from ``cursor``: just past a blank that no match can hold.

    A match holds blanks only around its operator: directly before ``:``/``=``, or
    directly after the operator's last character (``=``, ``:`` or ``>``). A run of
    blanks with neither beside it is inside no match, so no match crosses it.
    """
    end = start
    while True:
        blank = max(text.rfind(" ", cursor, end), text.rfind("\t", cursor, end))
        if blank == -1:
            return cursor
        first = blank
        while first > line_start and text[first - 1] in " \t":
            first -= 1
        if text[blank + 1] not in ":=" and (first == line_start or text[first - 1] not in "=:>"):
            return blank + 1
        end = first


def assignment_at(doc: Document, offset: int) -> Assignment | None:
    """The assignment whose value contains ``offset``, looking only at that line."""
    # A window around the offset, not the whole line: minified files have megabyte lines.
    line_start = max(doc.text.rfind("\n", 0, offset) + 1, offset - 256)
    line_end = doc.text.find("\n", offset)
    line_end = min(len(doc.text) if line_end == -1 else line_end, offset + 1100)
    for m in _ASSIGNMENT.finditer(doc.text, line_start, line_end):
        if m.start("value") <= offset < m.end("value"):
            return Assignment(m.group("name"), m.group("value"), m.start("value"))
    return None


_SECRET_WORDS = re.compile(r"token|secret|passw(?:or)?d|pwd|api[_-]?key|auth|credential|"
                           r"private[_-]?key|access[_-]?key|(?:^|[_-])key$", re.IGNORECASE)
_ID_WORDS = re.compile(r"(?:^|[_.-])(?:id|ids|uuid|guid|hash|sha|version|url|uri|endpoint|"
                       r"host|path|file|name|user(?:name)?|email|region|type|count)$",
                       re.IGNORECASE)


def is_secret_name(name: str) -> bool:
    """Does a variable name say it holds a credential (token/key/secret/password)?"""
    return bool(_SECRET_WORDS.search(name)) and not _ID_WORDS.search(name)
