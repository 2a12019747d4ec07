"""The shared data set: a month of games with light odds, one game with a long history for
the :many benchmark and one with a very long one for streaming."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import asyncpg

from bench import dataset
from bench.server import BenchServer

SEASON_START = datetime.date(2026, 4, 1)
DAYS = 30
READ_GAME = 1
STREAM_GAME = 2


@dataclass(frozen=True)
class MainData:
    dsn: str
    read_game: int
    read_rows: int
    stream_game: int
    stream_rows: int
    games: range  # every game; all but the two above have 420 odds rows

    @property
    def plain_games(self) -> range:
        return range(STREAM_GAME + 1, self.games.stop)

    def odds_window(self, game: int) -> tuple[datetime.datetime, datetime.datetime]:
        """An observed_at window around a game's first pitch that holds all its odds."""
        return dataset.odds_window(SEASON_START, game)


async def main_data(server: BenchServer, *, read_rows: int, stream_rows: int) -> MainData:
    dsn = await server.database("main")
    conn = await asyncpg.connect(dsn)
    try:
        await dataset.bulk_session(conn)
        games = await dataset.add_schedule(conn, SEASON_START, 0, DAYS)
        await dataset.add_odds(conn, range(STREAM_GAME + 1, games.stop), 7)
        read = await dataset.add_odds(
            conn, range(READ_GAME, READ_GAME + 1), dataset.observations_for(read_rows)
        )
        stream = 0
        if stream_rows:
            stream = await dataset.add_odds(
                conn, range(STREAM_GAME, STREAM_GAME + 1), dataset.observations_for(stream_rows)
            )
        await dataset.analyze(conn)
    finally:
        await conn.close()
    return MainData(dsn, READ_GAME, read, STREAM_GAME, stream, games)
