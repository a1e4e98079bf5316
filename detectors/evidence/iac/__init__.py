"""Infrastructure-as-code evidence: IAM grants and deletion protections, read statically.

:func:`collect` dispatches one document to the extractor for its format — Terraform
(``.tf``), CloudFormation (YAML/JSON with ``AWSTemplateFormatVersion`` or
``Type: AWS::…`` resources), standalone IAM policy JSON, and Kubernetes RBAC / storage
manifests — behind cheap substring gates, so most files cost one ``in`` test. It never
raises on malformed input: a file that does not parse yields nothing; one no parser can
finish (an alias bomb, nesting past the stack) raises ``Unparseable``, counted per file.
:mod:`blastscan.detectors.evidence.iac.classify` turns grants into knowledge-base operations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.iac import cloudformation, iam_json, kubernetes, terraform
from blastscan.detectors.evidence.iac.model import (
    Effect,
    Finding,
    IamGrant,
    Protection,
    TargetTag,
)
from blastscan.detectors.match.keywords import KeywordIndex
from blastscan.scanner.errors import Unparseable

__all__ = ["GATES", "Effect", "Finding", "IamGrant", "Protection", "TargetTag", "collect"]

_TF_GATES = ("resource \"aws_", "data \"aws_iam", "resource \"google_", "prevent_destroy",
             "default_tags", "resource \"azurerm_", "resource \"digitalocean_")
_K8S_GATES = ("clusterrolebinding", "rolebinding", "reclaimpolicy")
# The case-sensitive texts below, lowered: one keyword pass (the file pass's, shared with
# the detectors) rules out most files before any ``in`` scan of the text.
_CFN, _RESOURCES, _AWS, _STATEMENT, _KIND = (
    "awstemplateformatversion", "resources", "aws::", "\"statement\"", "kind:")
GATES = KeywordIndex((*_TF_GATES, *_K8S_GATES, _CFN, _RESOURCES, _AWS, _STATEMENT, _KIND))
# The kinds kubernetes.collect reads, as a manifest writes them (a tag or anchor allowed):
# API docs that only mention RoleBinding in prose are not parsed as YAML.
_K8S_KIND = re.compile(r"kind:\s*(?:[!&]\S*\s+)?[\"']?"
                       r"(?:ClusterRoleBinding|RoleBinding|StorageClass|PersistentVolume)\b")


def collect(doc: Document) -> Iterator[Finding]:
    """Every IAM grant and protection setting in ``doc`` (nothing for other files)."""
    try:
        yield from _dispatch(doc)
    except (ValueError, TypeError, KeyError, AttributeError):
        # A shape the extractors did not foresee in hostile or odd input: the file
        # yields what it yielded so far rather than aborting the scan (principle 6).
        return
    except (RecursionError, MemoryError):  # nesting no reader can finish: counted
        raise Unparseable("infrastructure-as-code: the document is nested too deeply") from None


def _dispatch(doc: Document) -> Iterator[Finding]:
    path = doc.path.lower()
    if not path.endswith((".tf", ".yaml", ".yml", ".json", ".template")):
        return
    present = GATES.present_in(doc)
    if not present:
        return
    text = doc.text
    if path.endswith(".tf"):
        if any(gate in text for gate in _TF_GATES if gate in present):
            yield from terraform.collect(doc)
        return
    if (_CFN in present and "AWSTemplateFormatVersion" in text) or (
            _RESOURCES in present and _AWS in present and "Resources" in text
            and "AWS::" in text):
        yield from cloudformation.collect(doc)
    elif path.endswith(".json") and _STATEMENT in present and "\"Statement\"" in text:
        yield from iam_json.collect(doc)
    elif (_KIND in present and "kind:" in text and not present.isdisjoint(_K8S_GATES)
          and _K8S_KIND.search(text)):
        yield from kubernetes.collect(doc)
