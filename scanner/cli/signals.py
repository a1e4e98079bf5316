"""Ctrl-C and SIGTERM: end every child, say so in one line, exit 130 or 143.

A cancelled CI job sends SIGTERM; a person at a terminal sends SIGINT. Left to Python,
the first killed only the parent (the graph helper and the pool workers lived on,
re-parented to PID 1, holding the caller's stderr pipe, so the caller hung as well),
and the second printed a KeyboardInterrupt traceback from the parent and from every
worker. The console script installs :func:`install` before it forks anything: the
handler kills the children it forked (the helper and the pool workers are
multiprocessing children), removes a report half-written to its temporary file, and
leaves at once with ``os._exit``, so no cleanup that could block (a pool shutdown
waiting on a worker) and no traceback can follow. The children ignore Ctrl-C and die
with the parent even when it is killed outright (``forking.child_started``).

Light on purpose, like the rest of the console script's start-up.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from types import FrameType

_MESSAGES = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}
_SHOW_CURSOR = b"\x1b[?25h"  # a progress bar hides it while it draws


_owner = 0  # the process that installed the handler


def install() -> None:
    global _owner  # set once, before any fork; a module-level int is the handler's only state
    _owner = os.getpid()
    for signum in _MESSAGES:
        signal.signal(signum, _stop)


def _stop(signum: int, _frame: FrameType | None) -> None:
    if os.getpid() != _owner:  # a child signalled before it reset the copied handler
        os._exit(128 + signum)
    for child in multiprocessing.active_children():
        with contextlib.suppress(OSError, ValueError, AssertionError):
            child.kill()
            child.join(1)
    # Looked up, not imported: a process that never loaded it has no report to remove.
    output = sys.modules.get("blastscan.scanner.cli.output")
    for name in list(getattr(output, "PENDING", ())):
        with contextlib.suppress(OSError):
            os.unlink(name)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        if sys.stderr.isatty():
            os.write(2, _SHOW_CURSOR)
    with contextlib.suppress(OSError):
        os.write(2, f"blastscan: {_MESSAGES[signal.Signals(signum)]}\n".encode())
    os._exit(128 + signum)
