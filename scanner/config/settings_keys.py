"""Parsers for each configuration key: a raw TOML or environment value in, a typed value out.

Every error names the key and where it came from (``pyproject.toml: tool.blastscan.fail_on``
or ``BLASTSCAN_FAIL_ON``), so a bad value is found without reading blastscan's source.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli

from blastscan.detectors.knowledge.loader import parse as parse_provider
from blastscan.detectors.knowledge.model import Provider
from blastscan.scanner.config.scan import SeverityOverride
from blastscan.scanner.errors import ConfigError, KnowledgeError
from blastscan.scanner.models import Severity

_SIZE = re.compile(r"^(\d+)\s*([KMG]?)I?B?$", re.IGNORECASE)
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def size(where: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    match = _SIZE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ConfigError(f"{where}: expected bytes or a size like 5M, got {value!r}")
    return int(match.group(1)) * _UNITS[match.group(2).upper()]


def severity(where: str, value: Any) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        choices = ", ".join(s.value for s in Severity)
        raise ConfigError(f"{where}: expected one of {choices}, got {value!r}") from None


def boolean(where: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ConfigError(f"{where}: expected true or false, got {value!r}")


def globs(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: expected a list of glob strings")
    import pathspec  # here, not at start-up: most configurations set no globs

    try:
        pathspec.GitIgnoreSpec.from_lines(value)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: bad glob: {exc}") from exc
    return tuple(value)


def strings(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def text(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: expected a non-empty string, got {value!r}")
    return value


def tables(where: str, value: Any, allowed: set[str]) -> list[dict[str, Any]]:
    """An array of tables (``[[tool.blastscan.override]]``) with no unknown keys."""
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        raise ConfigError(f"{where}: expected an array of tables")
    for index, table in enumerate(value):
        if unknown := sorted(set(table) - allowed):
            raise ConfigError(f"{where}[{index}]: unknown key {unknown[0]!r}"
                              f" (known: {', '.join(sorted(allowed))})")
    return value


def overrides(where: str, value: Any) -> tuple[SeverityOverride, ...]:
    found = []
    for index, table in enumerate(tables(where, value, {"provider", "path", "severity"})):
        at = f"{where}[{index}]"
        if "severity" not in table or not ({"provider", "path"} & set(table)):
            raise ConfigError(f"{at}: needs 'severity' and a 'provider' and/or 'path'")
        provider = text(f"{at}.provider", table["provider"]) if "provider" in table else None
        path = globs(f"{at}.path", [table["path"]])[0] if "path" in table else None
        found.append(SeverityOverride(severity(f"{at}.severity", table["severity"]),
                                      provider, path))
    return tuple(found)


def provider_files(where: str, value: Any, base: Path) -> tuple[Provider, ...]:
    """Extra provider files, validated with the knowledge base's own strict schema."""
    loaded = []
    for name in strings(where, value):
        file = base / name
        try:
            data = tomli.loads(file.read_text(encoding="utf-8"))
            loaded.append(parse_provider(str(data.get("id", file.stem)), data))
        except OSError as exc:
            raise ConfigError(f"{where}: cannot read {name}: {exc.strerror}") from exc
        except (tomli.TOMLDecodeError, KnowledgeError) as exc:
            raise ConfigError(f"{where}: {name}: {exc}") from exc
    return tuple(loaded)


Parser = Callable[[str, Any], Any]
