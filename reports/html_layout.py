"""A layered layout of the blast-radius graph, computed in Python for the HTML report's SVG.

The graph is :func:`blastscan.reports.graph_export.build`'s, so the picture and
``blastscan graph`` agree. Columns follow the route an agent takes (workspace →
sources → credentials → scopes → environments → resources → operations): a node's
column comes from its hop kind, so operations line up on the right however long the
route to them. Within a column nodes are ordered by the mean position of their parents
(fewer crossings), then by severity and label, so the same result always draws the same.
Only geometry and text leave this module; the template escapes the text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from blastscan.reports.graph_export import build
from blastscan.scanner.models import ScanResult, Severity

KIND_COLUMN = {
    "workspace": 0, "source": 1, "agent-tool": 2, "credential": 3, "scope": 4,
    "secret": 5, "environment": 6, "resource": 7, "operation": 8,
}  # fmt: skip
HEADING = {
    "workspace": "agent", "source": "sources", "agent-tool": "agent tools",
    "credential": "credentials", "scope": "scopes", "secret": "transit secrets",
    "environment": "environments", "resource": "resources", "operation": "operations",
}  # fmt: skip
COLUMN_W, NODE_W, NODE_H, PITCH, TOP, MARGIN, MAX_CHARS = 220, 190, 30, 40, 40, 10, 28


@dataclass(frozen=True, slots=True)
class Node:
    kind: str
    label: str
    short: str  # the label cut to fit the box; the full label goes in a <title>
    severity: str  # worst severity of an edge touching it, "" for none
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class Edge:
    d: str  # SVG path data
    severity: str


@dataclass(frozen=True, slots=True)
class Layout:
    width: int
    height: int
    headings: tuple[tuple[int, str], ...]  # (x of the column's centre, heading)
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def layout(result: ScanResult) -> Layout:
    graph = build(result)
    kinds = {n: str(graph.nodes[n]["kind"]) for n in graph.nodes}
    labels = {n: str(graph.nodes[n]["label"]) for n in graph.nodes}
    worst: dict[str, Severity] = {}
    for u, v, data in graph.edges(data=True):
        sev = Severity(data["severity"])
        for n in (u, v):
            if n not in worst or sev.rank > worst[n].rank:
                worst[n] = sev
    used = sorted({KIND_COLUMN.get(k, KIND_COLUMN["resource"]) for k in kinds.values()})
    column = {n: used.index(KIND_COLUMN.get(k, KIND_COLUMN["resource"])) for n, k in kinds.items()}
    members: dict[int, list[str]] = defaultdict(list)
    for n in graph.nodes:
        members[column[n]].append(n)
    position: dict[str, int] = {}
    for col in range(len(used)):

        def key(n: str) -> tuple[float, int, str, str]:
            parents = [position[p] for p in graph.predecessors(n) if p in position]
            mean = sum(parents) / len(parents) if parents else 0.0
            rank = worst[n].rank if n in worst else -1
            return (mean, -rank, labels[n], n)

        position.update({n: index for index, n in enumerate(sorted(members[col], key=key))})
    rows = max((len(m) for m in members.values()), default=0)
    xy: dict[str, tuple[int, int]] = {}
    for n in graph.nodes:
        offset = (rows - len(members[column[n]])) * PITCH // 2  # centre short columns
        xy[n] = (MARGIN + column[n] * COLUMN_W, TOP + offset + position[n] * PITCH)
    nodes = [Node(kinds[n], labels[n], _shorten(labels[n]), str(worst.get(n, "")), *xy[n])
             for n in sorted(graph.nodes, key=lambda n: xy[n])]
    edges = [Edge(_curve(xy[u], xy[v]), str(data["severity"]))
             for u, v, data in sorted(graph.edges(data=True), key=lambda e: (xy[e[0]], xy[e[1]]))]
    # Critical edges last, so that they are drawn on top of the others.
    edges.sort(key=lambda e: e.severity == Severity.CRITICAL)
    headings = []
    for index in range(len(used)):
        names = dict.fromkeys(HEADING.get(k, k) for n, k in kinds.items() if column[n] == index)
        known = [h for h in HEADING.values() if h in names]
        title = " / ".join(known + sorted(set(names) - set(known)))
        headings.append((MARGIN + index * COLUMN_W + NODE_W // 2, title))
    width = MARGIN * 2 + max(len(used) - 1, 0) * COLUMN_W + NODE_W
    return Layout(width, TOP + rows * PITCH, tuple(headings), tuple(nodes), tuple(edges))


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_CHARS else label[: MAX_CHARS - 1] + "…"


def _curve(start: tuple[int, int], end: tuple[int, int]) -> str:
    x1, y1 = start[0] + NODE_W, start[1] + NODE_H // 2
    x2, y2 = end[0], end[1] + NODE_H // 2
    mid = (x1 + x2) // 2
    return f"M{x1} {y1} C{mid} {y1} {mid} {y2} {x2} {y2}"
