"""Where a sweep's tasks run: this machine's pool, or a Dask distributed cluster.

Both are one small interface, ``run(tasks) -> outcomes as they finish``, and both keep a
bounded window of tasks in flight, taking the next target only when one finishes, so a
sweep of a hundred thousand repositories holds a window's worth of tasks and outcomes,
never the whole list. Each task's scan is its own process (:mod:`task`), so the local
pool is threads that wait on those processes: no forking of a threaded parent, and one
scanner process per slot.

Dask is optional (``pip install blastscan[sweep]``) and imported only when a scheduler
address is given; its workers need blastscan installed, and the organisation's
fingerprint key travels to them with each task.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from itertools import islice
from typing import Any, Protocol

from blastscan.scanner.errors import UsageError
from blastscan.scanner.org.task import Outcome, Task, run


class Executor(Protocol):
    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]: ...


class LocalPool:
    def __init__(self, workers: int = 0) -> None:
        self.workers = workers or min(32, os.cpu_count() or 1)

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        pending = iter(tasks)
        with ThreadPoolExecutor(self.workers) as pool:
            flying: set[Future[Outcome]] = {pool.submit(run, t)
                                            for t in islice(pending, 2 * self.workers)}
            while flying:
                done, flying = wait(flying, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()  # run() never raises
                flying |= {pool.submit(run, t) for t in islice(pending, len(done))}


class DaskCluster:
    """``address``: a running scheduler (``tcp://HOST:PORT``)."""

    def __init__(self, address: str, window: int = 0) -> None:
        self.address = address
        self.window = window

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        try:
            from dask.distributed import Client, as_completed
        except ImportError:
            raise UsageError("--scheduler needs Dask: pip install 'blastscan[sweep]'") from None
        try:
            client = Client(self.address, timeout=30, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler {self.address}:"
                             f" {type(exc).__name__}") from None
        try:
            window = self.window or max(8, 4 * sum(client.nthreads().values()))
            pending = iter(tasks)
            # pure=False: two tasks are never one just because their inputs look alike.
            first: list[Any] = [client.submit(run, t, pure=False) for t in islice(pending, window)]
            flying = as_completed(first, loop=client.loop)
            for future in flying:
                outcome: Outcome = future.result()
                future.release()
                yield outcome
                for task in islice(pending, 1):
                    flying.add(client.submit(run, task, pure=False))
        finally:
            client.close()
