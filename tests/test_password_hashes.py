"""Password hashes are reported for review and never fail the gate (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from blastscan.detectors.base import Document
from blastscan.detectors.registry import scan_document
from blastscan.scanner.cli.main import app

runner = CliRunner()
SHA512 = "$6$Qx7Lm3Rz$" + "J8w3.nQ7mK2pVfR5tY9uZ1xC4vB6nM8aS0dF3gH7jK9" * 2
BCRYPT = "$2b$12$" + "J8w3nQ7mK2pVfR5tY9uZ1eXcC4vB6nM8aS0dF3gH7jK9lP2oI5uY8"


def _hashes(path: str, text: str) -> list[tuple[str, str | None, str | None]]:
    found = scan_document(Document.of(path, text)).candidates
    return [(c.secret, c.fact("algorithm"), c.fact("user")) for c in found
            if c.kind == "password_hash"]


def test_each_format_with_its_algorithm() -> None:
    assert _hashes("etc/shadow", f"root:{SHA512}:19000:0:99999:7:::\n") == [
        (SHA512, "sha-crypt", "root")]
    assert _hashes("dump.sql", f"INSERT INTO u VALUES (1,'{BCRYPT}');\n") == [
        (BCRYPT, "bcrypt", None)]
    pbkdf2 = "pbkdf2_sha256$600000$Qx7Lm3RzT1$" + "J8w3nQ7mK2pVfR5tY9uZ1eXcC4vB6nM8aS0dF3gH7jK="
    assert _hashes("fixtures.json", f'{{"password": "{pbkdf2}"}}\n') == [
        (pbkdf2, "django pbkdf2", None)]
    assert _hashes(".htpasswd", "ops:{SHA}J8w3nQ7mK2pVfR5tY9uZ1eXcC4v=\n") == [
        ("{SHA}J8w3nQ7mK2pVfR5tY9uZ1eXcC4v=", "{SHA}", "ops")]


def test_near_misses() -> None:
    assert _hashes("etc/shadow", "daemon:*:19000:0:99999:7:::\nops:!:19000::::::\n") == []
    assert _hashes("run.sh", 'echo "$1$2$3" "$2b$12$short"\n') == []
    assert _hashes("dump.sql", f"'{BCRYPT}x'\n") == []  # one character too long


def test_a_production_shadow_file_never_fails_the_gate(tmp_path: Path) -> None:
    (tmp_path / "deploy" / "production").mkdir(parents=True)
    (tmp_path / "deploy" / "production" / "shadow").write_text(f"root:{SHA512}:19000::::::\n")
    got = runner.invoke(app, ["scan", str(tmp_path), "--no-history", "--fail-on", "info",
                              "-f", "json"])
    assert got.exit_code == 0, got.output
    doc = json.loads(got.output)
    (path,) = doc["paths"]
    assert doc["gate"] == {"status": "pass", "fail_on": "info", "failing_paths": [],
                           "review_only": [path["id"]]}
    assert path["severity"] == "info"
    (cred,) = doc["credentials"]
    assert cred["kind"] == "password_hash"
    assert "never a gate failure" in cred["why"][0]
    text = runner.invoke(app, ["scan", str(tmp_path), "--no-history", "--fail-on", "info"])
    assert "(1 for review only)" in text.output


def test_hasher_test_vectors_are_examples(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_hashers.py").write_text(f'assert check("x", "{BCRYPT}")\n')
    doc = json.loads(runner.invoke(app, ["scan", str(tmp_path), "--no-history", "-f",
                                         "json"]).output)
    assert doc["credentials"] == []
    assert "a password hash in test path" in doc["examples"][0]["why"][0]


def test_wordpress_salts_are_for_review_only(tmp_path: Path) -> None:
    salt = "J8w3nQ7mK2pVfR5tY9uZ1xC4vB6nM8aS0dF3gH7jK9lP2oI5uY8tR1eW4qZ7xC0v"
    (tmp_path / "wp-config.php").write_text(
        f"<?php\ndefine( 'AUTH_KEY',         '{salt}' );\n"
        "define( 'NONCE_SALT', 'put your unique phrase here' );\n")
    got = runner.invoke(app, ["scan", str(tmp_path), "--no-history", "--fail-on", "info",
                              "-f", "json"])
    assert got.exit_code == 0, got.output
    (cred,) = json.loads(got.output)["credentials"]
    assert (cred["kind"], cred["locations"][0]["line"]) == ("signing_salt", 2)
