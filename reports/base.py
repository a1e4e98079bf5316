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
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:
    from blastscan.scanner.models import ScanResult


class OutputFormat(StrEnum):
    """The value of ``--format``."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    MARKDOWN = "markdown"
    HTML = "html"


def render(result: ScanResult, fmt: OutputFormat, *, color: bool = False, width: int = 100,
           quiet: bool = False, show_accepted: bool = False) -> str:
    """Render ``result`` in ``fmt``.

    ``color`` and ``width`` only concern terminal output; machine-readable formats
    ignore them so that they stay byte-identical wherever they are produced.
    ``show_accepted``: text and Markdown list baseline-accepted paths in full (they are
    collapsed to a count otherwise); machine formats always hold every path.
    """
    # Each reporter is imported only when its format is asked for: together they pull in
    # rich, jinja2 and networkx, a third of blastscan's start-up time.
    match fmt:
        case OutputFormat.TEXT:
            from blastscan.reports.text import render_text
            return render_text(result, color=color, width=width, quiet=quiet,
                               show_accepted=show_accepted)
        case OutputFormat.JSON:
            from blastscan.reports.json_report import render_json
            return render_json(result)
        case OutputFormat.SARIF:
            from blastscan.reports.sarif import render_sarif
            return render_sarif(result)
        case OutputFormat.MARKDOWN:
            from blastscan.reports.markdown import render_markdown
            return render_markdown(result, show_accepted=show_accepted)
        case OutputFormat.HTML:
            from blastscan.reports.html import render_html
            return render_html(result)
        case _:
            assert_never(fmt)
