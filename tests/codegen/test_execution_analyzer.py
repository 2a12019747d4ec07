"""sqlc's database analyzer: what sqlc cannot type from the schema alone, the server types.

With `database: {uri: ...}` and `analyzer: {database: true}` sqlc prepares each query on a
server holding the schema. Columns it reports as `any` without one (COALESCE of a column and
a literal, CASE, a scalar subquery) then carry their real types; the plugin generates them
typed, the generated code runs on that server, and verify agrees with it.
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from sqlc_gen_asyncpg.verify import verify

from .conftest import run_sqlc

SCHEMA = """
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    owner text NOT NULL,
    nickname text,
    opened date NOT NULL
);
CREATE TABLE payments (
    id bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    amount numeric(12, 2) NOT NULL
);
"""

QUERIES = """
-- name: AccountLabels :many
SELECT id, COALESCE(nickname, 'anonymous') AS label,
       CASE WHEN opened < '2020-01-01' THEN 'old' ELSE 'new' END AS age
FROM accounts ORDER BY id;

-- name: AccountBalance :one
SELECT a.id, COALESCE((SELECT sum(p.amount) FROM payments p WHERE p.account_id = a.id), 0)
       AS balance,
       COALESCE((SELECT max(p.amount) FROM payments p WHERE p.account_id = a.id), 0) AS top
FROM accounts a WHERE a.id = $1;

-- name: LastOpened :one
SELECT (SELECT max(opened) FROM accounts) AS last_opened;
"""

# column -> (what sqlc reports without a database, with the analyzer)
TYPES = {
    "balance": ("any", "numeric"),
    "top": ("any", "numeric"),
    "last_opened": ("anyarray", "date"),
}


def project(root: Path, plugin: str, uri: str | None) -> Path:
    root.mkdir()
    database = f"    database: {{uri: {json.dumps(uri)}}}\n    analyzer: {{database: true}}\n"
    (root / "sqlc.yaml").write_text(
        'version: "2"\n'
        f"plugins:\n  - name: py\n    process: {{cmd: {plugin}, format: json}}\n"
        "sql:\n  - engine: postgresql\n    schema: schema.sql\n    queries: query.sql\n"
        + (database if uri else "")
        + "    codegen:\n      - plugin: py\n        out: analyzed\n"
        "        options: {package: analyzed, emit_sync: true}\n"
    )
    (root / "schema.sql").write_text(textwrap.dedent(SCHEMA))
    (root / "query.sql").write_text(textwrap.dedent(QUERIES))
    return root


def reported_types(root: Path) -> dict[str, str]:
    """The result column types sqlc sends the plugin, captured by a plugin that only copies."""
    capture = root / "capture.sh"
    capture.write_text(f"#!/bin/sh\ncat > {root}/request.json\nprintf '{{\"files\":[]}}'\n")
    capture.chmod(0o755)
    result = run_sqlc(root)
    assert result.returncode == 0, result.stderr
    request: dict[str, Any] = json.loads((root / "request.json").read_text())
    return {
        column["name"]: column["type"]["name"]
        for query in request["queries"]
        for column in query["columns"]
        if column["name"] in TYPES
    }


@pytest.fixture
async def schema_url(empty_database_url: str) -> str:
    conn = await asyncpg.connect(empty_database_url)
    try:
        await conn.execute(SCHEMA)
    finally:
        await conn.close()
    return empty_database_url


async def test_columns_sqlc_cannot_type_alone_get_their_types_from_the_database(
    schema_url: str, tmp_path: Path
) -> None:
    offline = reported_types(
        project(tmp_path / "offline", str(tmp_path / "offline/capture.sh"), None)
    )
    analyzed = reported_types(
        project(tmp_path / "analyzed", str(tmp_path / "analyzed/capture.sh"), schema_url)
    )
    assert offline == {column: without for column, (without, _) in TYPES.items()}
    assert analyzed == {column: with_db for column, (_, with_db) in TYPES.items()}


async def test_code_generated_with_the_analyzer_runs_and_agrees_with_the_server(
    schema_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path / "project", "sqlc-gen-asyncpg", schema_url)
    result = run_sqlc(root)
    assert result.returncode == 0, result.stderr
    shutil.copytree(root / "analyzed", tmp_path / "analyzed")
    monkeypatch.syspath_prepend(str(tmp_path))
    package = importlib.import_module("analyzed")
    query = importlib.import_module("analyzed.query")
    conn = await asyncpg.connect(schema_url)
    try:
        await package.init_connection(conn)
        await conn.execute(
            "INSERT INTO accounts VALUES (1, 'ann', NULL, '2019-05-01'),"
            " (2, 'bo', 'b', '2024-01-02');"
            "INSERT INTO payments (account_id, amount) VALUES (1, 10.50), (1, 2.25)"
        )
        querier = query.Querier(conn)
        labels = [(r.id, r.label, r.age) for r in await querier.account_labels()]
        assert labels == [(1, "anonymous", "old"), (2, "b", "new")]
        first, second = await querier.account_balance(id=1), await querier.account_balance(id=2)
        assert (first.balance, first.top) == (decimal.Decimal("12.75"), decimal.Decimal("10.50"))
        assert (second.balance, second.top) == (decimal.Decimal(0), decimal.Decimal(0))
        last = await querier.last_opened()
        assert last is not None
        assert last.last_opened == datetime.date(2024, 1, 2)
    finally:
        await conn.close()
    report = verify(schema_url, "analyzed")
    assert (report.mismatches, report.fallbacks, report.statements) == ([], [], 3)
