"""verify reports only real disagreements, on the shapes real projects have.

Each test writes a small sqlc project, generates it with the plugin, applies its schema to a
fresh database and runs verify: names sqlc derives where the server says otherwise, view
columns, a query named like the batch form, the sync flavour, a fallback column.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import textwrap
from pathlib import Path

import asyncpg
import pytest

from sqlc_gen_asyncpg.verify import Report, verify

from .conftest import GOLDEN, run_sqlc
from .test_server_agreement import apply_schema

CONFIG = """\
version: "2"
plugins:
  - name: py
    process:
      cmd: sqlc-gen-asyncpg
      format: json
sql:
  - engine: postgresql
    schema: schema.sql
    queries: query.sql
    codegen:
      - plugin: py
        out: {package}
        options:
          package: {package}
          emit_sync: true
"""


async def generated_and_applied(
    tmp_path: Path, dsn: str, package: str, schema: str, queries: str
) -> str:
    """Generate `package` into tmp_path from the schema and queries; apply the schema at dsn."""
    work = tmp_path / f"{package}-project"
    work.mkdir()
    (work / "sqlc.yaml").write_text(CONFIG.format(package=package))
    (work / "schema.sql").write_text(textwrap.dedent(schema))
    (work / "query.sql").write_text(textwrap.dedent(queries))
    result = run_sqlc(work)
    assert result.returncode == 0, result.stderr
    shutil.copytree(work / package, tmp_path / package)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(textwrap.dedent(schema))
    finally:
        await conn.close()
    return package


def forget(package: str) -> None:
    """Drop an imported package, so that verify imports it again after a test changed it, and
    its bytecode: a file rewritten in the same second at the same size (`int` to `str`) would
    otherwise be imported from its stale .pyc."""
    for name in [n for n in sys.modules if n == package or n.startswith(f"{package}.")]:
        source = getattr(sys.modules.pop(name), "__file__", None)
        if source:
            Path(importlib.util.cache_from_source(source)).unlink(missing_ok=True)


def assert_agrees(report: Report, statements: int) -> None:
    assert report.mismatches == []
    assert report.statements == statements


ULID_SCHEMA = """
CREATE TABLE attachments (
    id character(26) PRIMARY KEY,
    document uuid NOT NULL,
    owner_id character(26) NOT NULL,
    name text NOT NULL,
    content bytea NOT NULL,
    digest bytea,
    created timestamp without time zone NOT NULL,
    updated timestamp without time zone,
    version bigint NOT NULL
);
"""


async def test_a_query_whose_constant_ends_like_a_batch_form_keeps_all_its_parameters(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = await generated_and_applied(
        tmp_path, empty_database_url, "ulids", ULID_SCHEMA,
        """
        -- name: InsertAttachmentBatch :exec
        INSERT INTO attachments (
            id, document, owner_id, name, content, digest, created, updated, version
        ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);

        -- name: InsertAttachment :exec
        INSERT INTO attachments (
            id, document, owner_id, name, content, digest, created, updated, version
        ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);
        """,
    )  # fmt: skip
    report = verify(empty_database_url, package)
    assert_agrees(report, 2)


async def test_names_sqlc_derives_for_computed_columns_are_not_mismatches(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = await generated_and_applied(
        tmp_path, empty_database_url, "derived",
        """
        CREATE TABLE users (id bigint PRIMARY KEY, nick text, name text NOT NULL);
        CREATE TABLE teams (id bigint PRIMARY KEY, name text NOT NULL);
        """,
        """
        -- name: UserNick :many
        SELECT id, COALESCE(nick, name) FROM users ORDER BY id;

        -- name: TwoNames :many
        SELECT users.name, teams.name FROM users JOIN teams ON teams.id = users.id;

        -- name: Constant :one
        SELECT 1 + 1;
        """,
    )  # fmt: skip
    report = verify(empty_database_url, package)
    assert_agrees(report, 3)


async def test_a_swapped_column_is_still_named_as_a_mismatch(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = await generated_and_applied(
        tmp_path, empty_database_url, "swapped",
        "CREATE TABLE users (id bigint PRIMARY KEY, nick text NOT NULL, name text NOT NULL);",
        "-- name: Names :many\nSELECT nick, name FROM users;\n",
    )  # fmt: skip
    path = tmp_path / package / "query.py"
    path.write_text(path.read_text().replace("SELECT nick, name", "SELECT name, nick"))
    report = verify(empty_database_url, package)
    assert report.mismatches[:2] == [
        "Names (swapped.query.NAMES): column nick is read from the server's column 'name'",
        "Names (swapped.query.NAMES): column name is read from the server's column 'nick'",
    ]


VIEWS_SCHEMA = """
CREATE TABLE users (id bigint PRIMARY KEY, nick text, name text NOT NULL);
CREATE TABLE teams (id bigint PRIMARY KEY, user_id bigint NOT NULL, title text NOT NULL);
CREATE VIEW named_users AS SELECT id, name, nick FROM users;
CREATE VIEW user_teams AS
    SELECT users.name, teams.title, upper(users.name)::text AS shout
    FROM users LEFT JOIN teams ON teams.user_id = users.id;
CREATE MATERIALIZED VIEW user_names AS SELECT id, name FROM named_users;
"""


async def test_view_columns_take_their_base_columns_nullability(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = await generated_and_applied(
        tmp_path, empty_database_url, "viewed", VIEWS_SCHEMA,
        """
        -- name: NamedUsers :many
        SELECT id, name, nick FROM named_users;

        -- name: UserNames :many
        SELECT id, name FROM user_names;

        -- name: UserTeams :many
        SELECT name, title, shout FROM user_teams;
        """,
    )  # fmt: skip
    report = verify(empty_database_url, package)
    assert_agrees(report, 3)
    assert report.unknown_nullability == [
        f"UserTeams (viewed.query.USER_TEAMS): column {column}: public.user_teams.{column} ({why})"
        for column, why in [
            ("name", "the view has an outer join"),
            ("title", "the view has an outer join"),
            ("shout", "the view has an outer join"),
        ]
    ]


async def test_a_view_column_traced_to_a_nullable_base_column_typed_not_null_is_a_mismatch(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = await generated_and_applied(
        tmp_path, empty_database_url, "unsafeview", VIEWS_SCHEMA,
        "-- name: NamedUsers :many\nSELECT id, name, nick FROM named_users;\n",
    )  # fmt: skip
    path = tmp_path / package / "models.py"
    text = path.read_text()
    assert text.count("    nick: str | None\n") == 2  # the tables' models: users, named_users
    path.write_text(text.replace("    nick: str | None\n", "    nick: str\n"))
    report = verify(empty_database_url, package)
    assert report.mismatches == [
        "NamedUsers (unsafeview.query.NAMED_USERS): column nick:"
        " public.named_users.nick (public.users.nick) is nullable, generated str"
    ]


async def test_the_sync_flavour_is_verified_and_said_to_be(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = await generated_and_applied(
        tmp_path, empty_database_url, "synced",
        "CREATE TABLE users (id bigint PRIMARY KEY, born date NOT NULL);",
        "-- name: GetUser :one\nSELECT id, born FROM users WHERE id = $1;\n",
    )  # fmt: skip
    assert_agrees(verify(empty_database_url, package), 1)
    path = tmp_path / package / "query.py"
    text = path.read_text()
    sync_part = text.index("class SyncQuerier")
    changed = text[sync_part:].replace("get_user(self, *, id: int)", "get_user(self, *, id: str)")
    path.write_text(text[:sync_part] + changed)
    forget(package)
    report = verify(empty_database_url, package)
    assert report.sync_statements == 1
    assert report.mismatches == [
        "GetUser (synced.query.GET_USER, SyncQuerier): parameter id: the server's"
        " pg_catalog.int8 needs int, generated str"
    ]


async def test_a_fallback_column_is_reported_with_the_servers_type(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    shutil.copytree(GOLDEN / "everything", tmp_path / "fallback")
    path = tmp_path / "fallback" / "models.py"
    text = path.read_text()
    assert text.count("    born: _datetime.datetime | None\n") == 1
    assert text.count("    tags: list[str | None]\n") == 1
    text = text.replace("    born: _datetime.datetime | None\n", "    born: object\n")
    path.write_text(text.replace("    tags: list[str | None]\n", "    tags: list[object]\n"))
    await apply_schema(empty_database_url, "everything")
    report = verify(empty_database_url, "fallback", renames=[("lambda", "lambda_")])
    assert report.mismatches == []
    assert (
        "GetAuthor (fallback.query.GET_AUTHOR): column born is object (a fallback): the server"
        " says pg_catalog.timestamptz, datetime.datetime; cast it in the query, override it,"
        " or generate with sqlc's database analyzer"
    ) in report.fallbacks
    assert (
        "GetAuthor (fallback.query.GET_AUTHOR): column tags is list[object] (a fallback): the"
        " server says pg_catalog.text[], list[str]; cast it in the query, override it,"
        " or generate with sqlc's database analyzer"
    ) in report.fallbacks


async def test_each_method_is_found_by_the_constant_it_runs_whatever_its_name(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = await generated_and_applied(
        tmp_path, empty_database_url, "renamed",
        "CREATE TABLE channels (id bigint PRIMARY KEY, provider text NOT NULL);",
        """
        -- name: ChannelsOfProvider :many
        SELECT id FROM channels WHERE provider = $1 ORDER BY id;

        -- name: ChannelIds :many
        SELECT id, provider FROM channels ORDER BY id;
        """,
    )  # fmt: skip
    path = tmp_path / package / "query.py"
    text = path.read_text()
    # as the plugin names the second of two queries whose snake_case names collide
    path.write_text(text.replace("channel_ids(", "channel_ids_2("))  # iter_channel_ids too
    report = verify(empty_database_url, package)
    assert_agrees(report, 2)
    assert report.sync_statements == 2


async def test_columns_whose_names_collide_once_snake_cased_are_numbered(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = await generated_and_applied(
        tmp_path, empty_database_url, "cased",
        "CREATE TABLE users (id bigint PRIMARY KEY);",
        '-- name: Ids :many\nSELECT id AS "userId", id AS user_id FROM users;\n',
    )  # fmt: skip
    assert "    user_id_2: int" in (tmp_path / package / "query.py").read_text()
    assert_agrees(verify(empty_database_url, package), 1)
