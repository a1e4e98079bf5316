"""Split connection settings are one database login: Hibernate, Django, Rails (issue 20)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from blastscan.detectors.base import Document
from blastscan.detectors.registry import scan_document

from support import scan_json

runner = CliRunner()
PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"
PW2 = "Lq7Rt2Vx9Kp4Mz1Nb6Hc"


def _scan(tmp_path: Path, files: dict[str, str]) -> dict[str, Any]:
    return scan_json(tmp_path, files, (PW, PW2))


def _detectors(path: str, text: str) -> list[tuple[str, str]]:
    return [(c.detector, c.provider) for c in scan_document(Document.of(path, text)).candidates]


def _xml_property(name: str, value: str) -> str:
    return f'    <property name="{name}" value="{value}"/>\n'


def test_persistence_xml_units_are_logins_with_their_hosts(tmp_path: Path) -> None:
    units = ('<persistence><persistence-unit name="orders"><properties>\n'
             + _xml_property("jakarta.persistence.jdbc.url",
                             "jdbc:postgresql://orders-prod.corp.net:5432/orders")
             + _xml_property("jakarta.persistence.jdbc.user", "orders")
             + _xml_property("jakarta.persistence.jdbc.password", PW)
             + '</properties></persistence-unit>\n<persistence-unit name="local"><properties>\n'
             + _xml_property("hibernate.connection.url", "jdbc:h2:mem:test")
             + _xml_property("hibernate.connection.password", PW2)
             + "</properties></persistence-unit></persistence>\n")
    doc = _scan(tmp_path, {"src/main/resources/META-INF/persistence.xml": units})
    (cred,) = [c for c in doc["credentials"] if c["provider"] != "generic"]
    assert (cred["provider"], cred["kind"], cred["environments"]) == (
        "postgres", "connection_url", ["production"])
    assert cred["redacted"] == ("jakarta.persistence.jdbc.password for "
                                "orders@orders-prod.corp.net:5432/orders ****")
    assert cred["locations"][0]["line"] == 4
    assert doc["gate"]["status"] == "fail"


def test_hibernate_cfg_xml_and_properties() -> None:
    cfg = ("<hibernate-configuration><session-factory>\n"
           '<property name="connection.url">jdbc:mysql://shop-db.corp.net/shop</property>\n'
           f'<property name="connection.password">{PW}&amp;x</property>\n'
           "</session-factory></hibernate-configuration>\n")
    (found,) = scan_document(Document.of("hibernate.cfg.xml", cfg)).candidates
    assert (found.detector, found.provider, found.secret) == ("hibernate", "mysql", PW + "&x")
    assert found.fact("host") == "shop-db.corp.net"
    props = ("hibernate.connection.url=jdbc:postgresql://db.corp.net/app\n"
             f"hibernate.connection.password={PW}\n")
    assert _detectors("hibernate.properties", props) == [("hibernate", "postgres")]


def test_hibernate_near_misses_hold_no_login() -> None:
    h2 = f"hibernate.connection.url jdbc:h2:mem:test\nhibernate.connection.password {PW}\n"
    assert ("hibernate", "postgres") not in _detectors("hibernate.properties", h2)
    env = ('<property name="javax.persistence.jdbc.url" value="jdbc:mysql://db.corp.net/x"/>\n'
           '<property name="javax.persistence.jdbc.password" value="${DB_PASSWORD}"/>\n')
    assert _detectors("persistence.xml", env) == []
    # Java source that mentions the property names is not a settings file.
    java = f'props.put("hibernate.connection.password", "{PW}");\n'
    assert all(d != "hibernate" for d, _ in _detectors("Db.java", java))


DJANGO = """import os
DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "orders_prod",
        "USER": "orders",
        "PASSWORD": "{pw}",
        "HOST": "orders.c9akciq32zbx.eu-west-1.rds.amazonaws.com",
        "PORT": 5432,
    }},
    "replica": {{"ENGINE": "django.db.backends.mysql", "HOST": "db.corp.net",
                 "PASSWORD": os.environ["REPLICA_PASSWORD"]}},
    "cache": {{"ENGINE": "django.db.backends.sqlite3", "NAME": "c.db", "PASSWORD": "{pw2}"}},
}}
"""


def test_django_databases_literal_password_is_a_login(tmp_path: Path) -> None:
    doc = _scan(tmp_path, {"shop/settings/base.py": DJANGO.format(pw=PW, pw2=PW2)})
    logins = [c for c in doc["credentials"] if c["provider"] != "generic"]
    (cred,) = logins  # not the environ reference, not the SQLite file
    assert (cred["provider"], cred["locations"][0]["line"]) == ("postgres", 7)
    assert cred["redacted"].endswith(
        "orders@orders.c9akciq32zbx.eu-west-1.rds.amazonaws.com:5432/orders_prod ****")
    assert cred["environments"] == ["production"]  # the remote database's name
    assert "database name orders_prod" in {e["reason"] for e in cred["evidence"]}
    assert doc["gate"]["status"] == "fail"


def test_django_local_or_referenced_passwords_do_not_gate(tmp_path: Path) -> None:
    local = DJANGO.format(pw=PW, pw2=PW2).replace(
        "orders.c9akciq32zbx.eu-west-1.rds.amazonaws.com", "")
    doc = _scan(tmp_path, {"settings.py": local})
    (cred,) = [c for c in doc["credentials"] if c["provider"] == "postgres"]
    assert cred["environments"] == ["development"]  # an empty HOST is localhost
    assert doc["gate"]["status"] == "pass"
    fstring = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", ' \
              '"HOST": "db.corp.net", "PASSWORD": f"{PREFIX}x"}}\n'
    assert all(d != "django-settings" for d, _ in _detectors("settings.py", fstring))


RAILS = f"""default: &default
  adapter: postgresql
  pool: 5
  password: {PW2}
development:
  <<: *default
  database: shop_development
test:
  <<: *default
  database: shop_test
production:
  <<: *default
  host: shop-db.corp.net
  database: shop
  username: shop
  password: {PW}
staging:
  <<: *default
  host: shop-db.stg.corp.net
  password: <%= ENV["STAGING_DATABASE_PASSWORD"] %>
"""


def test_rails_blocks_are_logins_and_their_names_environments(tmp_path: Path) -> None:
    doc = _scan(tmp_path, {"config/database.yml": RAILS})
    by_line = {c["locations"][0]["line"]: c for c in doc["credentials"]}
    assert set(by_line) == {4, 16}  # the ERB reference in staging is no secret
    prod, shared = by_line[16], by_line[4]
    assert (prod["provider"], prod["environments"]) == ("postgres", ["production"])
    assert "under config section 'production:'" in {e["reason"] for e in prod["evidence"]}
    assert prod["redacted"] == "production.password for shop@shop-db.corp.net/shop ****"
    # The default block's password serves development and test on the local socket.
    assert shared["environments"] == ["development", "test"]
    assert doc["gate"]["status"] == "fail"


def test_rails_near_misses() -> None:
    sqlite = f"development:\n  adapter: sqlite3\n  database: db/dev.sqlite3\n  password: {PW}\n"
    assert all(d != "rails-database" for d, _ in _detectors("config/database.yml", sqlite))
    placeholder = "production:\n  adapter: mysql2\n  host: db.corp.net\n  password: changeme\n"
    assert _detectors("config/database.yml", placeholder) == []
    # Only a file named database.yml is read as one.
    assert all(d != "rails-database" for d, _ in _detectors("config/other.yml", RAILS))


def test_a_host_the_settings_refer_to_is_unknown_not_local(tmp_path: Path) -> None:
    rails = ("staging:\n  adapter: postgresql\n  host: <%= ENV['DB_HOST'] %>\n"
             f"  password: {PW}\n")
    django = ('import os\nDATABASES = {"default": {"ENGINE": "django.db.backends.mysql", '
              f'"HOST": os.environ["DB_HOST"], "PASSWORD": "{PW2}"}}}}\n')
    doc = _scan(tmp_path, {"config/database.yml": rails, "settings.py": django})
    by_provider = {c["provider"]: c for c in doc["credentials"]}
    assert by_provider["postgres"]["environments"] == ["staging"]  # its block, not a host
    assert by_provider["mysql"]["environments"] == ["unknown"]  # not "localhost"
    assert not any("host" in e["reason"] for c in doc["credentials"] for e in c["evidence"])
