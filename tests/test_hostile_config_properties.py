"""Property tests of the readers of files named by configuration or flags (issue 18).

Any bytes, or any document of the right general shape, in: a result or blastscan's own
error out (never another exception), and a value planted in the file never in the message.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blastscan.scanner.config import settings as config_settings
from blastscan.scanner.config.settings import FILE_KEYS
from blastscan.scanner.errors import BaselineError, BlastscanError, ConfigError, UsageError
from blastscan.scanner.pipeline import import_formats
from blastscan.scanner.verdict import baseline

SECRET = "sk_live_51HbQ7aXk9PzR2mN4vT6wY8uC0eL3jG5hF7dS1q"
# tmp_path is reused across examples: each example writes the files it reads first.
# derandomize: the same examples on every run, so the suite cannot turn flaky.
FAST = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# Not "baseline", "providers" nor "fingerprint_key_file": a file's name is printed by
# design (escaped); the key file's contents never are (tests/test_fingerprint_key.py).
_NAMED_FILES = {"baseline", "providers", "fingerprint_key_file"}
_KEYS = st.sampled_from([*sorted(FILE_KEYS - _NAMED_FILES), "version", "entries",
                         "results", "findings", "RuleID", "File", "StartLine", "Secret", "id",
                         "name", "source", "kind", "operation", "scope", "operations", "regex",
                         "keywords", SECRET])
_SCALARS = (st.sampled_from([SECRET, "critical", "", "5M", "acme", "api_key", "(", "[z-a]"])
            | st.text(max_size=8) | st.integers() | st.booleans() | st.floats())
_DOCS = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(_KEYS, inner, max_size=5), max_leaves=20)
# A field of a known shape: mostly a plausible value, often the planted one, sometimes junk.
_FIELD = st.sampled_from([SECRET, "acme", "api_key", "cluster.delete", "account", "critical",
                          "2030-01-01", "secret", "a", "(?P<" + SECRET + "->a)"]) | _DOCS


def _shaped(*required: str, optional: tuple[str, ...] = ()) -> st.SearchStrategy[Any]:
    """Tables with the required keys (each kept with a high chance), some optional ones and
    maybe the planted key: where type checks and value-quoting messages are."""
    return st.fixed_dictionaries(dict.fromkeys(required, _FIELD),
                                 optional=dict.fromkeys((*optional, SECRET), _FIELD))


_ENTRY = _shaped("fingerprint", "path", "action", "environment", "reason", "owner", "expires")
_BASELINES = st.fixed_dictionaries({"version": st.just(1) | _SCALARS,
                                    "entries": st.lists(_ENTRY | _DOCS, max_size=3)})
_FINDINGS = st.lists(
    _shaped("RuleID", "File", "StartLine", optional=("Secret", "Match", "Commit"))
    | st.fixed_dictionaries({"SourceMetadata": st.fixed_dictionaries({"Data": st.fixed_dictionaries(
        {"Filesystem": _shaped("file", optional=("line",))})}), "Raw": _FIELD})
    | st.fixed_dictionaries({"rule": _shaped("id", optional=("name",)),
                             "finding": _shaped("path", "line", optional=("snippet",))}),
    max_size=3) | st.fixed_dictionaries({"results": st.dictionaries(st.text(max_size=4), st.lists(
        _shaped("type", "line_number", "hashed_secret"), max_size=2), max_size=2)})
_PROVIDERS = st.fixed_dictionaries({
    "id": st.just("acme") | _FIELD, "name": _FIELD, "source": _FIELD,
    "kind": st.lists(_shaped("id", "scope", "environment_scoped", "operations", "why",
                             "source"), max_size=2) | _FIELD,
}, optional={"operation": st.lists(_shaped("id", "resource", "destructive", "names", "why",
                                           "source"), max_size=2),
             "format": st.lists(_shaped("kind", "regex", "keywords", "source"), max_size=2),
             "target": _FIELD, SECRET: _FIELD})
_CONFIGS = st.fixed_dictionaries({}, optional={
    **dict.fromkeys(sorted(FILE_KEYS - _NAMED_FILES - {"override", "detector"}), _FIELD),
    "override": st.lists(_shaped("severity", optional=("provider", "path")), max_size=2),
    "detector": st.lists(_shaped("id", "regex", "provider", "kind", optional=("keywords",)),
                         max_size=2),
    SECRET: _FIELD})


def _toml(value: Any) -> str:
    """A TOML inline value (JSON's string escapes are TOML's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | float | str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"


def _toml_file(table: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(k)} = {_toml(v)}\n" for k, v in table.items())


def _refused(error: BlastscanError) -> None:
    message = error.explain()
    assert SECRET not in message
    assert "\n" not in message


@FAST
@given(data=st.binary(max_size=300) | (_BASELINES | _DOCS).map(lambda d: json.dumps(d).encode()))
def test_any_baseline_loads_or_is_refused(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "b.json").write_bytes(data)
    try:
        baseline.load(tmp_path / "b.json")
    except BaselineError as error:
        _refused(error)


@FAST
@given(data=st.binary(max_size=300) | (_FINDINGS | _DOCS).map(lambda d: json.dumps(d).encode()),
       lines=st.booleans())
def test_any_import_reads_or_is_refused(tmp_path: Path, data: bytes, lines: bool) -> None:
    if lines:  # JSON lines: the same document twice
        data = data + b"\n" + data
    (tmp_path / "r.json").write_bytes(data)
    try:
        import_formats.read(str(tmp_path / "r.json"))
    except UsageError as error:
        _refused(error)


@FAST
@given(table=_CONFIGS, provider=_PROVIDERS, raw=st.binary(max_size=200))
def test_any_configuration_resolves_or_is_refused(tmp_path: Path, table: dict[str, Any],
                                                  provider: dict[str, Any],
                                                  raw: bytes) -> None:
    (tmp_path / "p.toml").write_text(_toml_file(provider))
    (tmp_path / "raw.toml").write_bytes(raw)
    for text in (_toml_file({**table, "providers": ["p.toml"]}), _toml_file(table),
                 'providers = ["raw.toml"]\n'):
        (tmp_path / ".blastscan.toml").write_text(text)
        try:
            config_settings.resolve(tmp_path, {}, {})
        except ConfigError as error:
            _refused(error)
