"""Repository-wide evidence the resolvers read, indexed once per scan.

Usages (headers, hosts, operations, ``--environment`` flags) are joined to a
credential when they mention one of its variable names, or when they sit in a file
where the credential itself is defined.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from blastscan.detectors.evidence.iac.model import Finding, IamGrant, Protection, TargetTag
from blastscan.detectors.knowledge.loader import Provider, load
from blastscan.detectors.match.filters import is_local_host
from blastscan.scanner.models import Credential, Environment, Evidence, Usage
from blastscan.scanner.reach import environment
from blastscan.scanner.reach.environment import Clue, Rank

# Facts that name the one hosted project or account a key opens (Supabase's ``ref``, the
# AWS account); a database URL's host and port name its server.
TARGET_FACTS = ("ref", "account")


class RepoEvidence:
    def __init__(self, usages: Iterable[Usage], infra: Iterable[Finding] = (),
                 knowledge: Mapping[str, Provider] | None = None,
                 credentials: Iterable[Credential] = ()) -> None:
        # The knowledge base of this scan: the built-in one plus any provider files the
        # repository's configuration adds (kept here, not in a global, per scan).
        self.knowledge: Mapping[str, Provider] = load() if knowledge is None else knowledge
        self.usages = tuple(sorted(set(usages)))
        findings = sorted(set(infra), key=lambda f: (f.path, f.line, repr(f)))
        self.grants = tuple(f for f in findings if isinstance(f, IamGrant))
        self.protections = tuple(f for f in findings if isinstance(f, Protection))
        self._tags: dict[str, list[TargetTag]] = defaultdict(list)  # by module directory
        for f in findings:
            if isinstance(f, TargetTag):
                self._tags[f.path.rpartition("/")[0]].append(f)
        self._by_name: dict[str, list[Usage]] = defaultdict(list)
        self._by_path: dict[str, list[Usage]] = defaultdict(list)
        self._aliases: dict[str, set[str]] = defaultdict(set)
        self.credentials = tuple(credentials)  # every credential of the scan (peers)
        self._production: dict[str, dict[str, Credential]] = {}
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

    def named(self, credential: Credential) -> tuple[Usage, ...]:
        """Usages that mention one of the credential's variable names (not its file's)."""
        found = {u for name in self.names(credential) for u in self._by_name.get(name, ())}
        return tuple(sorted(found))

    def related(self, credential: Credential) -> tuple[Usage, ...]:
        """Usages that mention the credential's variable or share its defining file."""
        found: set[Usage] = set()
        for name in self.names(credential):
            found.update(self._by_name.get(name, ()))
        for location in credential.locations:
            found.update(self._by_path.get(location.path, ()))
        return tuple(sorted(found))

    def target_clues(self, credential: Credential) -> list[Clue]:
        """What the repository calls the credential's target (issue 20): the name a managed
        database host carries (:meth:`_host_name`), and the environment tags of the Terraform
        module the credential is written in — those of its provider's resources and
        ``default_tags``, and of the block it sits in, whichever provider that is."""
        clues = self._host_name(credential)
        if not self._tags:
            return clues
        for location in credential.locations:
            for tag in self._tags.get(location.path.rpartition("/")[0], ()):
                inside = tag.path == location.path and tag.line <= location.line <= tag.end_line
                env = environment.from_word(tag.environment)
                if env is not None and (inside or tag.provider == credential.provider):
                    reason = f"tag {tag.tag} on {tag.resource}"
                    clues.append(Clue(env, Rank.TARGET, Evidence(tag.path, tag.line, reason)))
        return list(dict.fromkeys(clues))

    def _host_name(self, credential: Credential) -> list[Clue]:
        """``orders-prod.c9akciq32zbx.eu-west-1.rds.amazonaws.com``: a host whose first label
        the knowledge base says is the resource's own name (``named_hosts``)."""
        host = credential.fact("host")
        provider = self.knowledge.get(credential.provider)
        if not host or provider is None or not provider.named_hosts:
            return []
        if not any(fnmatch.fnmatchcase(host, p) for p in provider.named_hosts):
            return []
        name = host.split(".", 1)[0]
        env = environment.from_word(name)
        if env is None:
            return []
        first = credential.locations[0]
        reason = f"{provider.name} instance name {name} (the first label of its host)"
        return [Clue(env, Rank.TARGET, Evidence(first.path, first.line, reason))]

    def separate_target(self, credential: Credential) -> str | None:
        """Why a non-production label on a hosted key can be believed, or None: another
        key of the provider, labelled production, opens a different project or account."""
        mine = _target(credential)
        if mine is None:
            return None
        production = self._production_targets(credential.provider)
        if not production or mine in production:
            return None
        other_id, other = sorted(production.items())[0]
        where = other.locations[0].label()
        return (f"target {mine} is not {other_id}, the one the production-labelled key at "
                f"{where} opens: a separate project")

    def separated(self, credential: Credential) -> bool:
        """The repository keeps this provider's environments in separate accounts: this
        key's label is believed (:meth:`separate_target`), or its production account is
        one of several the provider's keys open (a per-environment account layout)."""
        mine = _target(credential)
        if mine is None:
            return False
        production = self._production_targets(credential.provider)
        if not production:
            return False
        if mine not in production:
            return True
        return any(_target(peer) not in (None, *production) for peer in self.credentials
                   if peer.provider == credential.provider)

    def _production_targets(self, provider: str) -> dict[str, Credential]:
        found = self._production.get(provider)
        if found is None:
            found = {}
            for peer in self.credentials:
                target = _target(peer) if peer.provider == provider else None
                if target is not None and any(
                        c.environment is Environment.PRODUCTION
                        for c in location_clues(peer, self.related(peer),
                                                self.target_clues(peer))):
                    found.setdefault(target, peer)
            self._production[provider] = found
        return found

    def environments_seen(self) -> set[Environment]:
        seen = set()
        for usage in self.usages:
            if usage.kind == "environment":
                env = environment.from_word(usage.value)
                if env is not None:
                    seen.add(env)
        return seen


# Facts read as environment evidence: key, rank, reader, reason. Clue order matters (the
# first production clue is the one a mismatch names), so paths sit between the halves.
_Reader = tuple[str, Rank, Callable[[str], Environment | None], str]
_BEFORE_PATHS: tuple[_Reader, ...] = (
    ("linked_environment", Rank.USAGE, environment.from_word,
     "CLI login linked to environment '{}'"),
    ("section", Rank.SECTION, environment.from_word, "under config section '{}:'"),
)
_AFTER_PATHS: tuple[_Reader, ...] = (
    ("name", Rank.NAME, environment.from_word, "variable name {}"),
    ("host", Rank.HOST, environment.from_host, "host {}"),
)


def location_clues(credential: Credential, related: Iterable[Usage],
                   tagged: Iterable[Clue] = ()) -> list[Clue]:
    """Environment clues every resolver shares: usage flags, the target's own names and
    tags (``tagged``: :meth:`RepoEvidence.target_clues`), sections, paths, names, hosts."""
    clues: list[Clue] = []
    for usage in related:
        if usage.kind == "environment" and (env := environment.from_word(usage.value)):
            reason = f"used with environment '{usage.value}'"
            clues.append(Clue(env, Rank.USAGE, Evidence(usage.path, usage.line, reason)))
        elif usage.kind == "target":
            clues.extend(_command_target(credential, usage))
    clues.extend(_target_clues(credential))
    clues.extend(tagged)
    clues.extend(_namespace_clues(credential))
    clues.extend(_fact_clues(credential, _BEFORE_PATHS))
    for location in credential.locations:
        if env := environment.from_path(location.path):
            reason = f"path {location.path}"
            clues.append(Clue(env, Rank.PATH, Evidence(location.path, location.line, reason)))
    clues.extend(_fact_clues(credential, _AFTER_PATHS))
    return clues


def _target_clues(credential: Credential) -> Iterable[Clue]:
    """What the target itself is called (issue 20): a resource's ``Environment`` tag, then
    its identifier (``orders-prod``) — they name what the key reaches, not where a file is."""
    first = credential.locations[0]
    resource = credential.fact("resource")
    on = f" on {resource}" if resource else ""
    readers: list[tuple[str, Callable[[str], Environment | None], str]] = [
        ("target_tag", lambda v: environment.from_word(v.partition("=")[2]), "tag {}{}"),
        ("target_name", environment.from_word, "resource name {}{}")]
    host = credential.fact("host")
    if host is not None and not is_local_host(host):
        # ``…/orders_prod``: the database on a remote server (a local copy may be named
        # after production; its host says what it is).
        readers.append(("database", environment.from_word, "database name {}{}"))
    for key, read, reason in readers:
        for value in credential.facts_for(key):
            if env := read(value):
                yield Clue(env, Rank.TARGET, Evidence(first.path, first.line,
                                                      reason.format(value, on)))
                return  # the strongest naming of the target is enough


def _command_target(credential: Credential, usage: Usage) -> Iterable[Clue]:
    """``heroku -a orders-prod``, ``kubectl -n prod``: what a command it runs acts on."""
    noun, _, value = usage.value.rpartition("=")
    env = environment.from_word(value)
    if env is None:
        return
    if noun != "namespace":
        reason = f"a command it runs names the target {noun} '{value}'".replace("  ", " ")
        yield Clue(env, Rank.TARGET, Evidence(usage.path, usage.line, reason))
        return
    cluster = credential.fact("cluster") or credential.fact("server")
    on = f" on cluster {cluster}" if cluster else ""
    # A namespace is no boundary of a cluster login: production there is what it reaches,
    # a staging namespace does not make the rest of the cluster out of reach.
    if env is Environment.PRODUCTION:
        reason = f"namespace {value}{on}, named by a command it runs"
        yield Clue(env, Rank.TARGET, Evidence(usage.path, usage.line, reason))


def _namespace_clues(credential: Credential) -> Iterable[Clue]:
    """The Kubernetes namespace a kubeconfig context or a Secret manifest names (issue 20).

    ``prod`` is target evidence: the cluster login reaches it, and a Secret there is read
    by production workloads. Any other namespace is at most a label of a Secret's
    manifest (where it is applied); for a kubeconfig, presumed cluster-admin, it names
    only the default namespace, never a bound."""
    first = credential.locations[0]
    secret = next((c.rsplit(" ", 1)[0] for c in credential.facts_for("container")
                   if c.startswith("kubernetes Secret ")), None)
    cluster = credential.fact("cluster") or credential.fact("server")
    on = f" holding {secret}" if secret else f" on cluster {cluster}" if cluster else ""
    for namespace in credential.facts_for("namespace"):
        env = environment.from_word(namespace)
        if env is Environment.PRODUCTION:
            reason = f"namespace {namespace}{on}"
            yield Clue(env, Rank.TARGET, Evidence(first.path, first.line, reason))
        elif env is not None and secret is not None:
            reason = f"applied to namespace {namespace}{on}"
            yield Clue(env, Rank.SECTION, Evidence(first.path, first.line, reason))


def _target(credential: Credential) -> str | None:
    found = next((v for key in TARGET_FACTS for v in credential.facts_for(key)), None)
    if found is None and (host := credential.fact("host")):  # a database URL's server
        port = credential.fact("port")
        found = f"{host}:{port}" if port else host
    return found


def _fact_clues(credential: Credential, readers: tuple[_Reader, ...]) -> Iterable[Clue]:
    first = credential.locations[0]
    for key, rank, read, reason in readers:
        for value in credential.facts_for(key):
            if env := read(value):
                yield Clue(env, rank, Evidence(first.path, first.line, reason.format(value)))
