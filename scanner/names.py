"""Names and text from the scanned tree, made safe to print and to serialise.

A POSIX file name is bytes, not text: ``bad\\xff\\xfe.env`` is legal, and Python hands it
over as a str with the undecodable bytes as lone surrogates (PEP 383's
``surrogateescape``), which no UTF-8 writer accepts. blastscan keeps that str as the
name (it opens the file, and it is lossless) and converts it only where it leaves:

- :func:`readable`: the name for people and for JSON ``path`` fields, each undecodable
  byte a U+FFFD replacement character;
- :func:`escaped`: the lossless form (JSON ``path_escaped``), only for names that are not
  UTF-8: ``\\xHH`` (HH 80-ff) for each undecodable byte, ``\\\\`` for a backslash, and
  the escapes of :func:`printable` for the unsafe characters; every other character as is;
- :func:`uri`: the raw bytes percent-encoded, as RFC 3986 asks of a file URI (SARIF);
- :func:`printable`: text for a terminal or a CI log, where no byte of the tree may
  start a line, move the cursor or reorder what follows (control characters, ESC, DEL,
  C1 and bidi controls are written as ``\\n``, ``\\x1b``, ``\\u202e``);
- :func:`inert_lines`: a whole text report made safe for a CI log, where a line that
  begins with ``::`` or ``##[`` after its indent is a workflow command (GitHub Actions
  trims the indent). blastscan writes no such line, but a name from the tree can begin
  one: after an indent, or where a long name wraps.

Core: imports nothing of blastscan, so every layer may use it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# C0 (newline, CR and tab included), DEL, C1, the bidi embeddings, overrides and
# isolates, the LRM/RLM/ALM marks, the line and paragraph separators (which some
# terminals and log viewers break on), and every surrogate.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")
_COMMAND = re.compile(r"^([ \t]*)([:#])(?=:|#\[)", re.MULTILINE)
_SURROGATE = re.compile("[\ud800-\udfff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_LONG = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}
_ESCAPE = re.compile(r"\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4})")


def raw(name: str) -> bytes:
    """The bytes ``name`` stands for (the file system's, for a surrogate-escaped name)."""
    try:
        return name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file system gave (a JSON ``\\ud800``)
        return name.encode("utf-8", "surrogatepass")


def is_utf8(name: str) -> bool:
    return _SURROGATE.search(name) is None


def readable(name: str) -> str:
    """``name`` as valid text: each undecodable byte becomes U+FFFD."""
    if is_utf8(name):
        return name
    return raw(name).decode("utf-8", "replace")


def escaped(name: str) -> str | None:
    """The lossless form of a name that is not UTF-8; None for one that is."""
    if is_utf8(name):
        return None
    return "".join(_escape_char(char) for char in name)


def unescaped(text: str) -> str:
    """The name :func:`escaped` wrote as ``text`` (a baseline's ``path_escaped``)."""
    out = bytearray()
    at = 0
    for match in _ESCAPE.finditer(text):
        out += raw(text[at:match.start()])  # raw: ``text`` may be hostile (any surrogate)
        code = match.group(1)
        if code in _LONG:
            out += _LONG[code].encode()
        else:
            value = int(code[1:], 16)
            out += bytes([value]) if code[0] == "x" else chr(value).encode("utf-8", "surrogatepass")
        at = match.end()
    out += raw(text[at:])
    return out.decode("utf-8", "surrogateescape")


def uri(name: str, safe: str = "/") -> str:
    """``name`` percent-encoded byte for byte (RFC 3986 §2.1), ``/`` kept."""
    return quote(raw(name), safe=safe)


def printable(text: str) -> str:
    """``text`` with every character that could start a line, move the cursor, colour
    the terminal or reverse the text after it written out as an escape."""
    return _UNSAFE.sub(lambda m: _escape_char(m.group()), text)


def inert_lines(text: str) -> str:
    """``text`` with the opening ``:`` or ``#`` of any workflow-command line escaped."""
    return _COMMAND.sub(lambda m: f"{m.group(1)}\\x{ord(m.group(2)):02x}", text)


def _escape_char(char: str) -> str:
    if char == "\\":
        return "\\\\"
    if "\udc80" <= char <= "\udcff":  # an undecodable byte (surrogateescape)
        return f"\\x{ord(char) - 0xDC00:02x}"
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if not _UNSAFE.match(char):
        return char
    return f"\\u{code:04x}"  # C1 too: ``\\x80``-``\\xff`` are left to raw bytes
