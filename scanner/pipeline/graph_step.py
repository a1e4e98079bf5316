"""The graph step, and the two start-up shortcuts that make it cheap.

The data flow only asks one thing: the paths of the resolved credentials. Where they are
computed is a start-up matter (docs/performance.md, "graph helper"):

* networkx takes about a quarter of a second to import. The console script warms a helper
  process that imports it while the scan runs (:mod:`graph_helper`); the paths are computed
  there and sent back.
* Past a few hundred credentials, pickling them to the helper and the paths back costs
  more than the import it saves (60,000: 15 s against 0.3 s), so the graph is built here —
  and then networkx is imported during the file pass, while the workers are busy, as soon
  as the candidates pass that count. A repository without a candidate never imports it.

Either way the answer is the same: the helper runs the same :func:`graph.paths`.
"""

from __future__ import annotations

from collections.abc import Sequence

from blastscan.scanner.models import Path, ResolvedCredential
from blastscan.scanner.pipeline.graph_helper import GraphHelper
from blastscan.scanner.reach.context import RepoEvidence
from blastscan.scanner.reach.transitive import transits

# Where the graph helper stops paying: about 0.25 ms of pickling per credential, both
# ways, against the quarter second of import it saves.
HELPER_MAX_CREDENTIALS = 500


class GraphStep:
    """``paths(resolved, repo)``, answered by the warmed helper or in this process."""

    def __init__(self, helper: GraphHelper | None, jobs: int) -> None:
        if jobs == 1 and helper is not None:
            helper.close()  # --jobs 1: no process but this one
            helper = None
        self._helper = helper
        # Candidates past which the graph will be built here: import networkx then.
        self._import_after = 0 if helper is None else HELPER_MAX_CREDENTIALS
        self._imported = False

    def candidates_seen(self, count: int) -> None:
        """Called as the file pass adds candidates (an upper bound on credentials)."""
        if not self._imported and count > self._import_after:
            self._imported = True
            import blastscan.scanner.verdict.graph  # noqa: F401  (see the module docstring)

    def paths(self, resolved: Sequence[ResolvedCredential],
              repo: RepoEvidence) -> tuple[Path, ...]:
        try:
            if not resolved:  # no credential, no path: networkx is never imported
                return ()
            reached = transits(tuple(resolved), repo)
            found = None
            if self._helper is not None and len(resolved) <= HELPER_MAX_CREDENTIALS:
                found = self._helper.paths(tuple(resolved), reached)  # None: it failed
            if found is None:
                from blastscan.scanner.verdict import graph

                found = graph.paths(graph.build_graph(tuple(resolved), reached))
            return found
        finally:
            self.close()

    def close(self) -> None:
        if self._helper is not None:
            self._helper.close()  # unused, or done (closing twice is harmless)
