"""Action Network scoreboards built to the documented shape: games found or created on their US
date, each book's prices at `inserted`, splits as fractions, aggregates and unknown books."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.importers import ImportFileError, import_schedule
from betdb.importers.action_network import import_action_network

from .conftest import adds_up, clubs, count, schedule, stats_api_game, write_json

RED_SOX = {"id": 193, "full_name": "Boston Red Sox", "display_name": "Red Sox", "abbr": "BOS",
           "location": "Boston"}  # fmt: skip
YANKEES = {"id": 207, "full_name": "New York Yankees", "display_name": "Yankees", "abbr": "NYY",
           "location": "New York"}  # fmt: skip
WHITE_SOX = {"id": 198, "full_name": "Chicago White Sox", "display_name": "White Sox",
             "abbr": "CHW", "location": "Chicago"}  # fmt: skip
NATIONALS = {"id": 216, "full_name": "Washington Nationals", "display_name": "Nationals",
             "abbr": "WAS", "location": "Washington"}  # fmt: skip
DIAMONDBACKS = {"id": 190, "full_name": "Arizona Diamondbacks", "display_name": "D-backs",
                "abbr": "ARI", "location": "Arizona"}  # fmt: skip
DODGERS = {"id": 203, "full_name": "Los Angeles Dodgers", "display_name": "Dodgers",
           "abbr": "LAD", "location": "Los Angeles"}  # fmt: skip


def book(book_id: int, inserted: str = "2025-06-21T18:02:11.123456Z", **prices: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "book_id": book_id, "type": "game", "inserted": inserted,
        "ml_home": -150, "ml_away": 130,
        "spread_home": -1.5, "spread_away": 1.5, "spread_home_line": 120, "spread_away_line": -140,
        "total": 8.5, "over": -110, "under": -110,
        "ml_home_public": None, "ml_away_public": None, "ml_home_money": None,
        "ml_away_money": None, "line_status": {},
    }  # fmt: skip
    entry.update(prices)
    return entry


def consensus(inserted: str = "2025-06-21T18:00:00.000000Z", **changes: Any) -> dict[str, Any]:
    """Book 15, which carries the public splits."""
    return book(
        15, inserted,
        ml_home_public=62, ml_away_public=38, ml_home_money=45, ml_away_money=55,
        spread_home_public=40, spread_away_public=60, spread_home_money=30, spread_away_money=70,
        total_over_public=71, total_under_public=29, total_over_money=52, total_under_money=48,
        num_bets=10234, **changes,
    )  # fmt: skip


def an_game(
    game_id: int = 228001,
    start: str = "2025-06-21T23:05:00.000Z",
    home: dict[str, Any] = YANKEES,
    away: dict[str, Any] = RED_SOX,
    odds: list[dict[str, Any]] | None = None,
    **changes: Any,
) -> dict[str, Any]:
    game: dict[str, Any] = {
        "id": game_id, "start_time": start, "status": "scheduled", "real_status": "scheduled",
        "type": "reg", "season": 2025, "home_team_id": home["id"], "away_team_id": away["id"],
        "away_rotation_number": 951, "home_rotation_number": 952, "teams": [away, home],
        "num_bets": 10234, "odds": [book(3), book(1138), consensus()] if odds is None else odds,
    }  # fmt: skip
    game.update(changes)
    return game


def scoreboard(*games: dict[str, Any]) -> dict[str, Any]:
    return {"league": {"id": 8, "name": "mlb", "current_season": "2025"}, "games": list(games)}


async def test_a_full_scoreboard_stores_each_books_prices_the_aggregates_and_the_splits(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    path = write_json(tmp_path / "scoreboard.json", scoreboard(an_game()))
    report = await import_action_network(repo, path)
    # 1 game, 3 books x 3 markets priced, and the consensus's 3 markets of splits; books 3 and
    # 1138 (FanDuel TN) carry split keys (ml_*) whose percents are null.
    assert report.read == 1 + 9 + 3 + 2
    assert report.imported == 1 + 9 + 3
    assert report.skip_reasons == {"betting splits whose percents are null": 2}
    assert adds_up(report) and not report.rejected and not report.warnings
    game = await connection.fetchrow("SELECT * FROM games")
    assert (game["action_network_game_id"], game["official_date"], game["home_team_id"],
            game["away_team_id"], game["status"], game["season_type"], game["source"]) == (
        228001, dt.date(2025, 6, 21), 147, 111, "scheduled", "regular", "action_network",
    )  # fmt: skip
    rows = await connection.fetch(
        "SELECT s.key, o.market::text, o.side::text, o.line, o.price, o.observed_at, o.is_opening"
        " FROM odds o JOIN sportsbooks s USING (sportsbook_id) ORDER BY s.key, o.market, o.side"
    )
    by_book = {(r["key"], r["market"], r["side"]): r for r in rows}
    assert len(rows) == 18
    assert {r["key"] for r in rows} == {"pinnacle", "fanduel", "an_consensus"}
    pinnacle = by_book[("pinnacle", "run_line", "home")]
    assert (pinnacle["line"], pinnacle["price"], pinnacle["is_opening"]) == (Decimal("-1.50"), 120, False)
    assert pinnacle["observed_at"] == dt.datetime(2025, 6, 21, 18, 2, 11, 123456, dt.UTC)
    assert (by_book[("pinnacle", "total", "under")]["line"], by_book[("pinnacle", "total", "under")]["price"]) == (Decimal("8.50"), -110)
    assert by_book[("pinnacle", "moneyline", "away")]["price"] == 130
    splits = await connection.fetch(
        "SELECT market::text, side::text, line, bet_pct, money_pct, captured_at, source::text"
        " FROM betting_splits AS b ORDER BY b.market, b.side"
    )
    assert [(r["market"], r["side"], r["line"], r["bet_pct"], r["money_pct"]) for r in splits] == [
        ("moneyline", "home", None, Decimal("0.6200"), Decimal("0.4500")),
        ("moneyline", "away", None, Decimal("0.3800"), Decimal("0.5500")),
        ("run_line", "home", Decimal("-1.50"), Decimal("0.4000"), Decimal("0.3000")),
        ("run_line", "away", Decimal("1.50"), Decimal("0.6000"), Decimal("0.7000")),
        ("total", "over", Decimal("8.50"), Decimal("0.7100"), Decimal("0.5200")),
        ("total", "under", Decimal("8.50"), Decimal("0.2900"), Decimal("0.4800")),
    ]
    assert {r["captured_at"] for r in splits} == {dt.datetime(2025, 6, 21, 18, 0, tzinfo=dt.UTC)}
    assert {r["source"] for r in splits} == {"action_network"}

    again = await import_action_network(repo, path)
    assert (again.read, again.imported, again.updated, again.unchanged, again.duplicates) == (
        15, 0, 0, 1, 12
    )
    assert await count(connection, "odds") == 18
    assert await count(connection, "betting_splits") == 6
