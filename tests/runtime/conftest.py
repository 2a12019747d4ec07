from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from betdb import BetdbSettings, Database


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
