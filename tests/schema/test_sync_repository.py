"""The sync repository (generated SyncQueriers on psycopg) against the async one on the same
migrated database: what one flavour writes the other reads, and every value either decodes
is equal to the other's, type included."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import asyncpg
import psycopg
import pydantic
import pytest

import betdb.errors
from betdb import SyncUnifiedRepository, UnifiedRepository
from betdb.generated import TransactionRequiredError, configure_sync_connection
from betdb.generated.models import Market, Odds, Side
from betdb.generated.odds import CopyOddsParams, GetLineMovementParams

from .conftest import book_id, game, quote

FIRST_PITCH = dt.datetime(2026, 6, 12, 23, 5, tzinfo=dt.UTC)


def assert_same(sync_value: Any, async_value: Any, where: str = "value") -> None:
    """Equal and of the same type all the way down (models field by field)."""
    # asyncpg's only foreign class: its C subclass of uuid.UUID (equal, same hash)
    async_type = uuid.UUID if isinstance(async_value, uuid.UUID) else type(async_value)
    assert type(sync_value) is async_type, f"{where}: {type(sync_value)} != {async_type}"
    if isinstance(async_value, pydantic.BaseModel):
        for name in type(async_value).model_fields:
            assert_same(getattr(sync_value, name), getattr(async_value, name), f"{where}.{name}")
    elif isinstance(async_value, list | tuple):
        assert len(sync_value) == len(async_value), where
        for i, (s, a) in enumerate(zip(sync_value, async_value, strict=True)):
            assert_same(s, a, f"{where}[{i}]")
    elif isinstance(async_value, dict):
        assert sorted(sync_value) == sorted(async_value), where
        for key in async_value:
            assert_same(sync_value[key], async_value[key], f"{where}[{key!r}]")
    else:
        assert sync_value == async_value, where


@pytest.fixture
def sync_connection(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        configure_sync_connection(conn)
        yield conn


@pytest.fixture
def sync_repo(sync_connection: psycopg.Connection[Any]) -> SyncUnifiedRepository:
    return SyncUnifiedRepository(sync_connection)


async def test_teams_and_books_read_the_same_by_both_flavours(
    repo: UnifiedRepository, sync_repo: SyncUnifiedRepository
) -> None:
    teams = sync_repo.teams.list_teams()
    assert len(teams) == 30
    assert_same(teams, await repo.teams.list_teams())
    assert_same(
        sync_repo.sportsbooks.get_sportsbook_by_key(key="draftkings"),
        await repo.sportsbooks.get_sportsbook_by_key(key="draftkings"),
    )


async def test_a_game_written_by_the_sync_side_reads_the_same_on_both(
    repo: UnifiedRepository, sync_repo: SyncUnifiedRepository
) -> None:
    written = sync_repo.games.upsert_game(game(first_pitch_at=FIRST_PITCH))
    assert written is not None
    assert written.venue == {"id": 3313, "name": "Yankee Stadium"}
    assert written.first_pitch_at == FIRST_PITCH
    assert written.first_pitch_at is not None
    assert written.first_pitch_at.tzinfo is not None
    read = await repo.games.get_game(game_id=written.game_id)
    assert_same(written, read)
    assert_same(sync_repo.games.get_game(game_id=written.game_id), read)


async def test_odds_copied_ingested_and_read_back_agree_across_flavours(
    repo: UnifiedRepository, sync_repo: SyncUnifiedRepository
) -> None:
    created = await repo.games.upsert_game(game(first_pitch_at=FIRST_PITCH))
    assert created is not None
    game_id = created.game_id
    dk = await book_id(repo, "draftkings")
    at = dt.datetime(2026, 6, 12, 12, 0, tzinfo=dt.UTC)
    copied = sync_repo.odds.copy_odds(
        [
            CopyOddsParams(**quote(game_id, dk, price=-120, observed_at=at).model_dump()),
            CopyOddsParams(**quote(game_id, dk, side="away", price=110).model_dump()),
        ]
    )
    assert copied == 2
    later = at + dt.timedelta(hours=1)
    batch = [quote(game_id, dk, price=-130, observed_at=later)]
    sync_repo.odds.ingest_odds(batch)
    sync_repo.odds.ingest_odds(batch)  # idempotent on the sync side as on the async side
    # FindOddsByGame has record rows: the sync side gives the models to_model() gives
    records = await repo.odds.find_odds_by_game(game_id=game_id, market=None, sportsbook_id=None)
    rows = sync_repo.odds.find_odds_by_game(game_id=game_id, market=None, sportsbook_id=None)
    assert len(rows) == 3
    assert all(isinstance(row, Odds) for row in rows)
    assert rows[0].market is Market.MONEYLINE
    assert_same(rows, [record.to_model() for record in records])
    movement = GetLineMovementParams(
        game_id=game_id,
        market=Market.MONEYLINE,
        sportsbook_id=dk,
        observed_from=at - dt.timedelta(days=1),
        observed_until=at + dt.timedelta(days=1),
    )
    assert_same(
        sync_repo.odds.get_line_movement(movement),
        [record.to_model() for record in await repo.odds.get_line_movement(movement)],
    )
    consensus = sync_repo.odds.get_consensus_odds(
        game_id=game_id, market=Market.MONEYLINE, at=later
    )
    assert {row.side for row in consensus} == {Side.HOME, Side.AWAY}
    assert {row.median_price for row in consensus} == {-130, 110}
    assert isinstance(consensus[0].median_decimal_price, Decimal)
    assert_same(
        consensus,
        await repo.odds.get_consensus_odds(game_id=game_id, market=Market.MONEYLINE, at=later),
    )


async def test_a_bad_price_is_refused_by_the_same_validation_before_any_sql(
    repo: UnifiedRepository,
    sync_repo: SyncUnifiedRepository,
    connection: asyncpg.Connection,
) -> None:
    created = await repo.games.upsert_game(game(first_pitch_at=FIRST_PITCH))
    assert created is not None
    dk = await book_id(repo, "draftkings")
    values = (created.game_id, dk, Market.MONEYLINE, Side.HOME, None, -50, FIRST_PITCH)
    values += (False, False, None, "sbr")
    with pytest.raises(betdb.errors.ValidationError, match="American odds") as sync_error:
        sync_repo.odds.ingest_odds([values])  # type: ignore[list-item]
    with pytest.raises(betdb.errors.ValidationError, match="American odds") as async_error:
        await repo.odds.ingest_odds([values])  # type: ignore[list-item]
    assert str(sync_error.value) == str(async_error.value)
    assert await connection.fetchval("SELECT count(*) FROM odds") == 0


async def test_streaming_needs_a_transaction_and_yields_what_the_list_does(
    repo: UnifiedRepository, sync_repo: SyncUnifiedRepository
) -> None:
    with pytest.raises(TransactionRequiredError, match="iter_list_teams"):
        next(iter(sync_repo.teams.iter_list_teams()))
    with sync_repo.transaction() as tx:
        streamed = list(tx.teams.iter_list_teams(prefetch=7))
    assert_same(streamed, await repo.teams.list_teams())
