"""Kubernetes manifests: the cluster Secrets they name (providers.md §10.1).

A kubeconfig reaches the Secrets its cluster holds; the manifests say which ones exist
and what they are for. Usage conventions (value ``[NS/]S/K``: secret and key names are
DNS labels or ``[-._a-zA-Z0-9]+`` and never hold a slash, so the namespace prefix is
unambiguous; never a secret value):

* ``k8s-secret-ref``: ``env: - name: X valueFrom: secretKeyRef: {name: S, key: K}`` gives
  ``S/K`` with names ``(X,)``; ``envFrom: - secretRef: {name: S}`` gives ``S/*``.
* ``k8s-secret``: each ``data`` / ``stringData`` key K of a ``kind: Secret`` named S.

The namespace is the manifest's ``metadata.namespace``. Nodes are composed (not
constructed) with PyYAML's safe loader so each reference keeps its line; Helm templates
and other non-YAML fail quietly and yield nothing.
"""


from __future__ import annotations

from collections.abc import Iterator

from blastscan.detectors.base import Document
from blastscan.scanner.models import Usage

MARKERS = ("secretkeyref", "secretref", "kind: secret")


def usages(doc: Document) -> Iterator[Usage]:
    low = doc.lowered or doc.text.lower()
    if not any(marker in low for marker in MARKERS):
        return iter(())
    from blastscan.detectors.evidence.code import manifests  # PyYAML, loaded when first needed

    return manifests.usages(doc)
