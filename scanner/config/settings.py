"""Configuration: load, validate and layer it into one frozen :class:`ScanConfig`.

Precedence, lowest first: defaults < the target's configuration file < ``BLASTSCAN_*``
environment variables < flags the user actually passed. The file is ``<target>/.blastscan.toml``
(top-level keys) or the ``[tool.blastscan]`` table of ``<target>/pyproject.toml``; when
both hold blastscan settings it is an error, not a silent choice, since a reviewer reading
one would not know the other wins. Unknown keys and bad values raise
:class:`ConfigError` naming the key and the file. Unknown ``BLASTSCAN_*`` variables are
ignored: test harnesses and CI share the prefix (``BLASTSCAN_UPDATE_GOLDEN``).
Paths in a file (``baseline``, ``providers``) are relative to that file's folder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli

from blastscan.detectors.knowledge.loader import load as load_knowledge
from blastscan.detectors.knowledge.model import Provider
from blastscan.detectors.providers.custom import CustomDetector
from blastscan.detectors.registry import DETECTORS
from blastscan.scanner.config import settings_keys as keys
from blastscan.scanner.config.scan import ScanConfig
from blastscan.scanner.errors import BaselineError, ConfigError
from blastscan.scanner.verdict import baseline

_SIMPLE: dict[str, keys.Parser] = {
    "fail_on": keys.severity, "include": keys.globs, "exclude": keys.globs,
    "history": keys.boolean, "max_file_size": keys.size, "include_deps": keys.boolean,
    "baseline": keys.text, "override": keys.overrides,
}
FILE_KEYS = frozenset({*_SIMPLE, "providers", "detector"})
ENV_KEYS = ("fail_on", "include", "exclude", "history", "max_file_size", "include_deps",
            "baseline")
_DETECTOR_KEYS = {"id", "regex", "provider", "kind", "keywords"}


def resolve(target: Path, environ: Mapping[str, str], flags: Mapping[str, Any],
            **fixed: Any) -> ScanConfig:
    """``flags``: only the options the user passed; ``fixed``: ScanConfig fields that have
    no configuration key (jobs, home, env, since, today)."""
    values: dict[str, Any] = {}
    found = find_file(target)
    if found is not None:
        values.update(_file_values(*found))
    for name in ENV_KEYS:
        variable = f"BLASTSCAN_{name.upper()}"
        if variable in environ:
            raw: Any = environ[variable]
            if name in ("include", "exclude"):  # a list in a variable: comma-separated
                raw = [part.strip() for part in raw.split(",") if part.strip()]
            values[name] = _SIMPLE[name](variable, raw)
            if name == "baseline":
                values[name] = Path(values[name])  # relative to where blastscan runs
    values.update(flags)
    if "baseline" in values:
        values["baseline"] = _load_baseline(Path(values["baseline"]))
    return ScanConfig(target, **values, **fixed)


def find_file(target: Path) -> tuple[Path, dict[str, Any]] | None:
    """The configuration file and its blastscan table (None: no configuration)."""
    dedicated, pyproject = target / ".blastscan.toml", target / "pyproject.toml"
    tables: list[tuple[Path, dict[str, Any]]] = []
    if dedicated.is_file():
        tables.append((dedicated, _read(dedicated)))
    if pyproject.is_file():
        tool = _read(pyproject).get("tool", {})
        section = tool.get("blastscan") if isinstance(tool, dict) else None
        if section is not None:
            if not isinstance(section, dict):
                raise ConfigError(f"{pyproject}: tool.blastscan must be a table")
            tables.append((pyproject, section))
    if len(tables) == 2:
        raise ConfigError(f"{dedicated} and [tool.blastscan] in {pyproject} both configure"
                          " blastscan: keep one")
    return tables[0] if tables else None


def _read(file: Path) -> dict[str, Any]:
    try:
        return tomli.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read: {exc.strerror}") from exc
    except (tomli.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from exc


def _file_values(file: Path, table: dict[str, Any]) -> dict[str, Any]:
    prefix = f"{file}: " + ("tool.blastscan." if file.name == "pyproject.toml" else "")
    if unknown := sorted(set(table) - FILE_KEYS):
        raise ConfigError(f"{prefix}{unknown[0]}: unknown key"
                          f" (known: {', '.join(sorted(FILE_KEYS))})")
    values = {k: _SIMPLE[k](prefix + k, v) for k, v in table.items() if k in _SIMPLE}
    if "baseline" in values:
        values["baseline"] = file.parent / values["baseline"]
    if "override" in values:
        values["overrides"] = values.pop("override")
    providers = keys.provider_files(prefix + "providers", table.get("providers", []),
                                    file.parent)
    knowledge = {**load_knowledge(), **{p.id: p for p in providers}}
    if clash := sorted({p.id for p in providers} & set(load_knowledge())):
        raise ConfigError(f"{prefix}providers: {clash[0]!r} is a built-in provider")
    if providers:
        values["providers"] = providers
    if "detector" in table:
        values["detectors"] = _detectors(prefix + "detector", table["detector"], knowledge)
    return values


def _detectors(where: str, value: Any, knowledge: Mapping[str, Provider]
               ) -> tuple[CustomDetector, ...]:
    taken = {d.id for d in DETECTORS}
    built = []
    for index, table in enumerate(keys.tables(where, value, _DETECTOR_KEYS)):
        at = f"{where}[{index}]"
        if missing := sorted(_DETECTOR_KEYS - {"keywords"} - set(table)):
            raise ConfigError(f"{at}: missing key {missing[0]!r}")
        ident = keys.text(f"{at}.id", table["id"])
        if ident in taken:
            raise ConfigError(f"{at}.id: {ident!r} is already a detector id")
        taken.add(ident)
        provider = knowledge.get(keys.text(f"{at}.provider", table["provider"]))
        if provider is None:
            raise ConfigError(f"{at}.provider: unknown provider {table['provider']!r}"
                              " (add it with `providers = [...]`)")
        if provider.kind(keys.text(f"{at}.kind", table["kind"])) is None:
            raise ConfigError(f"{at}.kind: {provider.id} has no kind {table['kind']!r}")
        try:
            regex = re.compile(keys.text(f"{at}.regex", table["regex"]))
        except re.error as exc:
            raise ConfigError(f"{at}.regex: bad regex: {exc}") from exc
        if regex.groups > 1:
            raise ConfigError(f"{at}.regex: at most one capture group (the secret)")
        words = keys.strings(f"{at}.keywords", table.get("keywords", []))
        if any(w != w.lower() for w in words):
            raise ConfigError(f"{at}.keywords: keywords are matched lowercase; write them so")
        built.append(CustomDetector(ident, provider.id, table["kind"], regex, words))
    return tuple(built)


def _load_baseline(file: Path) -> baseline.Baseline:
    try:
        return baseline.load(file)
    except BaselineError as exc:
        raise ConfigError(str(exc)) from exc
