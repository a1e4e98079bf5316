"""``generic-secret``: random-looking values assigned to names that say "secret".

The net under the provider detectors: ``API_TOKEN = "…"``, ``db_password: …``,
``"clientSecret": "…"`` where the value is a credential but carries no provider
prefix. The name must say token/key/secret/password
(:func:`blastscan.detectors.match.assign.is_secret_name`, plus camelCase ``fooKey``) and not
something public, one-time or an identifier (``publicKey``, ``csrf_token``,
``credentialsId``); the value must look generated
(:func:`blastscan.detectors.match.shapes.looks_random`) or, under a password name, like a
password. Code is kept out three ways: detect-secrets' ``is_indirect_reference`` on the
line (``token = request.headers["x"]``), the value shape rules, and in source files an
unquoted value is an expression, not a literal. Provider detectors win over this one
when both report the same value on the same line (see the registry). A name that
names a catalog vendor (``algoliaToken``) names the candidate's provider
(:mod:`blastscan.detectors.knowledge.catalog_vendors`); its kind stays ``secret``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import PurePosixPath

from detect_secrets.filters.heuristic import is_indirect_reference

from blastscan.detectors.base import Document, Sample
from blastscan.detectors.files import docker_config, kube_secret
from blastscan.detectors.knowledge.catalog_vendors import vendor_named
from blastscan.detectors.match.assign import is_secret_name, named
from blastscan.detectors.match.shapes import looks_like_password, looks_random
from blastscan.scanner.models import Candidate

_CODE_SUFFIXES = frozenset({".py", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".go", ".rb",
                            ".java", ".kt", ".scala", ".cs", ".php", ".rs", ".swift", ".c",
                            ".cc", ".cpp", ".h", ".hpp", ".pl", ".pm", ".lua", ".vim", ".dart",
                            ".groovy", ".ex", ".exs", ".erl", ".clj", ".hs", ".ml", ".r"})
# Every name that says secret holds one of these (``_SECRET_WORDS``, ``…Key``): assign.py
# tries its regex only at names that hold one and are followed by ``=`` or ``:``.
_KEYWORDS = ("token", "secret", "passw", "key", "auth", "credential", "pwd")
_PASSWORD_NAME = re.compile(r"passw(?:or)?d|pwd", re.IGNORECASE)
# ``alibabaKey``: is_secret_name wants ``_key``. Data-structure keys are not secrets.
_CAMEL_KEY = re.compile(r"[a-z0-9]Key$")
_DATA_KEY = re.compile(r"(?:primary|foreign|sort|partition|range|shard|cache|row|hash|index|"
                       r"lookup|map|unique|composite|group|idempotency|dedup|storage|i18n|"
                       r"translation|message|label|react|list|item|route|query)Key$",
                       re.IGNORECASE)
# Names that hold something public or one-time (a GPG/PPA key id is a public key's
# fingerprint), or an identifier in camelCase
# (``credentialsId``: assign.is_secret_name only knows ``_id``-style suffixes).
_NOT_SECRET_NAME = re.compile(
    r"public|publishable|csrf|xsrf|nonce|author(?!i[sz])|(?:gpg|pgp|gnupg|ppa|apt)[-_]?key|"
    r"[a-z0-9](?:Id|IDs?|Ids|Uuid|Url|URL|Uri|Path|File|Name|Type|Count|Header|Version)$")
# Names that say their value is deliberately not a real one: a test's ``fakeToken``,
# ``nonMatchingToken``, ``invalid_key``, ``wrong_password`` (``invalidate`` is a verb).
_NOT_REAL_NAME = re.compile(r"non[-_]?matching|invalid(?!at)|fake|dummy|bogus|wrong",
                            re.IGNORECASE)

# Bitnami SealedSecret ``encryptedData`` values: base64 of "RSA ciphertext length || RSA
# ciphertext || AES ciphertext" (bitnami-labs/sealed-secrets pkg/crypto/crypto.go,
# HybridEncrypt), so they start with the 2-byte length: 0x0200 for the default RSA-4096
# key (``Ag[A-D]``), 0x0100 for RSA-2048 (``AQ[A-D]``).
_SEALED = re.compile(r"^A[gQ][A-D][A-Za-z0-9+/]{60,}={0,2}$")
# A generated key or token is longer than a password may be: the ``generic-api-key`` rule
# of gitleaks and betterleaks (``betterleaks config show toml``) reads values of 10 to 150
# characters. ``SUMO_ACCESS_KEY: AbCeFG123`` is typed; ``pass: Gl297da0j`` may be real.
_MIN_TOKEN = 10
_INDIRECT_MAX = 1000  # detect_secrets.filters.heuristic.is_indirect_reference's own cap
_TOKEN = "Sj6xrWmPqcgSUWcVZV7vwrdjo7WAsrDr"


def _suffix(path: str) -> str:
    """``PurePosixPath(path).suffix`` without building a path object for every file."""
    name = path.rpartition("/")[2]
    if name in ("", "."):  # pathlib drops these components: let it find the name
        return PurePosixPath(path).suffix
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


@lru_cache(maxsize=4096)
def _secret_name(name: str) -> tuple[bool, bool]:
    """(whether the name says secret, whether it says password): a few regexes per name,
    and a large file assigns to the same few hundred names thousands of times."""
    camel_key = bool(_CAMEL_KEY.search(name)) and not _DATA_KEY.search(name)
    if (not (is_secret_name(name) or camel_key) or _NOT_SECRET_NAME.search(name)
            or _NOT_REAL_NAME.search(name)):
        return False, False
    return True, bool(_PASSWORD_NAME.search(name))


@lru_cache(maxsize=8192)
def _is_secret_value(name: str, value: str) -> bool:
    # Cached too: API models repeat ``"NextToken": "NextToken"`` thousands of times.
    secret, password = _secret_name(name)
    return secret and ((len(value) >= _MIN_TOKEN and looks_random(value))
                       or (password and looks_like_password(value)))


def _is_indirect(line: str) -> bool:
    """``is_indirect_reference(line)``, whose regex takes a quarter of a millisecond on a
    long line: it needs an opening and a closing bracket, which most lines lack."""
    if not ("[" in line or "(" in line) or not ("]" in line or ")" in line):
        return False
    return is_indirect_reference(line)


class GenericSecretDetector:
    id = "generic-secret"
    keywords = _KEYWORDS
    positives = (
        Sample(".env", f"API_TOKEN={_TOKEN}\n"),
        Sample("config.yml", "db:\n  password: Gl297da0jHT2hfj9wghd\n"),
        Sample("settings.json", '{"clientSecret": "34d569b5b88d8c0c56d681002e02f0770a681e45"}\n'),
        Sample("main.tf", 'administrator_login_password = "thisIsDog11"\n'),
        # A vendor's name names the provider; a test's word for "not real" is no vendor.
        Sample("search.ts", f'const algoliaToken = "{_TOKEN}";\n'),
        Sample("auth_test.go", f'invalidatedToken := "{_TOKEN}"\n'),
    )
    negatives = (
        Sample("app.py", 'password = get_password()\ntoken = os.environ["API_TOKEN"]\n'),
        Sample("conf.py", 'key_path = "/etc/x"\nSECRET_KEY = settings.SECRET_KEY\n'),
        Sample("client.js",
               "const authToken = getAccessToken;\nconst apiKey = process.env.API_KEY;\n"),
        Sample(".env", "AUTH_URL=https://auth.example.com/oauth/token\nTOKEN_TTL=3600\n"
                       "CACHE_KEY=user-123-profile\nPASSWORD_MIN_LENGTH=12\n"),
        Sample("pg.conf", "password_encryption = scram-sha-256\npublicKey: MCowBQYDK2VwAyEAq\n"),
        Sample("auth_test.go", f'nonMatchingToken := "{_TOKEN}"\nfakeKey := "{_TOKEN}"\n'
                               f'invalid_secret = "{_TOKEN}"\n'),
        Sample(".env", "SUMO_ACCESS_KEY=Qz7Xr2Lm9\n"),  # nine characters: typed, not generated
    )

    def detect(self, doc: Document) -> Iterator[Candidate]:
        is_code = _suffix(doc.path).lower() in _CODE_SUFFIXES
        for found in named(doc, _KEYWORDS, _is_secret_value):
            quoted = found.offset > 0 and doc.text[found.offset - 1] in "\"'`"
            if is_code and not quoted:
                continue
            # Asked only of values of their shape: two searches of every text cost more.
            if _SEALED.match(found.value) and "SealedSecret" in doc.text:
                continue  # encrypted for the cluster's controller: only it can open it
            if ((found.value[-1:] == "=" or found.name.lower() == "auth")
                    and docker_config.is_encoded_login(doc, found.value)):
                continue  # the docker-config reader reports the decoded password
            if kube_secret.encoded_value(doc, found.value):
                continue  # a Secret's base64 value: the kube-secret reader decodes it
            location = doc.location(found.offset)
            start, end = doc.line_span(location.line)
            # Longer lines are never indirect references to detect-secrets (heuristic.py
            # says so first thing): no need to copy a minified file's line per value.
            if end - start <= _INDIRECT_MAX and _is_indirect(doc.text[start:end]):
                continue
            vendor = vendor_named(found.name)
            facts = (("name", found.name),) if vendor is None else (
                ("name", found.name), ("provider_from", "name"))
            yield Candidate(self.id, vendor or "generic", "secret", found.value, location,
                            facts)
