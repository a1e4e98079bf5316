"""The console script: the graph helper is forked before anything else is imported.

A fork this early copies a small interpreter, and the helper's import of networkx then
runs beside the rest of start-up instead of after it (:mod:`graph_helper`). This module
imports nothing of blastscan but that one light module.
"""

from __future__ import annotations

from blastscan.scanner.pipeline import graph_helper


def main() -> None:
    helper = graph_helper.GraphHelper.start()
    try:
        from blastscan.scanner.cli import main as cli  # the heavy imports, meanwhile

        cli.main(helper)
    finally:
        if helper is not None:
            helper.close()
