"""Environment evidence: words, paths, hosts, and the ranking between them."""

from __future__ import annotations

import pytest

from blastscan.scanner.models import Environment, Evidence
from blastscan.scanner.reach import environment
from blastscan.scanner.reach.environment import Clue, Rank

P, S, D, T = (Environment.PRODUCTION, Environment.STAGING, Environment.DEVELOPMENT,
              Environment.TEST)


@pytest.mark.parametrize(("word", "env"), [
    ("PROD_DATABASE_URL", P), ("production", P), ("STAGING_TOKEN", S), ("stg", S),
    ("dev-db", D), ("product_id", None), ("STRIPE_KEY", None), ("prod_and_staging", None),
])
def test_from_word(word: str, env: Environment | None) -> None:
    assert environment.from_word(word) is env


@pytest.mark.parametrize(("path", "env"), [
    (".env.production", P), (".env.staging", S), (".env.local", D), (".env.test", T),
    ("deploy/prod/values.yaml", P), ("envs/staging/main.tf", S), ("tests/fixtures/a.env", T),
    ("prod.tfvars", P), ("src/app.py", None), (".env", None), (".env.example", None),
    ("products/catalog.py", None),
])
def test_from_path(path: str, env: Environment | None) -> None:
    assert environment.from_path(path) is env


@pytest.mark.parametrize(("host", "env"), [
    ("localhost", D), ("127.0.0.1", D), ("db", D), ("prod-db.example.com", P),
    ("staging.db.internal", S), ("abc.proxy.rlwy.net", None),
])
def test_from_host(host: str, env: Environment | None) -> None:
    assert environment.from_host(host) is env


def _clue(env: Environment, rank: Rank, reason: str) -> Clue:
    return Clue(env, rank, Evidence("f", 1, reason))


def test_no_clue_is_unknown_and_presumed_production() -> None:
    envs, why = environment.choose([])
    assert envs == (Environment.UNKNOWN,)
    assert "presumed production" in why[0]


def test_strongest_clue_wins() -> None:
    envs, _ = environment.choose([_clue(T, Rank.KEY, "test key"), _clue(S, Rank.PATH, "path")])
    assert envs == (T,)


def test_weaker_production_evidence_is_never_dropped() -> None:
    clues = [_clue(S, Rank.PATH, "path .env.staging"), _clue(P, Rank.HOST, "host prod-db")]
    envs, why = environment.choose(clues)
    assert envs == (P, S)
    assert any("labelled staging" in w and "host prod-db" in w for w in why)
