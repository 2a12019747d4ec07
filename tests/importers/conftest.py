"""A repository on this test's own migrated database, and small files to import."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.generated import init_connection

ODDS_HEADER = "source,external_game_id,sportsbook,market,side,line,price,observed_at"


@pytest.fixture
async def connection(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(database_url)
    await init_connection(connection)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
def repo(connection: asyncpg.Connection) -> UnifiedRepository:
    return UnifiedRepository(connection)


def stats_api_game(game_pk: int, **changes: Any) -> dict[str, Any]:
    """A Stats API schedule entry: Boston at the Yankees on 21 June 2025, scheduled."""
    game: dict[str, Any] = {
        "gamePk": game_pk,
        "link": f"/api/v1.1/game/{game_pk}/feed/live",
        "gameType": "R",
        "season": "2025",
        "gameDate": "2025-06-21T23:15:00Z",
        "officialDate": "2025-06-21",
        "status": {"abstractGameState": "Preview", "codedGameState": "S",
                   "detailedState": "Scheduled", "statusCode": "S"},
        "teams": {"away": {"team": {"id": 111, "name": "Boston Red Sox"}},
                  "home": {"team": {"id": 147, "name": "New York Yankees"}}},
        "venue": {"id": 3313, "name": "Yankee Stadium"},
        "gameNumber": 1,
        "doubleHeader": "N",
    }  # fmt: skip
    game.update(changes)
    return game


def clubs(
    away: int, home: int, away_score: int | None = None, home_score: int | None = None
) -> dict[str, Any]:
    """The `teams` of a Stats API game: club ids and, when given, scores."""
    teams: dict[str, Any] = {"away": {"team": {"id": away}}, "home": {"team": {"id": home}}}
    if away_score is not None:
        teams["away"]["score"] = away_score
    if home_score is not None:
        teams["home"]["score"] = home_score
    return teams


def schedule(*games: dict[str, Any]) -> dict[str, Any]:
    return {"dates": [{"date": "2025-06-21", "games": list(games)}]}


def write_json(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


async def count(connection: asyncpg.Connection, table: str) -> int:
    value = await connection.fetchval(f"SELECT count(*) FROM {table}")
    assert isinstance(value, int)
    return value


def adds_up(report: Any) -> bool:
    return bool(
        report.read
        == report.imported
        + report.updated
        + report.unchanged
        + report.duplicates
        + report.skipped
        + len(report.rejected)
    )


def jsonl(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def split(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": "action_network", "game_source": "mlb", "external_game_id": "777706",
        "market": "total", "side": "over", "line": 8.5, "bet_pct": 0.74, "money_pct": 0.43,
        "bet_count": 5120, "captured_at": "2025-06-21T21:15:00Z",
    }  # fmt: skip
    record.update(changes)
    return record


def analysis(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "external_game_id": "777706", "analysis_type": "steam_move",
        "strategy_name": "follow_the_steam", "strategy_version": "2.1", "market": "moneyline",
        "side": "away", "signals_detected": ["steam_move"], "confidence_score": 0.91,
        "recommendation": "bet", "risk_level": "medium", "features": {"books_moved": 6},
    }  # fmt: skip
    record.update(changes)
    return record


def signal(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "external_game_id": "777706", "signal_type": "steam_move",
        "detector_name": "steam_detector", "detector_version": "1.2.0", "market": "moneyline",
        "side": "away", "sportsbook": "pinnacle", "signal_strength": 0.84,
        "confidence_score": 0.81, "features": {}, "detected_at": "2025-06-21T19:52:00Z",
    }  # fmt: skip
    record.update(changes)
    return record
