"""The formats ``blastscan graph`` exports, apart from the exporter itself: the command
line needs the choices at start-up, and the exporter imports networkx (a tenth of a
second) that a plain scan should not pay before its workers start."""

from __future__ import annotations

from enum import StrEnum


class GraphFormat(StrEnum):
    JSON = "json"
    GRAPHML = "graphml"
    DOT = "dot"
