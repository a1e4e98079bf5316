"""blastscan graph: JSON, GraphML and DOT exports parse back and hold the incident path."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pydot
import pytest
from typer.testing import CliRunner

from blastscan.reports.graph_export import GraphFormat, render_graph
from blastscan.scanner.cli.main import app
from blastscan.scanner.models import Hop, ScanResult

from support import FIXTURES, scan

# pydot's parser (used here only to read the DOT back) triggers pyparsing deprecations.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def incident_graph() -> ScanResult:
    return scan(FIXTURES / "incident")


def test_json_graph_has_the_incident_chain(incident_graph: ScanResult) -> None:
    data = json.loads(render_graph(incident_graph, GraphFormat.JSON))
    graph = nx.node_link_graph(data, edges="edges")
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    source = next(n for n, label in labels.items()
                  if label == "tools/analytics/export_bookings.py:7")
    delete = next(n for n, label in labels.items() if label == "railway.volume.delete")
    assert nx.has_path(graph, "n0", delete)
    assert nx.has_path(graph, source, delete)


def test_graphml_and_dot_parse_back(incident_graph: ScanResult) -> None:
    graphml = nx.parse_graphml(render_graph(incident_graph, GraphFormat.GRAPHML))
    assert graphml.number_of_nodes() > 5
    (dot,) = pydot.graph_from_dot_data(render_graph(incident_graph, GraphFormat.DOT))
    assert len(dot.get_edges()) == graphml.number_of_edges()


def test_hostile_labels_stay_labels(incident_graph: ScanResult) -> None:
    path = incident_graph.paths[0]
    evil = Hop("source", 'x"; n0 -> n1 [label="pwned"]; //:7')
    hostile = replace(incident_graph,
                      paths=(replace(path, hops=(evil, *path.hops[1:])),))
    (dot,) = pydot.graph_from_dot_data(render_graph(hostile, GraphFormat.DOT))
    labels = [n.get("label") for n in dot.get_nodes()]
    assert any("pwned" in str(label) for label in labels)
    assert all(str(e.get("label")) != "pwned" for e in dot.get_edges())


def test_graph_command(tmp_path: Path) -> None:
    out = tmp_path / "g.dot"
    result = CliRunner().invoke(app, ["graph", str(FIXTURES / "incident"), "-f", "dot",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("strict digraph")
