"""Language-neutral reading of the text inside code: headers, URLs, GraphQL, SQL, refs.

Each language module finds the *places* (a dict pair, a call, a curl argument) and asks
these helpers what the text there means, so every language emits the same values:

- header values are lowercased header names, ``authorization: <scheme>`` for
  Authorization (``authorization`` alone when the scheme is not literal);
- hosts are lowercased hostnames; an HTTP DELETE is ``DELETE <static path prefix>``;
- SQL is one of ``DROP TABLE|DATABASE|SCHEMA``, ``TRUNCATE``, ``DELETE FROM``.
"""

from __future__ import annotations

import re

# Credential-carrying headers (providers.md §1.4, §5.2, §6, §7.2, §8.2, §22).
HEADERS = frozenset({
    "authorization", "proxy-authorization", "project-access-token", "team-access-token",
    "private-token", "job-token", "deploy-token", "apikey", "api-key", "x-api-key",
    "x-auth-token", "x-access-token", "x-api-token", "x-goog-api-key", "x-vault-token",
    "dd-api-key", "dd-application-key", "x-figma-token", "stripe-account", "x-auth-key",
    "x-auth-email", "cf-access-client-secret", "x-functions-key", "ocp-apim-subscription-key",
})
_CUSTOM_HEADER = re.compile(r"x-[a-z0-9-]*(?:token|key|secret|auth)[a-z0-9-]*")
_SCHEMES = frozenset({"bearer", "basic", "token", "bot", "digest", "apikey", "sso-key"})
_URL = re.compile(r"https?://([A-Za-z0-9][A-Za-z0-9.-]*)(?::\d+)?(/[^\s\"'`?#]*)?")
# A path segment that names one object (an id, a template hole) ends the static prefix.
_DYNAMIC = re.compile(r"[{}$<>:%]|^\d+$|^[a-z]{2,5}_[A-Za-z0-9]{6,}$|^[0-9a-f-]{16,}$", re.I)
# Lowercase `truncate` is an English word: it counts only as `truncate table`.
_SQL = re.compile(
    r"\b(?:(DROP)\s+(TABLE|DATABASE|SCHEMA)|(TRUNCATE(?=\s+[\w\"`])|(?i:truncate\s+table))"
    r"|(DELETE)\s+FROM)\s+\S|\b(?i:(drop)\s+(table|database|schema)|(delete)\s+from)\s+\S")
_MUTATION = re.compile(r"\bmutation\b[^{]*\{", re.I)
_FIELD = re.compile(r"[A-Za-z_]\w*")
_REF = re.compile(
    r"\$\{\{\s*(?:secrets|vars|env)\.([A-Za-z_]\w*)\s*\}\}"  # GitHub Actions
    r"|\$\{\s*(?:var|local)\.([A-Za-z_]\w*)\s*\}"              # Terraform ${var.x}
    r"|\$\{(?:env:)?([A-Za-z_]\w*)(?:[:?+-][^}]*)?\}"        # ${X}, ${X:-d}, ${env:X}
    r"|\$([A-Za-z_]\w*)"                                       # $X
)
CREDENTIAL_LIKE = re.compile(r"(?i)token|secret|passw|api_?key|apikey|auth|credential|_key\b")


def is_header(name: str) -> bool:
    low = name.strip().lower()
    return low in HEADERS or _CUSTOM_HEADER.fullmatch(low) is not None


def header_value(name: str, value: str) -> str:
    """The usage value for header ``name`` whose (literal part of the) value is ``value``."""
    low = name.strip().lower()
    if low not in {"authorization", "proxy-authorization"}:
        return low
    words = value.strip().strip("\"'`").split()
    scheme = words[0].lower().rstrip(":") if words else ""
    return f"{low}: {scheme}" if scheme in _SCHEMES else low


def urls(text: str) -> list[tuple[int, str, str]]:
    """(offset, lowercased host, path) of each absolute http(s) URL in ``text``."""
    return [(m.start(), m.group(1).lower().rstrip("."), m.group(2) or "")
            for m in _URL.finditer(text)]


def delete_value(url: str) -> str:
    """``DELETE /v1/customers`` for ``https://api.stripe.com/v1/customers/{id}``."""
    found = urls(url)
    path = found[0][2] if found else url if url.startswith("/") else ""
    static: list[str] = []
    for segment in path.split("/"):
        if not segment:
            continue
        if _DYNAMIC.search(segment):
            break
        static.append(segment)
    return "DELETE /" + "/".join(static) if static else "DELETE"


def mutations(text: str) -> list[tuple[int, str]]:
    """(offset, field) of the top-level fields of each GraphQL ``mutation { ... }``."""
    found: list[tuple[int, str]] = []
    for m in _MUTATION.finditer(text):
        depth, i, paren = 1, m.end(), 0
        while i < len(text) and depth > 0:
            ch = text[i]
            if ch == "(":
                paren += 1
            elif ch == ")":
                paren = max(paren - 1, 0)
            elif paren == 0 and ch == "{":
                depth += 1
            elif paren == 0 and ch == "}":
                depth -= 1
            elif paren == 0 and depth == 1 and (f := _FIELD.match(text, i)):
                rest = text[f.end():].lstrip()
                if not rest.startswith(":"):  # `alias: field` names the field next
                    found.append((i, f.group(0)))
                i = f.end()
                continue
            i += 1
    return found


def sql(text: str) -> list[tuple[int, str]]:
    """(offset, statement kind) of destructive SQL in ``text``."""
    found = []
    for m in _SQL.finditer(text):
        drop, what = m.group(1) or m.group(5), m.group(2) or m.group(6)
        value = f"DROP {what.upper()}" if drop else "TRUNCATE" if m.group(3) else "DELETE FROM"
        found.append((m.start(), value))
    return found


def refs(text: str) -> list[str]:
    """Variable names referenced as ``$X``, ``${X}``, ``${env:X}`` or ``${{ secrets.X }}``."""
    return [next(g for g in m.groups() if g) for m in _REF.finditer(text)]


def single_ref(text: str) -> str | None:
    """The name when ``text`` is exactly one reference (quotes allowed), else None."""
    stripped = text.strip().strip("\"'")
    m = _REF.fullmatch(stripped)
    return next(g for g in m.groups() if g) if m else None
