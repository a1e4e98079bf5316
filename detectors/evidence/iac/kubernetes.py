"""Kubernetes RBAC and storage manifests (providers.md §10.2, §10.3).

A ``ClusterRoleBinding`` / ``RoleBinding`` whose ``roleRef.name`` is ``cluster-admin``
gives "super-user access to perform any action on any resource" (whole cluster for a
ClusterRoleBinding, one namespace for a RoleBinding): one grant per subject. Storage:
``StorageClass.reclaimPolicy`` (default Delete) and
``PersistentVolume.spec.persistentVolumeReclaimPolicy``; Retain is protective.
"""

from __future__ import annotations

from collections.abc import Iterator

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.iac import hints, notes, yamldocs
from blastscan.detectors.evidence.iac.model import Finding, IamGrant, Protection

_BINDINGS = ("ClusterRoleBinding", "RoleBinding")


def collect(doc: Document) -> Iterator[Finding]:
    lines = yamldocs.KeyLines(doc)
    for line, data in yamldocs.documents(doc.text):
        manifest = yamldocs.mapping(data)
        kind = manifest.get("kind")
        if kind in _BINDINGS:
            yield from _binding(doc, line, manifest)
        elif kind in ("StorageClass", "PersistentVolume"):
            protection = _reclaim(doc, lines, line, manifest)
            if protection is not None:
                yield protection


def _binding(doc: Document, line: int, manifest: dict[str, object]) -> Iterator[IamGrant]:
    if yamldocs.mapping(manifest.get("roleRef")).get("name") != "cluster-admin":
        return
    meta = yamldocs.mapping(manifest.get("metadata"))
    namespace = meta.get("namespace") or "default"
    scope = ("*",) if manifest["kind"] == "ClusterRoleBinding" else (f"namespace:{namespace}",)
    subjects = manifest.get("subjects")
    for raw in subjects if isinstance(subjects, list) else [None]:
        subject = yamldocs.mapping(raw)
        name = str(subject.get("name", ""))
        if subject.get("kind") == "ServiceAccount":  # service accounts are namespaced
            name = f"{subject.get('namespace', namespace)}/{name}"
        principal = f"{subject.get('kind')} {name}" if subject else ""
        yield IamGrant(doc.path, line, principal, ("*",), (), scope, "cluster-admin",
                       "kubernetes")


def _reclaim(doc: Document, lines: yamldocs.KeyLines, line: int,
             manifest: dict[str, object]) -> Protection | None:
    kind = str(manifest["kind"])
    meta = yamldocs.mapping(manifest.get("metadata"))
    name = str(meta.get("name", ""))
    if kind == "StorageClass":
        setting, policy = "reclaimPolicy", manifest.get("reclaimPolicy")
        shown = str(policy) if policy is not None else "absent (default Delete)"
    else:
        setting = "persistentVolumeReclaimPolicy"
        policy = yamldocs.mapping(manifest.get("spec")).get(setting)
        if policy is None:
            return None  # a hand-written PV's default is not stated in providers.md §10.3
        shown = str(policy)
    labels = yamldocs.mapping(meta.get("labels"))
    env = hints.choose(labels, [name, str(meta.get("namespace", ""))], doc.path)
    found = lines.line(setting, doc.line_span(line)[0]) if policy is not None else 0
    where = found or line
    return Protection(doc.path, where, f"{kind}/{name}", kind, setting, shown,
                      policy == "Retain", env, notes.K8S_RECLAIM)

