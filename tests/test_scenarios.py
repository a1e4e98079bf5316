"""The reach scenarios, each a small repository under fixtures/scenarios, through the CLI.

Each row: the fixture, the exit status, and what the JSON report must (or must not) say.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from blastscan.scanner.cli.main import app

from support import FIXTURES

SCENARIOS = FIXTURES / "scenarios"


def _report(name: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, [str(SCENARIOS / name), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def _critical(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in report["paths"] if p["severity"] == "critical"]


def test_aws_admin_key_reaches_unprotected_production_rds_and_its_backups() -> None:
    code, report = _report("aws_admin_rds")
    assert code == 1
    (rds,) = [p for p in _critical(report) if p["action"] == "aws.rds.delete_db_instance"]
    assert rds["environment"] == "production"
    assert rds["backups_in_blast_radius"] is True
    (cred,) = report["credentials"]
    assert any("AdministratorAccess" in e["reason"] for e in cred["evidence"])


def test_live_stripe_key_in_production_settings_is_critical() -> None:
    code, report = _report("stripe_live")
    assert code == 1
    assert {p["action"] for p in _critical(report)} >= {"stripe.customer.delete"}


def test_test_mode_key_and_live_publishable_key_have_no_critical_path() -> None:
    code, report = _report("stripe_test")
    assert code == 0
    assert not _critical(report)
    assert [c["kind"] for c in report["credentials"]] == ["secret_key"], "pk_live_ is public"


def test_production_database_url_in_database_yml_is_critical() -> None:
    code, report = _report("rails_db")
    assert code == 1
    (cred,) = report["credentials"]
    assert cred["provider"] == "postgres"
    assert cred["environments"] == ["production"]
    assert cred["redacted"].startswith("postgres://shop_app:****@db.shop-internal.net")


def test_compose_local_defaults_report_nothing_above_low() -> None:
    code, report = _report("compose_local")
    assert code == 0
    assert all(p["severity"] in ("low", "info") for p in report["paths"])


def test_production_kubeconfig_with_a_token_is_critical() -> None:
    code, report = _report("kubeconfig_prod")
    assert code == 1
    (cred,) = report["credentials"]
    assert (cred["provider"], cred["environments"]) == ("kubernetes", ["production"])
    assert any(p["action"] == "kubernetes.namespace.delete" for p in _critical(report))


def test_supabase_service_role_key_is_critical_and_anon_key_is_nothing() -> None:
    code, report = _report("supabase_service")
    assert code == 1
    assert report["credentials"][0]["kind"] == "service_role_key"
    code, report = _report("supabase_anon")
    assert code == 0
    assert report["credentials"] == []
    assert report["paths"] == []


def test_railway_token_labelled_staging_but_sent_as_bearer_is_a_mismatch() -> None:
    code, report = _report("railway_staging_bearer")
    assert code == 1
    (cred,) = report["credentials"]
    assert cred["kind"] == "account_token"
    volume = [p for p in _critical(report) if p["action"] == "railway.volume.delete"]
    assert volume
    assert volume[0]["label_scope_mismatch"].startswith("labelled staging")
    assert any("volumeDelete" in w and "reset_staging.sh" in w for w in volume[0]["why"])


@pytest.mark.parametrize("name", ["not_secrets", "compose_local", "supabase_anon"])
def test_ids_checksums_lockfiles_and_example_tokens_are_not_credentials(name: str) -> None:
    _, report = _report(name)
    assert report["credentials"] == []
