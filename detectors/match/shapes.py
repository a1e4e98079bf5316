"""Is a string shaped like a credential? Value heuristics shared by the detectors.

Detectors with no provider prefix to go on (``generic-secret``, ``http-auth``) decide
from the value itself, with two tests:

* :func:`looks_random` — a generated token: detect-secrets' Shannon entropy
  (``Base64HighEntropyString.calculate_shannon_entropy``) measured against the most the
  value's alphabet and length allow (hex, lowercase and digits, mixed case), after the
  shape rules that keep code and prose out: dotted names (``os.environ.get``), paths,
  URLs, versions and dates, templates and elisions (``{Key}``, ``ops_eyJ...``), counting
  runs (``1234``), DER/OpenSSH public keys and word-like values (``getAccessToken``,
  ``user-123-profile``, ``AUTH_HEADER``);
* :func:`looks_like_password` — a human-chosen password (``thisIsDog11``): words are
  fine, but it must hold a digit and nothing that starts code or markup.

The thresholds were tuned on the gitleaks rule examples and checked against the source
trees of a Linux system (perl, vim, node, python packages), where they report nothing.
"""

from __future__ import annotations

import math
import re

from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString

_ENTROPY = Base64HighEntropyString()
MIN_LENGTH = 8
_MIN_RATIO = 0.75  # of the alphabet's maximum entropy; random strings score ~0.85-0.95
_MIN_BITS = 2.5
_ENOUGH_BITS = 4.0  # long values this mixed are random whatever their alphabet
# Secrets may hold any printable character, but values that start like code or markup
# (``$var``, ``[list``, ``{map``, ``<tag``, ``*ptr``, ``==other``) or hold code (``->``, ``::``,
# ``$name``, ``</``) are references.
_PRINTABLE = re.compile(r"^(?![$\[{<%&*:@\\=])(?!.*(?:->|::|=>|\$[\w{(]|</))[!-~]+$")
_NO_BRACKETS = re.compile(r"^[^{}()\[\]<>;,|\\\"'`]+$")  # generated tokens never have them
# DER public keys in base64 (SubjectPublicKeyInfo for EC P-256, RSA-2048, RSA-1024,
# Ed25519) and OpenSSH public key bodies: assigned to ``key`` often, secret never.
_PUBLIC_KEY = re.compile(r"^(?:MFkwEwYHKoZIzj0CAQYI|MIIBIjANBgkqhkiG9w0BAQEFAAOC|"
                         r"MIGfMA0GCSqGSIb3DQEBAQUAA4GN|MCowBQYDK2Vw|AAAAB3NzaC1yc2E|"
                         r"AAAAC3NzaC1lZDI1NTE5|AAAAE2VjZHNhLXNoYTItbmlzdHA)")
_IDENT = r"[A-Za-z_$][A-Za-z_$]*\d*"
_DOTTED = re.compile(rf"^{_IDENT}(?:\.{_IDENT})+$")  # os.environ.get, settings.SECRET_KEY
_PATH = re.compile(r"^(?:\.{1,2}/|~/|[A-Za-z]:\\|/[\w./-]*$)|\\"
                   r"|^[\w.-]+(?:/[\w.-]+)+\.[A-Za-z]{1,5}$")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# ``StrictHostKeyChecking=no``: an option assignment, when both sides are words (tokens
# such as Beamer's ``b_…=…`` hold an ``=`` too).
_OPTION = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*=[A-Za-z][A-Za-z0-9_.-]*$")
_VERSION = re.compile(r"^v?\d+(?:[.-]\d+)+(?:[-+][A-Za-z][\w.]*)?$|^\d{4}-\d\d-\d\d|^-")
# Counting runs both ways (``xxx654321``: a dummy value, issue 14), and keyboard runs.
_SEQUENCE = re.compile(r"0123|1234|2345|3456|4567|5678|6789|9876|8765|7654|6543|5432|4321|"
                       r"3210|abcdefg|qwerty", re.IGNORECASE)
# A numeric literal: ``0x9E3779B97F4A7C15`` (the golden-ratio constant), SHA-512's IV words.
# Up to 64 bits only: an Ethereum private key is ``0x`` + 64 hex digits and stays a secret.
_HEX_NUMBER = re.compile(r"^0[xX][0-9a-fA-F]{1,16}[uUlL]{0,3}$")
_ELIDED = re.compile(r"(?:\.\.\.|…)$|^\$?\{")  # ``ops_eyJz...``, ``{SumoAccessKey}``
_LITERALS = frozenset({"true", "false", "none", "null", "nil", "undefined", "yes", "no"})
_SEPARATORS = re.compile(r"[-_./:@]+")
_PREFIX = re.compile(r"^[A-Za-z]{1,8}[_-]")  # a type prefix: ``test_``, ``CLOJARS_``, ``s-``
_CHUNKS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def _is_word(part: str) -> bool:
    """A number, or letters that split into word-sized camelCase/UPPER/lower chunks.

    Random mixed-case letters split into chunks of one or two characters; identifiers
    such as ``getAccessToken`` or ``AUTH_HEADER`` into whole words.
    """
    if part.isdigit() or len(part) <= 3:
        return True
    letters = part.strip("0123456789")
    part = letters if len(part) - len(letters) <= 2 else part  # ``v8``, ``3way``, ``Dog11``
    if not part.isalpha() or not part.isascii():
        return False
    chunks = _CHUNKS.findall(part)
    return sum(map(len, chunks)) / len(chunks) >= 3


def _all_words(value: str) -> list[str] | None:
    parts = [p for p in _SEPARATORS.split(value) if p]
    return parts if all(map(_is_word, parts)) else None


def _alphabet_bits(value: str) -> float:
    """log2 of the alphabet a value seems drawn from, capped by its length."""
    body = _PREFIX.sub("", value)
    size = 10 if any(c.isdigit() for c in body) else 0
    for letters, hex_letters in ((str.islower, "abcdef"), (str.isupper, "ABCDEF")):
        used = [c for c in body if c.isascii() and letters(c)]
        # A hex body behind a short prefix (``dapi…``, ``test_…``) is still hex.
        non_hex = sum(c not in hex_letters for c in used)
        size += 0 if not used else 6 if non_hex <= max(2, len(used) // 8) else 26
    size += 2 if any(not c.isalnum() for c in value) else 0
    return math.log2(max(2, min(len(value), size)))


def _is_code_or_text(value: str) -> bool:
    """Shapes that are never a literal credential: code, paths, URLs, numbers, templates."""
    return bool(len(value) < MIN_LENGTH or value.lower() in _LITERALS
                or not _PRINTABLE.match(value) or not any(c.isalpha() for c in value)
                or _DOTTED.match(value) or _PATH.search(value) or _URL.match(value)
                or (_OPTION.match(value) and _all_words(value.replace("=", "-")) is not None)
                or _VERSION.match(value) or _ELIDED.search(value) or _SEQUENCE.search(value)
                or _HEX_NUMBER.match(value)
                or _PUBLIC_KEY.match(value))


def looks_random(value: str) -> bool:
    """High enough entropy for its alphabet, and not shaped like code, words or numbers."""
    if _is_code_or_text(value) or not _NO_BRACKETS.match(value) or _all_words(value):
        return False
    bits = _ENTROPY.calculate_shannon_entropy(value)
    return bits >= _MIN_BITS and bits >= min(_MIN_RATIO * _alphabet_bits(value), _ENOUGH_BITS)


def looks_like_password(value: str) -> bool:
    """Human-chosen passwords mix words and digits (``thisIsDog11``, ``P@ssw0rd!``)."""
    words = _all_words(value)
    return (not _is_code_or_text(value) and any(c.isdigit() for c in value)
            and not (words is not None and len(words) > 1)  # ``scram-sha-256``
            and _ENTROPY.calculate_shannon_entropy(value) >= _MIN_BITS)
