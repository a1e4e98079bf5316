"""Passwords the syntax names (issue 14, families 2 and 3): .pgpass lines, SQL, commands."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blastscan.detectors import registry
from blastscan.detectors.base import Document
from blastscan.detectors.match.prefix import finditer_in
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


def test_wp_config_is_a_mysql_credential_for_its_host(tmp_path: Path) -> None:
    (tmp_path / "wp-config.php").write_text(
        "<?php\ndefine( 'DB_NAME', 'shop' );\ndefine( 'DB_USER', 'wp' );\n"
        f"define( 'DB_PASSWORD', '{PW}' );\ndefine( 'DB_HOST', 'prod-db.corp.net:3306' );\n")
    result = scan(tmp_path)
    (item,) = result.credentials
    cred = item.credential
    assert (cred.provider, cred.fact("host"), cred.fact("port"), cred.fact("user")) == (
        "mysql", "prod-db.corp.net", "3306", "wp")
    assert cred.locations[0].line == 4
    assert result.gate.failed


def test_filezilla_base64_passwords_and_editor_ftp_configs() -> None:
    import base64

    b64 = base64.b64encode(PW.encode()).decode()
    xml = ("<FileZilla3><RecentServers><Server><Host>ftp.shop.net</Host><User>deploy</User>"
           f'<Pass encoding="base64">{b64}</Pass></Server>\n<Server><Host>h2</Host>'
           f"<Pass>{PW}x</Pass></Server></RecentServers></FileZilla3>\n")
    found = scan_document(Document.of("AppData/FileZilla/recentservers.xml", xml)).candidates
    secrets = {c.secret for c in found if c.detector == "ftp-client"}
    assert secrets == {PW, PW + "x"}
    (first,) = [c for c in found if c.secret == PW]
    assert (first.fact("host"), first.fact("user")) == ("ftp.shop.net", "deploy")
    text = f'{{"host": "sftp.shop.net", "username": "ops", "password": "{PW}"}}\n'
    assert ("ftp-client", PW) in _found(".vscode/sftp.json", text)
    assert _found("bad/sitemanager.xml", '<Server><Pass encoding="base64">%%%</Pass></Server>') \
        == []


def test_rails_master_key_environment_from_its_name(tmp_path: Path) -> None:
    (tmp_path / "config" / "credentials").mkdir(parents=True)
    (tmp_path / "config" / "credentials" / "production.key").write_text(
        "9f2c7a1e4b8d3f6a0c5e7b2d9a4f1c3e\n")
    (item,) = scan(tmp_path).credentials
    assert item.credential.detectors == ("rails-master-key",)
    assert "production" in item.reach.environments
    assert _found("config/master.key", "not a key\n") == []


def test_xml_password_elements_and_prose_pairs() -> None:
    assert _found("app.config", f"<add><Password>{PW}</Password></add>\n") == [
        ("markup-secret", PW)]
    assert _found("ticket.txt", f"login: root | pwd: {PW}\n") == [("markup-secret", PW)]
    assert _found("ticket.txt", f"user: root\npassword: {PW}\n") != [("markup-secret", PW)]
    assert _found("a.xml", "<password>{{ vault_pw }}</password>\n") == []


BODY = ("Wwv2Ogp/rhute2LAKi45GzVFxZaO25jp+BGunyE7q43zwePJPIdVehzV4z+elqAD",
        "s57yvIYkZGpguVU7+xEbJPEz02EqbSOnTnB2FwZXZQdK2QlelVXloxv/IHKtoUKC")


def test_private_keys_assembled_from_string_literals_have_one_fingerprint() -> None:
    pem = f"-----BEGIN RSA PRIVATE KEY-----\n{BODY[0]}\n{BODY[1]}\n-----END RSA PRIVATE KEY-----\n"
    python = ('KEY = (\n    "-----BEGIN RSA PRIVATE KEY-----\\n"\n'
              f'    "{BODY[0]}\\n"\n    "{BODY[1]}\\n"\n'
              '    "-----END RSA PRIVATE KEY-----\\n"\n)\n')
    js = (f"const k = '-----BEGIN RSA PRIVATE KEY-----\\n' + '{BODY[0]}\\n' +\n"
          f"  '{BODY[1]}\\n' + '-----END RSA PRIVATE KEY-----';\n")
    secrets = {path: [c.secret for c in scan_document(Document.of(path, text)).candidates
                      if c.detector == "private-key"]
               for path, text in (("k.pem", pem), ("k.py", python), ("k.js", js))}
    assert secrets["k.pem"] == secrets["k.py"] == secrets["k.js"] == [BODY[0] + BODY[1]]


def test_prose_between_begin_and_end_is_not_stitched_into_a_key() -> None:
    text = (f'"-----BEGIN RSA PRIVATE KEY-----" is how a key starts; then "{BODY[0]}" '
            'and "-----END RSA PRIVATE KEY-----" ends it.\n')
    assert [c for c in scan_document(Document.of("doc.md", text)).candidates
            if c.detector == "private-key"] == []


def test_markup_elements_are_tried_only_beside_a_closing_tag_and_none_is_lost() -> None:
    from blastscan.detectors.providers.markup import _ELEMENT, MarkupSecretDetector

    detector = MarkupSecretDetector()
    texts = [
        f"<db:PASSWORD>{PW}</db:PASSWORD>\n",
        f'<secretKey id="1">{PW}</secretKey>\n',
        # Spellings the regex folds: the Kelvin sign lowers to ``k``; the long s lowers
        # to itself, so its text is searched whatever the keyword pass says.
        f"<secret\u212aey>{PW}</secret\u212aey>\n",
        f"<pa\u017fsword>{PW}</pa\u017fsword>\n",
        f"if a < b and c <d>{PW}</d> <pwd\n",  # openings, no closing tag: nothing
    ]
    for text in texts:
        doc = Document.of("conf.xml", text)
        found = [c.secret for c in detector.detect(doc) if c.fact("name") is not None]
        assert found == [m.group(2) for m in _ELEMENT.finditer(text)], text
    assert [len(list(_ELEMENT.finditer(t))) for t in texts] == [1, 1, 1, 1, 0]


def test_sql_passwords_are_found_however_the_words_are_spelled() -> None:
    """The SQL search runs only where "identified" or "password" is (read off the keyword
    pass), so every spelling Python's IGNORECASE accepts must still reach it: capitals,
    and the dotless and dotted capital I that lowering does not turn into a plain i."""
    from blastscan.detectors.providers.commands import _SQL, CommandSecretDetector
    from blastscan.scanner.models import SourceKind

    pw = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"
    detector = CommandSecretDetector()
    for spelling in ("identified", "IDENTIFIED", "\u0131dent\u0131f\u0131ed",
                     "\u0130DENT\u0130F\u0130ED"):
        text = f"CREATE USER 'app'@'%' {spelling} BY '{pw}';\n"
        assert _SQL.search(text), spelling  # Python's regex takes every one
        found = [c.secret for c in detector.detect(Document("init.sql", text,
                                                            SourceKind.WORKTREE))]
        assert found == [pw], spelling
    no_words = "CREATE TABLE users (id int);\nALTER TABLE users ADD name text;\n"
    assert list(detector.detect(Document("schema.sql", no_words, SourceKind.WORKTREE))) == []


_WIDE = (st.characters(max_codepoint=0x17F)
         | st.sampled_from("\u00a0\u2003\u3000\x1c\x0b\u0130\u0131\u017f\u212a\u4e2d"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_match_holds_a_text_its_search_is_gated_on(data: st.DataObject) -> None:
    """Each search runs only where texts every match holds are (the keyword pass, then a
    Hyperscan pass for ``\\s-p`` and the SQL openings): a text the regex matches, Unicode
    spaces and case folds included, must pass the gate and be found."""
    from blastscan.detectors.providers.commands import (
        _FLAGS,
        _SQL,
        CommandSecretDetector,
        _searches_flags,
        _sql_matches,
    )

    index = data.draw(st.integers(0, 1))
    pattern = (_SQL, _FLAGS)[index]
    text = data.draw(st.text(_WIDE, max_size=8)) + "\n" + data.draw(
        st.from_regex(pattern, alphabet=_WIDE))
    assert pattern.search(text)
    doc = Document.of("run.sh", text)
    assert not set(CommandSecretDetector.keywords).isdisjoint(
        registry.INDEX.present_in(doc)), text
    expected = [(m.span(), m.groups()) for m in pattern.finditer(text)]
    if index == 0:
        assert [(m.span(), m.groups()) for m in _sql_matches(doc)] == expected, text
    else:
        assert _searches_flags(doc), text
        assert [(m.span(), m.groups()) for m in finditer_in(pattern, doc)] == expected


def test_the_searches_are_skipped_where_no_match_can_be() -> None:
    from blastscan.detectors.providers.commands import _SQL_OPENING, _searches_flags

    text = "engine = create_engine('mysql://')\nuser.password = reset(role)  # docker\n"
    assert _searches_flags(Document.of("db.py", text)) is False
    assert _SQL_OPENING.starts(Document.of("db.py", text)) == []
    sql = "-- \u00e9\nCREATE\u00a0ROLE x PASSWORD 'y'"  # after a wide character: offsets
    assert _SQL_OPENING.starts(Document.of("db.sql", sql)) == [sql.index("CREATE")]
    assert _searches_flags(Document.of("b.sh", "mysql\u2003-pq")) is True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_url_token_match_is_a_query_url_the_pass_finds(data: st.DataObject) -> None:
    """url-token tries its regex only where one Hyperscan pass finds a URL with a query."""
    from blastscan.detectors.providers.url_token import _QUERY, _queries

    text = data.draw(st.text(_WIDE, max_size=8)) + " " + data.draw(
        st.from_regex(_QUERY, alphabet=_WIDE))
    expected = [(m.span(), m.groups()) for m in _QUERY.finditer(text)]
    assert expected
    assert [(m.span(), m.groups()) for m in _queries(Document.of("a.html", text))] == expected
    no_query = "see https://docs.sqlalchemy.org/en/20/ and token=x\n"
    assert list(_queries(Document.of("a.py", no_query))) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_searches_from_their_openings_find_every_match(data: st.DataObject) -> None:
    """markup-secret's pairs and connection strings' keys are tried only where one
    Hyperscan pass finds their whole opening: the same matches, groups and all."""
    from blastscan.detectors.match.prefix import finditer_from
    from blastscan.detectors.providers import connection_string, markup

    pattern, opening = data.draw(st.sampled_from(
        [(markup._PW_KEY, markup._PW_OPENING),
         (connection_string._PASSWORD, connection_string._OPENING)]))
    text = data.draw(st.text(_WIDE, max_size=8)) + data.draw(
        st.from_regex(pattern, alphabet=_WIDE)) + data.draw(st.text(_WIDE, max_size=8))
    doc = Document.of("notes.txt", text)
    assert [(m.span(), m.groups()) for m in finditer_from(pattern, doc, opening)] == [
        (m.span(), m.groups()) for m in pattern.finditer(text)], text
