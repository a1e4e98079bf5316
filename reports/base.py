"""Output formats and the one place that maps a format to its reporter.

Every reporter is a pure function from a :class:`ScanResult` to a string, in a module
of its own. Adding a format (SARIF, HTML, Markdown) is: a new module with its
``render_<format>`` function, a new :class:`OutputFormat` member and a new ``case``
below. The closing :func:`typing.assert_never` makes mypy reject a member without a
``case``, and ``tests/test_reports.py`` renders every member, so a format cannot be
declared and forgotten.
"""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from blastscan.reports.html import render_html
from blastscan.reports.json_report import render_json
from blastscan.reports.markdown import render_markdown
from blastscan.reports.sarif import render_sarif
from blastscan.reports.text import render_text
from blastscan.scanner.models import ScanResult


class OutputFormat(StrEnum):
    """The value of ``--format``."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    MARKDOWN = "markdown"
    HTML = "html"


def render(result: ScanResult, fmt: OutputFormat, *, color: bool = False, width: int = 100,
           quiet: bool = False) -> str:
    """Render ``result`` in ``fmt``.

    ``color`` and ``width`` only concern terminal output; machine-readable formats
    ignore them so that they stay byte-identical wherever they are produced.
    """
    match fmt:
        case OutputFormat.TEXT:
            return render_text(result, color=color, width=width, quiet=quiet)
        case OutputFormat.JSON:
            return render_json(result)
        case OutputFormat.SARIF:
            return render_sarif(result)
        case OutputFormat.MARKDOWN:
            return render_markdown(result)
        case OutputFormat.HTML:
            return render_html(result)
        case _:
            assert_never(fmt)
