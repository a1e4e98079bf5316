"""The provider knowledge base: every file loads, validates, and cites its sources."""

from __future__ import annotations

from typing import Any

import pytest

from blastscan.detectors.knowledge import load, parse
from blastscan.scanner.errors import KnowledgeError


def test_every_provider_loads_with_sources() -> None:
    kb = load()
    assert {"railway", "aws", "stripe", "github", "supabase", "postgres", "mysql", "mongodb",
            "redis", "kubernetes", "generic"} <= set(kb)
    for provider in kb.values():
        assert provider.source
        for kind in provider.kinds:
            assert kind.source
            assert kind.why
        for op in provider.operations:
            assert op.source
            assert op.why
            assert op.names


def test_every_operation_is_reachable_from_some_kind() -> None:
    for provider in load().values():
        used = {op for kind in provider.kinds for op in kind.operations}
        assert used == {op.id for op in provider.operations}, provider.id


def _minimal() -> dict[str, Any]:
    return {
        "id": "demo", "name": "Demo", "source": "test",
        "kind": [{"id": "k", "scope": "account", "environment_scoped": False,
                  "operations": ["x.delete"], "why": "w", "source": "s"}],
        "operation": [{"id": "x.delete", "resource": "r", "destructive": True,
                       "names": ["n"], "why": "w", "source": "s"}],
    }


def test_minimal_file_parses() -> None:
    provider = parse("demo", _minimal())
    assert provider.kinds[0].operations == ("demo.x.delete",)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.update(id="other"),
        lambda d: d.update(colour="red"),
        lambda d: d["kind"][0].update(scope="galaxy"),
        lambda d: d["kind"][0].update(operations=["missing"]),
        lambda d: d["kind"][0].pop("source"),
        lambda d: d["operation"][0].update(typo=True),
        lambda d: d["kind"].append(dict(d["kind"][0])),
    ],
)
def test_malformed_files_are_rejected(breakage: Any) -> None:
    data = _minimal()
    breakage(data)
    with pytest.raises(KnowledgeError):
        parse("demo", data)
