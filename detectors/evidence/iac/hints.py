"""Environment hints for IaC resources: names, tags and paths (providers.md §2.6, §10.4).

Kept local rather than importing the engine's environment module, because detectors sit
below the engine in the import order (style.md, practice 11). Words match as whole
tokens, so ``prod-db`` is production and ``product`` is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from blastscan.scanner.models import Environment

_WORDS: dict[str, Environment] = {
    **dict.fromkeys(("prod", "production", "prd", "live"), Environment.PRODUCTION),
    **dict.fromkeys(("staging", "stage", "stg", "preprod", "uat"), Environment.STAGING),
    **dict.fromkeys(("dev", "development", "develop", "sandbox", "qa"), Environment.DEVELOPMENT),
    **dict.fromkeys(("test", "tests", "testing"), Environment.TEST),
}
_TOKEN = re.compile(r"[a-z0-9]+")
# Tag keys that name an environment ("tags = { Environment = "production" }", §2.6).
_TAG_KEYS = frozenset({"environment", "env", "stage", "tier"})


def from_word(text: str) -> str | None:
    """The environment one identifier names (``prod-db`` → production), if exactly one."""
    found = {_WORDS[t] for t in _TOKEN.findall(text.lower()) if t in _WORDS}
    return found.pop().value if len(found) == 1 else None


def from_tags(tags: Mapping[str, object]) -> str | None:
    found = tag(tags)
    return found[2] if found else None


def tag(tags: Mapping[str, object]) -> tuple[str, str, str] | None:
    """The first environment tag as (key, value as written, environment), if any."""
    for key, value in tags.items():
        if key.lower() in _TAG_KEYS and isinstance(value, str):
            env = from_word(value)
            if env is not None:
                return key, value, env
    return None


def from_path(path: str) -> str | None:
    """``envs/prod/main.tf`` or ``prod.tfvars``: the deepest directory (or stem) that says."""
    parts = path.lower().split("/")
    for part in [parts[-1].rsplit(".", 1)[0], *reversed(parts[:-1])]:
        env = from_word(part)
        if env is not None:
            return env
    return None


def choose(tags: Mapping[str, object], names: Iterable[str], path: str) -> str | None:
    """Tags first (explicit), then resource names, then the file path."""
    env = from_tags(tags)
    if env is not None:
        return env
    for name in names:
        env = from_word(name)
        if env is not None:
            return env
    return from_path(path)
