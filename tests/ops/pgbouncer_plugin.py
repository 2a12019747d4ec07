"""betdb.testing's fixtures with every test database reached through a real PgBouncer in
transaction mode: `pytest --noconftest -p no:betdb -p pgbouncer_plugin TESTS` (tests/ops on
sys.path) runs other test modules unchanged through the pooler. Admin connections stay
direct, as an operator's would; the session's server and the migrated template are made
directly too."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import psycopg
import pytest
from pgbouncer import PgBouncer
from tests.schema.conftest import flavour, pooled_repo, repo, sync_connection

from betdb import Database, SyncDatabase
from betdb.generated import init_connection
from betdb.testing import (  # the fixtures kept as they are; the ones below replace the rest
    PostgresServer,
    betdb_migrations,
    empty_database_url,
    migrated_template,
    postgres_server,
    pytest_addoption,
)

__all__ = [
    "betdb_migrations",
    "empty_database_url",
    "flavour",
    "migrated_template",
    "pooled_repo",
    "postgres_server",
    "pytest_addoption",
    "repo",
    "sync_connection",
]


@pytest.fixture(scope="session")
def pgbouncer(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PgBouncer]:
    bouncer = PgBouncer(postgres_server.dsn, Path(tmp_path_factory.mktemp("pgbouncer")))
    bouncer.start()
    yield bouncer
    bouncer.stop()


_DIRECT: dict[str, str] = {}


@pytest.fixture
def database_url(
    postgres_server: PostgresServer, migrated_template: str, pgbouncer: PgBouncer
) -> Iterator[str]:
    """This test's own migrated database, through PgBouncer."""
    direct = postgres_server.create_database(template=migrated_template)
    pooled = pgbouncer.dsn_for(direct)
    _DIRECT[pooled] = direct
    yield pooled
    _DIRECT.pop(pooled, None)
    postgres_server.drop_database(urlsplit(direct).path.lstrip("/"))


@pytest.fixture
async def db_connection(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """The admin connection, straight to the server behind the pooler's back."""
    connection = await asyncpg.connect(_DIRECT[database_url])
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def db_pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(
        database_url, min_size=2, max_size=10, statement_cache_size=0
    ) as pool:
        yield pool


# The fixtures of tests/conftest.py, tests/schema/conftest.py and tests/runtime/conftest.py (run
# with --noconftest), the raw asyncpg ones with the statement cache off as PgBouncer needs; the
# repository fixtures of both flavours are tests/schema's own, on these connections.


@pytest.fixture
def admin(db_connection: asyncpg.Connection) -> asyncpg.Connection:
    return db_connection


@pytest.fixture
async def connection(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(database_url, statement_cache_size=0)
    await init_connection(connection)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(
        database_url, min_size=1, max_size=4, init=init_connection, statement_cache_size=0
    ) as pool:
        yield pool


@pytest.fixture
def psycopg_options() -> dict[str, Any]:
    return {"prepare_threshold": None}  # PgBouncer 1.18 moves psycopg's prepared statements


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    from tests.runtime.conftest import settings_for

    async with Database(settings_for(database_url)) as database:
        yield database


@pytest.fixture
def sync_db(database_url: str) -> Iterator[SyncDatabase]:
    from tests.runtime.conftest import settings_for

    with SyncDatabase(settings_for(database_url)) as database:
        yield database


@pytest.fixture
def sync_admin(database_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """The sync admin connection, straight to the server like db_connection."""
    with psycopg.connect(_DIRECT[database_url], autocommit=True) as connection:
        yield connection
