"""Issue 18, case 2: YAML alias bombs, walks that revisit shared nodes, FIFOs in the tree.

Each hostile tree is built here, in ``tmp_path``, and scanned by the real CLI in a child
process with a timeout and a 2 GB address-space cap: a regression fails in seconds (as a
timeout, a MemoryError or a traceback) instead of hanging the suite or the machine. Before
the fix the kubeconfig, CloudFormation and StorageClass bombs each ran 20-70 s and died
with a MemoryError traceback; the manifest took ten times longer per level.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from blastscan.detectors.base import Document
from blastscan.detectors.evidence import iac
from blastscan.detectors.evidence.code import manifests
from blastscan.detectors.match import yamlload
from blastscan.scanner.errors import Unparseable
from blastscan.scanner.models import SkipReason
from blastscan.scanner.pipeline import discovery, evidence_pass, filescan, history

import support

TIMEOUT = 20  # seconds: the fixed scans take well under one, the bombs took 20 s and more
MEMORY = 2 << 30
_TOKEN = "Ko5mT8dzbqXyP1VVnf4GDhU3JcXlWIsSeo0gaRZn"


def laughs(indent: str, levels: int = 9, width: int = 9) -> str:
    """Billion laughs: ``a9`` stands for width**levels strings in a few hundred bytes."""
    lines = [f'{indent}a0: &a0 "lol"']
    lines += [f"{indent}a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]"
              for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def nested_manifest(levels: int = 10) -> str:
    """A Pod whose spec is ten mappings deep, each holding ten aliases of the one below."""
    lines = ["apiVersion: v1", "kind: Pod", "metadata: {name: p}", "x:",
             "  l0: &l0 {env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}]}"]
    for i in range(1, levels):
        refs = ", ".join(f"{k}: *l{i - 1}" for k in "abcdefghij")
        lines.append(f"  l{i}: &l{i} {{{refs}}}")
    return "\n".join(lines) + f"\nspec: *l{levels - 1}\n"


BOMBS = {
    "kubeconfig.yaml": ("apiVersion: v1\nkind: Config\nlols:\n" + laughs("  ")
                        + "clusters:\n- name: prod\n  cluster:\n    server: *a9\n"
                        "contexts:\n- name: prod\n  context: {cluster: prod, user: admin}\n"
                        f"users:\n- name: admin\n  user:\n    token: {_TOKEN}\n"),
    "template.yaml": ("AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n" + laughs("  ")
                      + "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
                      "    DeletionPolicy: *a9\n    Properties: {DBInstanceIdentifier: db}\n"),
    "storage.yaml": ("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n"
                     "  name: fast\n  annotations:\n" + laughs("    ")
                     + "provisioner: ebs.csi.aws.com\nreclaimPolicy: *a9\n"),
    "pod.yaml": nested_manifest(),
}


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def scan_json(target: Path) -> tuple[int, dict[str, object], str]:
    done = subprocess.run([sys.executable, "-m", "blastscan.scanner", "scan", str(target),
                           "--format", "json", "--jobs", "1"],
                          capture_output=True, text=True, timeout=TIMEOUT,
                          preexec_fn=_cap_memory, check=False)
    report = json.loads(done.stdout) if done.stdout.startswith("{") else {}
    return done.returncode, report, done.stderr


def _skipped(report: dict[str, object]) -> dict[str, int]:
    summary = report["summary"]
    assert isinstance(summary, dict)
    skipped = summary["files_skipped"]
    assert isinstance(skipped, dict)
    return skipped


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_an_alias_bomb_is_counted_unparseable_not_a_crash(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(BOMBS[name])
    code, report, stderr = scan_json(tmp_path)
    assert code in (0, 1), stderr
    assert "Traceback" not in stderr
    assert _skipped(report)["unparseable"] == 1


def test_a_bomb_does_not_hide_the_token_beside_it(tmp_path: Path) -> None:
    # The kubeconfig reader gives up on the structure but still reads its secret fields
    # line by line: the token stays a cluster-admin kubeconfig token in an unknown (so
    # presumed production) environment, and the gate fails as it must. Read as a generic
    # secret instead, the bomb had turned two critical paths into one info line: PASS.
    (tmp_path / "kubeconfig.yaml").write_text(BOMBS["kubeconfig.yaml"])
    code, report, _ = scan_json(tmp_path)
    credentials = report["credentials"]
    assert isinstance(credentials, list)
    assert [(c["provider"], c["kind"]) for c in credentials] == [
        ("kubernetes", "kubeconfig_token")]
    assert code == 1
    assert _TOKEN not in json.dumps(report)


def test_a_fifo_in_the_tree_is_counted_and_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.env")  # opening it for reading would wait for a writer
    (tmp_path / "app.env").write_text("DEBUG=1\n")
    code, report, stderr = scan_json(tmp_path)
    assert code == 0, stderr
    assert _skipped(report)["not_regular"] == 1
    summary = report["summary"]
    assert isinstance(summary, dict)
    assert summary["files_scanned"] == 1


def test_a_file_swapped_for_a_fifo_after_the_walk_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "swapped.env"
    os.mkfifo(fifo)
    code = (f"from blastscan.scanner.pipeline import discovery\n"
            f"print(discovery.read_text(discovery.FileRef({str(fifo)!r}, 'swapped.env', 9)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)
    assert done.stdout.strip() == SkipReason.NOT_REGULAR.value, done.stderr


def test_the_manifest_walk_visits_each_shared_node_once() -> None:
    # With the alias budget lifted, only the walk stands between ten levels and 10**10
    # visits: run in a child so that a walk per path fails as a timeout, not a hang.
    code = textwrap.dedent(f"""
        from blastscan.detectors.base import Document
        from blastscan.detectors.evidence.code import manifests
        from blastscan.detectors.match import yamlload
        yamlload.SLACK = 10**30
        found = list(manifests.usages(Document.of("pod.yaml", {nested_manifest()!r})))
        print(sorted({{u.value for u in found}}))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=_cap_memory, check=False)
    assert done.stdout.strip() == "['s/k']", done.stderr


def test_the_loader_refuses_a_cycle_and_an_expansion_past_the_budget() -> None:
    with pytest.raises(Unparseable):
        yamlload.load("a: &a [*a]\n")
    with pytest.raises(Unparseable):
        list(yamlload.documents("m:\n" + laughs("  ", levels=5, width=10)))
    with pytest.raises(Unparseable):
        list(yamlload.compose_all("m:\n" + laughs("  ", levels=5, width=10)))


def test_an_expansion_inside_the_budget_is_read() -> None:
    # 1,000 scalars referenced ten times: ten times the document, within the budget.
    text = "base: &b [" + ", ".join(str(i) for i in range(1000)) + "]\n"
    text += "".join(f"copy{i}: *b\n" for i in range(9))
    data = yamlload.load(text)
    assert isinstance(data, dict)
    assert data["copy8"] == list(range(1000))


COMPOSE = """\
x-defaults: &defaults
  restart: unless-stopped
  environment: &env
    LOG_LEVEL: info
    DATABASE_URL: postgres://app@db/app
services:
  web:
    <<: *defaults
    image: web:1
    ports: ["8080:80"]
  worker:
    <<: *defaults
    image: worker:1
    environment:
      <<: *env
      QUEUE: jobs
"""


def test_benign_aliases_read_exactly_as_plain_pyyaml_reads_them() -> None:
    assert yamlload.load(COMPOSE) == yaml.safe_load(COMPOSE)
    assert [d for _, d in yamlload.documents(COMPOSE, tags=False)] == [yaml.safe_load(COMPOSE)]


def test_cloudformation_tags_still_read_as_their_plain_value() -> None:
    text = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db:\n"
            "    Type: AWS::RDS::DBInstance\n    DeletionPolicy: !Ref Policy\n")
    [(line, data)] = list(yamlload.documents(text))
    assert line == 1
    assert data == {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Db": {
        "Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Policy"}}}
    found = list(iac.collect(Document.of("template.yaml", text)))
    assert [(p.setting, p.value) for p in found if hasattr(p, "setting")] == [
        ("DeletionPolicy", "Policy"), ("DeletionProtection", "absent (false)")]


def test_a_manifest_with_shared_env_keeps_every_reference() -> None:
    text = textwrap.dedent("""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        x-env: &env
          - name: DB_PASSWORD
            valueFrom: {secretKeyRef: {name: db, key: password}}
        spec:
          template:
            spec:
              containers:
                - {name: api, env: *env, envFrom: [{secretRef: {name: stripe}}]}
                - {name: worker, env: *env}
        """)
    found = sorted((u.kind, u.value, u.names) for u in manifests.usages(
        Document.of("deploy.yaml", text)))
    assert found == [("k8s-secret-ref", "shop/db/password", ("DB_PASSWORD",)),
                     ("k8s-secret-ref", "shop/stripe/*", ())]


def test_scan_text_counts_an_unparseable_file_and_keeps_its_other_findings() -> None:
    result = filescan.scan_text("kubeconfig.yaml", BOMBS["kubeconfig.yaml"])
    assert result.skipped is SkipReason.UNPARSEABLE
    assert [(c.secret, c.detector, c.kind) for c in result.candidates] == [
        (_TOKEN, "kubeconfig", "kubeconfig_token")]



def test_a_bomb_in_git_history_is_counted_and_keeps_its_token() -> None:
    blob = history.HistoryBlob("b" * 40, "kubeconfig.yaml", "c" * 40,
                               BOMBS["kubeconfig.yaml"].encode())
    result = filescan.scan_blob(blob)
    assert result.skipped is SkipReason.UNPARSEABLE
    assert [(c.secret, c.location.commit) for c in result.candidates] == [(_TOKEN, "c" * 40)]


def test_a_template_of_thousands_of_resources_is_read_in_linear_time() -> None:
    # Each resource's line was searched from the top of the text (and the text split
    # again to find its offset): 6,000 buckets took about 25 s, 5 MB would take an hour.
    code = textwrap.dedent("""
        from blastscan.detectors.base import Document
        from blastscan.detectors.evidence import iac
        text = "AWSTemplateFormatVersion: '2010-09-09'\\nResources:\\n" + "".join(
            f"  Bucket{i}:\\n    Type: AWS::S3::Bucket\\n    DeletionPolicy: Retain\\n"
            for i in range(6000))
        found = list(iac.collect(Document.of("stack.yaml", text)))
        print(len(found), found[-1].line)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=10, preexec_fn=_cap_memory, check=False)
    assert done.stdout.split() == ["6000", str(2 + 3 * 5999 + 1)], done.stderr


def test_the_evidence_pass_counts_a_parse_that_gives_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A deferred file is parsed only in the second pass (here: at a credential's path):
    # its tree-sitter readers giving up there (a tree too deep to walk) is counted too.
    def too_deep(doc: Document) -> list[object]:
        raise Unparseable("tree-sitter python: the tree is too deep to read")

    (tmp_path / "deep.py").write_text("x = 1\n")
    ref = discovery.FileRef(str(tmp_path / "deep.py"), "deep.py", 6)
    monkeypatch.setattr(evidence_pass.code, "collect", too_deep)
    hit = evidence_pass._collect(ref, (), frozenset({"deep.py"}))
    assert hit is not None
    assert hit.unparseable


def test_nesting_that_would_crash_tree_sitter_is_counted_not_parsed(tmp_path: Path) -> None:
    # tree-sitter-yaml (about 255 levels) and tree-sitter-python (about 500) write their
    # indentation stack past a fixed buffer: the scan died with SIGSEGV, no report at all.
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "deep.yml").write_text(
        "env:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 300))
        + " " * 300 + "TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n")
    (tmp_path / "deep.py").write_text(
        'import os\nHOME = os.environ["HOME"]\npassword = "Xk29fjQpL0v8Wq8rV1mzT4"\n'
        + "".join(" " * i + "if 1:\n" for i in range(600)) + " " * 600 + "'a\n")
    code, report, stderr = scan_json(tmp_path)
    assert code in (0, 1), stderr
    assert _skipped(report)["unparseable"] == 2
    credentials = report["credentials"]
    assert isinstance(credentials, list)
    assert len(credentials) == 1  # the password beside the nesting is still found


def test_the_kubeconfig_fallback_reads_plain_fields_only() -> None:
    text = ("kind: Config\nlols:\n" + laughs("  ") + "clusters: []\ncontexts: []\nusers:\n"
            "- name: a\n  user: {}\n- name: b\n  user:\n    token: *a9\n"
            "- name: c\n  user:\n    password: 'Wq8rV1mzT4xKp2Ln'  # ops\n")
    result = filescan.scan_text("config", text)
    assert result.skipped is SkipReason.UNPARSEABLE
    assert [(c.detector, c.kind, c.secret, c.location.line) for c in result.candidates] == [
        ("kubeconfig", "kubeconfig_password", "Wq8rV1mzT4xKp2Ln", 23)]


def test_scan_files_counts_a_fifo_it_is_handed(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.env")
    (tmp_path / "app.env").write_text("DEBUG=1\n")
    done = subprocess.run([sys.executable, "-m", "blastscan.scanner", "scan-files", "pipe.env",
                           "app.env", "--format", "json"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr
    assert _skipped(json.loads(done.stdout))["not_regular"] == 1


def test_a_file_too_deep_to_parse_is_counted_whether_or_not_its_parse_was_deferred(
        tmp_path: Path) -> None:
    # No credential names this module, so its parse would wait for one and never run: it
    # is read at once instead. (The suite's conftest also runs the scan with deferral off
    # and requires the same result.)
    (tmp_path / "deep.py").write_text('import os\nHOME = os.environ["HOME"]\n' + "".join(
        " " * i + "if 1:\n" for i in range(450)) + " " * 450 + "pass\n")
    result = support.scan(tmp_path)
    assert dict(result.summary.files_skipped)[SkipReason.UNPARSEABLE] == 1
    assert result.summary.files_scanned == 0
