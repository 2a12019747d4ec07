"""Constraint violations and other server errors map to typed errors, by SQLSTATE."""

from __future__ import annotations

import asyncpg
import pytest

from betdb import Database, correlation_id, errors

from .conftest import settings_for

INSERT_TEAM = (
    "-- name: InsertTeam :exec\n"
    "INSERT INTO teams (team_id, abbreviation, name, league, division) "
    "VALUES ($1, $2, $3, 'AL', 'East')"
)


@pytest.mark.parametrize(
    ("args", "error_type", "constraint", "column"),
    [
        (
            (900, "NYY", "Duplicate Yankees"),
            errors.UniqueViolationError,
            "teams_abbreviation_key",
            None,
        ),
        ((-1, "NEG", "Negative Id"), errors.CheckViolationError, "teams_team_id_check", None),
        ((901, "NUL", None), errors.NotNullViolationError, None, "name"),
    ],
    ids=["unique", "check", "not-null"],
)
async def test_constraint_violation_names_the_constraint_and_writes_nothing(
    db: Database,
    admin: asyncpg.Connection,
    args: tuple[object, ...],
    error_type: type[errors.IntegrityError],
    constraint: str | None,
    column: str | None,
) -> None:
    with pytest.raises(error_type) as raised:
        await db.executor().execute(INSERT_TEAM, *args)
    error = raised.value
    assert error.query == "InsertTeam"
    assert error.table == "teams"
    assert error.constraint == constraint
    assert error.column == column
    assert await admin.fetchval("SELECT count(*) FROM teams") == 30


async def test_foreign_key_violation_is_typed(db: Database, admin: asyncpg.Connection) -> None:
    with pytest.raises(errors.ForeignKeyViolationError) as raised:
        await db.executor().execute(
            "-- name: AddAlias :exec\nINSERT INTO team_aliases (alias, team_id) VALUES ($1, $2)",
            "XYZ",
            999,
        )
    assert raised.value.constraint == "team_aliases_team_id_fkey"
    assert raised.value.sqlstate == "23503"
    assert await admin.fetchval("SELECT count(*) FROM team_aliases WHERE alias = 'XYZ'") == 0


async def test_every_error_carries_the_correlation_id_of_its_unit_of_work(db: Database) -> None:
    with correlation_id("req-42"), pytest.raises(errors.QueryError) as raised:
        await db.executor().fetch("-- name: Broken :many\nSELECT * FROM no_such_table")
    assert raised.value.correlation_id == "req-42"
    assert raised.value.query == "Broken"
    assert "correlation_id=req-42" in str(raised.value)


async def test_statement_timeout_is_cancelled_on_the_server_and_the_connection_stays_usable(
    database_url: str, admin: asyncpg.Connection
) -> None:
    from tests.runtime.conftest import settings_for

    settings = settings_for(database_url, statement_timeout=0.2, pool_max_size=1)
    async with Database(settings) as db:
        with pytest.raises(errors.QueryTimeoutError) as raised:
            await db.executor().fetchval("-- name: Sleepy :one\nSELECT pg_sleep(5)")
        assert raised.value.query == "Sleepy"
        running = await admin.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%Sleepy%' AND state = 'active'"
            " AND pid <> pg_backend_pid()"
        )
        assert running == 0
        assert await db.executor().fetchval("SELECT 7") == 7


async def test_a_failed_connection_never_shows_the_password() -> None:
    from betdb import BetdbSettings
    from betdb.embedded import free_port

    secret = "Very-Secret-9"
    settings = BetdbSettings(dsn=f"postgresql://app:{secret}@127.0.0.1:{free_port()}/x")
    with pytest.raises(errors.DatabaseUnavailableError) as raised:
        await Database(settings).open()
    shown = [str(raised.value), repr(raised.value), raised.value.message, repr(settings)]
    assert all(secret not in text for text in shown)
    assert "postgresql://app:***@127.0.0.1" in str(raised.value)


async def test_connecting_to_a_missing_database_says_so_by_sqlstate(database_url: str) -> None:
    missing = database_url.rsplit("/", 1)[0] + "/no_such_database"
    with pytest.raises(errors.DatabaseUnavailableError) as raised:
        await Database(settings_for(missing)).open()
    assert raised.value.sqlstate == "3D000"
