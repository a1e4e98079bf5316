"""Reach, first cut: provider by provider, through the whole engine on small repositories."""

from __future__ import annotations

from pathlib import Path

from blastscan.scanner.models import Confidence, Environment, ScanResult, Scope, Severity

from support import scan

STRIPE_LIVE = "sk_live_eqlidtfaOUwJy0FSlMTVm8cxdcvM7NOYndCqD3oJ"
STRIPE_TEST = "sk_test_eqlidtfaOUwJy0FSlMTVm8cxdcvM7NOYndCqD3oJ"
AWS_ID, AWS_SECRET = "AKIAIQPBV3UE3HEBPE6G", "qJxIpQ6+XAwoshYMz/x2W5gCmFhDMhF2kTMxT60P"
UUID = "529e38fa-2c08-4180-878b-1f20d6f2780a"
PASSWORD = "vuIdx8bscoKcJ9bh20LC"


def _repo(tmp_path: Path, files: dict[str, str]) -> ScanResult:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return scan(tmp_path)


def _worst(result: ScanResult) -> Severity:
    return max((p.severity for p in result.paths), key=lambda s: s.rank)


def test_stripe_live_is_production_even_in_a_staging_file(tmp_path: Path) -> None:
    result = _repo(tmp_path, {".env.staging": f"STRIPE_SECRET_KEY={STRIPE_LIVE}\n"})
    (item,) = result.credentials
    assert item.reach.environments == (Environment.PRODUCTION,)
    assert _worst(result) is Severity.CRITICAL
    assert any(p.action == "stripe.customer.delete" for p in result.paths)


def test_stripe_test_key_is_not_critical(tmp_path: Path) -> None:
    result = _repo(tmp_path, {".env": f"STRIPE_SECRET_KEY={STRIPE_TEST}\n"})
    (item,) = result.credentials
    assert item.reach.environments == (Environment.TEST,)
    assert not result.gate.failed


def test_aws_pair_unknown_environment_is_presumed_production(tmp_path: Path) -> None:
    text = f"aws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n"
    result = _repo(tmp_path, {"deploy/credentials": text})
    (item,) = result.credentials
    assert (item.reach.provider, item.reach.scope) == ("aws", Scope.ACCOUNT)
    assert item.reach.environments == (Environment.UNKNOWN,)
    assert result.gate.failed
    assert any("presumed production" in w for p in result.paths for w in p.why)


def test_aws_pair_in_staging_folder_is_presumed_production(tmp_path: Path) -> None:
    # The folder says where the file is used, not which account the key opens.
    text = f"aws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n"
    result = _repo(tmp_path, {"envs/staging/credentials": text})
    (item,) = result.credentials
    assert item.reach.environments == (Environment.UNKNOWN,)
    assert item.reach.mismatch is not None
    assert item.reach.mismatch.startswith("labelled staging (path envs/staging/credentials)")
    assert "hosted Amazon Web Services account" in item.reach.mismatch
    assert _worst(result) is Severity.CRITICAL
    assert result.gate.failed


def test_aws_staging_label_believed_when_production_key_opens_another_account(
        tmp_path: Path) -> None:
    staging_id, prod_id = "AKIAQ3EGRZXKM4PLW7NB", "AKIAV7TNKD5ORH2YGQ3C"  # two accounts
    prod_secret = AWS_SECRET[::-1]
    result = _repo(tmp_path, {
        "envs/staging/credentials":
            f"aws_access_key_id = {staging_id}\naws_secret_access_key = {AWS_SECRET}\n",
        "envs/production/credentials":
            f"aws_access_key_id = {prod_id}\naws_secret_access_key = {prod_secret}\n",
    })
    envs = {i.credential.fact("account"): i.reach.environments for i in result.credentials}
    assert envs == {"058264243668": (Environment.STAGING,),
                    "411472371549": (Environment.PRODUCTION,)}
    (staging,) = [i for i in result.credentials if i.credential.fact("account") == "058264243668"]
    assert any("not 411472371549" in w for w in staging.reach.why)


def test_aws_staging_label_not_believed_when_both_keys_open_one_account(
        tmp_path: Path) -> None:
    # Two users of the same account: a production-labelled key proves no separation.
    result = _repo(tmp_path, {
        "envs/staging/credentials":
            f"aws_access_key_id = AKIAQ3EGRZXKM4PLW7NB\naws_secret_access_key = {AWS_SECRET}\n",
        "envs/production/credentials":
            f"aws_access_key_id = AKIAQ3EGRZXKM4PLAAAA\n"
            f"aws_secret_access_key = {AWS_SECRET[::-1]}\n",
    })
    staging = [i for i in result.credentials if "staging" in i.credential.locations[0].path]
    assert [i.reach.environments for i in staging] == [(Environment.UNKNOWN,)]


def test_database_url_environment_from_host_and_section(tmp_path: Path) -> None:
    yml = (f"development:\n  url: postgres://app:{PASSWORD}@localhost/app_dev\n"
           f"production:\n  url: postgres://app:{PASSWORD}@db.example.com:5432/app\n")
    result = _repo(tmp_path, {"config/database.yml": yml})
    envs = {item.credential.fact("host"): item.reach.environments for item in result.credentials}
    assert envs == {"localhost": (Environment.DEVELOPMENT,),
                    "db.example.com": (Environment.PRODUCTION,)}
    assert result.gate.failed


def test_railway_name_only_is_account_wide_with_low_confidence(tmp_path: Path) -> None:
    result = _repo(tmp_path, {".env": f"RAILWAY_TOKEN={UUID}\n"})
    (item,) = result.credentials
    assert item.reach.kind == "account_token"
    assert item.reach.confidence is Confidence.LOW
    assert result.gate.failed


def test_railway_project_token_without_environment_is_presumed_production(tmp_path: Path) -> None:
    script = f'curl -H "Project-Access-Token: {UUID}" https://backboard.railway.com/graphql/v2\n'
    result = _repo(tmp_path, {"redeploy.sh": script})
    (item,) = result.credentials
    assert item.reach.kind == "project_token"
    assert item.reach.environments == (Environment.UNKNOWN,)
    assert result.gate.failed


def test_generic_secret_is_info_for_review(tmp_path: Path) -> None:
    result = _repo(tmp_path, {"settings.py": f'PARTNER_API_TOKEN = "{PASSWORD}x9Qz"\n'})
    (item,) = result.credentials
    assert item.reach.provider == "generic"
    assert item.reach.capabilities == ()
    assert [p.severity for p in result.paths] == [Severity.INFO]
    assert not result.gate.failed


def test_same_secret_in_two_files_is_one_credential(tmp_path: Path) -> None:
    line = f"STRIPE_SECRET_KEY={STRIPE_LIVE}\n"
    result = _repo(tmp_path, {".env": line, "scripts/.env.bak": line})
    (item,) = result.credentials
    assert [loc.path for loc in item.credential.locations] == [".env", "scripts/.env.bak"]


def test_report_is_deterministic(tmp_path: Path) -> None:
    files = {".env": f"STRIPE_SECRET_KEY={STRIPE_LIVE}\nRAILWAY_API_TOKEN={UUID}\n"}
    assert _repo(tmp_path, files) == _repo(tmp_path, files)


def test_staging_label_on_an_account_token_is_called_out(tmp_path: Path) -> None:
    result = _repo(tmp_path, {".env.staging": f"RAILWAY_API_TOKEN={UUID}\n"
                                              "# curl -H 'Authorization: Bearer $RAILWAY_API_TOKEN'"
                                              " https://backboard.railway.com/graphql/v2\n"})
    (item,) = result.credentials
    assert item.reach.kind == "account_token"
    assert Environment.PRODUCTION in item.reach.environments
    assert item.reach.mismatch is not None
    assert item.reach.mismatch.startswith("labelled staging (path .env.staging)")
    assert item.reach.mismatch in item.reach.why
    production = [p for p in result.paths if p.environment is Environment.PRODUCTION]
    assert production
    assert all(p.mismatch == item.reach.mismatch for p in production)
    assert result.gate.failed


def test_aliases_join_headers_to_the_credential() -> None:
    from blastscan.scanner.models import Credential, Location, Usage
    from blastscan.scanner.reach.context import RepoEvidence

    cred = Credential("c-1", "sha256:x", "abcd…", "railway", "token", ("railway-token",),
                      (Location(".env", 1),), (("name", "RAILWAY_TOKEN"),))
    usages = [
        Usage("job.py", 3, "alias", "RAILWAY_TOKEN", ("TOKEN",)),
        Usage("job.py", 4, "alias", "TOKEN", ("auth",)),
        Usage("job.py", 9, "header", "project-access-token", ("auth",)),
        Usage("other.py", 2, "header", "authorization: bearer", ("UNRELATED",)),
    ]
    repo = RepoEvidence(usages)
    assert repo.names(cred) == {"RAILWAY_TOKEN", "TOKEN", "auth"}
    headers = [u.value for u in repo.related(cred) if u.kind == "header"]
    assert headers == ["project-access-token"]
