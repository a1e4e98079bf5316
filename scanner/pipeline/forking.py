"""Whether this process may fork helpers, and how many cores they can have.

Forking a threaded process can deadlock (and Python 3.12 warns about it), and only
some platforms fork at all; the scan pool and the graph helper ask the same questions.
Light on purpose: the console script imports it before anything else.

Every forked child calls :func:`child_started` first: a child must never outlive the
scan. A cancelled CI job sends SIGTERM to blastscan (the console script's handler then
ends the children, see ``cli.signals``), but a parent killed outright runs no handler,
and children re-parented to PID 1 kept running and kept the caller's stderr pipe open,
so the caller hung too. On Linux the kernel sends the child SIGKILL when its parent
dies (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def may_fork() -> bool:
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the platform says)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def child_started(parent: int) -> None:
    """Run first in a forked child of ``parent`` (its pid, read before the fork)."""
    # The parent's handlers were copied with its memory: Ctrl-C is the parent's to handle
    # (the terminal sends it to every process of the group), and SIGTERM ends a child
    # quietly instead of running the parent's "stop everything" handler.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes  # only here: the parent never pays for it

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the parent's handler still ends us
            pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(0)
