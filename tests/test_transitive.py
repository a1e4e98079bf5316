"""Transitive paths (issue 4 item 6): a kubeconfig reaches the cluster Secrets the manifests
name, a Vault token the paths and a Doppler token the configs the repository references."""

from __future__ import annotations

import json
from pathlib import Path

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.code import collect
from blastscan.scanner.models import Path as ScanPath
from blastscan.scanner.models import ScanResult, Severity

from support import scan

KUBE_TOKEN = "o2Q1Cnvb5mk0xmaEH8FRbe03cpdGpjVD9bUynk82"
VAULT_TOKEN = ("hvs.Xpa68icaMI0YqG60DY9wiMcymKMBlvvcuWv6qtcH5pz4fQAbNx4xZfHUWDtfPJQ6FGuVTzs6fOWp"
               "EmqKsLAo1iUX34yOvIj")
DOPPLER_TOKEN = "dp.st.prd.QLwXIwnR7VnsisvGHBXQQxDsr5ICCWry5jmmcWqhvUR"
KUBECONFIG = (
    "apiVersion: v1\nkind: Config\nclusters:\n- name: prod-eu\n  cluster:\n"
    "    server: https://k8s.prod.example.net:6443\ncontexts:\n- name: prod\n  context:\n"
    "    cluster: prod-eu\n    user: admin\nusers:\n- name: admin\n  user:\n"
    f"    token: {KUBE_TOKEN}\n")


def _deployment(namespace: str) -> str:
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n"
        f"  namespace: {namespace}\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - name: api\n          env:\n            - name: DATABASE_URL\n"
        "              valueFrom:\n                secretKeyRef:\n                  name: db\n"
        "                  key: DATABASE_URL\n          envFrom:\n"
        "            - secretRef:\n                name: app-env\n")


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _via(result: ScanResult, label: str) -> list[ScanPath]:
    return [p for p in result.paths if any(label in h.label for h in p.hops)]


def test_manifests_yield_secret_usages_without_values() -> None:
    secret = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: stripe\n  namespace: prod\n"
              "stringData:\n  STRIPE_SECRET_KEY: not-shown\n")
    found = {(u.kind, u.value, u.names) for u in collect(Document.of("k8s/a.yaml",
                                                                     _deployment("prod")))}
    assert ("k8s-secret-ref", "prod/db/DATABASE_URL", ("DATABASE_URL",)) in found
    assert ("k8s-secret-ref", "prod/app-env/*", ()) in found
    defined = [(u.kind, u.value, u.line) for u in collect(Document.of("k8s/s.yaml", secret))]
    assert defined == [("k8s-secret", "prod/stripe/STRIPE_SECRET_KEY", 7)]


def test_production_kubeconfig_reaches_the_database_in_a_referenced_secret(
        tmp_path: Path) -> None:
    repo = _write(tmp_path, {"deploy/kubeconfig.yaml": KUBECONFIG,
                             "k8s/prod/api.yaml": _deployment("default")})
    result = scan(repo, history=False)
    (path,) = [p for p in _via(result, "k8s secret db/DATABASE_URL")
               if p.action == "postgres.data.drop"]
    assert path.severity is Severity.CRITICAL
    assert path.environment.value == "production"
    assert any("cluster-admin kubeconfig can read Secret db (key DATABASE_URL)" in w
               and "k8s/prod/api.yaml:" in w for w in path.why)
    # envFrom names no key: the hop is shown, for review.
    (review,) = _via(result, "k8s secret app-env/*")
    assert review.severity is Severity.INFO


def test_staging_namespace_is_not_critical(tmp_path: Path) -> None:
    repo = _write(tmp_path, {"deploy/kubeconfig.yaml": KUBECONFIG,
                             "k8s/api.yaml": _deployment("staging")})
    paths = _via(scan(repo, history=False), "k8s secret db/DATABASE_URL")
    assert paths
    assert {p.environment.value for p in paths} == {"staging"}
    assert all(p.severity is not Severity.CRITICAL for p in paths)


def test_vault_token_reaches_the_paths_a_script_reads(tmp_path: Path) -> None:
    repo = _write(tmp_path, {
        ".env": f"VAULT_TOKEN={VAULT_TOKEN}\n",
        "scripts/sync.sh": "#!/bin/sh\nvault kv get -field=key secret/prod/stripe\n"
                           "vault read database/creds/staging-role\n",
    })
    result = scan(repo, history=False)
    stripe = _via(result, "vault path secret/prod/stripe")
    assert stripe
    assert {p.environment.value for p in stripe} == {"production"}
    assert "stripe.customer.delete" in {p.action for p in stripe}  # "stripe" names the provider
    assert any("scripts/sync.sh:2" in w for p in stripe for w in p.why)
    (creds,) = _via(result, "vault path database/creds/staging-role")
    assert (creds.severity, creds.environment.value) == (Severity.INFO, "staging")


def test_doppler_service_token_reaches_the_production_config(tmp_path: Path) -> None:
    repo = _write(tmp_path, {
        ".env": f"DOPPLER_TOKEN={DOPPLER_TOKEN}\n",
        "bin/migrate.sh": "#!/bin/sh\ndoppler run --config prd -- psql \"$DATABASE_URL\"\n",
    })
    result = scan(repo, history=False)
    paths = _via(result, "doppler config prd")
    assert paths
    assert {p.environment.value for p in paths} == {"production"}
    (drop,) = [p for p in paths if p.action == "postgres.data.drop"]
    assert drop.severity is Severity.CRITICAL
    assert any("every referenced config is kept" in w for w in drop.why)


def test_transitive_output_is_deterministic(tmp_path: Path) -> None:
    repo = _write(tmp_path, {
        "deploy/kubeconfig.yaml": KUBECONFIG, "k8s/prod/api.yaml": _deployment("prod"),
        ".env": f"VAULT_TOKEN={VAULT_TOKEN}\nDOPPLER_TOKEN={DOPPLER_TOKEN}\n",
        "policy.hcl": 'path "secret/data/prod/*" {\n  capabilities = ["read"]\n}\n',
        ".doppler.yaml": "setup:\n  project: api\n  config: prd\n",
    })
    runs = [[(p.id, p.severity, p.hops, p.why) for p in scan(repo, history=False).paths]
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert _via(scan(repo, history=False), "vault path secret/data/prod/*")
    text = json.dumps([str(r) for r in runs[0]])
    for token in (KUBE_TOKEN, VAULT_TOKEN, DOPPLER_TOKEN):
        assert token not in text
