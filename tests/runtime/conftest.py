from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import psycopg
import pytest

from betdb import BetdbSettings, Database, SyncDatabase


def settings_for(dsn: str, **overrides: object) -> BetdbSettings:
    base: dict[str, object] = {
        "dsn": dsn,
        "pool_min_size": 1,
        "pool_max_size": 4,
        "retry_base_delay": 0.01,
        "breaker_reset_timeout": 0.5,
    }
    return BetdbSettings(**{**base, **overrides})  # type: ignore[arg-type]


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with Database(settings_for(database_url)) as database:
        yield database


@pytest.fixture
def sync_db(database_url: str) -> Iterator[SyncDatabase]:
    with SyncDatabase(settings_for(database_url)) as database:
        yield database


@pytest.fixture
def sync_admin(database_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A psycopg connection of its own (autocommit), to look behind the sync pool's back."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        yield connection
