"""Environment evidence: which of production / staging / development / test a thing is.

Words are matched as whole tokens (``prod-db`` yes, ``product`` no). Ranking follows the
issue's order, strongest first: the key itself, the token's scope, how code uses it
(``--environment staging``), config sections (``production:`` in database.yml), paths
(``.env.production``), variable names (``PROD_``), hostnames. Production evidence at
any rank is never overruled by a weaker "staging" label: that mismatch is exactly the
incident's failure mode, so it is kept and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from blastscan.scanner.models import Environment, Evidence

_WORDS: dict[str, Environment] = {
    **dict.fromkeys(("prod", "production", "prd", "live"), Environment.PRODUCTION),
    **dict.fromkeys(("staging", "stage", "stg", "preprod", "uat"), Environment.STAGING),
    **dict.fromkeys(("dev", "development", "develop", "local", "sandbox", "preview", "qa"),
                    Environment.DEVELOPMENT),
    **dict.fromkeys(("test", "tests", "testing", "spec", "specs", "fixtures", "__tests__", "ci"),
                    Environment.TEST),
}
_TOKEN = re.compile(r"[a-z0-9]+|__tests__")
_LOCAL_HOST = re.compile(r"^(?:localhost|127(?:\.\d+){3}|0\.0\.0\.0|::1|host\.docker\.internal)$")


class Rank(IntEnum):
    KEY = 1
    SCOPE = 2
    TARGET = 3  # what the key is configured against (a local stack's URL), above labels
    USAGE = 4
    SECTION = 5
    PATH = 6
    NAME = 7
    HOST = 8


@dataclass(frozen=True, slots=True)
class Clue:
    environment: Environment
    rank: Rank
    evidence: Evidence


def from_word(text: str) -> Environment | None:
    """The environment a word or identifier names, if any (``PROD_DB`` → production)."""
    found = {_WORDS[t] for t in _TOKEN.findall(text.lower()) if t in _WORDS}
    return found.pop() if len(found) == 1 else None


def from_path(path: str) -> Environment | None:
    parts = path.lower().split("/")
    name = parts[-1]
    if name.startswith(".env.") or name.endswith((".tfvars", ".yml", ".yaml", ".json", ".toml",
                                                   ".properties")):
        env = from_word(name.removeprefix(".env.").rsplit(".", 1)[0])
        if env is not None:
            return env
    for part in reversed(parts[:-1]):
        if part in _WORDS:
            return _WORDS[part]
    if name.startswith("test_") or name.endswith(("_test.py", ".test.js", ".test.ts", ".spec.ts")):
        return Environment.TEST
    return None


def from_host(host: str) -> Environment | None:
    if _LOCAL_HOST.match(host.lower()) or "." not in host:
        return Environment.DEVELOPMENT  # only reachable from this machine or a compose network
    return from_word(host)


def choose(clues: list[Clue]) -> tuple[tuple[Environment, ...], tuple[str, ...]]:
    """The environments the strongest clues name, plus why lines (mismatches included)."""
    if not clues:
        return (Environment.UNKNOWN,), ("environment unknown: no evidence, presumed production",)
    best = min(c.rank for c in clues)
    chosen = {c.environment for c in clues if c.rank == best}
    why = [f"{c.environment} ({c.evidence.reason})" for c in clues if c.rank == best]
    weaker_prod = [c for c in clues if c.environment is Environment.PRODUCTION and c.rank != best]
    if weaker_prod and Environment.PRODUCTION not in chosen:
        chosen.add(Environment.PRODUCTION)
        labels = ", ".join(sorted(e for e in chosen if e is not Environment.PRODUCTION))
        why.append(f"labelled {labels} but {weaker_prod[0].evidence.reason} says production")
    ordered = tuple(e for e in Environment if e in chosen)
    return ordered, tuple(dict.fromkeys(why))


# Ranks that describe where a value is kept (a config section, a path, a variable name,
# a host word), not what the value is: for a hosted target they are not evidence.
LABELS = frozenset({Rank.SECTION, Rank.PATH, Rank.NAME, Rank.HOST})


def label_only(clues: list[Clue], environments: tuple[Environment, ...]) -> Clue | None:
    """The file label that alone makes ``environments`` non-production, if that is all.

    A key to a hosted project reaches that one project from any file: ``.env.local``
    says where the file is used, not which project the key opens.
    """
    if not clues or Environment.PRODUCTION in environments:
        return None
    best = min(c.rank for c in clues)
    if best not in LABELS:
        return None
    return next(c for c in clues if c.rank == best)


def mismatch(clues: list[Clue], environments: tuple[Environment, ...],
             spans: bool) -> str | None:
    """The incident's failure mode: labelled non-production, yet reaching production."""
    if Environment.PRODUCTION not in environments:
        return None
    labels = sorted({c.environment for c in clues} - {Environment.PRODUCTION})
    if not labels:
        return None
    label_why = next(c.evidence.reason for c in clues if c.environment == labels[0])
    if spans:
        return f"labelled {', '.join(labels)} ({label_why}) but its scope spans production"
    prod = next(c.evidence.reason for c in clues if c.environment is Environment.PRODUCTION)
    return f"labelled {', '.join(labels)} ({label_why}) but {prod} says production"
