"""Constructs the plugin cannot translate fail loudly: a message naming file, query and column."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import CASES, captured_request, run_sqlc


def sqlc_case(tmp_path: Path, schema: str, queries: str, options: str = "") -> Path:
    work = tmp_path / "case"
    work.mkdir()
    (work / "schema.sql").write_text(schema)
    (work / "query.sql").write_text(queries)
    config = (CASES / "everything" / "sqlc.yaml").read_text()
    config = (
        config[: config.index("        options:")]
        + "        options:\n"
        + (options or "          package: case\n")
    )
    (work / "sqlc.yaml").write_text(config)
    return work


def fails(work: Path) -> str:
    result = run_sqlc(work)
    assert result.returncode != 0
    assert not (work / "gen").exists()
    return result.stderr


def test_an_unknown_type_is_object_with_a_warning_naming_file_query_column_and_fix(
    tmp_path: Path,
) -> None:
    work = sqlc_case(
        tmp_path,
        "CREATE TABLE shapes (id int PRIMARY KEY, hash BLOB NOT NULL, hashes BLOB[]);",
        "-- name: GetShape :one\nSELECT id, hash, hashes FROM shapes WHERE hash = $1;",
    )
    result = run_sqlc(work)
    assert result.returncode == 0, result.stderr
    # sqlc drops a plugin's stderr when it succeeds: the warnings reach sqlc's own stderr
    assert (
        "sqlc-gen-asyncpg: warning: query.sql: query GetShape: column hash: unknown type "
        "'blob', so it is `object`: the value as the driver returns it. Fix: an override with "
        "db_type 'blob' and a py_type, a cast in the query, or let sqlc type it against your "
        "database (database: {uri: ...} and analyzer: {database: true} in sqlc.yaml)"
    ) in result.stderr
    assert "query.sql: query GetShape: parameter hash: unknown type 'blob'" in result.stderr
    assert "table public.shapes: column hashes: unknown type 'blob'" in result.stderr
    models = (work / "gen" / "models.py").read_text()
    assert "    hash: object\n" in models
    assert "    hashes: list[object] | None\n" in models
    assert "async def get_shape(self, *, hash: object) -> Shape | None:" in (
        (work / "gen" / "query.py").read_text()
    )


def test_strict_types_refuses_an_unknown_type_naming_file_query_and_column(
    tmp_path: Path,
) -> None:
    work = sqlc_case(
        tmp_path,
        "CREATE TABLE shapes (id int PRIMARY KEY, hash BLOB NOT NULL);",
        "-- name: GetShape :one\nSELECT id, hash FROM shapes WHERE id = $1;",
        "          package: case\n          strict_types: true\n",
    )
    stderr = fails(work)
    assert "query.sql: query GetShape: column hash: unknown type 'blob'" in stderr
    assert "an override with db_type 'blob'" in stderr


def test_an_override_makes_the_unknown_type_work(tmp_path: Path) -> None:
    work = sqlc_case(
        tmp_path,
        "CREATE TABLE shapes (id int PRIMARY KEY, where_ blob NOT NULL);",
        "-- name: GetShape :one\nSELECT id, where_ FROM shapes WHERE id = $1;",
        "          overrides:\n            - db_type: blob\n              py_type: typing.Any\n",
    )
    result = run_sqlc(work)
    assert result.returncode == 0
    assert "warning" not in result.stderr
    assert "where: _typing.Any" in (work / "gen" / "models.py").read_text()


def test_excluded_schemas_and_tables_get_no_model(tmp_path: Path) -> None:
    # A partition's odd type would fail the generation if the plugin still modelled it.
    work = sqlc_case(
        tmp_path,
        "CREATE TABLE events (id int PRIMARY KEY, at timestamptz NOT NULL);"
        "CREATE SCHEMA parts;"
        "CREATE TABLE parts.events_2026 (id int, at timestamptz, spot point);"
        "CREATE TABLE scratch (id int, spot point);",
        "-- name: GetEvent :one\nSELECT * FROM events WHERE id = $1;",
        "          package: case\n"
        "          exclude_schemas: [parts]\n"
        "          exclude_tables: [scratch]\n",
    )
    assert run_sqlc(work).returncode == 0
    models = (work / "gen" / "models.py").read_text()
    assert "class Event(_pydantic.BaseModel):" in models
    assert "Events2026" not in models
    assert "Scratch" not in models


def test_a_rename_to_a_python_keyword_is_refused(tmp_path: Path) -> None:
    work = sqlc_case(
        tmp_path,
        'CREATE TABLE t (id int PRIMARY KEY, "lambda" text);',
        "-- name: ListT :many\nSELECT * FROM t;",
        options="          package: case\n          rename:\n            t.lambda: class\n",
    )
    stderr = fails(work)
    assert "column lambda: 'lambda' becomes 'class'" in stderr
    assert "rename" in stderr


def test_a_rename_to_a_pydantic_attribute_is_refused(tmp_path: Path) -> None:
    work = sqlc_case(
        tmp_path,
        "CREATE TABLE t (id int PRIMARY KEY, body text);",
        "-- name: ListT :many\nSELECT * FROM t;",
        options="          package: case\n          rename:\n            t.body: json\n",
    )
    stderr = fails(work)
    assert "'body' would shadow or hide a pydantic attribute as 'json'" in stderr


def test_two_queries_with_one_python_name_are_both_generated_the_later_numbered(
    tmp_path: Path,
) -> None:
    work = sqlc_case(
        tmp_path,
        "CREATE TABLE t (id int PRIMARY KEY);",
        "-- name: GetChannelByProviderID :one\nSELECT id FROM t WHERE id = $1;\n\n"
        "-- name: GetChannelByProviderId :one\nSELECT id + 1 AS next FROM t WHERE id = $1;",
    )
    result = run_sqlc(work)
    assert result.returncode == 0, result.stderr
    assert (
        "sqlc-gen-asyncpg: warning: query.sql: query GetChannelByProviderId: its Python names "
        "are made from 'GetChannelByProviderId_2' ('get_channel_by_provider_id' is "
        "GetChannelByProviderID's): rename the query"
    ) in result.stderr
    generated = (work / "gen" / "query.py").read_text()
    assert "GET_CHANNEL_BY_PROVIDER_ID = " in generated
    assert "GET_CHANNEL_BY_PROVIDER_ID_2 = " in generated
    assert "async def get_channel_by_provider_id(self, *, id: int) -> T | None:" in generated
    assert (
        "async def get_channel_by_provider_id_2(self, *, id: int)"
        " -> GetChannelByProviderId2Row | None:"
    ) in generated


def test_a_query_named_after_the_modules_own_names_takes_a_number(tmp_path: Path) -> None:
    work = sqlc_case(
        tmp_path,
        "CREATE TABLE t (id int PRIMARY KEY);\nCREATE TABLE list_row (id int PRIMARY KEY);",
        "-- name: List :many\nSELECT id, id + 1 AS next FROM t;",
    )
    result = run_sqlc(work)
    assert result.returncode == 0, result.stderr
    generated = (work / "gen" / "query.py").read_text()
    # ListRow is the table list_row's model, imported into the module
    assert "async def list_2(self) -> list[List2Row]:" in generated
    assert "'ListRow' is the module's own" in result.stderr


def test_a_pseudo_type_is_object_with_a_warning_asking_for_a_cast(tmp_path: Path) -> None:
    work = sqlc_case(
        tmp_path,
        "CREATE TABLE t (id int PRIMARY KEY, price numeric);",
        "-- name: MaxPrice :one\nSELECT max(price) AS top FROM t;",
    )
    result = run_sqlc(work)
    assert result.returncode == 0, result.stderr
    assert (
        "query MaxPrice: column top: sqlc could not infer a type (it reports 'anyarray'), so it is "
        "`object`: the value as the driver returns it. Fix: a cast in the query"
    ) in result.stderr
    assert "sqlc-gen-asyncpg: 1 warning; strict_types: true makes warnings errors" in (
        result.stderr
    )
    generated = (work / "gen" / "query.py").read_text()
    assert "    top: object\n" in generated
    assert "async def max_price(self) -> MaxPriceRow | None:" in generated


def test_strict_types_refuses_a_pseudo_type(tmp_path: Path) -> None:
    work = sqlc_case(
        tmp_path,
        "CREATE TABLE t (id int PRIMARY KEY, price numeric);",
        "-- name: MaxPrice :one\nSELECT max(price) AS top FROM t;",
        "          package: case\n          strict_types: true\n",
    )
    assert "column top: sqlc could not infer a type" in fails(work)


def run_plugin(request: dict[str, Any], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "sqlc_gen_asyncpg"],
        input=json.dumps(request).encode(),
        capture_output=True,
        env={},
        cwd=cwd,
    )


def dumped_request(tmp_path: Path) -> dict[str, Any]:
    """A real request of the everything case; run_plugin runs in tmp_path / "dump"."""
    shutil.copytree(CASES / "everything", tmp_path / "dump")
    return captured_request("everything", tmp_path)


def test_a_query_with_an_unsupported_annotation_is_skipped_with_a_warning(
    tmp_path: Path,
) -> None:
    request = dumped_request(tmp_path)
    request["queries"][0]["cmd"] = ":sometimes"
    result = run_plugin(request, tmp_path / "dump")
    assert result.returncode == 0
    assert result.stderr.decode().splitlines() == [
        "sqlc-gen-asyncpg: warning: query.sql: query CreateAuthor: skipped, not generated: "
        "annotation :sometimes is not supported; use one of :one, :many, :exec, :execrows, "
        ":execresult, :copyfrom, :batchexec, :batchmany, :batchone",
        "sqlc-gen-asyncpg: 1 warning; strict_types: true makes warnings errors",
    ]
    files = {f["name"]: base64.b64decode(f["contents"]) for f in json.loads(result.stdout)["files"]}
    assert b"create_author" not in files["query.py"]
    assert b"async def get_author(" in files["query.py"]


def test_unsupported_annotation_is_refused_under_strict_types(tmp_path: Path) -> None:
    request = dumped_request(tmp_path)
    request["queries"][0]["cmd"] = ":sometimes"
    options = json.loads(base64.b64decode(request["plugin_options"]))
    request["plugin_options"] = base64.b64encode(
        json.dumps({**options, "strict_types": True}).encode()
    ).decode()
    result = run_plugin(request, tmp_path / "dump")
    assert result.returncode == 1
    assert b"query.sql: query CreateAuthor: annotation :sometimes is not supported" in (
        result.stderr
    )
    assert result.stdout == b""


def test_the_plugin_needs_no_environment_and_answers_base64_files(tmp_path: Path) -> None:
    request = dumped_request(tmp_path)
    result = run_plugin(request, tmp_path / "dump")
    assert result.returncode == 0, result.stderr
    files = {f["name"]: base64.b64decode(f["contents"]) for f in json.loads(result.stdout)["files"]}
    assert sorted(files) == ["__init__.py", "db.py", "models.py", "query.py", "sync_db.py"]
    assert files["query.py"].startswith(b"# Code generated by sqlc v1.31.1")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"query_parameter_limit": -1}, "query_parameter_limit must be a non-negative integer"),
        ({"overrides": [{"py_type": "x"}]}, "needs exactly one of db_type and column"),
        ({"emit_everything": True}, "unknown options: emit_everything"),
        ({"validation_error": "ValidationError"}, "validation_error must be the dotted path"),
    ],
)
def test_malformed_options_are_refused(
    tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    request = dumped_request(tmp_path)
    request["plugin_options"] = base64.b64encode(json.dumps(options).encode()).decode()
    result = run_plugin(request, tmp_path / "dump")
    assert result.returncode == 1
    assert message.encode() in result.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"row_type": "tuple"}, "options.row_type must be model or record"),
        ({"row_types": {"GetAuthor": "dict"}}, "row_types must map query names to model or record"),
        ({"row_types": ["GetAuthor"]}, "options.row_types must map names to names"),
    ],
)
def test_malformed_row_types_are_refused(
    tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    request = dumped_request(tmp_path)
    request["plugin_options"] = base64.b64encode(json.dumps(options).encode()).decode()
    result = run_plugin(request, tmp_path / "dump")
    assert result.returncode == 1
    assert message.encode() in result.stderr


def test_names_that_collide_after_snake_casing_are_numbered_with_a_warning(
    tmp_path: Path,
) -> None:
    work = sqlc_case(
        tmp_path,
        'CREATE TABLE "user" (id int PRIMARY KEY, "userId" int, user_id int, "2fa" text);\n'
        "CREATE TABLE users (id int PRIMARY KEY);",
        '-- name: GetUser :one\nSELECT "userId", user_id, "2fa" FROM "user" WHERE id = $1;',
    )
    result = run_sqlc(work)
    assert result.returncode == 0, result.stderr
    models = (work / "gen" / "models.py").read_text()
    assert "class User(" in models
    assert "class User2(" in models
    assert "    user_id: int | None\n    user_id_2: int | None\n" in models
    assert 'column_2fa: str | None = _pydantic.Field(serialization_alias="2fa")' in models
    assert "table public.users is class User2 (table public.user is User)" in result.stderr
    assert "two columns become field 'user_id'; this one is 'user_id_2'" in result.stderr
