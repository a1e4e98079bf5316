"""The blast-radius graph and the paths the gate judges.

Nodes: the agent workspace → sources (file:line) → credentials → scope → environment →
operation. Every path from the workspace to an operation node becomes a
:class:`Path`; a credential found in several files yields one path per operation and
environment, entered through its first location (the others are listed in the report).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import networkx as nx

from blastscan.scanner.models import (
    Capability,
    Environment,
    Hop,
    Location,
    Path,
    ResolvedCredential,
    Severity,
    SourceKind,
)
from blastscan.scanner.reach.transitive import Transit

WORKSPACE = ("workspace",)


@dataclass(frozen=True, slots=True)
class Operation:
    """What an operation node stands for (``capability`` None: reach unknown, review)."""

    item: ResolvedCredential
    environment: Environment
    capability: Capability | None
    via: Transit | None = None  # reached through another secret (workflow, cluster, store)


_PRESUMED = (Environment.PRODUCTION, Environment.UNKNOWN)


def severity(environment: Environment, destructive: bool, known: bool,
             mitigated: bool = False) -> Severity:
    """critical = production (proven or presumed) and destructive; a protection proven in
    the repository (deletion protection, a compliance vault lock) lowers it one step."""
    if not known:
        return Severity.INFO
    production = environment in _PRESUMED
    if production:
        level = Severity.CRITICAL if destructive else Severity.HIGH
    else:
        level = Severity.MEDIUM if destructive else Severity.LOW
    if mitigated and destructive:
        return Severity.HIGH if level is Severity.CRITICAL else Severity.LOW
    return level


def build_graph(resolved: Iterable[ResolvedCredential],
                transits: Iterable[Transit] = ()) -> nx.DiGraph[tuple[str, ...]]:
    graph: nx.DiGraph[tuple[str, ...]] = nx.DiGraph()
    graph.add_node(WORKSPACE, kind="workspace", label="agent workspace")
    for item in resolved:
        cred, reach = item.credential, item.reach
        cnode = ("credential", cred.id)
        label = f"{reach.provider} {reach.kind} {cred.redacted}"
        graph.add_node(cnode, kind="credential", label=label)
        servers = cred.facts_for("mcp_server")
        for loc in cred.locations:
            snode = ("source", loc.path, f"{loc.line:09d}")  # sorts like the number
            graph.add_node(snode, kind="source", label=_source_label(loc),
                           source=loc.source.value)
            graph.add_edge(WORKSPACE, snode)
            if loc.source is SourceKind.AGENT_CONFIG and servers:
                # The agent uses the token through its tool without ever reading it.
                for server in servers:
                    tnode = ("tool", cred.id, server)
                    graph.add_node(tnode, kind="agent-tool", label=f"MCP server {server}")
                    graph.add_edge(snode, tnode)
                    graph.add_edge(tnode, cnode)
            else:
                graph.add_edge(snode, cnode)
        scope = ("scope", cred.id)
        graph.add_node(scope, kind="scope", label=f"{reach.provider} {reach.scope} scope")
        graph.add_edge(cnode, scope)
        for env in reach.environments:
            enode = ("environment", cred.id, env.value)
            graph.add_node(enode, kind="environment", label=env.value, environment=env)
            graph.add_edge(scope, enode)
            for cap in reach.capabilities or (None,):
                action = cap.action if cap else "review"
                onode = ("operation", cred.id, env.value, action)
                label = cap.action if cap else f"{reach.provider}: unknown reach"
                graph.add_node(onode, kind="operation", label=label,
                               op=Operation(item, env, cap))
                graph.add_edge(enode, onode)
    for transit in transits:
        _add_transit(graph, transit)
    return graph


def _add_transit(graph: nx.DiGraph[tuple[str, ...]], transit: Transit) -> None:
    parent = transit.parent.credential.id
    tnode = ("secret", parent, transit.secret)
    graph.add_node(tnode, kind="secret", label=transit.hop)
    graph.add_edge(("scope", parent), tnode)
    for env in transit.environments:
        enode = ("environment", parent, transit.secret, env.value)
        graph.add_node(enode, kind="environment", label=env.value, environment=env)
        graph.add_edge(tnode, enode)
        for cap in transit.capabilities or (None,):
            action = cap.action if cap else "review"
            onode = ("operation", parent, transit.secret, env.value, action)
            label = cap.action if cap else f"{transit.provider}: unknown reach"
            graph.add_node(onode, kind="operation", label=label,
                           op=Operation(transit.parent, env, cap, transit))
            graph.add_edge(enode, onode)


def _routes_to(graph: nx.DiGraph[tuple[str, ...]],
               node: tuple[str, ...]) -> Iterator[list[tuple[str, ...]]]:
    """Every route from the workspace to ``node``, walked backwards through predecessors.

    The graph is a shallow DAG whose fan-in is one credential's locations, so this stays
    small; searching forwards from the workspace (``nx.all_simple_paths``) visits every
    credential for every operation, which was quadratic on files with thousands of them.
    """
    if node == WORKSPACE:
        yield [node]
        return
    for parent in graph.predecessors(node):
        for route in _routes_to(graph, parent):
            yield [*route, node]


def _source_label(location: Location) -> str:
    return location.source_label()


def paths(graph: nx.DiGraph[tuple[str, ...]]) -> tuple[Path, ...]:
    found = []
    for node, data in graph.nodes(data=True):
        if data["kind"] != "operation":
            continue
        route = min(_routes_to(graph, node))
        found.append(_path(graph, route, data["op"]))
    return tuple(sorted(found, key=lambda p: (-p.severity.rank, p.id)))


def _path(graph: nx.DiGraph[tuple[str, ...]], route: list[tuple[str, ...]], op: Operation) -> Path:
    item, env, cap = op.item, op.environment, op.capability
    reach = item.reach
    known = cap is not None
    provider = op.via.provider if op.via else reach.provider
    action = cap.action if cap is not None else f"{provider}.unknown"
    resource = cap.resource if cap is not None else "unknown"
    destructive = cap.destructive if cap is not None else False
    backups = cap.backups_in_blast_radius if cap is not None else None
    hops = [Hop(str(graph.nodes[n]["kind"]), str(graph.nodes[n]["label"])) for n in route[1:]]
    hops.insert(-1, Hop("resource", resource))
    why = [*reach.why]
    if op.via is not None:
        why.append(op.via.why)  # how the credential reaches this secret (reach/stores.py)
    why.extend(cap.why if cap is not None else ())
    if env is Environment.UNKNOWN:
        why.append("environment unknown: presumed production")
    via = f"|{op.via.secret}" if op.via else ""
    digest = hashlib.sha256(f"{item.credential.id}|{env}|{action}{via}".encode()).hexdigest()
    return Path(
        id="p-" + digest[:12],
        severity=severity(env, destructive, known, bool(cap and cap.mitigations)),
        credential_id=item.credential.id,
        environment=env,
        resource=resource,
        action=action,
        destructive=destructive,
        backups_in_blast_radius=backups,
        hops=tuple(hops),
        why=tuple(dict.fromkeys(why)),
        mitigations=cap.mitigations if cap is not None else (),
        mismatch=reach.mismatch if env in _PRESUMED else None,
    )
