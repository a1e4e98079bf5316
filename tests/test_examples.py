"""Reading a value as a documentation example (detectors/match/examples.py), and the veto."""

from __future__ import annotations

import base64

import pytest

from blastscan.detectors.base import Document
from blastscan.detectors.registry import scan_document
from blastscan.scanner.config.fingerprint_key import FingerprintKey
from blastscan.scanner.models import Usage
from blastscan.scanner.pipeline.credentials import merge
from blastscan.scanner.pipeline.examples import set_aside
from blastscan.scanner.reach.context import RepoEvidence

from support import TEST_FINGERPRINT_KEY

KEY = FingerprintKey(TEST_FINGERPRINT_KEY.encode())

RANDOM = "vuIdx8bscoKcJ9bh20LC"
GITHUB = "ghp_" + "R7cQ2mZ8vL1xK4nB9wT3yH6jD0sF5gA2pE8u"


def _examples(path: str, text: str) -> list[str | None]:
    return [c.example for c in scan_document(Document.of(path, text)).candidates]


@pytest.mark.parametrize(("path", "text", "signal"), [  # signal: a word the reason holds
    ("lib/db.py", '"""Use postgresql://scott:tiger@10.0.0.5/test"""\n', "docstring"),
    ("docs/engines.rst", "    mysql://scott:tiger@db1.corp.net/test\n", "documentation file"),
    ("app/conf.py", "# e.g. postgres://user:password@prod-db.corp.net/app\n", "comment"),
    ("tests/test_conn.py", 'URL = "postgres://scott:tiger@db.corp.net/x"\n', "test path"),
    ("settings.py", f'DB = "postgres://app:{RANDOM}@db.example.com/app"\n', "RFC 2606"),
    ("settings.py", f'DB = "postgres://app:{RANDOM}@203.0.113.7/app"\n', "RFC 2606/5737"),
    ("settings.py", 'DB = "postgres://scott:tiger@localhost/app"\n', "on a local host"),
    ("doc/engines.rst", f"    postgresql://dbuser:{RANDOM}@pghost10/appdb\n", "a local host"),
    ("docs/mysql.rst", f"    mysql://app:{RANDOM}@192.168.0.134/test\n", "private-network"),
    ("README.md", "    mssql:\n      password: 'P@ssw0rd2024!'\n", "demo password"),
    ("tests/test_auth.py",
     'H = {"Authorization": "Basic ' + base64.b64encode(b"user:pass").decode() + '"}\n',
     "test path"),
])
def test_demo_values_in_documentation_are_examples(path: str, text: str, signal: str) -> None:
    found = _examples(path, text)
    assert found
    assert all(e is not None and signal in e for e in found), found
    assert all("tiger" not in e and RANDOM not in e for e in found if e)


@pytest.mark.parametrize(("path", "text"), [
    ("README.md", f"export GITHUB_TOKEN={GITHUB}\n"),  # a token never, from context alone
    ("docs/setup.md", f"DATABASE_URL=postgres://app:{RANDOM}@db.corp.net/app\n"),
    ("lib/db.py", 'URL = "postgres://scott:tiger@db.corp.net/test"\n'),  # data, not a docstring
    ("config/settings.py", f'DB = "postgres://app:{RANDOM}@localhost/app"\n'),
    ("deploy/app.env", f"DB=postgres://app:{RANDOM}@10.0.3.7/app\n"),  # deploy config
    ("tests/test_x.py", f'API_TOKEN = "{RANDOM}x"\n'),  # a random token in a test
])
def test_real_looking_values_are_not_examples(path: str, text: str) -> None:
    found = _examples(path, text)
    assert found
    assert all(e is None for e in found)


PEM = ("-----BEGIN RSA PRIVATE KEY-----\n" + "MIIEowIBAAKCAQEA" + "q" * 60 + "\n"
       + ("Zm9vYmFy" * 8 + "\n") * 6 + "-----END RSA PRIVATE KEY-----\n")


def test_private_keys_are_examples_only_as_fixtures() -> None:
    assert all(e and "fixture key" in e for e in _examples("tests/certs/server.key", PEM))
    assert all(e is None for e in _examples("deploy/server.key", PEM))


def test_one_real_location_makes_it_a_credential() -> None:
    docs = scan_document(Document.of("docs/db.rst", "postgres://scott:tiger@db.corp.net/x\n"))
    conf = scan_document(Document.of("deploy/app.env", "DB=postgres://scott:tiger@db.corp.net/x\n"))
    (cred,) = merge([*docs.candidates, *conf.candidates], KEY)
    assert cred.example is None
    (alone,) = merge(docs.candidates, KEY)
    assert alone.example is not None


def test_code_that_uses_it_by_name_vetoes_the_reading() -> None:
    doc = Document.of("settings.py", 'DB_URL = "postgres://scott:tiger@localhost/app"\n')
    (cred,) = merge(scan_document(doc).candidates, KEY)
    assert cred.example is not None
    assert cred.fact("name") == "DB_URL"
    idle = RepoEvidence([], credentials=[cred])
    kept, examples, _ = set_aside([cred], idle)
    assert kept == ()
    assert len(examples) == 1
    use = Usage("jobs/drop.py", 3, "sql", "DROP TABLE", ("DB_URL",))
    kept, examples, overruled = set_aside([cred], RepoEvidence([use], credentials=[cred]))
    assert kept == (cred,)
    assert examples == ()
    assert "used as sql DROP TABLE at jobs/drop.py:3" in overruled[cred.id]
