"""``blastscan baseline create|update``: record reviewed paths with who accepted them and why.

Both scan PATH with its configuration (the configured baseline itself is ignored: the
file is being written), key every path as :mod:`blastscan.scanner.verdict.baseline` describes
and write the entries sorted, with no timestamps, so the file diffs cleanly. ``create``
refuses to overwrite (that would wipe justifications); ``update`` keeps every entry still
found with its reason, owner and expiry, adds new ones with ``--reason``/``--owner``, and
drops stale ones.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from blastscan.scanner import names
from blastscan.scanner.cli import output as output_file
from blastscan.scanner.config import settings
from blastscan.scanner.config.scan import ScanConfig
from blastscan.scanner.errors import BaselineError, UsageError
from blastscan.scanner.pipeline import engine
from blastscan.scanner.verdict import baseline

DEFAULT_NAME = baseline.DEFAULT_NAME

baseline_app = typer.Typer(add_completion=False, rich_markup_mode=None, no_args_is_help=True,
                           help="Accept reviewed paths so the gate fails only on new ones.")

_Path = Annotated[Path, typer.Argument(help="Directory to scan.")]
_Output = Annotated[Path | None, typer.Option(
    "--output", "-o", help=f"Baseline file [default: PATH/{DEFAULT_NAME}].")]
_Reason = Annotated[str | None, typer.Option(help="Why these paths are accepted.")]
_Owner = Annotated[str | None, typer.Option(help="Who answers for them.")]
_Expires = Annotated[str | None, typer.Option(help="Gate again after this day (YYYY-MM-DD).")]


@baseline_app.command()
def create(path: _Path = Path("."), output: _Output = None, reason: _Reason = None,
           owner: _Owner = None, expires: _Expires = None) -> None:
    """Accept every path found in PATH now."""
    target = output or path / DEFAULT_NAME
    if target.exists():
        raise BaselineError(f"{target} exists: use `blastscan baseline update`")
    if not reason or not owner:
        raise BaselineError("a baseline needs a justification: pass --reason and --owner")
    _record(path, target, None, reason, owner, expires)


@baseline_app.command()
def update(path: _Path = Path("."), output: _Output = None, reason: _Reason = None,
           owner: _Owner = None, expires: _Expires = None) -> None:
    """Keep entries still found, add new paths, drop entries no longer found."""
    target = output or path / DEFAULT_NAME
    if not target.is_file():
        raise BaselineError(f"no baseline at {target}: use `blastscan baseline create`")
    _record(path, target, baseline.load(target), reason, owner, expires)


def _record(path: Path, target: Path, previous: baseline.Baseline | None, reason: str | None,
            owner: str | None, expires: str | None) -> None:
    until = baseline.parse_date(expires, "--expires") if expires else None
    # baseline=None: the configured baseline is not read (it may not exist yet), only written.
    config = replace(settings.resolve(path, os.environ, {"baseline": None}), baseline=None)
    if previous is not None:  # keyed under another key: its justifications cannot carry over
        baseline.check_scheme(previous, config.fingerprint_key.scheme, str(target))
    result = engine.run(config)
    keys = [key for _, key in baseline.current_keys(result.paths, result.credentials)]
    built = baseline.build(keys, previous, scheme=config.fingerprint_key.scheme, reason=reason,
                           owner=owner, expires=until)
    output_file.write_file(target, baseline.dumps(built).encode("utf-8"))  # atomically
    kept = len(previous.entries) if previous else 0
    known = {e.key: e for e in previous.entries} if previous else {}
    matched = sum(1 for k in set(keys) if k.match(known) is not None)
    typer.echo(f"blastscan: wrote {len(built.entries)} entries to {target}"
               f" ({len(built.entries) - matched} new, {kept - matched} dropped)", err=True)


def baseline_flags(flags: dict[str, Any], refused: bool) -> dict[str, Any]:
    """``--no-baseline``: ``baseline=None`` in the flags, which reads none at all."""
    if not refused:
        return flags
    if flags.get("baseline") is not None:
        raise UsageError("--baseline and --no-baseline: pass one")
    return {**flags, "baseline": None}


def baseline_notice(config: ScanConfig) -> None:
    """The line before the report saying a baseline nobody named is used (or ignored)."""
    if config.baseline_notice is not None:
        with contextlib.suppress(OSError):
            typer.echo(f"blastscan: {names.printable(config.baseline_notice)}", err=True)
