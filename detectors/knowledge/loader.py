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
from typing import Any

import tomli

from blastscan.detectors.cache import parsed_via_cache
from blastscan.detectors.knowledge.model import (
    Format,
    Kind,
    Operation,
    Provider,
    ProviderSample,
)
from blastscan.detectors.knowledge.schema import parse
from blastscan.scanner.errors import KnowledgeError

_TOMLI = getattr(tomli, "__version__", "unknown")  # a parser change: parsed again

__all__ = ["Format", "Kind", "Operation", "Provider", "ProviderSample", "load", "parse"]


@lru_cache(maxsize=1)
def load() -> dict[str, Provider]:
    folder = resources.files("blastscan.detectors.knowledge").joinpath("data/providers")
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".toml")),
                     key=lambda e: e.name)
    names = [e.name for e in entries]

    def read(index: int, text: str) -> Any:
        try:
            return tomli.loads(text)
        except tomli.TOMLDecodeError as exc:
            raise KnowledgeError(f"{names[index]}: {exc}") from exc

    # The files' own texts key the parsed copy (a changed file is parsed again); every
    # one is still validated below, from whichever source.
    texts = [e.read_text(encoding="utf-8") for e in entries]
    parsed = parsed_via_cache("knowledge", f"tomli {_TOMLI}", texts, read)
    # Every scan loads the knowledge base at start-up but runs few of its formats.
    return {name.removesuffix(".toml"): parse(name.removesuffix(".toml"), data,
                                              check_regexes=False)
            for name, data in zip(names, parsed, strict=True)}
