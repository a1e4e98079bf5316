"""``spring-datasource``: a database login split over Spring Boot settings.

Spring Boot reads ``spring.datasource.url`` (a JDBC URL naming the driver, host, port
and database), ``.username`` and ``.password`` as three keys of ``application.yml`` /
``application-<profile>.properties`` (docs.spring.io/spring-boot/appendix/
application-properties, "Data Properties"; Flyway, Liquibase and R2DBC take the same
three). Read one key at a time the password was a generic secret with no host, so the
gate passed on a production database; read together they are one connection URL, with
the provider from the driver and the environment from the host and the profile's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.evidence.iac.yamldocs import documents, key_line
from blastscan.detectors.files import dblogin
from blastscan.scanner.models import Candidate

_PREFIXES = ("spring.datasource", "spring.datasource.hikari", "spring.flyway",
             "spring.liquibase", "spring.r2dbc")
_PROPERTY = re.compile(r"^[ \t]*(?P<key>[\w.-]+)[ \t]*[=:][ \t]*(?P<value>.*?)[ \t]*$",
                       re.MULTILINE)
_PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"


def _flatten(value: object, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _flatten(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, (str, int)) and not isinstance(value, bool):
        yield prefix, str(value)


def _settings(doc: Document) -> dict[str, tuple[str, int]]:
    """Dotted key -> (value, offset of the value or 0) for a properties or YAML file."""
    if doc.path.endswith(".properties"):
        return {m.group("key"): (m.group("value"), m.start("value"))
                for m in _PROPERTY.finditer(doc.text)}
    import yaml  # only for YAML that names a datasource: PyYAML costs start-up time

    found: dict[str, tuple[str, int]] = {}
    try:
        for _, data in documents(doc.text):
            for key, value in _flatten(data):
                found.setdefault(key, (value, 0))
    except yaml.YAMLError:  # a reader error (control characters) before the first node
        return {}
    return found


class SpringDatasourceDetector:
    id = "spring-datasource"
    keywords = ("datasource", "flyway", "liquibase", "r2dbc")
    positives = (
        Sample("src/main/resources/application-prod.properties",
               "spring.datasource.url=jdbc:postgresql://orders-db.corp.net:5432/orders\n"
               f"spring.datasource.username=orders\nspring.datasource.password={_PW}\n"),
        Sample("config/application.yml",
               "spring:\n  datasource:\n    url: jdbc:mysql://db.shop.net/shop\n"
               f"    username: shop\n    password: {_PW}\n"),
    )
    negatives = (
        Sample("application.properties", "spring.datasource.url=jdbc:h2:mem:test\n"
                                          "spring.datasource.password=sa\n"),
        Sample("application.yml", "spring:\n  datasource:\n    url: jdbc:postgresql://db/app\n"
                                  "    password: ${DB_PASSWORD}\n"),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        # Spring Boot's own names (application[-profile], bootstrap for Spring Cloud): YAML
        # is parsed here, so other YAML that mentions a datasource is not.
        name = doc.path.rsplit("/", 1)[-1]
        if (not name.endswith((".properties", ".yml", ".yaml"))
                or not name.startswith(("application", "bootstrap")) or "password" not in doc.text):
            return
        settings = _settings(doc)
        for prefix in _PREFIXES:
            password, at = settings.get(f"{prefix}.password", ("", 0))
            user = settings.get(f"{prefix}.username", settings.get(f"{prefix}.user", ("", 0)))[0]
            login = dblogin.from_jdbc(settings.get(f"{prefix}.url", ("", 0))[0], user)
            if not password or login is None or password.startswith("${"):
                continue
            if not at:
                line_start = doc.line_span(key_line(doc.text, "password"))[0]
                at = max(doc.text.find(password, line_start), 0)
            yield dblogin.candidate(self.id, login, password, doc.location(at),
                                    f"{prefix}.password")
