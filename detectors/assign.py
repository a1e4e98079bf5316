"""Find ``NAME = value`` style assignments across the formats agents read.

One regex covers dotenv (``NAME=value``), shell (``export NAME=value``), Python/JS/Go
(``name = "value"``, ``name := "value"``), YAML (``name: value``), JSON
(``"name": "value"``) and TOML. It is deliberately a line-level heuristic: the
structural (tree-sitter) pass that follows a value to its uses is the resolver's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from blastscan.detectors.base import Document

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
