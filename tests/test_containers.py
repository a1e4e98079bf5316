"""Credentials inside containers are opened: Docker client configs anywhere (issue 20)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from typer.testing import CliRunner

from blastscan.detectors.base import Document
from blastscan.detectors.knowledge.formats import identify
from blastscan.detectors.registry import scan_document
from blastscan.scanner.cli.main import app

runner = CliRunner()
PAT = "ghp_" + "3fStrhv4zbuIzMIVkmEVuMphPjbqwWZcOTjg"


def _auth(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def _config(registry: str, user: str, password: str) -> str:
    return json.dumps({"auths": {registry: {"auth": _auth(user, password)}}}, indent=2) + "\n"


def _found(path: str, text: str) -> list[tuple[str, str, str]]:
    return [(c.detector, c.provider, c.kind)
            for c in scan_document(Document.of(path, text)).candidates]


def test_the_token_inside_names_the_provider(tmp_path: Path) -> None:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "docker-config.json").write_text(_config("ghcr.io", "ci", PAT))
    got = runner.invoke(app, ["scan", str(tmp_path), "--no-history", "-f", "json"])
    (cred,) = json.loads(got.output)["credentials"]
    assert (cred["provider"], cred["kind"]) == ("github", "classic_pat")
    assert cred["decoded_from"] == ["docker config auths.ghcr.io.auth"]
    assert cred["locations"][0]["line"] == 4  # the ``auth`` line, not the file's first
    assert PAT not in got.output


def test_the_registry_names_it_when_the_token_has_no_format() -> None:
    text = _config("https://index.docker.io/v1/", "ops", "Hq7Tz2Lx9Wv4Rk1Nm6Bc3Jd8")
    assert _found("ci/docker.json", text) == [("docker-config", "dockerhub",
                                               "personal_access_token")]
    assert _found("ci/docker.json", _config("registry.corp.net", "ops", "Hq7Tz2Lx9Wv4Rk1Nm")) == [
        ("docker-config", "generic", "secret")]


def test_anonymous_and_helper_logins_hold_no_credential() -> None:
    assert _found("ci/docker.json", _config("quay.io", "anonymous", "")) == []
    assert _found("ci/docker.json", '{"auths": {"ghcr.io": {}}, "credsStore": "pass"}\n') == []
    assert _found("ci/docker.json", '{"auths": {"x": {"auth": "%%%"}}, "a": [1]}\n') == []


def test_identify_reads_a_bare_token_by_its_format() -> None:
    assert identify(PAT) == ("github", "classic_pat")
    assert identify("not a token at all") is None
    assert identify("4232b9d7-f95b-44b4-b2fe-79a8147c7b66") is None  # a bare UUID proves nothing


PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"


def test_a_spring_datasource_is_one_database_login(tmp_path: Path) -> None:
    res = tmp_path / "src" / "main" / "resources"
    res.mkdir(parents=True)
    (res / "application-prod.properties").write_text(
        "spring.datasource.url=jdbc:postgresql://orders-db.corp.net:5432/orders\n"
        f"spring.datasource.username=orders\nspring.datasource.password={PW}\n")
    (res / "application-dev.yml").write_text(
        "spring:\n  datasource:\n    url: jdbc:postgresql://localhost:5432/orders\n"
        f"    username: orders\n    password: {PW}x\n")
    doc = json.loads(runner.invoke(app, ["scan", str(tmp_path), "--no-history", "-f",
                                         "json"]).output)
    by_host = {c["redacted"].split("@")[1].split("/")[0]: c for c in doc["credentials"]}
    prod, dev = by_host["orders-db.corp.net:5432"], by_host["localhost:5432"]
    assert (prod["provider"], prod["kind"], prod["environments"]) == (
        "postgres", "connection_url", ["production"])
    assert prod["locations"][0]["line"] == 3
    assert dev["environments"] == ["development"]
    assert doc["gate"]["status"] == "fail"  # the production database, not the local one


def test_a_local_or_in_memory_profile_does_not_gate(tmp_path: Path) -> None:
    (tmp_path / "application-test.properties").write_text(
        f"spring.datasource.url=jdbc:h2:mem:test\nspring.datasource.password={PW}\n")
    (tmp_path / "application.yml").write_text(
        "spring:\n  datasource:\n    url: jdbc:mysql://localhost/shop\n"
        f"    password: {PW}\n")
    got = runner.invoke(app, ["scan", str(tmp_path), "--no-history"])
    assert got.exit_code == 0, got.output


def test_an_adonet_connection_string_names_engine_host_and_environment(tmp_path: Path) -> None:
    (tmp_path / "appsettings.Production.json").write_text(
        '{"ConnectionStrings": {"Orders": "Server=tcp:orders.database.windows.net,1433;'
        f'Initial Catalog=orders;User ID=app;Password={PW};Encrypt=True;"}}}}\n')
    (tmp_path / "appsettings.Development.json").write_text(
        '{"ConnectionStrings": {"Orders": "Host=localhost;Port=5432;Database=orders;'
        f'Username=app;Password={PW}x"}}}}\n')
    doc = json.loads(runner.invoke(app, ["scan", str(tmp_path), "--no-history", "-f",
                                         "json"]).output)
    found = {c["provider"]: c for c in doc["credentials"]}
    assert set(found) == {"mssql", "postgres"}
    assert found["mssql"]["environments"] == ["production"]
    assert found["mssql"]["redacted"] == (
        "connection string for app@orders.database.windows.net:1433/orders ****")
    assert found["postgres"]["environments"] == ["development"]
    assert doc["gate"]["status"] == "fail"


def test_connection_strings_without_a_literal_login() -> None:
    for text in ('{"Db": "Server=.;Database=x;Trusted_Connection=True;"}\n',
                 'var cs = $"Server={host};User Id={user};Password={pw};";\n',
                 '"Server=db;Password=;"\n'):
        assert [f for f in _found("app.cs", text) if f[0] == "connection-string"] == []


def _state(rtype: str, name: str, attributes: dict[str, object], mode: str = "managed") -> str:
    return json.dumps({"version": 4, "resources": [{"mode": mode, "type": rtype, "name": name,
                                                    "instances": [{"attributes": attributes}]}]},
                      indent=2) + "\n"


def test_terraform_state_names_the_database_and_its_environment(tmp_path: Path) -> None:
    (tmp_path / "terraform.tfstate").write_text(_state("aws_db_instance", "orders", {
        "identifier": "orders", "engine": "postgres", "port": 5432, "username": "orders",
        "address": "orders.c9akciq32zbx.eu-west-1.rds.amazonaws.com", "password": PW,
        "tags": {"Environment": "production"}}))
    doc = json.loads(runner.invoke(app, ["scan", str(tmp_path), "--no-history", "-f",
                                         "json"]).output)
    (cred,) = doc["credentials"]
    assert (cred["provider"], cred["environments"]) == ("postgres", ["production"])
    assert cred["decoded_from"] == ["terraform state aws_db_instance.orders.password"]
    reasons = [e["reason"] for e in cred["evidence"]]
    assert "tag Environment=production on aws_db_instance.orders" in reasons
    assert doc["gate"]["status"] == "fail"


def test_a_resource_name_says_staging_for_a_database_login(tmp_path: Path) -> None:
    (tmp_path / "terraform.tfstate").write_text(_state("aws_rds_cluster", "shop", {
        "cluster_identifier": "shop-stg", "engine": "aurora-mysql", "master_username": "a",
        "endpoint": "shop-stg.cluster-c9akciq32zbx.rds.amazonaws.com", "master_password": PW}))
    doc = json.loads(runner.invoke(app, ["scan", str(tmp_path), "--no-history", "-f",
                                         "json"]).output)
    (cred,) = doc["credentials"]
    assert (cred["provider"], cred["environments"]) == ("mysql", ["staging"])
    assert any(e["reason"] == "resource name shop-stg on aws_rds_cluster.shop"
               for e in cred["evidence"])


def test_state_without_a_sensitive_attribute_holds_no_credential(tmp_path: Path) -> None:
    assert _found("terraform.tfstate", _state("aws_s3_bucket", "logs", {
        "bucket": "logs", "arn": "arn:aws:s3:::logs", "policy": "{}"})) == []
    assert _found("terraform.tfstate", _state("aws_db_instance", "db", {
        "password": None, "password_wo": None, "password_wo_version": 1})) == []
    # A secret a data source read from a vault is in state in plain text.
    assert _found("terraform.tfstate", _state("aws_secretsmanager_secret_version", "db",
                                              {"secret_string": PW}, mode="data")) == [
        ("tfstate", "generic", "secret")]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_a_kubernetes_secret_is_decoded_and_each_value_read(tmp_path: Path) -> None:
    url = f"postgres://orders:{PW}@orders-db.prod.corp.net:5432/orders"
    docker = json.dumps({"auths": {"ghcr.io": {"auth": _auth("ci", PAT)}}})
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "secrets.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: orders-db\ntype: Opaque\ndata:\n"
        f"  DATABASE_URL: {_b64(url)}\n  LOG_LEVEL: {_b64('debug')}\n---\n"
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\n"
        "type: kubernetes.io/dockerconfigjson\ndata:\n"
        f"  .dockerconfigjson: {_b64(docker)}\n")
    doc = json.loads(runner.invoke(app, ["scan", str(tmp_path), "--no-history", "-f",
                                         "json"]).output)
    by_provider = {c["provider"]: c for c in doc["credentials"]}
    assert set(by_provider) == {"postgres", "github"}  # no generic view of the base64
    pg = by_provider["postgres"]
    assert pg["decoded_from"] == ["kubernetes Secret orders-db data.DATABASE_URL"]
    assert pg["locations"][0]["line"] == 7
    assert pg["environments"] == ["production"]  # from the host the URL names
    gh = by_provider["github"]
    assert gh["decoded_from"] == ["docker config auths.ghcr.io.auth",
                                  "kubernetes Secret pull data..dockerconfigjson"]
    assert doc["gate"]["status"] == "fail"


def test_a_secret_of_settings_only_holds_no_credential() -> None:
    text = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: flags\ndata:\n"
            f"  LOG_LEVEL: {_b64('debug')}\n  REGION: {_b64('eu-west-1')}\n")
    assert _found("k8s/flags.yaml", text) == []


def test_a_secret_value_is_one_credential_not_its_base64_too() -> None:
    text = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ndata:\n"
            f"  API_TOKEN: {_b64(PW + 'Zq9')}\n")
    assert _found("k8s/api.yaml", text) == [("kube-secret", "generic", "secret")]
