"""Terraform tags name what a module's credentials reach (issue 20, family 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from blastscan.detectors.base import Document
from blastscan.detectors.evidence import iac

from support import scan_json

runner = CliRunner()
KEY_ID, SECRET = "AKIAIQPBV3UE3HEBPE6G", "qJxIpQ6+XAwoshYMz/x2W5gCmFhDMhF2kTMxT60P"
PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"
PROVIDER = f'provider "aws" {{\n  access_key = "{KEY_ID}"\n  secret_key = "{SECRET}"\n}}\n'


def _scan(tmp_path: Path, files: dict[str, str]) -> dict[str, Any]:
    return scan_json(tmp_path, files, (SECRET, PW))


def _resource(kind: str, name: str, tags: str, body: str = "") -> str:
    return f'resource "{kind}" "{name}" {{\n{body}  tags = {{\n    {tags}\n  }}\n}}\n'


def _aws(doc: dict[str, Any]) -> dict[str, Any]:
    (cred,) = [c for c in doc["credentials"] if c["provider"] == "aws"]
    return cred


def test_a_production_tag_in_the_module_names_the_providers_key(tmp_path: Path) -> None:
    main = PROVIDER + _resource("aws_db_instance", "orders", 'Environment = "production"')
    cred = _aws(_scan(tmp_path, {"infra/staging-copy/main.tf": main}))
    assert "production" in cred["environments"]
    assert any(e["reason"] == "tag Environment=production on aws_db_instance.orders"
               and e["line"] == 5 for e in cred["evidence"])


def test_default_tags_of_the_provider(tmp_path: Path) -> None:
    main = ('provider "aws" {\n  default_tags {\n    tags = { stage = "prod" }\n  }\n}\n')
    tfvars = f'access_key = "{KEY_ID}"\nsecret_key = "{SECRET}"\n'
    cred = _aws(_scan(tmp_path, {"infra/main.tf": main, "infra/terraform.tfvars": tfvars}))
    assert "production" in cred["environments"]
    assert "tag stage=prod on provider aws default_tags" in {e["reason"]
                                                            for e in cred["evidence"]}


def test_a_secret_inside_a_tagged_block_whatever_its_provider(tmp_path: Path) -> None:
    body = f'  engine = "postgres"\n  password = "{PW}"\n'
    main = _resource("aws_db_instance", "orders", 'env = "production"', body)
    doc = _scan(tmp_path, {"dev/main.tf": main})
    (cred,) = [c for c in doc["credentials"] if c["locations"][0]["line"] == 3]
    assert cred["environments"] == ["production"]  # above the dev/ path label
    assert "tag env=production on aws_db_instance.orders" in {e["reason"]
                                                             for e in cred["evidence"]}


def test_near_misses_tag_nothing(tmp_path: Path) -> None:
    # Another module's tags, another provider's resources, computed and unrelated tags.
    files = {"infra/a/main.tf": PROVIDER,
             "infra/b/main.tf": _resource("aws_s3_bucket", "b", 'Environment = "production"'),
             "infra/a/gcp.tf": 'resource "google_sql_database_instance" "x" {\n'
                               '  labels = { env = "prod" }\n}\n',
             "infra/a/other.tf": _resource("aws_instance", "i", "Environment = var.env\n"
                                           '    Owner = "prod-team"')}
    cred = _aws(_scan(tmp_path, files))
    assert not any("tag " in e["reason"] for e in cred["evidence"])
    assert cred["environments"] == ["unknown"]


def test_a_staging_tag_does_not_narrow_an_account_wide_key(tmp_path: Path) -> None:
    main = PROVIDER + _resource("aws_s3_bucket", "assets", 'Environment = "staging"')
    doc = _scan(tmp_path, {"infra/main.tf": main})
    assert _aws(doc)["environments"] == ["unknown"]
    assert doc["gate"]["status"] == "fail"


def test_the_tag_findings() -> None:
    text = (_resource("aws_db_instance", "a", 'Environment = "production"')
            + _resource("azurerm_postgresql_server", "b", 'env = "stg"'))
    tags = [f for f in iac.collect(Document.of("m.tf", text)) if isinstance(f, iac.TargetTag)]
    assert [(t.resource, t.provider, t.tag, t.environment, t.line, t.end_line) for t in tags] == [
        ("aws_db_instance.a", "aws", "Environment=production", "production", 1, 5),
        ("azurerm_postgresql_server.b", "azure", "env=stg", "staging", 6, 10)]
