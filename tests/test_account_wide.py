"""Account-wide kinds span every environment of their account, for every provider (issue 20)."""

from __future__ import annotations

from pathlib import Path

from blastscan.scanner.models import Environment, ScanResult

from support import scan

AWS = ("aws_access_key_id = AKIAIQPBV3UE3HEBPE6G\n"
       "aws_secret_access_key = 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\n")
HEROKU = "HEROKU_API_KEY=HRKU-AA4DO2Coi45Bjl4dnWY5elMjxcpH3Q9dgtu0JrpjoJveMu6EPeIoOshAhvqB\n"
WORKFLOW = """on: push
jobs:
  stage:
    environment: staging
    runs-on: ubuntu-latest
    steps: [{run: ./deploy.sh}]
  prod:
    environment: production
    runs-on: ubuntu-latest
    steps: [{run: ./deploy.sh}]
"""


def _repo(tmp_path: Path, files: dict[str, str]) -> ScanResult:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return scan(tmp_path, history=False)


def test_the_environments_the_repository_names_are_all_reached(tmp_path: Path) -> None:
    result = _repo(tmp_path, {"envs/staging/credentials": AWS,
                              ".github/workflows/deploy.yml": WORKFLOW})
    (item,) = result.credentials
    assert item.reach.environments == (Environment.PRODUCTION, Environment.STAGING)
    assert any("account-wide Amazon Web Services" in w and "named here: production, staging"
               in w for w in item.reach.why)
    assert item.reach.mismatch is not None
    assert item.reach.mismatch.startswith("labelled staging (path envs/staging/credentials)")
    assert result.gate.failed


def test_every_hosted_account_kind_not_only_railway_and_supabase(tmp_path: Path) -> None:
    result = _repo(tmp_path, {".env.development": HEROKU})
    (item,) = result.credentials
    assert (item.reach.provider, item.reach.kind) == ("heroku", "api_key")
    assert item.reach.environments == (Environment.UNKNOWN,)  # production presumed
    assert any("so production is presumed" in w for w in item.reach.why)
    assert item.reach.mismatch == (
        "labelled development (path .env.development) but the key opens its hosted Heroku "
        "account: every environment in it")
    assert result.gate.failed


def test_separate_accounts_still_narrow_it(tmp_path: Path) -> None:
    # Two keys whose ids decode to two accounts (058264243668, 411472371549).
    staging = AWS.replace("AKIAIQPBV3UE3HEBPE6G", "AKIAQ3EGRZXKM4PLW7NB")
    other = AWS.replace("AKIAIQPBV3UE3HEBPE6G", "AKIAV7TNKD5ORH2YGQ3C").replace("qJx", "rKy")
    result = _repo(tmp_path, {"envs/staging/credentials": staging,
                              "envs/production/credentials": other,
                              ".github/workflows/deploy.yml": WORKFLOW})
    envs = sorted(i.reach.environments for i in result.credentials)
    assert envs == [(Environment.PRODUCTION,), (Environment.STAGING,)]


def test_environment_scoped_and_self_hosted_kinds_are_not_widened(tmp_path: Path) -> None:
    stripe_test = "STRIPE_SECRET_KEY=sk_test_" + "51Hq8Lz3Rv6Tn1Ym4Kp7Hs2Dj5\n"
    result = _repo(tmp_path, {".env": stripe_test, ".github/workflows/deploy.yml": WORKFLOW})
    (item,) = result.credentials
    assert item.reach.environments == (Environment.TEST,)


def test_a_cli_call_naming_a_production_app_is_target_evidence(tmp_path: Path) -> None:
    result = _repo(tmp_path, {
        ".env.staging": HEROKU,
        "scripts/reset.sh": "#!/bin/sh\nset -a; . ./.env.staging\n"
                            'HEROKU_API_KEY="$HEROKU_API_KEY" heroku pg:reset -a orders-prod '
                            "--confirm orders-prod\n"})
    (item,) = result.credentials
    assert Environment.PRODUCTION in item.reach.environments
    assert any("names the target app 'orders-prod'" in e.reason for e in item.reach.evidence)


def test_a_service_account_file_names_its_project(tmp_path: Path) -> None:
    key = ('{\n  "type": "service_account",\n  "project_id": "orders-prod",\n'
           '  "private_key_id": "1a11464454ee29ff33920722228421531d6ec6bf",\n'
           '  "client_email": "ci@orders-prod.iam.gserviceaccount.com"\n}\n')
    result = _repo(tmp_path, {"ci/staging/sa.json": key})
    (item,) = result.credentials
    assert item.reach.provider == "gcp"
    assert Environment.PRODUCTION in item.reach.environments
    assert any(e.reason == "resource name orders-prod" for e in item.reach.evidence)


def test_a_remote_database_named_for_production_outranks_the_file_label(tmp_path: Path) -> None:
    pw = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"
    result = _repo(tmp_path, {
        ".env.staging": f"DATABASE_URL=postgres://app:{pw}@db.corp.net:5432/orders_prod\n",
        ".env.development": f"DATABASE_URL=postgres://app:{pw}x@localhost:5432/orders_prod\n"})
    by_host = {i.credential.fact("host"): i for i in result.credentials}
    remote, local = by_host["db.corp.net"], by_host["localhost"]
    assert Environment.PRODUCTION in remote.reach.environments
    assert remote.reach.mismatch is not None  # labelled staging, the database says production
    assert local.reach.environments == (Environment.DEVELOPMENT,)
