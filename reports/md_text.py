"""Markdown escaping: repository text (and our own) made inert in any Markdown renderer.

Shared by the Markdown report and SARIF rule help (which GitHub renders as Markdown), so
it imports nothing heavier than the name helpers: the SARIF modules are loaded on every
scan, and a JSON scan must not pay for a terminal library.
"""

from __future__ import annotations

import re

from blastscan.scanner import names

# Backslash-escape what Markdown reads as syntax (CommonMark allows a backslash before any
# ASCII punctuation); entities for HTML; break autolinks (``http://``, ``www.``).
_SYNTAX = re.compile(r"([\\`*_\[\]|~#$])")
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)", re.IGNORECASE)


class Escaped(str):
    """Text that :func:`md_escape` has made inert; the only strings the template may print."""

    __slots__ = ()


def md_escape(value: object) -> Escaped:
    """``value`` as literal Markdown text, on one line (a newline would end a table row)."""
    text = " ".join(names.readable(str(value)).split())  # a name that is not UTF-8, too
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SYNTAX.sub(r"\\\1", text)
    return Escaped(_AUTOLINK.sub("\\\\", text))
