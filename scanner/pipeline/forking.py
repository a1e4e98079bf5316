"""Whether this process may fork helpers, and how many cores they can have.

Forking a threaded process can deadlock (and Python 3.12 warns about it), and only
some platforms fork at all; the scan pool and the graph helper ask the same questions.
Light on purpose: the console script imports it before anything else.
"""

from __future__ import annotations

import multiprocessing
import os
import threading


def may_fork() -> bool:
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the platform says)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
