"""The evidence gate: tree-sitter parses wait until the credentials' names are known.

``conftest.py`` reruns every scan of the suite with the gate off and requires the same
result; these tests pin the two facts that make the gate sound, and show that it really
skips work (a gate that parses everything would pass the cross-check too).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from test_code_evidence import CASES

from blastscan.detectors import code
from blastscan.detectors.base import Document
from blastscan.detectors.code import parsers
from blastscan.detectors.code.mentions import mentions
from blastscan.scanner import discovery, evidence_pass

from support import scan

UUID = "529e38fa-2c08-4180-878b-1f20d6f2780a"
# Usage kinds the resolvers read across the repository, not through a name or a file.
REPO_WIDE = frozenset({"environment", "k8s-secret", "k8s-secret-ref", "vault-path",
                       "doppler-config"})
SAMPLES = [(path, textwrap.dedent(source).lstrip("\n")) for path, source, _ in CASES] + [
    (".github/workflows/ci.yml",
     "on: push\njobs:\n  a:\n    steps:\n      - run: deploy\n"
     "        env:\n          DB: ${{ secrets.PROD_DB }}\n"),
    ("k8s/app.yaml", "env:\n  - name: DB\n    valueFrom:\n      secretKeyRef:\n"
                     "        name: db\n        key: url\n"),
    ("ops/read.sh", "vault kv get -mount=secret prod/db\ndoppler run --config prd -- x\n"),
    ("policy.hcl", 'path "secret/data/prod/*" {\n  capabilities = ["delete"]\n}\n'),
    ("deploy.sh", "railway up --environment production\n"),
    # Repository-wide evidence outside .github/workflows: parsed up front.
    ("ci/deploy.yml", "jobs:\n  ship:\n    environment:\n      name: production\n"
                      "    steps:\n      - run: sudo vault -namespace=ops read db/creds/prod\n"),
    ("ci/deploy.json", '{"jobs": {"ship": {"environment": "production"}}}\n'),
    ("ci/deploy.toml", '[jobs.ship]\nenvironment = "production"\n'),
    (".doppler.yaml", "setup:\n  project: api\n  config: prd\n"),
    ("k8s/secret.yml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n"
                       "stringData:\n  url: x\n"),
    # Config and shell files the first pass defers (no repository-wide evidence).
    ("compose.yaml", "services:\n  api:\n    environment:\n      DB_URL: ${DATABASE_URL}\n"
                     "      AUTH: ${{ secrets.API_KEY }}\n"),
    ("package.json", '{"scripts": {"wipe": "API_TOKEN=$T curl -X DELETE -H '
                     '\\"Authorization: Bearer $API_TOKEN\\" https://api.example.com/v1/db"}}\n'),
    (".gitlab-ci.yml", "wipe:\n  script:\n    - TOKEN=$CI_TOKEN curl -X DELETE "
                       "https://api.example.com/v1/db\n"),
    ("mcp.json", '{"servers": {"x": {"env": {"K": "${env:OPENAI_KEY}"}, '
                 '"headers": {"Authorization": "Bearer ${API_KEY}"}}}}\n'),
    ("main.tf", 'provider "http" {\n  headers = {\n    Authorization = "Bearer ${var.api_token}"'
                '\n  }\n}\n'),
    ("ops/wipe.sh", 'export T="$PROD_TOKEN"\ncurl -u "admin:$T" -X DELETE https://api.example.com/db\n'),
]


@pytest.mark.parametrize(("path", "text"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_gate_is_sound_on_every_sample(path: str, text: str) -> None:
    doc = Document.of(path, text)
    language = parsers.language_for(path)
    usages = list(code.collect(doc))
    assert usages, "each sample yields evidence"
    for usage in usages:
        workflow_secret = usage.kind == "alias" and path.startswith(".github/workflows/")
        if usage.kind in REPO_WIDE or workflow_secret:
            assert code.need(doc) is code.Need.ALWAYS, usage
            continue
        # A name-joined usage only names words of its own file (shell and config: written
        # as references), so a file that mentions no credential name that way can add
        # nothing to any credential. An alias is read through its source (the value).
        code_file = language in ("python", "javascript", "typescript", "tsx")
        carried = (usage.value,) if usage.kind == "alias" and not code_file else (
            (*usage.names, usage.value) if usage.kind == "alias" else usage.names)
        for word in carried:
            assert mentions(text, frozenset({word}), language), (usage, word)
        if usage.kind in ("operation", "cli", "sql"):
            # Other providers' credentials read these by value: the value's first word is
            # in the file, which is what lets the pass skip files without one.
            first = re.search(r"[a-z0-9]+", usage.value.lower())
            assert first is not None, usage
            assert first.group(0) in text.lower(), usage


def test_mentions_needs_a_whole_word_in_code() -> None:
    names = frozenset({"TOKEN"})
    assert mentions('h = {"auth": TOKEN}', names, "python")
    assert mentions("TOKEN", names, "python")
    assert mentions("${{ secrets.TOKEN }}", names, "python")
    assert not mentions("RAILWAY_TOKEN = 1; TOKENS = 2", names, "python")
    assert not mentions("anything", frozenset(), "python")


@pytest.mark.parametrize("text", [
    "curl -H \"Authorization: Bearer $TOKEN\"", "x: ${TOKEN}", "x: ${TOKEN:-none}",
    "x: ${env:TOKEN}", "t: ${{ secrets.TOKEN }}", "t: ${{ vars.TOKEN }}",
    'h = "${var.TOKEN}"', "run: TOKEN=abc deploy", "TOKEN+=x",
])
def test_config_mentions_need_a_reference(text: str) -> None:
    assert mentions(text, frozenset({"TOKEN"}), "yaml")


@pytest.mark.parametrize("text", [
    '{"TOKEN": {"shape": "String"}}', "TOKEN: abc", "$TOKENS", "secrets.TOKEN_2",
    "MY_TOKEN=1", "the TOKEN field",
])
def test_config_mentions_ignore_bare_words(text: str) -> None:
    assert not mentions(text, frozenset({"TOKEN"}), "json")


def test_only_files_naming_a_credential_are_parsed(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        ".env": f"RAILWAY_TOKEN={UUID}\n",
        # Round one: names RAILWAY_TOKEN and defines the alias TOKEN.
        "app/settings.py": 'import os\nTOKEN = os.environ["RAILWAY_TOKEN"]\n',
        # Round two: only the alias is named here, with the header that proves the kind.
        "app/purge.py": textwrap.dedent('''\
            import requests
            from app.settings import TOKEN
            requests.post("https://backboard.railway.app/graphql/v2",
                          headers={"Project-Access-Token": TOKEN},
                          json={"query": "mutation { volumeDelete(volumeId: $v) }"})
            '''),
        # Gated in (it mentions delete and environ) but names no credential.
        "app/unrelated.py": 'import os, requests\nrequests.delete(os.environ["URL"])\n',
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    parsed: list[str] = []
    collect = code.collect

    def spy(doc: Document):  # type: ignore[no-untyped-def]
        parsed.append(doc.path)
        return collect(doc)

    monkeypatch.setattr(code, "collect", spy)
    result = scan(tmp_path, jobs=1)  # the cross-check's eager rerun parses everything
    (item,) = result.credentials
    assert item.reach.kind == "project_token", "the round-two header was found"
    assert "app/purge.py" in {e.path for e in item.reach.evidence}
    lazy = parsed[:parsed.index(".env", 1)]  # then the cross-check's eager rerun
    assert "app/purge.py" in lazy
    assert "app/settings.py" in lazy
    assert "app/unrelated.py" not in lazy


def test_deferred_file_at_a_history_path_is_parsed(tmp_path: Path) -> None:
    ref = discovery.FileRef(tmp_path / "job.py", "job.py", 0)
    (tmp_path / "job.py").write_text('requests.delete("https://api.example.com/x")\n')
    assert evidence_pass._collect(ref, (), frozenset({"job.py"}))
    assert evidence_pass._collect(ref, (("OTHER", None),), frozenset()) is None


def test_a_name_is_parsed_for_what_its_credential_can_use(tmp_path: Path) -> None:
    code_file = tmp_path / "report.py"
    code_file.write_text('import requests\nrequests.delete(URL, auth=PASSWORD)\n')
    ref = discovery.FileRef(code_file, "report.py", 0)
    generic: evidence_pass.Need = frozenset()  # no operations to read by value
    postgres: evidence_pass.Need = frozenset({"drop", "truncate"})
    assert evidence_pass._collect(ref, (("PASSWORD", generic),), frozenset()) is None
    assert evidence_pass._collect(ref, (("PASSWORD", postgres),), frozenset()) is None
    parsed = evidence_pass._collect(ref, (("PASSWORD", frozenset({"delete"})),), frozenset())
    assert parsed is not None
    assert evidence_pass._collect(ref, (("PASSWORD", None),), frozenset()) is not None
    # A file that defines aliases is parsed whatever the need: the alias is a new name.
    code_file.write_text('import os\nT = os.environ["PASSWORD"]\n')
    assert evidence_pass._collect(ref, (("PASSWORD", generic),), frozenset()) is not None


def test_config_assignment_needs_what_the_credential_reads(tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    model.write_text('{"doc": "pass key=value pairs", "url": "https://x.io/{key}"}\n')
    ref = discovery.FileRef(model, "model.json", 0)
    generic: evidence_pass.Need = frozenset()
    assert evidence_pass._collect(ref, (("key", generic),), frozenset()) is None
    assert evidence_pass._collect(ref, (("key", None),), frozenset()) is not None
    model.write_text('{"scripts": {"x": "curl -H \\"Authorization: Bearer $key\\" x"}}\n')
    assert evidence_pass._collect(ref, (("key", generic),), frozenset()) is not None
