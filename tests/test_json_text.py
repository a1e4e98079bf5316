"""json_text writes exactly what ``json.dumps(indent=2, ensure_ascii=False)`` wrote."""

from __future__ import annotations

import json
import random

from blastscan.reports.base import OutputFormat, render
from blastscan.scanner import json_text

from support import FIXTURES, scan


def _reference(document: object) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_random_strings_are_written_as_the_standard_library_writes_them() -> None:
    rng = random.Random(3)
    alphabet = [*map(chr, range(0x250)), "\u2028", "\u2029", "\U0001f600", "\ufeff", "\x7f"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        document = {"a": [text, {"k" + text: []}, {}], "n": [1, -2, 0, True, False, None],
                    "e": {}, "t": (text,)}
        assert json_text.dumps(document) == _reference(document), repr(text)


def test_reports_are_written_as_the_standard_library_writes_them() -> None:
    result = scan(FIXTURES / "incident")
    for fmt in (OutputFormat.JSON, OutputFormat.SARIF):
        text = render(result, fmt)
        assert text == _reference(json.loads(text))


def test_what_orjson_refuses_is_written_by_the_standard_library() -> None:
    document = {"n": 2**70}
    assert json_text.dumps(document) == _reference(document)


def test_a_name_that_is_not_utf8_is_written_readable_and_escaped() -> None:
    # Issue 18, case 3: a lone surrogate used to reach the writer, which refused it.
    written = json_text.dumps({"path": "bad\udcff.env", "line": 1, "why": ["in bad\udcff.env"]})
    written.encode("utf-8")  # strict: writable anywhere
    assert json.loads(written) == {"path": "bad\ufffd.env", "path_escaped": "bad\\xff.env",
                                   "line": 1, "why": ["in bad\ufffd.env"]}
