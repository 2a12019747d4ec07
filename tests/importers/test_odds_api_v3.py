"""The Odds API v3 responses: detected, `teams[]` order read through `home_team`, unix-second
times, h2h_lay skipped, and the same game rules as v4 (found again, no event id invented)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.importers import ImportFileError
from betdb.importers.odds_api import import_odds_api
from betdb.importers.odds_api_v3 import ApiVersion, detect_version

from .conftest import adds_up, count, write_json

V3 = Path(__file__).parents[1] / "data" / "real" / "the-odds-api-v3"
REAL_V3 = V3 / "2020-08-03-v3-baseball_mlb-decimal.json"


async def prices(connection: asyncpg.Connection, home: str, book: str) -> list[tuple[Any, ...]]:
    rows = await connection.fetch(
        "SELECT o.side::text, o.price, o.observed_at FROM odds o"
        " JOIN sportsbooks s USING (sportsbook_id) JOIN games g USING (game_id)"
        " JOIN teams t ON t.team_id = g.home_team_id"
        " WHERE t.abbreviation = $1 AND s.key = $2 AND o.market = 'moneyline' ORDER BY o.side",
        home,
        book,
    )
    return [tuple(r) for r in rows]


async def test_the_real_v3_file_imports_with_home_read_from_home_team_twice_the_same(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.jsonl"
    report = await import_odds_api(repo, REAL_V3, rejects=rejects)
    # 9 games, 107 sites with h2h, Betfair's 9 h2h_lay; Unibet (9), Betfair (9) and Intertops
    # (8) are not betdb books.
    assert report.read == 116
    assert report.skip_reasons == {"market 'h2h_lay' is not kept": 9}
    assert (report.imported, len(report.rejected)) == (81, 26)
    assert adds_up(report)
    assert {r.reason.split(":")[0] for r in report.rejected} == {
        "unknown bookmaker 'unibet' (Unibet)",
        "unknown bookmaker 'betfair' (Betfair)",
        "unknown bookmaker 'intertops' (Intertops)",
    }
    # Each rejection points into the v3 file.
    assert str(report.rejected[0]) == (
        "data[0].sites[0].odds.h2h: unknown bookmaker 'unibet' (Unibet): not a betdb sportsbook"
        " (--add-books adds it)"
    )
    games = await connection.fetch(
        "SELECT h.abbreviation AS home, a.abbreviation AS away, official_date, first_pitch_at,"
        " odds_api_event_id FROM games g JOIN teams h ON h.team_id = g.home_team_id"
        " JOIN teams a ON a.team_id = g.away_team_id ORDER BY first_pitch_at, h.abbreviation"
    )
    assert [(g["home"], g["away"]) for g in games] == [
        ("CIN", "CLE"), ("NYY", "PHI"), ("ATL", "NYM"), ("MIL", "CWS"), ("MIN", "PIT"),
        ("CHC", "KC"), ("COL", "SF"), ("SD", "LAD"), ("SEA", "ATH"),
    ]  # fmt: skip
    assert {g["official_date"] for g in games} == {dt.date(2020, 8, 3)}
    assert {g["odds_api_event_id"] for g in games} == {None}
    assert games[0]["first_pitch_at"] == dt.datetime(2020, 8, 3, 22, 40, tzinfo=dt.UTC)
    # teams[] is alphabetical: the Brewers are home though listed second ([1.89, 1.98]).
    seen = dt.datetime(2020, 8, 3, 17, 3, 35, tzinfo=dt.UTC)
    assert await prices(connection, "MIL", "draftkings") == [
        ("home", -102, seen),
        ("away", -112, seen),
    ]
    assert await prices(connection, "CIN", "draftkings") == [
        ("home", -147, seen),
        ("away", 125, seen),
    ]
    # BetOnline's third h2h price (1.0, the draw) is left out.
    online = dt.datetime(2020, 8, 3, 17, 2, 15, tzinfo=dt.UTC)
    assert await prices(connection, "SEA", "betonlineag") == [
        ("home", 166, online),
        ("away", -182, online),
    ]
    assert await count(connection, "odds") == 162

    again = await import_odds_api(repo, REAL_V3, rejects=rejects)
    assert (again.read, again.imported, again.duplicates, len(again.rejected)) == (116, 0, 81, 26)
    assert await count(connection, "games") == 9
    assert await count(connection, "odds") == 162


def v3_game(teams: list[str], home: str, **odds: Any) -> dict[str, Any]:
    return {
        "sport_key": "baseball_mlb", "teams": teams, "commence_time": 1624316700,
        "home_team": home,
        "sites": [{"site_key": "draftkings", "site_nice": "DraftKings",
                   "last_update": 1624300000, "odds": odds}],
    }  # fmt: skip


async def test_v3_spreads_and_totals_and_american_prices_follow_teams_order(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    game = v3_game(
        ["Boston Red Sox", "New York Yankees"], "New York Yankees",
        h2h=[125, -145],
        spreads={"odds": [-160, 140], "points": ["1.5", "-1.5"]},
        totals={"odds": [-105, -115], "points": ["9", "9"], "position": ["under", "over"]},
    )  # fmt: skip
    path = write_json(tmp_path / "v3.json", {"success": True, "data": [game]})
    report = await import_odds_api(repo, path)
    assert (report.read, report.imported) == (3, 3)
    rows = await connection.fetch(
        "SELECT market::text, side::text, line, price FROM odds AS o ORDER BY o.market, o.side"
    )
    assert [(r["market"], r["side"], str(r["line"]), r["price"]) for r in rows] == [
        ("moneyline", "home", "None", -145), ("moneyline", "away", "None", 125),
        ("run_line", "home", "-1.50", 140), ("run_line", "away", "1.50", -160),
        ("total", "over", "9.00", -115), ("total", "under", "9.00", -105),
    ]  # fmt: skip
    assert await connection.fetchval("SELECT official_date FROM games") == dt.date(2021, 6, 21)


async def test_a_v3_game_whose_home_team_is_not_among_its_teams_is_rejected(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    game = v3_game(["Boston Red Sox", "New York Yankees"], "Texas Rangers", h2h=[1.8, 2.1])
    report = await import_odds_api(repo, write_json(tmp_path / "v3.json", {"data": [game]}))
    assert [str(r) for r in report.rejected] == [
        "data[0]: teams ['Boston Red Sox', 'New York Yankees'] are not two clubs of which home_team"
        " 'Texas Rangers' is one"
    ]


def test_the_version_is_detected_from_the_games_shape() -> None:
    assert detect_version({"success": True, "data": [v3_game(["A", "B"], "A")]}) is ApiVersion.V3
    assert detect_version([{"id": "e", "bookmakers": []}]) is ApiVersion.V4
    assert detect_version({"data": [{"id": "e", "bookmakers": []}]}) is ApiVersion.V4


async def test_forcing_v3_on_something_else_says_so(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    path = write_json(tmp_path / "x.json", {"games": []})
    with pytest.raises(ImportFileError, match="not an Odds API v3 response"):
        await import_odds_api(repo, path, api_version=ApiVersion.V3)
