"""ensure_odds_partitions while an import writes odds into the default partition: every call
succeeds at once (no deadlock, no "partition constraint for default partition would be
violated"), and every row ends in its month's partition."""

from __future__ import annotations

import asyncio
import datetime as dt

import asyncpg

# Months with no partition yet (the migrations cover 2026-01 to 2027-12): rows land in default.
FIRST_MONTH = dt.date(2031, 1, 1)
MONTHS = 6
ROWS_PER_TRANSACTION = 200


def _month(index: int) -> dt.date:
    return dt.date(FIRST_MONTH.year + (FIRST_MONTH.month - 1 + index) // 12,
                   (FIRST_MONTH.month - 1 + index) % 12 + 1, 1)  # fmt: skip


async def _game(connection: asyncpg.Connection) -> int:
    return int(
        await connection.fetchval(
            "INSERT INTO games"
            " (mlb_game_pk, official_date, home_team_id, away_team_id, season, source)"
            " VALUES (9031001, '2031-04-01', 147, 111, 2031, 'mlb') RETURNING game_id"
        )
    )


async def _import(database_url: str, game_id: int, worker: int, stop: asyncio.Event) -> int:
    """What the odds importer does per batch: read what is stored, then insert, in one
    transaction, here spread over every month that has no partition yet."""
    connection = await asyncpg.connect(database_url)
    written, batch = 0, 0
    try:
        while not stop.is_set():
            async with connection.transaction():
                await connection.fetchval("SELECT count(*) FROM odds WHERE game_id = $1", game_id)
                rows = []
                for n in range(ROWS_PER_TRANSACTION):
                    month = _month((batch + n) % MONTHS)
                    seconds = batch * ROWS_PER_TRANSACTION + n
                    observed = dt.datetime(month.year, month.month, 2, tzinfo=dt.UTC)
                    rows.append(
                        (game_id, observed + dt.timedelta(seconds=seconds, microseconds=worker))
                    )
                await connection.executemany(
                    "INSERT INTO odds (game_id, sportsbook_id, market, side, line, price,"
                    " observed_at, source) SELECT $1, sportsbook_id, 'total', 'over', 8.5,"
                    " -110, $2, 'sbr' FROM sportsbooks WHERE key = 'draftkings'",
                    rows,
                )
            written += len(rows)
            batch += 1
            await asyncio.sleep(0)
    finally:
        await connection.close()
    return written


async def test_partitions_ensure_during_an_import_succeeds_first_time(database_url: str) -> None:
    admin = await asyncpg.connect(database_url)
    try:
        game_id = await _game(admin)
        stop = asyncio.Event()
        importers = [
            asyncio.create_task(_import(database_url, game_id, worker, stop)) for worker in range(3)
        ]
        await asyncio.sleep(0.5)  # rows of every month are in the default partition by now
        created = 0
        ensurer = await asyncpg.connect(database_url)
        try:
            for index in range(MONTHS):
                await asyncio.sleep(0.2)
                created += await ensurer.fetchval(
                    "SELECT ensure_odds_partitions($1, 1)", _month(index)
                )
        finally:
            await ensurer.close()
            stop.set()
        written = sum(await asyncio.gather(*importers))
        assert created == MONTHS
        assert written > 0
        stored = await admin.fetchval("SELECT count(*) FROM odds WHERE game_id = $1", game_id)
        assert stored == written
        in_default = await admin.fetchval("SELECT count(*) FROM odds_partitions.odds_default")
        assert in_default == 0
    finally:
        await admin.close()
