"""Reading a candidate as a documentation example: ``scott:tiger`` in a docstring.

A value is set aside as an example only when the value *and* where it sits both say so,
or when its target cannot exist. The target signal is decisive on its own: hosts reserved
for documentation (RFC 2606 ``example.com``/``.test``/``.invalid``, RFC 5737 and RFC 3849
addresses) reach nothing. Otherwise a demo value (``scott:tiger``, ``user:password``, a
password equal to its user) must sit in documentation (a ``.rst`` file, ``docs/``, a
Python docstring or a comment), in a test path, or point at a local or placeholder host.
Documentation that connects to a local or placeholder host is read the same way for a
password (``dbuser:kx%25jj5@pghost10`` in ``engines.rst``). Tokens (a prefixed
provider key, a random ``API_KEY``) never become examples from their context alone: a
real key pasted into a README is the incident. Test keys of private-key form are the
exception: a PEM under ``tests/`` or ``examples/`` is a fixture (shown as an example,
never dropped), unless code uses it by name (the engine's veto).

The reason names the signals, never the value. The engine may still veto the reading
when code uses the credential or a production label sits on it (see the engine).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from pathlib import PurePosixPath

from blastscan.detectors.base import Document
from blastscan.detectors.match.filters import is_local_host
from blastscan.scanner.models import Candidate

# Demo users and passwords that documentation uses (SQLAlchemy's scott:tiger, the
# classic Oracle demo account; ``user:password``). Compared lowercased, after undoing
# the usual letter-for-digit swaps (``P@ssw0rd``).
_DEMO_USERS = frozenset({
    "scott", "user", "username", "myuser", "some_user", "someuser", "dbuser", "testuser",
    "demo", "foo", "admin", "root", "guest", "postgres", "u", "me", "john", "jdoe", "alice",
    "bob", "usr", "login", "name", "user1", "example",
})
_DEMO_PASSWORDS = frozenset({
    "tiger", "password", "pass", "passwd", "pw", "pwd", "secret", "changeme", "hunter2",
    "letmein", "123456", "12345678", "qwerty", "foobar", "bar", "baz", "xyzzy", "sekrit",
    "admin", "root", "guest", "postgres", "test", "testing", "example", "demo", "pa",
    "mypass", "mypassword", "somepass", "some_pass", "somepassword", "pass123", "p",
    "correcthorsebatterystaple", "opensesame", "topsecret", "mysecret", "abc123",
})
# ``Password123!``, ``password_1``, ``my-secret``, ``P@ssw0rd``, ``tiger^5HHH``: a word and a
# short tail (complexity rules). Any
# value that spells "password" counts too (``yourStrong(!)Password``): a demo value
# alone never sets a credential aside, its place or its target must agree.
_DEMO_SHAPE = re.compile(
    r"^(?:my|some|your|the|test|demo|example|sample|fake|dummy|super)?[-_.]?"
    r"(?:pass(?:word|wd)?|pw|pwd|secret|tiger|hunter)[-_.]?[\w!@#$%^&*.]{0,5}$")
_LEET = str.maketrans({"@": "a", "0": "o", "3": "e", "$": "s", "1": "i"})
_DOC_SUFFIXES = frozenset({".md", ".markdown", ".rst", ".txt", ".html", ".htm", ".adoc",
                           ".tex", ".texi", ".pod", ".rdoc", ".man"})
_DOC_NAMES = re.compile(r"^(?:readme|changes|changelog|history|news|authors|contributing|"
                        r"install|upgrading|migration)(?:[._-]|$)", re.IGNORECASE)
_DOC_DIRS = frozenset({"doc", "docs", "documentation", "example", "examples", "sample",
                       "samples", "demo", "demos", "tutorial", "tutorials", "docs_src",
                       "man", "guide", "guides", "cookbook"})
_TEST_DIRS = frozenset({"test", "tests", "testing", "spec", "specs", "fixtures", "__tests__",
                        "testdata", "test_data", "unittests"})
_TEST_FILE = re.compile(r"^test_|_test\.py$|\.(?:test|spec)\.[jt]sx?$|_spec\.rb$")
_COMMENT = re.compile(r"^\s*(?:#|//|--|;|\*|/\*|<!--|\.\.\s|rem\s|%)", re.IGNORECASE)
# RFC 2606 / RFC 6761 names and RFC 5737 / RFC 3849 addresses: reserved for documentation.
_DOC_HOST = re.compile(
    r"(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid)$", re.IGNORECASE)
_DOC_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"))
_PLACEHOLDER_HOST = re.compile(
    r"^(?:(?:my|some|your|the|db|pg|sql)?[-_]?(?:host(?:name)?|server|address|domain)\d*"
    r"|[^A-Za-z0-9].*|.*[\[\]{}<>].*)$", re.IGNORECASE)
# Kinds whose secret is a password someone typed, not a generated token.
_PASSWORD_KINDS = frozenset({"connection_url", "basic_credentials", "password"})
_PASSWORD_NAME = re.compile(r"passw(?:or)?d|pwd|passwd", re.IGNORECASE)


def reason(candidate: Candidate, doc: Document) -> str | None:
    """Why this candidate reads as a documentation example, or None."""
    host = candidate.fact("host")
    if host is not None and is_doc_host(host):
        return f"host {host} is reserved for documentation (RFC 2606/5737/3849)"
    place = _context(candidate, doc)
    if candidate.kind == "private_key":
        fixture = place is not None and place.startswith(("test", "documentation folder"))
        return f"fixture key in {place}" if fixture else None
    if candidate.kind == "password_hash":  # test vectors of hashers, hashes in their docs
        return f"a password hash in {place}" if place else None
    if not _is_password(candidate):
        return None
    user, password = _pair(candidate)
    value = _demo_value(user, password)
    target = _target(host)
    if value and place:
        return f"{value} in {place}"
    if value and target:
        return f"{value} on {target}"
    # In documentation a private-network address is where the author's test server
    # was, not proof of production (in a deploy config it can be: no place, no example).
    target = target or (_private(host) if place else None)
    if place and target and place != "a comment" and candidate.kind == "connection_url":
        return f"a URL to {target} in {place}"
    return None


def is_doc_host(host: str) -> bool:
    host = host.strip("[]").rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return bool(_DOC_HOST.search(host))
    return any(address in net for net in _DOC_NETWORKS)


def _is_password(candidate: Candidate) -> bool:
    if candidate.kind in _PASSWORD_KINDS or candidate.fact("flag") is not None:
        return True  # a ``flag`` fact: syntax said password (``-p``, ``PASSWORD '…'``)
    name = candidate.fact("name")
    return candidate.kind == "secret" and name is not None and bool(_PASSWORD_NAME.search(name))


def _pair(candidate: Candidate) -> tuple[str | None, str]:
    user, secret = candidate.fact("user"), candidate.secret
    if candidate.kind == "basic_credentials" and candidate.fact("scheme") == "basic":
        try:
            decoded = base64.b64decode(secret, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return user, secret
        user, _, secret = decoded.partition(":")
    return user, secret


def _demo_value(user: str | None, password: str) -> str | None:
    plain = password.lower()
    known = plain in _DEMO_PASSWORDS or plain.translate(_LEET) in _DEMO_PASSWORDS
    if user is not None and user.lower() in _DEMO_USERS and known:
        return "a demo user and password"
    if user is not None and plain == user.lower():
        return "a password equal to its user name"
    leet = plain.translate(_LEET)
    if known or _DEMO_SHAPE.match(plain) or _DEMO_SHAPE.match(leet) or "password" in leet:
        return "a demo password"
    return None


def _target(host: str | None) -> str | None:
    if host is None:
        return None
    if is_local_host(host):
        return "a local host"
    if _PLACEHOLDER_HOST.match(host):
        return "a placeholder host"
    return None


def _private(host: str | None) -> str | None:
    try:
        address = ipaddress.ip_address((host or "").strip("[]"))
    except ValueError:
        return None
    return "a private-network address" if address.is_private else None


def _context(candidate: Candidate, doc: Document) -> str | None:
    path = candidate.location.path
    pure = PurePosixPath(path.lower())
    if _is_test_path(pure):
        return "test path " + path
    if pure.suffix in _DOC_SUFFIXES or _DOC_NAMES.match(pure.name):
        return "documentation file " + path
    if _DOC_DIRS.intersection(pure.parts[:-1]):
        return "documentation folder " + path
    line = doc.line(candidate.location.line)
    if _COMMENT.match(line):
        return "a comment"
    if pure.suffix in (".py", ".pyi") and _in_docstring(doc, candidate.location.line):
        return "a Python docstring"
    return None


def _is_test_path(pure: PurePosixPath) -> bool:
    dirs = pure.parts[:-1]
    # ``t/unit/...``: celery's and kombu's layout; ``t`` alone is too short to trust deeper.
    return (bool(_TEST_DIRS.intersection(dirs)) or dirs[:1] == ("t",)
            or bool(_TEST_FILE.search(pure.name)))


def _in_docstring(doc: Document, line: int) -> bool:
    from blastscan.detectors.evidence.code.docstrings import docstring_lines  # tree-sitter, lazily

    return any(first <= line <= last for first, last in docstring_lines(doc))
