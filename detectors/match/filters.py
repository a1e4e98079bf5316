"""Filters that drop candidates which are not credentials.

Three families, each a named reason so the summary can count them:

* ``example`` — keys providers publish in their docs (``data/example_keys.toml``, each
  with its source) and the Supabase CLI's local-stack demo JWTs;
* ``placeholder`` — template values (``your-token-here``, ``<token>``, ``${VAR}``,
  ``$VAR``, ``changeme``, ``xxxx``, ``****``) and trivially sequential strings
  (detect-secrets' heuristic);
* ``public`` — keys that are public by design (Stripe ``pk_``, Supabase publishable
  keys and ``anon`` JWTs);
* ``local_default`` — well-known default passwords on local-only hosts
  (``postgres:postgres@localhost``, compose service names such as ``db``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import tomli
from detect_secrets.filters.heuristic import is_sequential_string

from blastscan.detectors.match.jwt import is_public_jwt, jwt_claims
from blastscan.scanner.models import Candidate

_PLACEHOLDER = re.compile(
    r"""^(?:
        \$\{?[A-Za-z_][A-Za-z0-9_:.-]*\}?     # $VAR, ${VAR}, ${env:VAR}
      | \$\(.*\)                             # $(command)
      | \{\{.*\}\}                           # {{ template }}
      | <[^<>]*>                             # <token>
      | %\(?[A-Za-z_]+\)?s?                  # %(name)s
      | \[\[.*\]\]
    )$""",
    re.VERBOSE,
)
_PLACEHOLDER_WORDS = re.compile(
    r"your[-_ ]?[a-z0-9_-]*[-_ ]?here|^your[-_ ]|change[-_ ]?me|replace[-_ ]?me|placeholder|"
    r"x{4,}|\*{3,}|\.{4,}|#{4,}|redacted|dummy|example|insert[-_ ]?your|^fake[-_]|"
    r"^test[-_]?(?:token|key|secret)|[-_ ]here$",  # ``password_here`` (wp-config-sample)
    re.IGNORECASE,
)
_LOCAL_HOSTS = re.compile(
    r"^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|::1|\[::1\]|host\.docker\.internal|"
    r"[a-z][a-z0-9_-]*)$",  # a single-label name resolves only inside a compose network
    re.IGNORECASE,
)
# Keys that are public by design (shipped to browsers): Stripe publishable keys
# (providers.md §7.1) and Supabase publishable keys (§8.1). Any detector may see them.
_PUBLIC_KEY = re.compile(r"^(?:pk_(?:live|test)_|sb_publishable_)")
DEFAULT_PASSWORDS = frozenset({
    "postgres", "password", "pass", "passwd", "root", "admin", "secret", "example",
    "mysql", "mongo", "redis", "changeme", "test", "dev", "development", "local", "guest",
    "123456", "toor", "pgpass",
})


@lru_cache(maxsize=1)
def example_values() -> frozenset[str]:
    data = resources.files("blastscan.detectors.knowledge").joinpath("data")
    raw = data.joinpath("example_keys.toml").read_text()
    return frozenset(entry["value"] for entry in tomli.loads(raw)["example"])


def is_placeholder(value: str) -> bool:
    if len(value) < 4 or len(set(value)) <= 2:
        return True
    return bool(_PLACEHOLDER.match(value) or _PLACEHOLDER_WORDS.search(value)
                or is_sequential_string(value))


def is_local_host(host: str) -> bool:
    return bool(_LOCAL_HOSTS.match(host))


def is_local_demo_jwt(token: str) -> bool:
    """The Supabase CLI's local-stack keys: every ``supabase start`` prints the same two
    JWTs, issued by ``supabase-demo`` and signed with the stack's published default secret
    (supabase.com/docs/guides/local-development; CLI ``internal/utils/config.go``). A hosted
    project's keys say ``iss: supabase`` and carry the project ``ref``."""
    parts = token.split(".")
    if len(parts) != 3:
        return False
    claims = jwt_claims(parts[1])
    return claims.get("iss") == "supabase-demo" and "ref" not in claims


def filter_reason(candidate: Candidate) -> str | None:
    """Why a candidate is not a credential, or None when it is one."""
    examples = example_values()
    if candidate.secret in examples or candidate.identity in examples:
        return "example"
    if candidate.secret.startswith("eyJ") and is_local_demo_jwt(candidate.secret):
        return "example"
    if _PUBLIC_KEY.match(candidate.secret) or (
            candidate.secret.startswith("eyJ") and is_public_jwt(candidate.secret)):
        return "public"
    if is_placeholder(candidate.secret):
        return "placeholder"
    host = candidate.fact("host")
    if host is not None and is_local_host(host) and candidate.secret.lower() in DEFAULT_PASSWORDS:
        return "local_default"
    return None
