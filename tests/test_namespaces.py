"""Kubernetes namespaces are target evidence (issue 20, family 2): kubeconfig contexts,
a Secret manifest's namespace, ``kubectl -n``."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.code import collect

from support import scan_json

runner = CliRunner()
PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"
TOKEN = "Ko5mT8dzbqXyP1VVnf4GDhU3JcXlWIsSeo0gaRZn"
HEROKU = "HRKU-AA4DO2Coi45Bjl4dnWY5elMjxcpH3Q9dgtu0JrpjoJveMu6EPeIoOshAhvqB"


def _scan(tmp_path: Path, files: dict[str, str]) -> dict[str, Any]:
    return scan_json(tmp_path, files, (PW,))


def _secret(namespace: str, key: str, value: str) -> str:
    encoded = base64.b64encode(value.encode()).decode()
    return (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: orders\n  namespace: {namespace}\n"
            f"data:\n  {key}: {encoded}\n")


def _reasons(cred: dict[str, Any]) -> set[str]:
    return {e["reason"] for e in cred["evidence"]}


def _kubeconfig(namespace: str) -> str:
    return ("apiVersion: v1\nkind: Config\nclusters:\n- name: main\n  cluster:\n"
            "    server: https://k8s.corp.net:6443\ncontexts:\n- name: deploy\n  context:\n"
            f"    cluster: main\n    user: ci\n    namespace: {namespace}\n"
            f"users:\n- name: ci\n  user:\n    token: {TOKEN}\n")


def test_a_secret_in_a_production_namespace_holds_a_production_login(tmp_path: Path) -> None:
    url = f"postgres://orders:{PW}@orders-db.corp.net:5432/orders"
    doc = _scan(tmp_path, {"k8s/staging-overlay/secret.yaml": _secret("prod", "DB_URL", url)})
    (cred,) = doc["credentials"]
    assert cred["environments"] == ["production"]  # above the path's staging label
    assert "namespace prod holding kubernetes Secret orders" in _reasons(cred)
    assert doc["gate"]["status"] == "fail"


def test_a_staging_namespace_labels_a_login_but_not_an_account_wide_key(tmp_path: Path) -> None:
    url = f"postgres://orders:{PW}@orders-db.corp.net:5432/orders"
    doc = _scan(tmp_path, {"k8s/db.yaml": _secret("staging", "DB_URL", url)})
    (cred,) = doc["credentials"]
    assert cred["environments"] == ["staging"]
    assert "applied to namespace staging holding kubernetes Secret orders" in _reasons(cred)
    doc = _scan(tmp_path / "wide", {"k8s/heroku.yaml": _secret("staging", "HEROKU_API_KEY",
                                                                HEROKU)})
    (cred,) = doc["credentials"]
    assert cred["provider"] == "heroku"
    assert "production" in cred["environments"] or "unknown" in cred["environments"]
    assert doc["gate"]["status"] == "fail"


def test_a_kubeconfig_context_namespace(tmp_path: Path) -> None:
    doc = _scan(tmp_path, {"ops/kubeconfig.yaml": _kubeconfig("production")})
    (cred,) = doc["credentials"]
    assert cred["environments"] == ["production"]
    assert "namespace production on cluster main" in _reasons(cred)
    # A staging default namespace bounds nothing of a presumed cluster-admin login.
    doc = _scan(tmp_path / "stg", {"ops/kubeconfig.yaml": _kubeconfig("staging")})
    (cred,) = doc["credentials"]
    assert cred["environments"] == ["unknown"]
    assert doc["gate"]["status"] == "fail"


def test_kubectl_n_names_the_namespace() -> None:
    script = "kubectl -n prod --context main delete pvc data\nhelm uninstall x -n stg\n"
    found = {u.value for u in collect(Document.of("deploy.sh", script)) if u.kind == "target"}
    assert found == {"namespace=prod", "context=main", "namespace=stg"}


def test_kubectl_n_prod_in_the_script_that_holds_the_token(tmp_path: Path) -> None:
    script = (f'#!/bin/sh\nK8S_TOKEN="{TOKEN}"\n'
              'kubectl --token "$K8S_TOKEN" -n prod delete pvc orders-data\n')
    doc = _scan(tmp_path, {"scripts/dev/cleanup.sh": script})
    (cred,) = doc["credentials"]
    assert "production" in cred["environments"]
    assert "namespace prod, named by a command it runs" in _reasons(cred)
    staging = script.replace("-n prod", "-n staging")
    doc = _scan(tmp_path / "stg", {"scripts/dev/cleanup.sh": staging})
    (cred,) = doc["credentials"]
    assert not any("namespace staging" in r for r in _reasons(cred))
