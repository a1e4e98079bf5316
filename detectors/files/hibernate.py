"""``hibernate``: a database login split over Hibernate / Jakarta Persistence settings.

Hibernate reads ``hibernate.connection.url``, ``.username`` and ``.password`` (the
``hibernate.`` prefix may be left out in ``hibernate.cfg.xml``); JPA's standard names are
``jakarta.persistence.jdbc.url`` / ``.user`` / ``.password`` (``javax.`` before Jakarta EE 9)
— Hibernate ORM's ``JdbcSettings`` (github.com/hibernate/hibernate-orm, hibernate-core/src/
main/java/org/hibernate/cfg/JdbcSettings.java: JAKARTA_JDBC_USER, JAKARTA_JDBC_PASSWORD,
"see JPA 2 section 8.2.1.9"). They sit in ``hibernate.cfg.xml`` (``<property name=…>value
</property>``), ``persistence.xml`` (``<property name=… value=…/>``, one set per
``<persistence-unit>``) or ``hibernate.properties``. Read together they are one database
login with its host; an embedded database (H2, HSQLDB, Derby) names no server and yields
nothing. The XML is matched, not parsed: no entity expansion on a hostile file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape  # not xml.sax.saxutils: it imports urllib.request (a network client)

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.files import dblogin
from blastscan.scanner.models import Candidate

# (url, user names, password) per naming scheme.
_SCHEMES = tuple(
    (f"{p}.url", (f"{p}.username", f"{p}.user"), f"{p}.password")
    for p in ("hibernate.connection", "connection", "jakarta.persistence.jdbc",
              "javax.persistence.jdbc"))
_PROPERTY_TAG = re.compile(r"<property\b(?P<attrs>[^<>]*?)(?P<empty>/?)>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(name|value)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TEXT = re.compile(r"(?P<text>[^<]*)</property\s*>", re.IGNORECASE)
# ``key=value``, ``key: value`` or ``key value`` (java.util.Properties, which Hibernate's own
# sample hibernate.properties uses with a blank).
_LINE = re.compile(r"^[ \t]*(?P<key>[\w.-]+)(?:[ \t]*[=:][ \t]*|[ \t]+)(?P<value>.*?)[ \t]*$",
                   re.MULTILINE)
_UNIT = re.compile(r"<(?:persistence-unit|session-factory)\b", re.IGNORECASE)
_PW = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"

Settings = dict[str, tuple[str, int]]  # key -> (value, offset of the value)


def _xml_units(text: str) -> Iterator[Settings]:
    """The properties of each ``<persistence-unit>`` / ``<session-factory>`` (or the file)."""
    starts = [m.start() for m in _UNIT.finditer(text)] or [0]
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        found: Settings = {}
        for tag in _PROPERTY_TAG.finditer(text, start, end):
            attrs = {m.group(1).lower(): (m.group(2) if m.group(2) is not None else m.group(3),
                                          tag.start("attrs") + m.start(2 if m.group(2) is not None
                                                                       else 3))
                     for m in _ATTR.finditer(tag.group("attrs"))}
            if "name" not in attrs:
                continue
            if "value" in attrs:
                value, at = attrs["value"]
            elif not tag.group("empty") and (body := _TEXT.match(text, tag.end())):
                value, at = body.group("text").strip(), body.start("text")
            else:
                continue
            found.setdefault(attrs["name"][0].strip(), (unescape(value), at))
        yield found


def _properties(text: str) -> Settings:
    return {m.group("key"): (m.group("value"), m.start("value")) for m in _LINE.finditer(text)
            if not m.group("key").startswith(("#", "!"))}


class HibernateDetector:
    id = "hibernate"
    keywords = ("connection.password", "persistence.jdbc.password")
    positives = (
        Sample("src/main/resources/hibernate.cfg.xml",
               "<hibernate-configuration><session-factory>\n"
               '  <property name="hibernate.connection.url">'
               "jdbc:postgresql://orders-db.corp.net:5432/orders</property>\n"
               '  <property name="hibernate.connection.username">orders</property>\n'
               f'  <property name="hibernate.connection.password">{_PW}</property>\n'
               "</session-factory></hibernate-configuration>\n"),
        Sample("META-INF/persistence.xml",
               '<persistence><persistence-unit name="shop">\n<properties>\n'
               '<property name="jakarta.persistence.jdbc.url" value="jdbc:mysql://db.shop.net/shop"/>\n'
               f'<property name="jakarta.persistence.jdbc.password" value="{_PW}"/>\n'
               "</properties></persistence-unit></persistence>\n"),
        Sample("hibernate.properties",
               "hibernate.connection.url jdbc:postgresql://db.corp.net/app\n"
               f"hibernate.connection.password {_PW}\n"),
    )
    negatives = (
        Sample("hibernate.properties", "hibernate.connection.url jdbc:h2:mem:test\n"
                                       f"hibernate.connection.password {_PW}\n"),
        Sample("META-INF/persistence.xml",
               '<property name="javax.persistence.jdbc.url" value="jdbc:mysql://db/x"/>\n'
               '<property name="javax.persistence.jdbc.password" value="${DB_PASSWORD}"/>\n'),
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        name = doc.path.rsplit("/", 1)[-1].lower()
        if name.endswith(".xml"):
            units = list(_xml_units(doc.text))
        elif name.endswith(".properties"):
            units = [_properties(doc.text)]
        else:
            return
        for settings in units:
            for url_key, user_keys, password_key in _SCHEMES:
                password, at = settings.get(password_key, ("", 0))
                user = next((settings[k][0] for k in user_keys if k in settings), "")
                login = dblogin.from_jdbc(settings.get(url_key, ("", 0))[0], user)
                if password and login is not None:
                    yield dblogin.candidate(self.id, login, password, doc.location(at),
                                            password_key)
