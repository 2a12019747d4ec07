"""tools/corpus.py on small sqlc projects written here, in the shapes real projects come in.

v1 and v2 configs, several blocks (one of another engine), schemas kept as goose, dbmate and
golang-migrate migrations and as pg_dump output, query globs; a project sqlc itself rejects;
a schema that needs an extension the server lacks. The harness runs them all against the
session's server and its JSON says, per project, what was generated, typed and verified.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlc_projects import find_projects, read_project, sql_files, up_sql

from betdb.testing import PostgresServer

TOOL = Path(__file__).resolve().parent.parent / "tools" / "corpus.py"

SHOP = {
    "sqlc.yaml": """\
        version: "2"
        sql:
          - engine: postgresql
            schema: migrations
            queries: "queries/*.sql"
            strict_order_by: false
            gen:
              go: {package: db, out: db, emit_exact_table_names: true}
          - engine: mysql
            schema: mysql.sql
            queries: mysql.sql
            gen:
              go: {package: my, out: my}
          - engine: postgresql
            schema: ["ledger/"]
            queries: ledger.sql
            gen:
              go: {package: ledger, out: ledger}
        """,
    "migrations/20240101_items.sql": """\
        -- +goose Up
        CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, note text);
        -- +goose Down
        DROP TABLE items;
        """,
    "migrations/20240102_tags.sql": """\
        -- migrate:up
        CREATE TABLE tags (item_id bigint NOT NULL REFERENCES items (id), tag text NOT NULL);
        -- migrate:down
        DROP TABLE tags;
        """,
    "queries/items.sql": """\
        -- name: GetItem :one
        SELECT id, name, note FROM items WHERE id = $1;

        -- name: ItemNotes :many
        SELECT id, COALESCE(note, name) FROM items ORDER BY id;
        """,
    "queries/tags.sql": """\
        -- name: TagsOf :many
        SELECT tag FROM tags WHERE item_id = $1 ORDER BY tag;
        """,
    "mysql.sql": "CREATE TABLE t (id int);\n-- name: GetT :one\nSELECT id FROM t;\n",
    "ledger/000001_entries.up.sql": (
        "CREATE TABLE entries (id bigserial PRIMARY KEY, amount numeric NOT NULL);\n"
    ),
    "ledger/000001_entries.down.sql": "DROP TABLE entries;\n",
    "ledger.sql": """\
        -- name: AddEntry :one
        INSERT INTO entries (amount) VALUES ($1) RETURNING id;
        """,
}

DUMPED = {
    "sqlc.json": """\
        {"version": "1", "packages": [{"name": "dumped", "path": "out", "engine": "postgresql",
          "schema": "schema.sql", "queries": "query.sql", "emit_json_tags": true}]}
        """,
    "schema.sql": """\
        \\restrict abc123
        SET statement_timeout = 0;
        SELECT pg_catalog.set_config('search_path', '', false);
        CREATE TABLE public.authors (id bigint NOT NULL, name text NOT NULL);
        ALTER TABLE ONLY public.authors ADD CONSTRAINT authors_pkey PRIMARY KEY (id);
        \\unrestrict abc123
        """,
    "query.sql": "-- name: ListAuthors :many\nSELECT id, name FROM authors ORDER BY id;\n",
}

REJECTED = {
    "sqlc.yaml": 'version: "2"\nsql:\n  - {engine: postgresql, schema: s.sql, queries: q.sql}\n',
    "s.sql": "CREATE TABLE a (id int);\n",
    "q.sql": "-- name: Nope :many\nSELECT id FROM nowhere;\n",
}

MAPPED = {
    "sqlc.yaml": 'version: "2"\nsql:\n  - {engine: postgresql, schema: s.sql, queries: q.sql}\n',
    "s.sql": "CREATE EXTENSION postgis;\nCREATE TABLE places (id int PRIMARY KEY, name text);\n",
    "q.sql": "-- name: Place :one\nSELECT id, name FROM places WHERE id = $1;\n",
}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for name, files in {"shop": SHOP, "dumped": DUMPED, "rejected": REJECTED}.items():
        write(root / name, files)
    write(root / "maps" / "app", MAPPED)
    return root


def test_projects_are_read_as_sqlc_and_the_migration_tools_read_them(corpus: Path) -> None:
    configs = find_projects(corpus)
    assert [c.relative_to(corpus).as_posix() for c in configs] == [
        "dumped/sqlc.json", "maps/app/sqlc.yaml", "rejected/sqlc.yaml", "shop/sqlc.yaml",
    ]  # fmt: skip
    shop = read_project(corpus / "shop" / "sqlc.yaml")
    assert shop.other_engines == 1
    first, ledger = shop.blocks
    assert (first.number, first.analysis, first.options) == (
        1, {"strict_order_by": False}, {"emit_exact_table_names": True}
    )  # fmt: skip
    assert [p.name for p in sql_files(shop.directory, ledger.schema)] == ["000001_entries.up.sql"]
    migrations = sql_files(shop.directory, first.schema)
    assert [up_sql(p.read_text()).strip().splitlines()[-1] for p in migrations] == [
        "CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, note text);",
        "CREATE TABLE tags (item_id bigint NOT NULL REFERENCES items (id), tag text NOT NULL);",
    ]
    assert [p.name for p in sql_files(shop.directory, first.queries)] == ["items.sql", "tags.sql"]


def test_the_corpus_harness_generates_verifies_and_reports_each_project(
    corpus: Path, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    out, table = tmp_path / "corpus.json", tmp_path / "corpus.md"
    result = subprocess.run(
        [sys.executable, str(TOOL), str(corpus), "--dsn", postgres_server.dsn,
         "--json", str(out), "--markdown", str(table)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text())
    projects = {p["project"]: p for p in document["projects"]}
    assert sorted(projects) == ["dumped", "maps/app", "rejected", "shop"]

    shop = projects["shop"]
    assert (shop["status"], shop["queries"], shop["schema_errors"]) == ("generated", 4, [])
    assert shop["offline"]["typed"] + shop["offline"]["fallback"] == 4
    assert shop["analyzer"] == {
        "typed": 4, "fallback": 0, "skipped": 0, "fallback_columns": 0, "fallback_parameters": 0,
        "columns": 7,
    }  # fmt: skip
    assert shop["offline"]["columns"] == 7  # id, name, note; id, coalesce; tag; id
    assert (shop["verified"], shop["mismatches"], shop["verify_error"]) == (4, [], "")

    dumped = projects["dumped"]
    assert (dumped["status"], dumped["offline"]["typed"], dumped["verified"]) == ("generated", 1, 1)

    rejected = projects["rejected"]
    assert rejected["status"] == "sqlc error"
    assert 'relation "nowhere" does not exist' in rejected["reason"]

    (missing,) = projects["maps/app"]["schema_errors"]
    assert missing.startswith('block 1: s.sql: 0A000: extension "postgis" is not available')

    lines = result.stdout.splitlines()
    assert [p["line"] for p in document["projects"]] == lines[:4]
    assert lines[0].startswith(
        "dumped: generated, 1 of 1 queries typed; with the database analyzer"
    )
    assert "4 projects: 3 generated, 1 sqlc error" in lines
    assert "mypy --strict over 7 packages: 0 errors" in lines  # 4 offline, 3 with the analyzer
    markdown = table.read_text()
    assert "| project | queries | without a database |" in markdown
    assert "| shop | 4 | " in markdown
