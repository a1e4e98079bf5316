"""Configuration: load, validate and layer it into one frozen :class:`ScanConfig`.

Precedence, lowest first: defaults < the target's configuration file < ``BLASTSCAN_*``
environment variables < flags the user actually passed. The file is ``<target>/.blastscan.toml``
(top-level keys) or the ``[tool.blastscan]`` table of ``<target>/pyproject.toml``; when
both hold blastscan settings it is an error, not a silent choice, since a reviewer reading
one would not know the other wins. Unknown keys and bad values raise
:class:`ConfigError` naming the key and the file, never a value or an unknown key's name
(the file may be a hostile pull request's, the CI log public). Unknown ``BLASTSCAN_*``
variables are ignored: test harnesses and CI share the prefix (``BLASTSCAN_UPDATE_GOLDEN``).
Paths in a file (``baseline``, ``providers``) are relative to that file's folder and,
like the file itself, must stay inside the target (:mod:`named_files`). A baseline named
nowhere is looked for at ``<target>/.blastscan-baseline.json`` (outside CI only; see
:func:`_default_baseline`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from blastscan.detectors.knowledge.loader import load as load_knowledge
from blastscan.detectors.knowledge.model import Provider
from blastscan.detectors.providers.custom import CustomDetector
from blastscan.detectors.registry import DETECTORS
from blastscan.scanner.config import fingerprint_key, named_files
from blastscan.scanner.config import settings_keys as keys
from blastscan.scanner.config.scan import ScanConfig
from blastscan.scanner.errors import BaselineError, ConfigError
from blastscan.scanner.verdict import baseline

_SIMPLE: dict[str, keys.Parser] = {
    "fail_on": keys.severity, "include": keys.globs, "exclude": keys.globs,
    "history": keys.boolean, "max_file_size": keys.size, "include_deps": keys.boolean,
    "baseline": keys.text, "override": keys.overrides, "fingerprint_key_file": keys.text,
}
FILE_KEYS = frozenset({*_SIMPLE, "providers", "detector"})
ENV_KEYS = ("fail_on", "include", "exclude", "history", "max_file_size", "include_deps",
            "baseline")
_DETECTOR_KEYS = {"id", "regex", "provider", "kind", "keywords"}


def resolve(target: Path, environ: Mapping[str, str], flags: Mapping[str, Any],
            **fixed: Any) -> ScanConfig:
    """``flags``: only the options the user passed (``baseline=None``: read none);
    ``fixed``: ScanConfig fields that have no configuration key (jobs, home, env, since,
    today)."""
    values: dict[str, Any] = {}
    found = find_file(target)
    if found is not None:
        values.update(_file_values(target, *found))
    # A baseline the repository names must lie inside it; one the CI author names need not.
    confined = "baseline" in values
    for name in ENV_KEYS:
        variable = f"BLASTSCAN_{name.upper()}"
        if variable in environ:
            raw: Any = environ[variable]
            if name in ("include", "exclude"):  # a list in a variable: comma-separated
                raw = [part.strip() for part in raw.split(",") if part.strip()]
            values[name] = _SIMPLE[name](variable, raw)
            if name == "baseline":
                values[name] = Path(values[name])  # relative to where blastscan runs
                confined = False
    values.update(flags)
    confined = confined and "baseline" not in flags
    if "fingerprint_key" not in fixed:
        values["fingerprint_key"] = fingerprint_key.resolve(
            environ, values.pop("fingerprint_key_file", None), target)
    values.pop("fingerprint_key_file", None)
    if values.get("baseline") is not None:
        key = fixed.get("fingerprint_key") or values["fingerprint_key"]
        values["baseline"] = _load_baseline(Path(values["baseline"]),
                                            target if confined else None, key.scheme)
    elif "baseline" not in values:  # named nowhere, and not refused (--no-baseline)
        scheme = (fixed.get("fingerprint_key") or values["fingerprint_key"]).scheme
        values.update(_default_baseline(target, environ, scheme))
    return ScanConfig(target, **values, **fixed)


def in_ci(environ: Mapping[str, str]) -> bool:
    """``CI`` is set by GitHub Actions, GitLab CI, CircleCI, Travis, Buildkite, ..."""
    return environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _default_baseline(target: Path, environ: Mapping[str, str], scheme: str
                      ) -> dict[str, Any]:
    """The baseline at ``<target>/.blastscan-baseline.json``, used though not named.

    It is the scanned tree's file, so in CI it is a pull request's to write: a PR that
    adds a secret could add the entry accepting it, and the gate would pass. So in CI it
    is never used unless named (``--baseline``, ``BLASTSCAN_BASELINE`` or the
    configuration; the Action reads a named one from the pull request's base commit),
    and the notice says it was ignored. Elsewhere — a developer's own checkout — it is
    used, confined to the tree and read bounded like any file the tree names, and the
    notice says so first, before the verdict."""
    file = target / baseline.DEFAULT_NAME
    if not os.path.lexists(file):
        return {}
    shown = named_files.shown(baseline.DEFAULT_NAME)
    if in_ci(environ):
        return {"baseline_notice": f"baseline: ignoring {shown} in the scanned tree (CI: a"
                " pull request could accept its own secret there; name a trusted one with"
                " --baseline)"}
    try:
        found = baseline.check_scheme(baseline.load(file, root=target), scheme, shown)
    except BaselineError as exc:
        raise ConfigError(f"{exc} (found at the default path: fix it, or pass --no-baseline)"
                          ) from exc
    return {"baseline": found,
            "baseline_notice": f"baseline: using {shown} found in the scanned tree"
                               f" ({len(found.entries)} entries; --no-baseline ignores it)"}


def find_file(target: Path) -> tuple[Path, dict[str, Any]] | None:
    """The configuration file and its blastscan table (None: no configuration)."""
    dedicated, pyproject = target / ".blastscan.toml", target / "pyproject.toml"
    tables: list[tuple[Path, dict[str, Any]]] = []
    if os.path.lexists(dedicated):  # present but not a regular file is an error, not absent
        tables.append((dedicated, _read(target, dedicated)))
    if os.path.lexists(pyproject):
        tool = _read(target, pyproject).get("tool", {})
        section = tool.get("blastscan") if isinstance(tool, dict) else None
        if section is not None:
            if not isinstance(section, dict):
                raise ConfigError(f"{pyproject}: tool.blastscan must be a table")
            tables.append((pyproject, section))
    if len(tables) == 2:
        raise ConfigError(f"{dedicated} and [tool.blastscan] in {pyproject} both configure"
                          " blastscan: keep one")
    return tables[0] if tables else None


def _read(target: Path, file: Path) -> dict[str, Any]:
    text = named_files.read_text(file, error=ConfigError, root=target,
                                 limit=named_files.TOML_LIMIT)
    return named_files.parse_toml(text, named_files.shown(file), ConfigError)


def _file_values(target: Path, file: Path, table: dict[str, Any]) -> dict[str, Any]:
    prefix = f"{file}: " + ("tool.blastscan." if file.name == "pyproject.toml" else "")
    if unknown := sorted(set(table) - FILE_KEYS, key=str):
        table_name = prefix.removesuffix(".").removesuffix(": ")
        raise ConfigError(f"{table_name}: {keys.unknown(unknown[0], FILE_KEYS)}")
    values = {k: _SIMPLE[k](prefix + k, v) for k, v in table.items() if k in _SIMPLE}
    if "baseline" in values:
        values["baseline"] = file.parent / values["baseline"]
    if "fingerprint_key_file" in values:  # confined to the target, like the baseline
        values["fingerprint_key_file"] = file.parent / values["fingerprint_key_file"]
    if "override" in values:
        values["overrides"] = values.pop("override")
    providers = keys.provider_files(prefix + "providers", table.get("providers", []),
                                    file.parent, target)
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
            raise ConfigError(f"{at}.id: already a detector id")
        taken.add(ident)
        provider = knowledge.get(keys.text(f"{at}.provider", table["provider"]))
        if provider is None:
            raise ConfigError(f"{at}.provider: an unknown provider"
                              " (add it with `providers = [...]`)")
        if provider.kind(keys.text(f"{at}.kind", table["kind"])) is None:
            raise ConfigError(f"{at}.kind: not a kind of {provider.id}")
        try:
            regex = re.compile(keys.text(f"{at}.regex", table["regex"]))
        except (re.error, RecursionError, MemoryError) as exc:
            raise ConfigError(f"{at}.regex: bad regex{keys.at_position(exc)}") from None
        if regex.groups > 1:
            raise ConfigError(f"{at}.regex: at most one capture group (the secret)")
        words = keys.strings(f"{at}.keywords", table.get("keywords", []))
        if any(w != w.lower() for w in words):
            raise ConfigError(f"{at}.keywords: keywords are matched lowercase; write them so")
        built.append(CustomDetector(ident, provider.id, table["kind"], regex, words))
    return tuple(built)


def _load_baseline(file: Path, root: Path | None, scheme: str) -> baseline.Baseline:
    try:
        return baseline.check_scheme(baseline.load(file, root=root), scheme,
                                     named_files.shown(file))
    except BaselineError as exc:
        raise ConfigError(str(exc)) from exc
