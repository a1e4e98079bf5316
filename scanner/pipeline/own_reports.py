"""blastscan's own reports, recognised by what they say, not by their names.

A report written into the scanned tree (``-o report.json``, the SARIF file the Action
uploads) was read back by the next scan: its credential ids (``"credential":
"c-218b3d89ef3b"``) are a "credential" to the keyword net, so 5 credentials became 10 and
15 paths (issue 18, case 8). A report also describes other files — hosts, operations,
environments — and read as evidence it would vouch for itself.

A file whose opening is one blastscan writes is therefore counted as skipped
(``own_report``) and read for no evidence. It is still read for secrets, because the
opening is the tree's to forge: blastscan never writes a raw secret, so what it writes
in a report is only ids, fingerprints and redacted previews, and those are the only
values dropped. A real key pasted into a file that starts like a report is still found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from blastscan.scanner.models import Candidate

# Each format's opening as the reporters write it (reports/*.py, scanner/verdict/baseline.py,
# reports/graph_export.py); ``\s*`` where indentation is a rendering choice.
_OPENINGS = (
    ("json", re.compile(r'\A\s*\{\s*"schema_version":\s*\d+,\s*"tool":\s*\{\s*'
                        r'"name":\s*"blastscan"')),
    ("sarif", re.compile(r'\A\s*\{\s*"\$schema":\s*"[^"]*sarif[^"]*",\s*"version":\s*"2\.1\.0",'
                         r'\s*"runs":\s*\[\s*\{\s*"tool":\s*\{\s*"driver":\s*\{\s*'
                         r'"name":\s*"blastscan"')),
    ("baseline", re.compile(r'\A\s*\{\s*"version":\s*\d+,\s*"tool":\s*"blastscan"')),
    ("html", re.compile(r'\A<!DOCTYPE html>\s*<html lang="en">\s*<head>\s*<meta charset="utf-8">'
                        r'[^<]*(?:<meta [^>]*>\s*){0,3}<meta name="generator" '
                        r'content="blastscan ')),
    ("markdown", re.compile(r"\A#{1,6} \S{1,2} blastscan: [^\n]*\n(?s:.*)<sub>scanned \d+ files")),
    ("text", re.compile(r"\A(?:PASS|FAIL)  [^\n]*\n(?s:.*)\nscanned \d+ files · skipped ")),
    ("graph", re.compile(r'\A\s*\{\s*"directed":\s*true,\s*"multigraph":\s*false,\s*"graph":\s*'
                         r'\{\}\s*,\s*"nodes":\s*\[\s*\{\s*"kind":\s*"workspace",\s*'
                         r'"label":\s*"agent workspace"')),
    ("dot", re.compile(r'\Astrict digraph \{\nn0 \[kind=workspace, label="agent workspace"\];')),
)
_FIRST = ("{", "<", "#", "P", "F", "s")  # each opening's first character
_HEAD = 4096  # every opening above fits in the first few hundred bytes
_TAIL = 2048  # the text and Markdown footers: the last lines

# What blastscan writes that a detector could take for a secret: ids, fingerprints and
# redacted previews (reports/common.py, scanner/models.py fingerprint).
_WRITTEN = re.compile(r"[cp]-[0-9a-f]{12}|(?:hmac-)?sha256:[0-9a-f]{64}|hmac-sha256:[0-9a-f]{16}"
                      r"|[^\s…]{0,8}…")


def recognise(text: str) -> str | None:
    """The report format ``text`` opens (and, for text and Markdown, ends) like, or None."""
    if text[:256].lstrip()[:1] not in _FIRST:
        return None  # most files: no regex run (the regexes are anchored, so cheap anyway)
    sample = text if len(text) <= _HEAD + _TAIL else text[:_HEAD] + "\n" + text[-_TAIL:]
    for name, opening in _OPENINGS:
        if opening.match(sample):
            return name
    return None


def written_by_blastscan(value: str) -> bool:
    """``value`` is one of the ids, fingerprints or previews blastscan puts in reports."""
    return _WRITTEN.fullmatch(value) is not None


def pasted(candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    """What a report holds that blastscan did not write there."""
    return tuple(c for c in candidates if not written_by_blastscan(c.secret))
