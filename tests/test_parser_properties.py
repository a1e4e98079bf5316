"""Property tests (issue 18): the parsers that read scanned files, fed what an attacker can write.

Any text (any bytes, for a file read from disk) in, a result out, or for a reader a
counted :class:`Unparseable` (the file pass turns it into a skip), never another
exception, and within a time bound. The text comes
from two strategies: arbitrary Unicode, and YAML-shaped text assembled from the tokens
these readers react to (anchors, aliases, merge keys, tags, flow brackets, the keys of a
kubeconfig, a CloudFormation template, a StorageClass and a Pod), which finds the
structural corners plain random text never reaches. ``derandomize`` keeps CI
deterministic; the example counts keep the file to a few seconds.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blastscan.detectors.base import Detector, Document
from blastscan.detectors.evidence import iac
from blastscan.detectors.evidence.code import manifests
from blastscan.detectors.evidence.iac import yamldocs
from blastscan.detectors.files.ftp_clients import FtpClientDetector
from blastscan.detectors.files.pgpass import PgpassDetector
from blastscan.detectors.files.wp_config import WpConfigDetector
from blastscan.detectors.match import yamlload
from blastscan.detectors.providers.kubeconfig import KubeconfigDetector
from blastscan.scanner.errors import Unparseable
from blastscan.scanner.models import SkipReason
from blastscan.scanner.pipeline import discovery, filescan

_PROPERTY = settings(max_examples=60, deadline=2000, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow])
_TOKENS = (
    "&a ", "&b ", "*a", "*b", "[", "]", "{", "}", ", ", ": ", "- ", "? ", "\n", "  ", "    ",
    "<<: ", "!Ref ", "!!str ", "!!python/object:os.system ", "'", '"', "#", "---\n", "...\n",
    "2001-12-14t21:59:43.10-05:00", "1e400", "~", "null", "true", "0x1F",
    "apiVersion: v1\n", "kind: Config\n", "clusters:\n", "users:\n", "contexts:\n",
    "- name: prod\n", "cluster:\n", "server: https://k8s.example.net\n", "user:\n",
    "token: Ko5mT8dzbqXyP1VVnf4GDhU3JcXlWIsSeo0gaRZn\n", "password: Wq8rV1mzT4xKp2Ln\n",
    "AWSTemplateFormatVersion: '2010-09-09'\n", "Resources:\n", "Type: AWS::RDS::DBInstance\n",
    "DeletionPolicy: ", "Properties:\n", "kind: StorageClass\n", "reclaimPolicy: ",
    "kind: ClusterRoleBinding\n", "roleRef: {name: cluster-admin}\n", "subjects:\n",
    "kind: Pod\n", "env:\n", "valueFrom:\n", "secretKeyRef: {name: s, key: k}\n",
    "envFrom: [{secretRef: {name: s}}]\n", "metadata: {name: m, namespace: n}\n",
)
yamlish = st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join)
texts = st.one_of(st.text(max_size=400), yamlish)
_PATHS = (".kube/config", "kubeconfig.yaml", "template.yaml", "k8s/pod.yaml", "storage.yml",
          ".pgpass", "sitemanager.xml", "sftp-config.json", "wp-config.php", ".mcp.json",
          ".codex/config.toml", "main.tf", "policy.json", "app.py", ".env",
          "docker-compose.yml", ".github/workflows/deploy.yml", "index.html", "notes.txt")


def _reads(read: Callable[[], object]) -> None:
    """``read()`` returns, or gives up with the one exception the file pass counts."""
    try:
        result = read()
        if isinstance(result, Iterator):
            list(result)
    except Unparseable:
        pass


@_PROPERTY
@given(text=texts)
def test_the_loader_reads_refuses_or_says_malformed(text: str) -> None:
    for read in (lambda: yamlload.load(text), lambda: yamlload.documents(text),
                 lambda: yamlload.compose_all(text)):
        # Malformed YAML raises these: each caller reads them as "not this format".
        with contextlib.suppress(yaml.YAMLError, ValueError, TypeError, OverflowError):
            _reads(read)


@_PROPERTY
@given(text=texts)
def test_the_yaml_readers_never_raise(text: str) -> None:
    for path in ("kubeconfig.yaml", "template.yaml", "k8s/pod.yaml"):
        doc = Document.of(path, text)
        _reads(lambda doc=doc: KubeconfigDetector().detect(doc))
        _reads(lambda doc=doc: iac.collect(doc))
        _reads(lambda doc=doc: manifests.usages(doc))


@pytest.mark.parametrize(("detector", "path"), [
    (PgpassDetector(), ".pgpass"), (FtpClientDetector(), "sitemanager.xml"),
    (FtpClientDetector(), "sftp-config.json"), (WpConfigDetector(), "wp-config.php"),
])
@_PROPERTY
@given(text=texts)
def test_the_credential_file_readers_never_raise(detector: Detector, path: str,
                                                 text: str) -> None:
    _reads(lambda: detector.detect(Document.of(path, text)))


@_PROPERTY
@given(path=st.sampled_from(_PATHS), text=texts)
def test_scan_text_gives_a_result_or_a_counted_skip(path: str, text: str) -> None:
    result = filescan.scan_text(path, text)
    assert isinstance(result, filescan.FileResult)
    assert result.skipped in (None, SkipReason.UNPARSEABLE)


@_PROPERTY
@given(path=st.sampled_from(_PATHS), data=st.one_of(st.binary(max_size=400),
                                                     yamlish.map(str.encode)))
def test_scan_file_reads_any_bytes(path: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "scanned"
        file.write_bytes(data)
        result = filescan.scan_file(discovery.FileRef(str(file), path, len(data)))
    assert result.skipped in (None, SkipReason.BINARY, SkipReason.UNPARSEABLE)


@_PROPERTY
@given(text=yamlish, key=st.sampled_from(["Resources", "DeletionPolicy", "kind", "a", "a1",
                                          "reclaimPolicy", "name", "x.y", "k-8"]),
       line=st.integers(min_value=1, max_value=40))
def test_the_key_index_finds_the_line_key_line_finds(text: str, key: str, line: int) -> None:
    doc = Document.of("t.yaml", text)
    start = doc.line_span(line)[0] if line <= text.count("\n") + 1 else 0
    assert yamldocs.KeyLines(doc).line(key, start) == yamldocs.key_line(text, key, start)
