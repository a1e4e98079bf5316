"""The graph step in a process of its own, warmed up while the scan starts.

networkx takes a quarter of a second to import (3.6 registers every algorithm with its
backend dispatcher and reads the installed distributions' entry points), about as long as
the rest of blastscan's start-up. Imported by the scan itself it either delays the report
(a small repository: a third of the run) or, imported while the scan workers run, takes
their CPU. So the console script forks this helper before it imports anything else; the
helper imports the graph module on a core that start-up leaves idle, then answers the
scan's one request (resolved credentials and transits in, paths out) and exits.

Only where forking is safe and a second core is free; anything that goes wrong with the
helper (it died, the pipe broke) makes the caller build the graph itself, in process,
with the same code. An error the graph code raises is raised in the caller as it would
be in process.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from blastscan.scanner.pipeline import forking

if TYPE_CHECKING:  # only for annotations: the point is not to import them here
    from blastscan.scanner.models import Path, ResolvedCredential
    from blastscan.scanner.reach.hops import Transit

_JOIN_SECONDS = 5.0


class GraphHelper:
    def __init__(self, process: multiprocessing.process.BaseProcess,
                 connection: Connection) -> None:
        self._process = process
        self._connection: Connection | None = connection

    @classmethod
    def start(cls) -> GraphHelper | None:
        """A helper warming up, or None where one would not pay (one core, no fork)."""
        if forking.usable_cores() < 2 or not forking.may_fork():
            return None
        ours, theirs = multiprocessing.Pipe()
        process = multiprocessing.get_context("fork").Process(
            target=_serve, args=(theirs, ours, os.getpid()), name="blastscan-graph",
            daemon=True)
        process.start()
        theirs.close()
        return cls(process, ours)

    def paths(self, resolved: tuple[ResolvedCredential, ...],
              transits: tuple[Transit, ...]) -> tuple[Path, ...] | None:
        """The paths of the graph of ``resolved``; None if the helper could not answer."""
        connection = self._connection
        if connection is None:
            return None
        try:
            connection.send((resolved, transits))
            ok, answer = connection.recv()
        except (EOFError, OSError):
            return None
        finally:
            self.close()
        if not ok:
            raise answer
        paths: tuple[Path, ...] = answer
        return paths

    def close(self) -> None:
        """Let the helper go (unused, it exits when the pipe closes)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            self._process.join(_JOIN_SECONDS)
            if self._process.is_alive():
                self._process.terminate()


def handed(obj: object) -> GraphHelper | None:
    """The helper the console script handed a command (Typer's ``ctx.obj``), if any."""
    return obj if isinstance(obj, GraphHelper) else None


def _serve(connection: Connection, other_end: Connection, parent: int) -> None:
    forking.child_started(parent)  # Ctrl-C is the caller's; the helper dies with it
    other_end.close()  # the caller's end: the helper must see EOF when the caller goes
    from blastscan.scanner.verdict import graph  # the import this process exists for

    try:
        resolved, transits = connection.recv()
    except (EOFError, OSError):
        return  # no credential, or the caller is gone
    try:
        answer: tuple[bool, object] = (True, graph.paths(graph.build_graph(resolved, transits)))
    except Exception as exc:  # the caller raises it, as it would have in process
        answer = (False, exc)
    connection.send(answer)
