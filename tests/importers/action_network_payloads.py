"""Action Network scoreboards built to the shape collectors document: games with `teams[]`
and `odds[]` entries per book (prices, `inserted`, public splits as integer percents)."""

from __future__ import annotations

from typing import Any

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


def book(
    book_id: int, inserted: str = "2025-06-21T18:02:11.123456Z", **prices: Any
) -> dict[str, Any]:
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
    splits: dict[str, Any] = dict(
        ml_home_public=62, ml_away_public=38, ml_home_money=45, ml_away_money=55,
        spread_home_public=40, spread_away_public=60, spread_home_money=30, spread_away_money=70,
        total_over_public=71, total_under_public=29, total_over_money=52, total_under_money=48,
        num_bets=10234,
    )  # fmt: skip
    return book(15, inserted, **(splits | changes))


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
