"""Parsers for each configuration key: a raw TOML or environment value in, a typed value out.

Every error names the key and where it came from (``pyproject.toml: tool.blastscan.fail_on``
or ``BLASTSCAN_FAIL_ON``), so a bad value is found without reading blastscan's source, and
never quotes the value: in CI the file is a pull request's and the log may be public.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from blastscan.detectors.knowledge.loader import parse as parse_provider
from blastscan.detectors.knowledge.model import Provider
from blastscan.scanner.config import named_files
from blastscan.scanner.config.scan import SeverityOverride
from blastscan.scanner.errors import ConfigError, KnowledgeError
from blastscan.scanner.models import Severity

_SIZE = re.compile(r"^(\d{1,18})\s*([KMG]?)I?B?$", re.IGNORECASE)  # int() has a digit limit
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
_IDENT = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")  # a provider id: safe to print


def size(where: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    match = _SIZE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ConfigError(f"{where}: expected bytes or a size like 5M")
    return int(match.group(1)) * _UNITS[match.group(2).upper()]


def severity(where: str, value: Any) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        choices = ", ".join(s.value for s in Severity)
        raise ConfigError(f"{where}: expected one of {choices}") from None


def boolean(where: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ConfigError(f"{where}: expected true or false")


def globs(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: expected a list of glob strings")
    import pathspec  # here, not at start-up: most configurations set no globs

    try:
        pathspec.GitIgnoreSpec.from_lines(value)
    except (ValueError, TypeError, re.error, RecursionError, MemoryError):
        raise ConfigError(f"{where}: bad glob") from None
    return tuple(value)


def strings(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def text(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: expected a non-empty string")
    return value


def tables(where: str, value: Any, allowed: set[str]) -> list[dict[str, Any]]:
    """An array of tables (``[[tool.blastscan.override]]``) with no unknown keys."""
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        raise ConfigError(f"{where}: expected an array of tables")
    for index, table in enumerate(value):
        if extra := sorted(set(table) - allowed, key=str):
            raise ConfigError(f"{where}[{index}]: {unknown(extra[0], allowed)}")
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


def provider_files(where: str, value: Any, base: Path, root: Path) -> tuple[Provider, ...]:
    """Extra provider files inside ``root``, validated with the knowledge base's own strict
    schema (whose messages name keys and positions, never values)."""
    loaded = []
    for name in strings(where, value):
        file, at = base / name, f"{where}: {named_files.shown(name)}"
        text = named_files.read_text(file, error=ConfigError, where=at, root=root,
                                     limit=named_files.TOML_LIMIT)
        data = named_files.parse_toml(text, at, ConfigError)
        ident = data.get("id")
        if not isinstance(ident, str) or not _IDENT.fullmatch(ident):
            raise ConfigError(f"{at}: id: expected a lowercase identifier (a-z, 0-9, -, _)")
        try:
            loaded.append(parse_provider(ident, data))
        except KnowledgeError as exc:
            raise ConfigError(f"{at}: {exc}") from None
        except (TypeError, ValueError, AttributeError, KeyError, RecursionError):
            # A shape the schema does not test for (a table where a string goes).
            raise ConfigError(f"{at}: not a valid provider file") from None
    return tuple(loaded)


def unknown(name: str, known: Iterable[str]) -> str:
    """An unknown key, described by the known key it is closest to: its own name is the
    file's (maybe hostile) text."""
    close = difflib.get_close_matches(str(name), sorted(known), n=1)
    return (f"an unknown key (did you mean {close[0]!r}?)" if close
            else f"an unknown key (known: {', '.join(sorted(known))})")


def at_position(exc: BaseException) -> str:
    """Where a regex failed to compile, without ``re.error``'s quote of the pattern."""
    position = getattr(exc, "pos", None)
    return f" at position {position}" if isinstance(position, int) else ""


Parser = Callable[[str, Any], Any]
