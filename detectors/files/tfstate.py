"""``tfstate``: secrets in Terraform state, with the resource they belong to.

State (``terraform.tfstate``, ``*.tfstate.backup``; format version 4,
developer.hashicorp.com/terraform/language/state) stores every attribute in plain text,
including those a provider marks sensitive (``sensitive_attributes`` lists their paths).
Read as text, ``"password": "…"`` was a generic secret; read as state, the password
of an ``aws_db_instance`` is a login to that database's ``address`` and ``engine``, the
``secret`` of an ``aws_iam_access_key`` is that key's secret, and the resource's name and
``Environment`` tag say which environment it is (target evidence, issue 20).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.providers.aws import account_id
from blastscan.scanner.models import Candidate

_SECRET_NAME = re.compile(r"(?:^|_)(?:password|passwd|secret|token|private_key|access_key|"
                          r"connection_string|client_secret|api_key)(?:$|_)")
_NOT_SECRET = re.compile(r"(?:_id|_arn|_length|_version|_wo|_enabled|_policy|_rotation\w*)$")
# Database engines of aws_db_instance / aws_rds_cluster (registry.terraform.io/providers/
# hashicorp/aws/latest/docs/resources/db_instance, "engine").
_ENGINES = (("postgres", "postgres"), ("aurora-postgresql", "postgres"), ("mysql", "mysql"),
            ("mariadb", "mysql"), ("aurora-mysql", "mysql"), ("aurora", "mysql"),
            ("sqlserver", "mssql"))
_DATABASES = ("aws_db_instance", "aws_rds_cluster")
_PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"


def _resources(doc: Document) -> Iterator[tuple[str, str, dict[str, Any], set[str]]]:
    """(type, name, attributes, sensitive attribute names) of each resource instance."""
    try:
        state = json.loads(doc.text)
    except (ValueError, RecursionError):
        return
    resources = state.get("resources") if isinstance(state, dict) else None
    for resource in resources if isinstance(resources, list) else ():
        # Data sources too: a secret read from a vault lands in state in plain text.
        if not isinstance(resource, dict) or resource.get("mode") not in ("managed", "data"):
            continue
        for instance in resource.get("instances") or ():
            attributes = instance.get("attributes") if isinstance(instance, dict) else None
            if isinstance(attributes, dict):
                marked = {step.get("value") for path in instance.get("sensitive_attributes") or ()
                          if isinstance(path, list) for step in path[:1] if isinstance(step, dict)}
                yield (str(resource.get("type")), str(resource.get("name")), attributes,
                       {m for m in marked if isinstance(m, str)})


def _is_secret(name: str, marked: set[str]) -> bool:
    return name in marked or bool(_SECRET_NAME.search(name) and not _NOT_SECRET.search(name))


def _targets(rtype: str, rname: str, attributes: dict[str, Any]) -> list[tuple[str, str]]:
    """Facts naming the resource and its environment (its tag, its identifiers)."""
    facts = [("resource", f"{rtype}.{rname}")]
    tags = attributes.get("tags") or attributes.get("labels") or {}
    for key in ("Environment", "environment", "Env", "env", "Stage", "stage"):
        if isinstance(tags, dict) and isinstance(tags.get(key), str):
            facts.append(("target_tag", f"{key}={tags[key]}"))
            break
    for key in ("identifier", "cluster_identifier", "name", "bucket"):
        if isinstance(attributes.get(key), str) and attributes[key]:
            facts.append(("target_name", attributes[key]))
            break
    return facts


class TfstateDetector:
    id = "tfstate"
    keywords = ("file:.tfstate", "file:.tfstate.backup")
    positives = (
        Sample("infra/terraform.tfstate", json.dumps({"version": 4, "resources": [{
            "mode": "managed", "type": "aws_db_instance", "name": "orders", "instances": [{
                "attributes": {"identifier": "orders-prod", "engine": "postgres",
                               "address": "orders-prod.c9akciq32zbx.eu-west-1.rds.amazonaws.com",
                               "port": 5432, "username": "orders", "password": _PW,
                               "db_name": "orders", "tags": {"Environment": "production"}},
                "sensitive_attributes": [[{"type": "get_attr", "value": "password"}]]}]}]},
            indent=2) + "\n"),
        Sample("state/prod.tfstate.backup", json.dumps({"version": 4, "resources": [{
            "mode": "managed", "type": "aws_rds_cluster", "name": "shop", "instances": [{
                "attributes": {"cluster_identifier": "shop-prd", "engine": "aurora-mysql",
                               "endpoint": "shop-prd.cluster-c9akciq32zbx.rds.amazonaws.com",
                               "master_username": "admin", "master_password": _PW}}]}]},
            indent=2) + "\n"),
    )
    negatives = (
        Sample("terraform.tfstate", json.dumps({"version": 4, "resources": [{
            "mode": "managed", "type": "aws_s3_bucket", "name": "logs", "instances": [{
                "attributes": {"bucket": "logs", "arn": "arn:aws:s3:::logs"}}]}]}) + "\n"),
        Sample("terraform.tfstate", json.dumps({"version": 4, "resources": [{  # write-only
            "mode": "managed", "type": "aws_db_instance", "name": "db", "instances": [{
                "attributes": {"password": None, "password_wo": None,
                               "password_wo_version": 1}}]}]}) + "\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        for rtype, rname, attributes, marked in _resources(doc):
            targets = _targets(rtype, rname, attributes)
            for name, value in sorted(attributes.items()):
                if isinstance(value, str) and len(value) >= 6 and _is_secret(name, marked):
                    yield self._candidate(doc, rtype, attributes, name, value, targets)

    def _candidate(self, doc: Document, rtype: str, attributes: dict[str, Any], name: str,
                   value: str, targets: list[tuple[str, str]]) -> Candidate:
        at = max(doc.text.find(json.dumps(value)), 0) + 1
        facts = [*targets, ("name", name), ("container", f"terraform state {targets[0][1]}.{name}")]
        if rtype in _DATABASES and name in ("password", "master_password"):
            engine = str(attributes.get("engine") or "")
            provider = next((p for e, p in _ENGINES if engine.startswith(e)), "postgres")
            host = str(attributes.get("address") or attributes.get("endpoint") or "").lower()
            host = host.split(":")[0]
            port = str(attributes.get("port") or "")
            user = str(attributes.get("username") or attributes.get("master_username") or "")
            database = str(attributes.get("db_name") or attributes.get("database_name") or "")
            facts += [(k, v) for k, v in (("scheme", provider), ("host", host), ("port", port),
                                          ("user", user), ("database", database)) if v]
            authority = f"{host}{':' + port if port else ''}/{database}"
            return Candidate(self.id, provider, "connection_url", value, doc.location(at),
                             tuple(sorted(facts)), identity=f"{provider}://{user}@{authority}",
                             preview=f"{targets[0][1]}.{name} for {user}@{authority} ****")
        if rtype == "aws_iam_access_key" and name == "secret":
            key_id = str(attributes.get("id") or "")
            if (account := account_id(key_id)) is not None:
                facts.append(("account", account))
            facts.append(("key_id_prefix", key_id[:4]))
            return Candidate(self.id, "aws", "access_key", value, doc.location(at),
                             tuple(sorted(facts)), key_id, key_id[:8] + "…" if key_id else None)
        return Candidate(self.id, "generic", "secret", value, doc.location(at),
                         tuple(sorted(facts)))
