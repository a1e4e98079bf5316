"""JSON documents as blastscan writes them: two-space indents, keys in insertion order,
UTF-8 as is (no ``\\u`` escapes), a final newline.

With an indent, the standard library's ``json.dumps`` leaves its C encoder for a
pure-Python one: a report of 60,000 credentials (a generated bundle) took 8 s to encode
and most of a gigabyte of string pieces. orjson writes the same bytes (checked on every
report of the benchmark trees, the fixtures and 20,000 random strings in
tests/test_json_text.py) eight times faster. A document orjson refuses (a lone surrogate
from an undecodable file name, an integer past 64 bits) goes to ``json.dumps``, which
writes it as before.

A file name that is not UTF-8 (see :mod:`blastscan.scanner.names`) is the one string
that no JSON writer may emit as is. In every document blastscan writes (reports, SARIF,
baselines, graphs) such a string is written readable, and an object whose ``path`` it
is gains a ``path_escaped`` member right after, with the lossless form: one rule, here,
so that no format can forget it.
"""

from __future__ import annotations

import json

import orjson

from blastscan.scanner import names


def dumps(document: object) -> str:
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(_text(document), indent=2, ensure_ascii=False) + "\n"


def _text(value: object) -> object:
    """``value`` with every name that is not UTF-8 made writable (see the module doc)."""
    if isinstance(value, str):
        return names.readable(value)
    if isinstance(value, dict):
        out: dict[object, object] = {}
        for key, item in value.items():
            out[_text(key)] = _text(item)
            if key == "path" and isinstance(item, str) and (lossless := names.escaped(item)):
                out["path_escaped"] = lossless
        return out
    if isinstance(value, list | tuple):
        return [_text(item) for item in value]
    return value
