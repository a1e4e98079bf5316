"""Repository-wide evidence the resolvers read, indexed once per scan.

Usages (headers, hosts, operations, ``--environment`` flags) are joined to a
credential when they mention one of its variable names, or when they sit in a file
where the credential itself is defined.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from blastscan.detectors.iac.model import Finding, IamGrant, Protection
from blastscan.detectors.knowledge import Provider, load
from blastscan.scanner import environment
from blastscan.scanner.environment import Clue, Rank
from blastscan.scanner.models import Credential, Environment, Evidence, Usage


class RepoEvidence:
    def __init__(self, usages: Iterable[Usage], infra: Iterable[Finding] = (),
                 knowledge: Mapping[str, Provider] | None = None) -> None:
        # The knowledge base of this scan: the built-in one plus any provider files the
        # repository's configuration adds (kept here, not in a global, per scan).
        self.knowledge: Mapping[str, Provider] = load() if knowledge is None else knowledge
        self.usages = tuple(sorted(set(usages)))
        findings = sorted(set(infra), key=lambda f: (f.path, f.line, repr(f)))
        self.grants = tuple(f for f in findings if isinstance(f, IamGrant))
        self.protections = tuple(f for f in findings if isinstance(f, Protection))
        self._by_name: dict[str, list[Usage]] = defaultdict(list)
        self._by_path: dict[str, list[Usage]] = defaultdict(list)
        self._aliases: dict[str, set[str]] = defaultdict(set)
        for usage in self.usages:
            self._by_path[usage.path].append(usage)
            if usage.kind == "alias":
                self._aliases[usage.value].update(usage.names)
            for name in usage.names:
                self._by_name[name].append(usage)

    def names(self, credential: Credential) -> frozenset[str]:
        """The credential's variable names plus every alias defined from them
        (``TOKEN = os.environ["RAILWAY_TOKEN"]`` makes ``TOKEN`` a name of it)."""
        names = set(credential.facts_for("name"))
        frontier = set(names)
        for _ in range(3):  # aliases of aliases, a few levels deep; no cycles
            frontier = {alias for name in frontier for alias in self._aliases.get(name, ())}
            frontier -= names
            if not frontier:
                break
            names |= frontier
        return frozenset(names)

    def related(self, credential: Credential) -> tuple[Usage, ...]:
        """Usages that mention the credential's variable or share its defining file."""
        found: set[Usage] = set()
        for name in self.names(credential):
            found.update(self._by_name.get(name, ()))
        for location in credential.locations:
            found.update(self._by_path.get(location.path, ()))
        return tuple(sorted(found))

    def environments_seen(self) -> set[Environment]:
        seen = set()
        for usage in self.usages:
            if usage.kind == "environment":
                env = environment.from_word(usage.value)
                if env is not None:
                    seen.add(env)
        return seen


def location_clues(credential: Credential, related: Iterable[Usage]) -> list[Clue]:
    """Environment clues every resolver shares: usage flags, sections, paths, names, hosts."""
    clues: list[Clue] = []
    first = credential.locations[0]
    for usage in related:
        if usage.kind == "environment" and (env := environment.from_word(usage.value)):
            reason = f"used with environment '{usage.value}'"
            clues.append(Clue(env, Rank.USAGE, Evidence(usage.path, usage.line, reason)))
    for linked in credential.facts_for("linked_environment"):
        if env := environment.from_word(linked):
            reason = f"CLI login linked to environment '{linked}'"
            clues.append(Clue(env, Rank.USAGE, Evidence(first.path, first.line, reason)))
    for section in credential.facts_for("section"):
        if env := environment.from_word(section):
            reason = f"under config section '{section}:'"
            clues.append(Clue(env, Rank.SECTION, Evidence(first.path, first.line, reason)))
    for location in credential.locations:
        if env := environment.from_path(location.path):
            reason = f"path {location.path}"
            clues.append(Clue(env, Rank.PATH, Evidence(location.path, location.line, reason)))
    for name in credential.facts_for("name"):
        if env := environment.from_word(name):
            reason = f"variable name {name}"
            clues.append(Clue(env, Rank.NAME, Evidence(first.path, first.line, reason)))
    for host in credential.facts_for("host"):
        if env := environment.from_host(host):
            reason = f"host {host}"
            clues.append(Clue(env, Rank.HOST, Evidence(first.path, first.line, reason)))
    return clues
