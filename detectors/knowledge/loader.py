"""The provider knowledge base: one TOML file per provider, validated at load time.

Facts live in ``blastscan/detectors/data/providers/<id>.toml`` with a ``source`` on
every kind, operation and format; an ``uncertain`` note marks what providers.md could
not confirm. The typed model is :mod:`blastscan.detectors.knowledge.model` and the
strict parse (unknown keys, dangling references, bad scopes and bad regexes are errors)
is :mod:`blastscan.detectors.knowledge.schema`; this module loads the files once. Their
format regexes compile on first use (a test compiles them all).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import tomli

from blastscan.detectors.knowledge.model import (
    Format,
    Kind,
    Operation,
    Provider,
    ProviderSample,
)
from blastscan.detectors.knowledge.schema import parse
from blastscan.scanner.errors import KnowledgeError

__all__ = ["Format", "Kind", "Operation", "Provider", "ProviderSample", "load", "parse"]


@lru_cache(maxsize=1)
def load() -> dict[str, Provider]:
    folder = resources.files("blastscan.detectors.knowledge").joinpath("data/providers")
    providers = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            file_id = entry.name.removesuffix(".toml")
            try:
                data = tomli.loads(entry.read_text(encoding="utf-8"))
            except tomli.TOMLDecodeError as exc:
                raise KnowledgeError(f"{entry.name}: {exc}") from exc
            # Every scan loads the knowledge base at start-up but runs few of its formats.
            providers[file_id] = parse(file_id, data, check_regexes=False)
    return providers
