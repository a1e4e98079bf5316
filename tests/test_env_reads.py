"""env_reads: the variables a code file reads by a literal name, read from its text.

The evidence pass trusts it to say where an alias can be defined, so the readers
themselves are the oracle: on thousands of generated environment reads (every spelling
of key, separator, wrapper and comment the generator knows), each alias a reader finds
is a name ``reads`` gives, or ``reads`` says it is unsure.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from blastscan.detectors.base import Document
from blastscan.detectors.evidence import code
from blastscan.detectors.evidence.code import env_reads, parsers
from blastscan.scanner.pipeline import discovery, evidence_needs, evidence_pass

_GAPS = ("", " ", "\t", "\n", "\n\n", " # c\n", "\\\n", "  ")
_PY_KEYS = (
    '"NAME"', "'NAME'", '"""NAME"""', "'''NAME'''", 'f"NAME"', 'r"NAME"', 'b"NAME"',
    'u"NAME"', 'Rb"NAME"', '"NA" "ME"', '"NA" + "ME"', '"NA\\x4dE"', '"NA\\\nME"',
    '"NA{x}ME"', 'f"{x}NAME"', 'f"NA{{ME"', '"NAME",', '"NAME", "B"', "NAME", "KEY",
    '("NAME")', '"NAME"[0:]', '"NA"\n"ME"', "'NA' # c\n'ME'", '"NAME" if x else "B"',
    "*args", 'key="NAME"', '"NAME" # c\n', "'NAME' \\\n", '""', "'it''s'", '"NAME".strip()',
)
_PY_READS = (
    "os.environ{g1}[{g2}{key}{g3}]", "environ{g1}[{g2}{key}{g3}]",
    "self._environ{g1}[{g2}{key}{g3}]", "os.environ{g1}.get{g2}({g3}{key})",
    "os.environ.get{g1}({g2}{key}{g3}, 'd')", "environ.get({g2}{key}{g3})",
    "os.getenv{g1}({g2}{key}{g3})", "getenv({g2}{key}{g3}, None)", "os . getenv({key})",
    "os.environ .get({key})", "os.environ{g1}# c\n[{key}]",
)
_PY_WRAPS = ("{}", "({})", "{} or 'd'", "({}) or None", "(\n{}\n)", "str({})")
_JS_KEYS = (
    '"NAME"', "'NAME'", "`NAME`", "`NA${x}ME`", '"NA" + "ME"', "NAME", "KEY",
    "/* c */ 'NAME'", "'NAME' /* c */", '"NA\\u004dE"', "// c\n'NAME'", "'NAME', 'd'",
    "`NAME` + x", "('NAME')",
)
_JS_GAPS = ("", " ", "\n", " /* c */ ", "\t", "\n// c\n")
_JS_READS = (
    "process.env{g1}.{g2}NAME", "process.env?.NAME", "import.meta.env{g1}.{g2}NAME",
    "process.env{g1}[{g2}{key}{g3}]", "import.meta.env[{key}]", "Deno.env.get{g1}({g2}{key})",
    "Bun.env.get({key}{g3})", "process .env.NAME", "globalThis.process.env.NAME",
    "process.env.NAME_2", "process.envs.NAME",
)
_JS_WRAPS = ("{}", "({})", "{} || 'd'", "{} ?? undefined", "{}!", "({} as string)", "f({})")
_JS_BINDINGS = (
    "const T = {read};", "let T = {read}\n", "T = {read};", "var T =\n  {read}",
    "const {{NAME}} ={g1}process.env{g2};", "const {{NAME: t, B}} = process.env",
    "let {{A, NAME: t}} = import.meta.env\n", "({{NAME}} = process.env);",
    "const {{NAME}} = process.env || {{}};", "const {{NAME}} = /* c */ process.env",
)


def _python(rng: random.Random) -> str:
    gaps = {f"g{i}": rng.choice(_GAPS) for i in (1, 2, 3)}
    read = rng.choice(_PY_READS).format(key=rng.choice(_PY_KEYS), **gaps)
    return "import os\nT = " + rng.choice(_PY_WRAPS).format(read) + "\n"


def _javascript(rng: random.Random) -> str:
    gaps = {f"g{i}": rng.choice(_JS_GAPS) for i in (1, 2, 3)}
    read = rng.choice(_JS_READS).format(key=rng.choice(_JS_KEYS), **gaps)
    return rng.choice(_JS_BINDINGS).format(read=rng.choice(_JS_WRAPS).format(read), **gaps)


def _generated() -> Iterator[tuple[str, str]]:
    rng = random.Random(7)
    for _ in range(2500):
        yield "app/settings.py", _python(rng)
    for path in ("web/env.js", "web/env.ts", "web/env.tsx") * 700:
        yield path, _javascript(rng)


def test_every_alias_a_reader_finds_is_read_or_unsure() -> None:
    aliases = plain = 0
    for path, text in _generated():
        language = parsers.language_for(path)
        assert language is not None
        found = env_reads.reads(text, language)
        for usage in code.collect(Document.of(path, text)):
            if usage.kind != "alias":
                continue
            aliases += 1
            assert found.unsure or usage.value in found.names, (text, usage)
            plain += not found.unsure
    # The generator reaches the readers, and many of its reads are read exactly (most of
    # the rest have a comment or a line break in them).
    assert aliases > 2000
    assert plain > 300


@pytest.mark.parametrize(("text", "language", "names"), [
    ('T = os.environ["RAILWAY_TOKEN"]', "python", {"RAILWAY_TOKEN"}),
    ("t = os.getenv('A', 'x') or environ.get(\n    \"B\")", "python", {"A", "B"}),
    ('T = self._environ[ """C""" ]', "python", {"C"}),
    ("const t = process.env.API_KEY ?? Deno.env.get('B')", "javascript", {"API_KEY", "B"}),
    ('const t = import.meta.env["VITE_KEY"]', "typescript", {"VITE_KEY"}),
])
def test_plain_reads_are_read_exactly(text: str, language: str, names: set[str]) -> None:
    assert env_reads.reads(text, language) == env_reads.EnvReads(frozenset(names), False)


@pytest.mark.parametrize(("text", "language"), [
    ("env = os.environ.copy()\nhome = os.getenv(name)\nos.environ[key] = v", "python"),
    ("# see the environment\nx = getenv_all()", "python"),
    ('v = os.getenv("A" "B")', "python"),  # no plain string: the reader takes no alias
    ("const e = process.env || {}; const f = process.envelope", "javascript"),
])
def test_reads_no_reader_takes_are_skipped(text: str, language: str) -> None:
    assert env_reads.reads(text, language) == env_reads.EnvReads(frozenset(), False)


@pytest.mark.parametrize(("text", "language"), [
    ('T = os.environ["RAIL" "WAY_TOKEN"]', "python"),
    ('T = os.environ[\n  # the token\n  "RAILWAY_TOKEN"]', "python"),
    ("T = os.environ\\\n['A']", "python"),
    ("const {RAILWAY_TOKEN: t} = process.env;", "javascript"),
    ("const t = process.env[`RAILWAY_${kind}`]", "typescript"),
])
def test_reads_it_cannot_read_are_unsure(text: str, language: str) -> None:
    assert env_reads.reads(text, language).unsure


def test_the_pass_skips_code_that_reads_other_variables(tmp_path: Path) -> None:
    """A generic secret named ``password`` reads only aliases: a module that mentions the
    word and reads ``HOME`` from the environment cannot give it one."""
    module = tmp_path / "user.py"
    module.write_text('import os\n"""Set the password."""\nHOME = os.environ.get("HOME")\n')
    ref = discovery.FileRef(module, "user.py", 0)
    generic: evidence_needs.Need = frozenset()
    assert evidence_pass._collect(ref, (("password", generic),), frozenset()) is None
    module.write_text('import os\nPW = os.environ.get("password")\n')
    assert evidence_pass._collect(ref, (("password", generic),), frozenset()) is not None
    module.write_text('import os\nPW = os.environ.get(  # the password\n  "pass" "word")\n')
    assert evidence_pass._collect(ref, (("password", generic),), frozenset()) is not None
