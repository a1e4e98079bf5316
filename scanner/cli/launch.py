"""The console script: the graph helper is forked before anything else is imported.

A fork this early copies a small interpreter, and the helper's import of networkx then
runs beside the rest of start-up instead of after it (:mod:`graph_helper`). This module
imports nothing of blastscan but light modules: that one, and :mod:`signals`, installed
before the fork so that Ctrl-C and SIGTERM end the helper too.

It is also where the process ends: click exits with the command's status, and what is
still buffered on stdout is flushed here, so a stdout that fails only at that flush (a
full disk, a closed pipe) is one line and exit 2 like any other write failure, never
Python's "Exception ignored" notice or a traceback with the gate's status 1.
"""

from __future__ import annotations

import contextlib
import sys

from blastscan.scanner.cli import signals
from blastscan.scanner.pipeline import graph_helper


def main() -> None:
    if sys.argv[1:2] == ["guard"]:
        # The hook runs on every tool call: no graph helper, no CLI imports (typer, rich,
        # networkx), only the guard's own light modules.
        from blastscan.scanner.guard.hook import main as guard

        guard(sys.argv[2:])
    signals.install()
    helper = graph_helper.GraphHelper.start()
    status: int | str | None = 0
    try:
        from blastscan.scanner.cli import main as cli  # the heavy imports, meanwhile

        cli.main(helper)
    except SystemExit as done:
        status = done.code
    except OSError as exc:  # a write click made itself (``--help``) failed
        status = _failed(exc)
    finally:
        if helper is not None:
            helper.close()
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError) as exc:
        status = _failed(exc)
    sys.exit(status)


def _failed(exc: BaseException) -> int:
    from blastscan.scanner.cli import output

    output.silence_stdout()
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    with contextlib.suppress(OSError, ValueError, AttributeError):  # stderr may fail too
        print(f"blastscan: error: cannot write to stdout: {reason}", file=sys.stderr)
    return 2
