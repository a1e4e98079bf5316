"""Structural usage evidence (blastscan.detectors.evidence.code): exact usages per language."""

from __future__ import annotations

import textwrap

import pytest

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.code import collect, parsers

U = tuple[int, str, str, tuple[str, ...]]  # line, kind, value, names


def found(path: str, source: str) -> list[U]:
    doc = Document.of(path, textwrap.dedent(source).lstrip("\n"))
    return [(u.line, u.kind, u.value, u.names) for u in collect(doc)]


CASES: list[tuple[str, str, list[U]]] = [
    ("tools/export.py", '''
        import os, requests
        TOKEN = os.environ["RAILWAY_TOKEN"]
        API = "https://backboard.railway.app/graphql/v2"
        h = {"Authorization": f"Bearer {TOKEN}"}
        requests.post(API, headers=h, json={"query": "mutation { volumeDelete(volumeId: $v) }"})
        ''', [
        (2, "alias", "RAILWAY_TOKEN", ("TOKEN",)),
        (4, "header", "authorization: bearer", ("TOKEN",)),
        (5, "host", "backboard.railway.app", ("API", "TOKEN", "h")),
        (5, "operation", "volumeDelete", ("API", "TOKEN", "h")),
    ]),
    ("web/api.ts", '''
        const t = process.env.RAILWAY_TOKEN;
        await fetch("https://backboard.railway.com/graphql/v2", {
          method: "POST", headers: {"Project-Access-Token": t}});
        ''', [
        (1, "alias", "RAILWAY_TOKEN", ("t",)),
        (2, "host", "backboard.railway.com", ("t",)),
        (3, "header", "project-access-token", ("t",)),
    ]),
    ("scripts/purge.sh", '''
        curl -X DELETE -H "Authorization: Bearer $STRIPE_KEY" https://api.stripe.com/v1/customers/$ID
        ''', [
        (1, "header", "authorization: bearer", ("STRIPE_KEY",)),
        (1, "host", "api.stripe.com", ("ID", "STRIPE_KEY")),
        (1, "operation", "DELETE /v1/customers", ("ID", "STRIPE_KEY")),
    ]),
    ("scripts/nuke.sh", '''
        RAILWAY_TOKEN=$T railway volume delete --environment staging
        ''', [
        (1, "alias", "T", ("RAILWAY_TOKEN",)),
        (1, "cli", "railway volume delete", ("RAILWAY_TOKEN", "T")),
        (1, "environment", "staging", ("RAILWAY_TOKEN", "T")),
    ]),
    ("ops/rds.py", '''
        import boto3
        rds = boto3.client("rds")
        rds.delete_db_instance(DBInstanceIdentifier=name)
        ''', [(3, "operation", "delete_db_instance", ("name",))]),
    ("billing/gdpr.py", '''
        import stripe
        stripe.Customer.delete(customer_id)
        ''', [(2, "operation", "stripe.Customer.delete", ("customer_id",))]),
    (".github/workflows/deploy.yml", '''
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            environment: production
            steps:
              - run: railway up
                env:
                  RAILWAY_TOKEN: ${{ secrets.RAILWAY_TOKEN }}
        ''', [
        (5, "environment", "production", ("RAILWAY_TOKEN",)),
        (7, "cli", "railway up", ("RAILWAY_TOKEN",)),
        (9, "alias", "RAILWAY_TOKEN", ("RAILWAY_TOKEN",)),
    ]),
    (".github/workflows/nightly.yml", '''
        jobs:
          wipe:
            environment:
              name: Staging
            steps:
              - run: echo ${{ secrets.DB_URL }}
        ''', [(4, "environment", "staging", ("DB_URL",))]),
    ("docker-compose.yml", '''
        services:
          web:
            environment:
              RAILWAY_TOKEN: ${RAILWAY_TOKEN}
              PORT: "8080"
          worker:
            environment:
              - "STRIPE=${STRIPE_KEY:-unset}"
        ''', [
        (4, "alias", "RAILWAY_TOKEN", ("RAILWAY_TOKEN",)),
        (8, "alias", "STRIPE_KEY", ("STRIPE",)),
    ]),
    ("db/reset.py", '''
        def reset(cur):
            cur.execute("DROP TABLE bookings")
        ''', [(2, "sql", "DROP TABLE", ())]),
    ("db/migrations/0042_drop.sql", '''
        -- cleanup
        DROP TABLE bookings;
        truncate table audit;
        ''', [(2, "sql", "DROP TABLE", ()), (3, "sql", "TRUNCATE", ())]),
    (".env.local", '''
        TOKEN=${RAILWAY_TOKEN}
        PORT=3000
        ''', [(1, "alias", "RAILWAY_TOKEN", ("TOKEN",))]),
    (".mcp.json", '''
        {"mcpServers": {"railway": {"headers": {"Authorization": "Bearer ${RAILWAY_TOKEN}"}}}}
        ''', [(1, "header", "authorization: bearer", ("RAILWAY_TOKEN",))]),
]


@pytest.mark.parametrize(("path", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_usages(path: str, source: str, expected: list[U]) -> None:
    assert found(path, source) == expected


@pytest.mark.parametrize(("path", "source"), [
    ("junk.py", "\x00\x01\xff requests.delete(\"unterminated\n\ndef (((: os.environ[\n"),
    ("junk.js", "fetch(`https://x.io/${ {{{ process.env. \"\n"),
    ("junk.sh", "curl -H \"Authorization: Bearer $T\n'unbalanced\n$(("),
    ("junk.yml", "env:\n  - : : [\n\t{{ secrets.\n"),
    ("junk.json", "{\"env\": {\"A\": \"${B}\" ,,, ]"),
    ("junk.tf", "resource \"x\" {\n  env = \"${var.\n"),
    ("junk.toml", "[a.env\nT = \"${X}"),
])
def test_malformed_input_does_not_crash(path: str, source: str) -> None:
    assert isinstance(found(path, source), list)


def test_ungated_document_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = parsers.parse

    def counting(name: str, source: bytes) -> object:
        calls.append(name)
        return real(name, source)

    monkeypatch.setattr("blastscan.detectors.evidence.code.parse", counting)
    assert found("app/util.py", "def add(a, b):\n    return a + b\n") == []
    assert calls == []
    found("app/env.py", "import os\nX = os.environ['A']\n")
    assert calls == ["python"]


def test_no_secret_value_in_usages() -> None:
    secret = "47ea3c1e-0000-4b5e-9c1d-2f6a8e9b7c10"
    source = (f'h = {{"Authorization": "Bearer {secret}"}}\n'
              f'requests.delete("https://api.stripe.com/v1/customers/{secret}", headers=h)\n')
    for usage in collect(Document.of("leak.py", source)):
        assert secret not in usage.value
        assert all(secret not in name for name in usage.names)


def test_large_files_are_skipped() -> None:
    big = "x = os.environ['A']\n" + "#" * (parsers.MAX_BYTES + 1)
    assert found("big.py", big) == []
