"""The application role can read and write rows but cannot change the schema."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from betdb import BetdbSettings, Database, errors
from betdb.migrate import migrate_up
from betdb.roles import provision_roles
from betdb.testing import PostgresServer


def _as_role(dsn: str, role: str, password: str) -> str:
    parts = urlsplit(dsn)
    host = parts.netloc.split("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{role}:{password}@{host}", parts.path, parts.query, ""))


@pytest.fixture
async def app_database(
    empty_database_url: str, postgres_server: PostgresServer
) -> AsyncIterator[Database]:
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"owner_{suffix}", f"app_{suffix}"
    database = urlsplit(empty_database_url).path.lstrip("/")
    owner_password, app_password = uuid.uuid4().hex, uuid.uuid4().hex
    await provision_roles(
        postgres_server.dsn,
        database,
        owner=owner,
        owner_password=owner_password,
        app=app,
        app_password=app_password,
    )
    migrate_up(_as_role(empty_database_url, owner, owner_password))
    app_dsn = _as_role(empty_database_url, app, app_password)
    async with Database(BetdbSettings(dsn=app_dsn)) as db:
        yield db
    await db.close()
    postgres_server.drop_database(database)
    postgres_server.execute(f'DROP ROLE "{app}"', f'DROP ROLE "{owner}"')


async def test_app_role_reads_and_writes_rows(app_database: Database) -> None:
    executor = app_database.executor()
    assert await executor.fetchval("SELECT count(*) FROM teams") == 30
    await executor.execute("INSERT INTO team_aliases (alias, team_id) VALUES ('APPX', 147)")
    assert await executor.execute("DELETE FROM team_aliases WHERE alias = 'APPX'") == "DELETE 1"


@pytest.mark.parametrize(
    "ddl",
    [
        "DROP TABLE team_aliases",
        "ALTER TABLE teams ADD COLUMN nickname text",
        "CREATE TABLE scratch (id integer)",
        "TRUNCATE teams CASCADE",
        "CREATE INDEX teams_name_lower ON teams (lower(name))",
    ],
)
async def test_app_role_cannot_change_the_schema(app_database: Database, ddl: str) -> None:
    with pytest.raises(errors.PermissionDeniedError):
        await app_database.executor().execute(ddl)
    assert await app_database.executor().fetchval("SELECT count(*) FROM teams") == 30
