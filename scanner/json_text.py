"""JSON documents as blastscan writes them: two-space indents, keys in insertion order,
UTF-8 as is (no ``\\u`` escapes), a final newline.

With an indent, the standard library's ``json.dumps`` leaves its C encoder for a
pure-Python one: a report of 60,000 credentials (a generated bundle) took 8 s to encode
and most of a gigabyte of string pieces. orjson writes the same bytes (checked on every
report of the benchmark trees, the fixtures and 20,000 random strings in
tests/test_json_text.py) eight times faster. A document orjson refuses (a lone surrogate
from an undecodable file name, an integer past 64 bits) goes to ``json.dumps``, which
writes it as before.
"""

from __future__ import annotations

import json

import orjson


def dumps(document: object) -> str:
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
