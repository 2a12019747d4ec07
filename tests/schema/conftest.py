"""A UnifiedRepository on this test's own migrated database, and builders for its inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.generated import init_connection
from betdb.generated.games import UpsertGameParams
from betdb.generated.models import DataQuality, DataSource, GameStatus, GameType, SeasonType
from betdb.generated.odds import IngestOddsParams

UTC = dt.UTC


@pytest.fixture
async def connection(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(database_url)
    await init_connection(connection)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(
        database_url, min_size=1, max_size=4, init=init_connection
    ) as pool:
        yield pool


@pytest.fixture
def repo(connection: asyncpg.Connection) -> UnifiedRepository:
    return UnifiedRepository(connection)


def game(**changes: Any) -> UpsertGameParams:
    """A Yankees home game against the Red Sox from the MLB Stats API, with changes."""
    fields: dict[str, Any] = {
        "mlb_game_pk": 776001,
        "sbr_game_id": None,
        "action_network_game_id": None,
        "official_date": dt.date(2026, 6, 12),
        "game_number": 1,
        "first_pitch_at": dt.datetime(2026, 6, 12, 23, 5, tzinfo=UTC),
        "season": 2026,
        "season_type": SeasonType.REGULAR,
        "game_type": GameType.REGULAR,
        "status": GameStatus.SCHEDULED,
        "home_score": None,
        "away_score": None,
        "venue": {"id": 3313, "name": "Yankee Stadium"},
        "weather": None,
        "probable_pitchers": None,
        "source": DataSource.MLB,
        "source_url": "https://statsapi.mlb.com/api/v1.1/game/776001/feed/live",
        "source_updated_at": None,
        "data_quality": DataQuality.HIGH,
        "home_team": "NYY",
        "away_team": "BOS",
    }
    fields.update(changes)
    return UpsertGameParams(**fields)


def quote(game_id: int, sportsbook_id: int, **changes: Any) -> IngestOddsParams:
    """A moneyline price of the home side, observed at noon UTC on 12 June 2026, with changes."""
    fields: dict[str, Any] = {
        "game_id": game_id,
        "sportsbook_id": sportsbook_id,
        "market": "moneyline",
        "side": "home",
        "line": None,
        "price": -110,
        "observed_at": dt.datetime(2026, 6, 12, 12, 0, tzinfo=UTC),
        "is_opening": False,
        "is_closing": False,
        "bet_limit": None,
        "source": DataSource.SBR,
    }
    fields.update(changes)
    if isinstance(fields["line"], str):
        fields["line"] = Decimal(fields["line"])
    return IngestOddsParams(**fields)


async def book_id(repo: UnifiedRepository, key: str) -> int:
    book = await repo.sportsbooks.get_sportsbook_by_key(key=key)
    assert book is not None
    return book.sportsbook_id


async def count(connection: asyncpg.Connection, table: str) -> int:
    value = await connection.fetchval(f"SELECT count(*) FROM {table}")
    assert isinstance(value, int)
    return value
