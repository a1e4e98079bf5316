"""Run a scanner once: wall time, peak RSS of its largest process, sampled tree memory.

Two memory figures, because a scanner may fork workers (blastscan does) and
``ru_maxrss`` is per process: the kernel reports the largest single process of the
child's tree, never a sum. The sampler adds up the PSS (shared pages split between the
processes sharing them, so forked workers are not double-counted) of every live process
in the tree every ``interval`` seconds; it can miss a peak shorter than the interval.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass

from harness.tools import Invocation


@dataclass(frozen=True)
class Sample:
    seconds: float
    max_rss_kb: int  # largest single process of the tree (ru_maxrss, exact)
    tree_pss_kb: int  # whole tree, sampled (0 when sampling is off or unavailable)


def _parents() -> dict[int, int]:
    """pid -> ppid for every process (Linux ``/proc``; the kernel here has no
    ``/proc/PID/task/TID/children``, so the tree is rebuilt from every ``stat``)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue  # exited meanwhile
        # The command name may hold spaces and parentheses: fields start after the last ")".
        parents[int(entry.name)] = int(stat.rsplit(b")", 1)[1].split()[1])
    return parents


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_kb(root: int) -> int:
    """Current PSS of ``root`` and all its descendants, in kB."""
    children: dict[int, list[int]] = {}
    for pid, ppid in _parents().items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        todo.extend(children.get(pid, ()))
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            self.peak = max(self.peak, tree_pss_kb(self.pid))


def run_once(inv: Invocation, interval: float) -> Sample:
    """Run ``inv`` to completion; exit with its stderr when it did not complete a scan."""
    inv.out.unlink(missing_ok=True)
    err_path = inv.out.with_suffix(".stderr")
    with ExitStack() as stack:
        stdout = stack.enter_context(open(inv.stdout_to, "wb")) if inv.stdout_to else None
        stderr = stack.enter_context(open(err_path, "wb"))
        start = time.perf_counter()
        proc = subprocess.Popen(inv.argv, cwd=inv.cwd, stdin=subprocess.DEVNULL,
                                stdout=stdout or subprocess.DEVNULL, stderr=stderr)
        sampler = _Sampler(proc.pid, interval) if interval > 0 else None
        if sampler:
            sampler.start()
        # wait4, not Popen.wait: it hands back the child's rusage, whose ru_maxrss covers
        # the child and every descendant it waited for.
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen won't wait again
        if sampler:
            sampler.stop.set()
            sampler.join()
    if proc.returncode not in inv.ok_codes:
        tail = err_path.read_text(errors="replace").strip()[-2000:]
        sys.exit(f"error: exit {proc.returncode} from {' '.join(inv.argv)}\n{tail}")
    return Sample(seconds, usage.ru_maxrss, sampler.peak if sampler else 0)
