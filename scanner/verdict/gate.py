"""The gate: severity overrides, then the baseline, then ``fail_on``.

Overrides come first so that a team's own severity (``[[tool.blastscan.override]]``) is
what both the gate and the reports see; the baseline then accepts reviewed paths, and
every path at or above ``fail_on`` that it does not accept (or whose entry expired)
fails the gate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from blastscan.detectors.knowledge.loader import load
from blastscan.scanner.config.scan import ScanConfig, SeverityOverride
from blastscan.scanner.models import (
    Acceptance,
    BaselineSummary,
    Gate,
    Path,
    ResolvedCredential,
    Severity,
)
from blastscan.scanner.verdict import baseline as baselines


def apply_overrides(paths: Iterable[Path], credentials: Iterable[ResolvedCredential],
                    overrides: tuple[SeverityOverride, ...]) -> tuple[Path, ...]:
    if not overrides:
        return tuple(paths)
    import pathspec  # here, not at start-up: few configurations have overrides

    by_id = {rc.credential.id: rc for rc in credentials}
    specs = [pathspec.GitIgnoreSpec.from_lines([o.path]) if o.path else None for o in overrides]
    changed = []
    for path in paths:
        resolved = by_id.get(path.credential_id)
        provider = resolved.reach.provider if resolved else None
        files = [loc.path for loc in resolved.credential.locations] if resolved else []
        chosen = None
        for override, spec in zip(overrides, specs, strict=True):
            if override.provider is not None and override.provider != provider:
                continue
            if spec is not None and not any(spec.match_file(f) for f in files):
                continue
            chosen = override  # the last match wins
        if chosen is not None and chosen.severity is not path.severity:
            why = f"severity {path.severity} set to {chosen.severity} by a configured override"
            path = replace(path, severity=chosen.severity, why=(*path.why, why))
        changed.append(path)
    return tuple(changed)


def gates(resolved: ResolvedCredential) -> bool:
    """Whether paths of this credential's kind can fail the gate (password hashes: review only)."""
    provider = load().get(resolved.reach.provider)
    kind = provider.kind(resolved.reach.kind) if provider is not None else None
    return kind is None or kind.gates


def decide(paths: tuple[Path, ...], credentials: tuple[ResolvedCredential, ...],
           config: ScanConfig) -> tuple[Gate, BaselineSummary | None]:
    accepted: list[Acceptance] = []
    expired: list[Acceptance] = []
    summary = None
    if config.baseline is not None:
        entries = {e.key: e for e in config.baseline.entries}
        found: set[baselines.Key] = set()
        by_id = {rc.credential.id: rc for rc in credentials}
        for path in paths:
            keys = baselines.path_keys(path, by_id)
            found.update(k.current for k in keys)
            found.update(k.legacy for k in keys if k.legacy is not None)
            matched = [e for e in (k.match(entries) for k in keys) if e is not None]
            if not keys or len(matched) != len(keys):
                continue  # a file the baseline has not seen this secret in: not accepted
            first = matched[0]
            dates = sorted(e.expires for e in matched if e.expires is not None)
            is_expired = any(e.expired(config.today) for e in matched)
            verdict = Acceptance(path.id, first.reason, first.owner,
                                 dates[0].isoformat() if dates else None, is_expired)
            (expired if is_expired else accepted).append(verdict)
        summary = BaselineSummary(len(accepted), len(expired),
                                  baselines.stale(config.baseline, found))
    return _verdict(paths, credentials, config.fail_on, tuple(accepted), tuple(expired)), summary


def regate(paths: tuple[Path, ...], credentials: tuple[ResolvedCredential, ...], saved: Gate,
           fail_on: Severity | None) -> Gate:
    """The gate over a saved report's paths (``blastscan report``), at ``fail_on`` or the
    report's own: decided again, not read from the file's ``status``, so a report edited
    to say "pass" over a critical path still fails. The baseline's verdicts are the
    report's: the baseline and the tree it judged are not at hand."""
    return _verdict(paths, credentials, fail_on or saved.fail_on, saved.accepted, saved.expired)


def _verdict(paths: tuple[Path, ...], credentials: tuple[ResolvedCredential, ...],
             fail_on: Severity, accepted: tuple[Acceptance, ...],
             expired: tuple[Acceptance, ...]) -> Gate:
    skip = {a.path_id for a in accepted}
    never = {rc.credential.id for rc in credentials if not gates(rc)}
    above = [p for p in paths if p.severity.rank >= fail_on.rank and p.id not in skip]
    failing = tuple(sorted(p.id for p in above if p.credential_id not in never))
    review_only = tuple(sorted(p.id for p in above if p.credential_id in never))
    return Gate(bool(failing), fail_on, failing, accepted, expired, review_only)


def any_credential(paths: tuple[Path, ...], decided: Gate) -> Gate:
    """The gate of ``scan-files --any`` (the ``blastscan-any`` hook): every path the
    baseline does not accept fails, whatever its severity, review-only kinds included.
    At commit time the question is whether a secret should enter history at all, not
    what it can reach: a plain password or an unknown vendor's key is reason enough.
    (Every credential has a path: one of unknown reach gets ``<provider>.unknown``.)"""
    skip = {a.path_id for a in decided.accepted}
    failing = tuple(sorted(p.id for p in paths if p.id not in skip))
    return Gate(bool(failing), Severity.INFO, failing, decided.accepted, decided.expired, ())
