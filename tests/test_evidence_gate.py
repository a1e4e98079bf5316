"""The evidence gate: tree-sitter parses wait until the credentials' names are known.

``conftest.py`` reruns every scan of the suite with the gate off and requires the same
result; these tests pin the two facts that make the gate sound, and show that it really
skips work (a gate that parses everything would pass the cross-check too).
"""

from __future__ import annotations

import random
import re
import sys
import textwrap
from pathlib import Path

import pytest
from test_code_evidence import CASES

from blastscan.detectors.base import Document
from blastscan.detectors.evidence import code
from blastscan.detectors.evidence.code import evidence, nodes, parsers
from blastscan.detectors.evidence.code.mentions import CODE, SQL, holds, mentions
from blastscan.scanner.pipeline import discovery, evidence_needs, evidence_pass

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
    # SQL in code as evidence.sql reads it (blanks of any kind, any case, a long s), and a
    # GraphQL field that is a SQL word.
    ("app/reset.py", 'db.run("""drop\n  table bookings""", DATABASE_URL)\n'
                     "db.run('TRUNCATE\tbookings', DATABASE_URL)\n"
                     'sql = "DROP DATABA\u017fE app"\n'
                     'db.run("truncate table t", url=DATABASE_URL)\n'
                     'db.run(f"Delete From {table}", conn=DATABASE_URL)  # DATABASE_URL\n'),
    ("app/graph.py", 'client.execute("mutation{TRUNCATE}", token=API_TOKEN)\n'),
    ("web/reset.ts", "const q = `DROP SCHEMA ${schema} CASCADE`;\n"
                     'await pool.query("delete from users", [config.DATABASE_URL]);\n'),
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
            # Other providers' credentials read these by value: the file can hold the
            # value, which is what lets the pass skip files that cannot.
            assert holds(usage.value, text, text.lower(), language in CODE), usage


DEFERRED = [(path, text) for path, text in SAMPLES
            if code.need(Document.of(path, text)) is code.Need.IF_NAMED]


@pytest.mark.parametrize(("path", "text"), DEFERRED, ids=[s[0] for s in DEFERRED])
def test_the_pass_wants_every_deferred_file_that_adds_a_usage(path: str, text: str) -> None:
    """The whole gate at once: for each usage a deferred file yields, a credential named
    as the usage is and needing what it gives makes the pass parse the file."""
    for usage in code.collect(Document.of(path, text)):
        wanted: list[tuple[str, evidence_needs.Need]]
        if usage.kind == "alias":  # read through its source, even by a generic secret
            wanted = [(usage.value, frozenset())]
        else:
            need = frozenset({usage.value}) if usage.kind in ("operation", "cli", "sql") else None
            wanted = [(name, need) for name in usage.names]
        for name, need in wanted:
            names = evidence_pass._round(((name, need),))
            assert evidence_pass._wanted(text, names, parsers.language_for(path)), (usage, name)


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
    generic: evidence_needs.Need = frozenset()  # no operations to read by value
    postgres: evidence_needs.Need = frozenset({"DROP DATABASE", "DROP TABLE", "TRUNCATE"})
    assert evidence_pass._collect(ref, (("PASSWORD", generic),), frozenset()) is None
    assert evidence_pass._collect(ref, (("PASSWORD", postgres),), frozenset()) is None
    stripe: evidence_needs.Need = frozenset({"DELETE /v1/customers"})
    parsed = evidence_pass._collect(ref, (("PASSWORD", stripe),), frozenset())
    assert parsed is not None
    assert evidence_pass._collect(ref, (("PASSWORD", None),), frozenset()) is not None
    # A file that defines aliases is parsed whatever the need: the alias is a new name.
    code_file.write_text('import os\nT = os.environ["PASSWORD"]\n')
    assert evidence_pass._collect(ref, (("PASSWORD", generic),), frozenset()) is not None


def test_config_assignment_needs_what_the_credential_reads(tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    model.write_text('{"doc": "pass key=value pairs", "url": "https://x.io/{key}"}\n')
    ref = discovery.FileRef(model, "model.json", 0)
    generic: evidence_needs.Need = frozenset()
    assert evidence_pass._collect(ref, (("key", generic),), frozenset()) is None
    assert evidence_pass._collect(ref, (("key", None),), frozenset()) is not None
    model.write_text('{"scripts": {"x": "curl -H \\"Authorization: Bearer $key\\" x"}}\n')
    assert evidence_pass._collect(ref, (("key", generic),), frozenset()) is not None


def _sql_file(statement: str, name: str = "DATABASE_URL") -> str:
    return (f'"""Resets the {name} database (docs name it: {name})."""\n'
            f'# {name}\ndb.run("{statement} t", settings)\nlabel = "{name}"\n')


POSTGRES = frozenset({"DROP DATABASE", "DROP TABLE", "TRUNCATE"})


@pytest.mark.parametrize(("statement", "wanted"), [
    ("DROP TABLE", True), ("drop\ttable", True), ("Truncate Table", True),
    ("TRUNCATE", True), ("drop_all()  # table", False), ("truncate", False),
    ("DROP SCHEMA", False), ("DELETE FROM", False),
])
def test_sql_needs_a_statement_evidence_sql_reads(tmp_path: Path, statement: str,
                                                  wanted: bool) -> None:
    """A database URL's credential reads DROP and TRUNCATE statements: a file with
    ``drop`` in a name or prose, and the name in code, is not parsed for it."""
    source = tmp_path / "job.py"
    source.write_text(_sql_file(statement).replace("settings", "DATABASE_URL"))
    ref = discovery.FileRef(source, "job.py", 0)
    parsed = evidence_pass._collect(ref, (("DATABASE_URL", POSTGRES),), frozenset())
    assert (parsed is not None) is wanted


def test_a_name_in_prose_adds_nothing(tmp_path: Path) -> None:
    source = tmp_path / "job.py"
    text = _sql_file("DROP TABLE")  # the name in a docstring, a comment and a string
    source.write_text(text)
    ref = discovery.FileRef(source, "job.py", 0)
    assert evidence_pass._collect(ref, (("DATABASE_URL", POSTGRES),), frozenset()) is None
    # The same name in code, in an f-string's hole, or as an environment variable's.
    for use in ("settings = DATABASE_URL\n", 'x = f"{DATABASE_URL}"\n',
                'url = os.environ["DATABASE_URL"]\n'):
        source.write_text(text + use)
        assert evidence_pass._collect(ref, (("DATABASE_URL", POSTGRES),), frozenset()), use


def test_a_name_in_js_prose_adds_nothing() -> None:
    names = evidence_pass._round((("DB_URL", POSTGRES),))
    text = "// DB_URL\nconst s = 'DB_URL', q = `DROP TABLE t ${x}`;\npool.query(q, [conn]);\n"
    assert not evidence_pass._wanted(text, names, "typescript")
    assert evidence_pass._wanted(text.replace("[conn]", "[DB_URL]"), names, "typescript")
    assert evidence_pass._wanted(text.replace("${x}", "${DB_URL}"), names, "javascript")


def test_the_check_reuses_its_parse(tmp_path: Path) -> None:
    source = tmp_path / "job.py"
    source.write_text(_sql_file("DROP TABLE").replace("settings", "DATABASE_URL"))
    ref = discovery.FileRef(source, "job.py", 0)
    before = parsers._parse.cache_info()
    assert evidence_pass._collect(ref, (("DATABASE_URL", POSTGRES),), frozenset())
    after = parsers._parse.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


# Every character re matches to an ASCII letter under IGNORECASE other than the letter
# and its capital: the SQL forms and the query predicates must see through these.
EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))
FOLDED = set(re.findall("(?i)[a-z]", EVERY_CHARACTER[0x80:]))
BLANKS = set(re.findall(r"\s", EVERY_CHARACTER))


def test_sql_forms_hold_every_spelling_evidence_sql_reads() -> None:
    """Each letter of each statement in every form (?i) accepts, and every blank: where
    evidence.sql finds a value in code, holds() says the file can hold it."""
    # Dotted I, dotless i, long s, Kelvin sign.
    assert sorted(FOLDED) == sorted("\u0130\u0131\u017f\u212a")
    for value in SQL:
        for variant in _variants(value):
            text = f'q = "{variant} t"'
            for _, found in evidence.sql(text):
                assert holds(found, text, text.lower(), code=True), (found, variant)


def _variants(value: str) -> list[str]:
    spelt = [value, value.lower(), value.title()]
    for i, char in enumerate(value):
        others = BLANKS if char == " " else {
            c for c in {*FOLDED, char.lower(), char.upper()} if re.fullmatch(f"(?i){char}", c)}
        spelt.extend(value[:i] + other + value[i + 1:] for other in others)
    return spelt


def test_outside_code_a_value_needs_its_first_word() -> None:
    """The SQL forms are proven for strings read as raw source (code); a config or shell
    reader may read a value reworked (a YAML block dedented): there the first word is
    what is proven."""
    assert holds("DROP TABLE", "db.drop_all()", "db.drop_all()", code=False)
    assert not holds("DROP TABLE", "db.drop_all()", "db.drop_all()", code=True)
    assert holds("railway volume delete", "RAILWAY volume", "railway volume", code=True)


@pytest.mark.parametrize("words", [
    ("://", "header", "auth", "token", "key", "secret", "url", "delete"),
    nodes.OPERATION_WORDS,
])
def test_any_case_matches_as_ignorecase_does(words: tuple[str, ...]) -> None:
    plain = re.compile("(?i)" + "|".join(map(re.escape, words)))
    fast = re.compile(nodes.any_case(*words)[1:-1].replace("\\\\", "\\"))
    alphabet = [*"aAkKsStTdDmMuUhH:/ -_x", *FOLDED]
    rng = random.Random(7)
    texts = [w[:i] + c + w[i + 1:] for w in words for i in range(len(w)) for c in alphabet]
    texts += ["".join(rng.choices(alphabet, k=rng.randint(0, 12))) for _ in range(20000)]
    for text in texts:
        assert bool(plain.search(text)) == bool(fast.search(text)), text
