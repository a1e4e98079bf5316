"""Passwords the syntax names (issue 14, families 2 and 3): .pgpass lines, SQL, commands."""

from __future__ import annotations

from pathlib import Path

from blastscan.detectors.base import Document
from blastscan.detectors.registry import scan_document
from blastscan.scanner.pipeline.filescan import scan_text

from support import scan

PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"


def _found(path: str, text: str) -> list[tuple[str, str]]:
    return [(c.detector, c.secret) for c in scan_document(Document.of(path, text)).candidates]


def test_pgpass_fields_and_escapes() -> None:
    text = f"# comment\nprod.db.corp.net:5432:shop:app:{PW}\n*:*:*:ops:a\\:b\\\\c{PW}\n"
    found = scan_text(".pgpass", text).candidates
    assert [c.secret for c in found] == [PW, "a:b\\c" + PW]
    first, wild = found
    assert (first.fact("host"), first.fact("port"), first.fact("user")) == (
        "prod.db.corp.net", "5432", "app")
    assert first.location.line == 2
    assert wild.fact("host") is None  # ``*`` names no server: unknown, not local


def test_pgpass_is_read_by_name_only() -> None:
    assert _found("notes/hosts.txt", f"prod.db.corp.net:5432:shop:app:{PW}\n") == []
    assert _found("home/ops/pgpass.conf", f"db:5432:shop:app:{PW}\n") == [("pgpass", PW)]


def test_pgpass_to_a_production_host_fails_the_gate(tmp_path: Path) -> None:
    (tmp_path / ".pgpass").write_text(f"prod-db.corp.net:5432:shop:postgres:{PW}\n")
    result = scan(tmp_path)
    (item,) = result.credentials
    assert item.reach.provider == "postgres"
    assert result.gate.failed


def test_sql_and_command_passwords() -> None:
    assert _found("init.sql", f"GRANT ALL ON shop.* TO 'app'@'%' IDENTIFIED BY '{PW}';\n") == [
        ("command-secret", PW)]
    assert _found("r.sql", f'CREATE ROLE "etl" LOGIN PASSWORD \'{PW}\';\n') == [
        ("command-secret", PW)]
    assert _found("b.sh", f"mysql -h db -u root --password={PW} shop\n") == [
        ("command-secret", PW)]
    assert _found("b.sh", f"sshpass -p{PW} ssh ops@10.0.0.5\n") == [("command-secret", PW)]


def test_references_and_help_text_are_not_passwords() -> None:
    for path, text in (
        ("init.sql", "CREATE USER app IDENTIFIED BY :password;\n"),
        ("init.sql", "ALTER USER app PASSWORD %s;\n"),
        ("b.sh", 'mysql -p"${MYSQL_ROOT_PASSWORD}" -e "select 1"\n'),
        ("b.sh", "docker login -u ci -p $CI_REGISTRY_PASSWORD $CI_REGISTRY\n"),
        ("cli.py", 'add_argument("--password", default=None)\n'),
        ("README.md", "Pass `--password` to be prompted.\n"),
    ):
        assert _found(path, text) == [], (path, text)


def test_demo_sql_password_in_docs_is_an_example() -> None:
    text = "    postgres# CREATE USER geodjango PASSWORD 'my_passwd';\n"
    (candidate,) = scan_document(Document.of("docs/install.txt", text)).candidates
    assert candidate.example is not None
    assert "demo password" in candidate.example
