"""``kube-secret``: the values of Kubernetes ``Secret`` manifests, decoded.

A ``Secret``'s ``data`` values are base64 (kubernetes.io/docs/concepts/configuration/
secret/, "Restriction on names and data": "the data field … base64-encoded strings"),
``stringData`` is plain text, and type ``kubernetes.io/dockerconfigjson`` holds a Docker
client config (base64 JSON whose ``auth`` is base64 again). Committed, the keyword net saw
only key names and opaque base64; decoded, each value goes through every detector as the
line ``<key>: <value>``, so a production database URL is a database login with its host
and a ``ghp_`` token a GitHub token, located at the key's line with the container named
(``kubernetes Secret <name> data.<key>``). SealedSecrets are encrypted, not encoded, and
are not read here.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.evidence.iac.yamldocs import documents, key_line, mapping
from blastscan.scanner.models import Candidate

_MAX_VALUE = 65536  # a decoded value larger than this is a bundle, not a credential
_PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _decoded(value: object) -> str | None:
    if not isinstance(value, str) or len(value) > _MAX_VALUE * 2:
        return None
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def encoded_value(doc: Document, value: str) -> bool:
    """``value`` is a ``data`` value this reader decodes (of a ``Secret`` that parses):
    the keyword net leaves it alone, so one secret is not also its base64."""
    if _decoded(value) is None or not any(k in doc.lowered for k in KubeSecretDetector.keywords):
        return False
    return value in _encoded(doc.text)


@lru_cache(maxsize=4)
def _encoded(text: str) -> frozenset[str]:
    found: set[str] = set()
    for _, data in documents(text):
        secret = mapping(data)
        if secret.get("kind") == "Secret":
            found.update(raw for raw in mapping(secret.get("data")).values()
                         if isinstance(raw, str) and _decoded(raw) is not None)
    return frozenset(found)


def _values(secret: dict[str, object]) -> Iterator[tuple[str, str, str]]:
    """(field, key, plain value) of each entry of ``data`` (decoded) and ``stringData``."""
    for key, raw in sorted(mapping(secret.get("data")).items()):
        if (plain := _decoded(raw)) is not None:
            yield "data", key, plain
    for key, raw in sorted(mapping(secret.get("stringData")).items()):
        if isinstance(raw, str):
            yield "stringData", key, raw


class KubeSecretDetector:
    id = "kube-secret"
    keywords = ("kind: secret", '"kind": "secret"', "kind: 'secret'", 'kind: "secret"')
    positives = (
        Sample("k8s/orders-db.yaml",
               "apiVersion: v1\nkind: Secret\nmetadata:\n  name: orders-db\ntype: Opaque\n"
               "data:\n  DATABASE_URL: "
               + _b64(f"postgres://orders:{_PW}@orders-db.corp.net:5432/orders") + "\n"),
        Sample("deploy/secret.yaml",
               "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n"
               f"  API_TOKEN: {_PW}Zq9\n"),
    )
    negatives = (
        Sample("k8s/config.yaml",
               "apiVersion: v1\nkind: Secret\nmetadata:\n  name: flags\ndata:\n"
               f"  LOG_LEVEL: {_b64('debug')}\n  REGION: {_b64('eu-west-1')}\n"),
        Sample("k8s/sealed.yaml", "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n"
                                  "spec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTy\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        from blastscan.detectors import registry  # here: the registry lists this module

        for _, data in documents(doc.text):
            secret = mapping(data)
            if secret.get("kind") != "Secret":
                continue
            metadata = mapping(secret.get("metadata"))
            name = str(metadata.get("name") or "")
            # The namespace the Secret is applied to: the workloads that read it (issue 20).
            namespace = metadata.get("namespace")
            scoped = (("namespace", namespace),) if isinstance(namespace, str) and namespace else ()
            for field, key, plain in _values(secret):
                line = key_line(doc.text, key) or 1
                if key == ".dockerconfigjson":
                    inner = Document.of(doc.path.rsplit("/", 1)[0] + "/.dockercfg.json", plain)
                else:
                    inner = Document.of(doc.path, f"{key}: {plain}\n")
                container = f"kubernetes Secret {name} {field}.{key}"
                for found in registry.scan_document(inner).candidates:
                    if found.detector == self.id:
                        continue
                    at = doc.location(doc.line_span(line)[0])
                    facts = (*found.facts, ("container", container), ("name", key), *scoped)
                    # Credited to this reader (the decoding was its work); the inner
                    # reader's provider, kind, identity and facts are kept.
                    yield replace(found, detector=self.id, location=at,
                                  facts=tuple(sorted(set(facts))), example=None)

