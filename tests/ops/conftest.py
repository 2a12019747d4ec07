"""A database holding the shipped sample week, plus the same odds a year later, so that rows sit
in the default odds partition (June 2025) and in a monthly one (June 2026)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest

from betdb import BetdbSettings, Database
from betdb.sample import load_sample
from betdb.testing import PostgresServer, run_sync

from .pgbouncer import MISSING, PGBOUNCER, PgBouncer


async def _load(dsn: str) -> None:
    async with Database(BetdbSettings(dsn=dsn)) as database:  # type: ignore[arg-type]
        await load_sample(database.repository())
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "INSERT INTO odds SELECT game_id, sportsbook_id, market, side, line, price,"
            " observed_at + interval '1 year', is_opening, is_closing, bet_limit, source FROM odds"
        )
    finally:
        await connection.close()


@pytest.fixture
def sample_url(database_url: str) -> str:
    """This test's database with the sample loaded (games, odds in two partitions, splits,
    analyses, signals)."""
    run_sync(_load(database_url))
    return database_url


@pytest.fixture
async def sample_connection(sample_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(sample_url)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def pgbouncer(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PgBouncer]:
    """A real PgBouncer in transaction mode in front of the session's server."""
    if PGBOUNCER is None:
        pytest.skip(MISSING)
    bouncer = PgBouncer(postgres_server.dsn, tmp_path_factory.mktemp("pgbouncer"))
    bouncer.start()
    yield bouncer
    bouncer.stop()
