"""One statement, two drivers, one error: the SQLSTATE decides the betdb error class, whether
asyncpg (Database) or psycopg (SyncDatabase) ran the statement."""

from __future__ import annotations

import psycopg
import pytest

from betdb import Database, SyncDatabase, errors

INSERT_TEAM = (
    "-- name: InsertTeam :exec\n"
    "INSERT INTO teams (team_id, abbreviation, name, league, division) "
    "VALUES ($1, $2, $3, 'AL', 'East')"
)
ADD_ALIAS = "-- name: AddAlias :exec\nINSERT INTO team_aliases (alias, team_id) VALUES ($1, $2)"


def raising(sqlstate: str) -> str:
    """A statement the server fails with exactly this SQLSTATE."""
    return (
        "-- name: Raise :exec\n"
        f"DO $$ BEGIN RAISE EXCEPTION 'raised {sqlstate}' USING ERRCODE = '{sqlstate}'; END $$"
    )


CASES = [
    pytest.param(
        INSERT_TEAM,
        (900, "NYY", "Duplicate Yankees"),
        errors.UniqueViolationError,
        "23505",
        "teams_abbreviation_key",
        None,
        id="unique",
    ),
    pytest.param(
        ADD_ALIAS,
        ("XYZ", 999),
        errors.ForeignKeyViolationError,
        "23503",
        "team_aliases_team_id_fkey",
        None,
        id="fk",
    ),
    pytest.param(
        INSERT_TEAM,
        (-1, "NEG", "Negative Id"),
        errors.CheckViolationError,
        "23514",
        "teams_team_id_check",
        None,
        id="check",
    ),
    pytest.param(
        INSERT_TEAM,
        (901, "NUL", None),
        errors.NotNullViolationError,
        "23502",
        None,
        "name",
        id="not-null",
    ),
    pytest.param(
        raising("40001"), (), errors.SerializationError, "40001", None, None, id="serialization"
    ),
    pytest.param(raising("40P01"), (), errors.DeadlockError, "40P01", None, None, id="deadlock"),
    pytest.param("SELECT 1/0", (), errors.DataError, "22012", None, None, id="division-by-zero"),
    pytest.param(
        "SELECT * FROM no_such_table", (), errors.QueryError, "42P01", None, None, id="undefined"
    ),
]


@pytest.mark.parametrize(
    ("statement", "args", "error_type", "sqlstate", "constraint", "column"), CASES
)
async def test_the_same_sqlstate_is_the_same_error_on_both_drivers(
    db: Database,
    sync_db: SyncDatabase,
    statement: str,
    args: tuple[object, ...],
    error_type: type[errors.BetdbError],
    sqlstate: str,
    constraint: str | None,
    column: str | None,
) -> None:
    with pytest.raises(errors.BetdbError) as on_asyncpg:
        await db.executor().execute(statement, *args)
    with pytest.raises(errors.BetdbError) as on_psycopg:
        sync_db.executor().execute(statement, *args)
    seen = [on_asyncpg.value, on_psycopg.value]
    assert [type(error) for error in seen] == [error_type, error_type]
    assert [error.sqlstate for error in seen] == [sqlstate, sqlstate]
    assert seen[0].query == seen[1].query
    assert seen[0].message == seen[1].message
    if isinstance(seen[0], errors.IntegrityError):
        assert isinstance(seen[1], errors.IntegrityError)
        assert [e.constraint for e in (seen[0], seen[1])] == [constraint, constraint]
        assert [e.column for e in (seen[0], seen[1])] == [column, column]
        assert seen[0].table == seen[1].table
        assert seen[0].detail == seen[1].detail


def test_a_failed_write_writes_nothing(
    sync_db: SyncDatabase, sync_admin: psycopg.Connection[tuple[object, ...]]
) -> None:
    with pytest.raises(errors.UniqueViolationError) as raised:
        sync_db.executor().execute(INSERT_TEAM, 900, "NYY", "Duplicate Yankees")
    assert raised.value.query == "InsertTeam"
    assert raised.value.table == "teams"
    assert sync_admin.execute("SELECT count(*) FROM teams").fetchone() == (30,)


def test_text_the_server_cannot_store_is_refused_before_anything_is_sent(
    sync_db: SyncDatabase,
) -> None:
    with pytest.raises(errors.ValidationError) as raised:
        sync_db.executor().execute(ADD_ALIAS, "N\x00L", 147)
    assert "NUL" in raised.value.message
    assert raised.value.query == "AddAlias"
    assert raised.value.sqlstate is None
