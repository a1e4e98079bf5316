"""``blastscan graph``: the blast-radius graph as JSON (node-link), GraphML or DOT.

Built from the paths of a :class:`ScanResult`, so it is a pure reporter like the others:
every node is a hop (workspace, source, credential, scope, secret, environment,
resource, operation) and every edge a step of some path, carrying that path's worst
severity. Node ids are opaque (``n0``, ``n1``…) with the text as a ``label``: file
paths and labels from the scanned repository never become DOT syntax. GraphML and DOT
labels are :func:`names.printable` (XML 1.0 cannot hold ESC or most control characters
at all, and a DOT file is read in terminals too); in DOT a backslash is doubled as well,
since Graphviz reads ``\\n`` in a label as a line break. JSON keeps the label as it is
(json_text makes a name that is not UTF-8 readable).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import assert_never

import networkx as nx

from blastscan.reports.common import sorted_paths
from blastscan.reports.graph_format import GraphFormat
from blastscan.scanner import json_text, names
from blastscan.scanner.models import ScanResult


def build(result: ScanResult, text: Callable[[str], str] = str) -> nx.DiGraph[str]:
    """``text``: how a label from the tree is written in the chosen format."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    ids: dict[tuple[str, str], str] = {}

    def node(kind: str, label: str) -> str:
        key = (kind, label)
        if key not in ids:
            ids[key] = f"n{len(ids)}"
            graph.add_node(ids[key], kind=kind, label=text(label))
        return ids[key]

    for path in sorted_paths(result.paths):  # worst first: an edge keeps its worst severity
        previous = node("workspace", "agent workspace")
        for hop in path.hops:
            current = node(hop.kind, hop.label)
            if not graph.has_edge(previous, current):
                graph.add_edge(previous, current, severity=str(path.severity))
            previous = current
    return graph


def render_graph(result: ScanResult, fmt: GraphFormat) -> str:
    match fmt:
        case GraphFormat.JSON:
            data = nx.node_link_data(build(result), edges="edges")
            return json_text.dumps(data)
        case GraphFormat.GRAPHML:
            return "\n".join(nx.generate_graphml(build(result, names.printable))) + "\n"
        case GraphFormat.DOT:
            graph = build(result, lambda label: names.printable(label).replace("\\", "\\\\"))
            return str(nx.nx_pydot.to_pydot(graph).to_string())
        case _:
            assert_never(fmt)
