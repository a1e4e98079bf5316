"""The strict parse of the remediation data files (``data/*.toml``).

Every table is checked for unknown and missing keys; every entry and every step needs at
least one source, an https URL, unless its ``uncertain`` says what is unsourced (issue 21:
a reader must be able to open every source, so a section of blastscan's unshipped research
notes, "providers.md §1.1", is refused); a step may only use the placeholders
:mod:`.select` fills; a provider may be covered once. A typo fails at load time
(``KnowledgeError``) instead of silently dropping advice. The URLs are shown, and in
Markdown linked, in every report format, so they are held to a plain character set:
nothing a Markdown or HTML renderer could read as markup, no ``<``, ``>`` or space.
"""

from __future__ import annotations

import re
import string
from typing import Any

from blastscan.reports.remediation.model import Advice, Fix, When
from blastscan.scanner.errors import KnowledgeError

PLACEHOLDERS = frozenset({"provider", "kind", "resource", "environment", "action"})
_URL = re.compile(r"https://[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+\Z")
_ADVICE_KEYS = (frozenset({"providers", "narrower", "why", "source"}),
                frozenset({"step", "uncertain"}))
_STEP_KEYS = (frozenset({"when", "action", "why", "source"}),
              frozenset({"kinds", "actions", "uncertain"}))


def is_source(text: str) -> bool:
    """A source we accept: an https URL of plain characters."""
    return bool(_URL.match(text))


def _check(where: str, table: Any, keys: tuple[frozenset[str], frozenset[str]]) -> dict[str, Any]:
    required, optional = keys
    if not isinstance(table, dict):
        raise KnowledgeError(f"{where}: expected a table")
    if unknown := sorted(set(table) - required - optional):
        raise KnowledgeError(f"{where}: unknown key {unknown[0]!r}")
    if missing := sorted(required - set(table)):
        raise KnowledgeError(f"{where}: missing {missing[0]!r}")
    return table


def _text(where: str, value: Any, *, fields: bool = False) -> str:
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(f"{where}: expected non-empty text")
    if not fields:  # shown as written, never formatted
        return value
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:  # an unmatched brace: literal braces are written {{ }}
        raise KnowledgeError(f"{where}: {exc}") from None
    if names - PLACEHOLDERS:
        raise KnowledgeError(f"{where}: unknown placeholder {sorted(names - PLACEHOLDERS)[0]!r}")
    return value


def _strings(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise KnowledgeError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _sources(where: str, value: Any, uncertain: str | None) -> tuple[str, ...]:
    sources = _strings(where, value)
    if not sources and uncertain is None:  # unsourced is allowed only when it says so
        raise KnowledgeError(f"{where}: every entry needs a source, or an uncertain note")
    if bad := [s for s in sources if not is_source(s)]:
        raise KnowledgeError(f"{where}: not an https URL: {bad[0]!r}")
    return sources


def _uncertain(where: str, table: dict[str, Any]) -> str | None:
    value = table.get("uncertain")
    return None if value is None else _text(f"{where}.uncertain", value)


def _fix(where: str, raw: Any) -> Fix:
    table = _check(where, raw, _STEP_KEYS)
    try:
        when = When(table["when"])
    except ValueError:
        raise KnowledgeError(f"{where}.when: one of {', '.join(When)}") from None
    uncertain = _uncertain(where, table)
    return Fix(
        key=where,
        when=when,
        action=_text(f"{where}.action", table["action"], fields=True),
        why=_text(f"{where}.why", table["why"], fields=True),
        sources=_sources(f"{where}.source", table["source"], uncertain),
        kinds=frozenset(_strings(f"{where}.kinds", table.get("kinds", []))),
        actions=frozenset(_strings(f"{where}.actions", table.get("actions", []))),
        uncertain=uncertain,
    )


def parse(name: str, data: dict[str, Any]) -> list[Advice]:
    """The advice entries of one data file (``name`` only labels errors)."""
    if set(data) - {"advice"}:
        raise KnowledgeError(f"{name}: only [[advice]] tables are allowed")
    entries = data.get("advice", [])
    if not isinstance(entries, list):
        raise KnowledgeError(f"{name}.advice: expected [[advice]] tables")
    parsed = []
    for index, raw in enumerate(entries):
        where = f"{name}:advice[{index}]"
        table = _check(where, raw, _ADVICE_KEYS)
        steps = table.get("step", [])
        if not isinstance(steps, list):
            raise KnowledgeError(f"{where}.step: expected [[advice.step]] tables")
        uncertain = _uncertain(where, table)
        parsed.append(Advice(
            providers=_strings(f"{where}.providers", table["providers"]),
            narrower=_text(f"{where}.narrower", table["narrower"]),
            why=_text(f"{where}.why", table["why"]),
            sources=_sources(f"{where}.source", table["source"], uncertain),
            uncertain=uncertain,
            fixes=tuple(_fix(f"{where}.step[{i}]", s) for i, s in enumerate(steps)),
        ))
    return parsed


def index(entries: list[Advice]) -> dict[str, Advice]:
    """Advice by provider slug; a provider covered twice is an error."""
    by_provider: dict[str, Advice] = {}
    for advice in entries:
        for provider in advice.providers:
            if provider in by_provider:
                raise KnowledgeError(f"remediation: {provider!r} is covered twice")
            by_provider[provider] = advice
    return by_provider
