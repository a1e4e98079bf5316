"""Knowledge-base target names (issue 20, family 2): a Heroku key's app, a managed database
host's instance name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from blastscan.detectors.knowledge.loader import load

from support import scan_json

runner = CliRunner()
HEROKU = "HRKU-AA4DO2Coi45Bjl4dnWY5elMjxcpH3Q9dgtu0JrpjoJveMu6EPeIoOshAhvqB"
PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"
RDS = "c9akciq32zbx.eu-west-1.rds.amazonaws.com"


def _scan(tmp_path: Path, files: dict[str, str]) -> dict[str, Any]:
    return scan_json(tmp_path, files, (PW, HEROKU))


def _reasons(cred: dict[str, Any]) -> set[str]:
    return {e["reason"] for e in cred["evidence"]}


def test_a_heroku_app_named_beside_the_key(tmp_path: Path) -> None:
    doc = _scan(tmp_path, {".env.staging": f"HEROKU_API_KEY={HEROKU}\nHEROKU_APP=orders-prod\n"})
    (cred,) = doc["credentials"]
    assert cred["environments"] == ["production"]
    assert "resource name orders-prod" in _reasons(cred)


def test_heroku_near_misses(tmp_path: Path) -> None:
    # Another variable, a staging app (no narrowing of an account key), a computed name.
    for i, extra in enumerate(("MY_HEROKU_APPS=orders-prod", "HEROKU_APP=orders-staging",
                               "HEROKU_APP=$APP")):
        (tmp_path / str(i)).mkdir()
        doc = _scan(tmp_path / str(i), {".env": f"HEROKU_API_KEY={HEROKU}\n{extra}\n"})
        (cred,) = doc["credentials"]
        assert not any(r.startswith("resource name") and "prod" in r for r in _reasons(cred))
        assert cred["environments"] == ["unknown"]
        assert doc["gate"]["status"] == "fail"


def test_an_rds_instance_named_for_production(tmp_path: Path) -> None:
    url = f"DATABASE_URL=postgres://orders:{PW}@orders-prod.{RDS}:5432/orders\n"
    doc = _scan(tmp_path, {".env.development": url})
    (cred,) = doc["credentials"]
    assert cred["environments"] == ["production"]  # above the file's development label
    assert "PostgreSQL instance name orders-prod (the first label of its host)" in _reasons(cred)
    assert doc["gate"]["status"] == "fail"


def test_host_names_outside_named_hosts_stay_host_clues(tmp_path: Path) -> None:
    # A self-hosted server's name is a host clue (weakest), not the target's own name.
    url = f"DATABASE_URL=postgres://orders:{PW}@orders-prod.corp.net:5432/orders\n"
    doc = _scan(tmp_path, {".env.development": url})
    (cred,) = doc["credentials"]
    assert not any("instance name" in r for r in _reasons(cred))
    assert "host orders-prod.corp.net" in _reasons(cred)


def test_named_hosts_are_listed_hosts_with_sources() -> None:
    kb = load()
    named = {p.id: p.named_hosts for p in kb.values() if p.named_hosts}
    assert named == {"postgres": ("*.rds.amazonaws.com",), "mysql": ("*.rds.amazonaws.com",),
                     "mssql": ("*.database.windows.net",)}
    for provider, patterns in named.items():
        assert set(patterns) <= set(kb[provider].hosts)
