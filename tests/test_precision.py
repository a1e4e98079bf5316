"""Precision fixes found on real trees (issue 13): rendered HTML, comparisons, options,
GPG key ids. Each input once produced a "credential"; a real secret next to it still must."""

from __future__ import annotations

from blastscan.detectors.base import Document
from blastscan.detectors.registry import scan_document
from blastscan.scanner.pipeline.filescan import scan_text, unescape_markup

RANDOM = "vuIdx8bscoKcJ9bh20LC"


def _secrets(path: str, text: str) -> list[str]:
    return [c.detector for c in scan_document(Document.of(path, text)).candidates]


def test_html_entities_end_values_and_keep_line_numbers() -> None:
    html = ('<p>x</p>\n<span>&quot;&amp;ssl_key=/home/gord/client-key.pem&quot;</span>\n'
            f'<span>engine(&quot;postgresql://app:{RANDOM}@db.corp.net/x&quot;)</span>\n')
    text = unescape_markup("doc/mysql.html", html)
    assert text.count("\n") == html.count("\n")
    assert '"&ssl_key=/home/gord/client-key.pem"' in text
    assert unescape_markup("notes.txt", html) == html  # only markup is unescaped
    (candidate,) = scan_text("doc/mysql.html", html).candidates
    assert candidate.location.line == 3
    assert candidate.secret == RANDOM
    assert candidate.fact("database") == "x"


def test_comparisons_options_and_key_ids_are_not_secrets() -> None:
    assert _secrets("changes.rst", "via table1.primary_key==table2.primary_key\n") == []
    assert _secrets("git.py", 'accept_key = "StrictHostKeyChecking=no"\n') == []
    assert _secrets("apt.yml", "test_ppa_key: 'E1DF1F24'\ngpg_key: 'D06AAF4C11DAB86D'\n") == []
    assert _secrets("app.yml", f"api_key: '{RANDOM}'\n") == ["generic-secret"]
    # A token with an ``=`` inside (gitleaks' Beamer example) is not an option assignment.
    assert _secrets("app.js", 'beamerToken="b_bewfz26uv2rrpqmjawnpv8y=l3zr9qo5vfvkvd272f1t"\n')


def test_railway_token_needs_a_label_right_before_it() -> None:
    uuid = "3f6c1d2a-8b4e-4c7a-9d2f-1e5b7a9c0d3e"
    assert _secrets("NOTES.md", f"Railway API token = {uuid}\n") == ["railway-token"]
    assert _secrets("NOTES.md", f"request {uuid} failed (railway token expired)\n") == []
    assert _secrets("NOTES.md", f"railway project: {uuid}\n") == []
