"""The Odds API v4 responses as saved: markets mapped, live and foreign quotes accounted for,
games found again by their event id, decimal prices detected."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.importers import ImportFileError, import_schedule
from betdb.importers.odds_api import OddsFormat, detect_format, import_odds_api

from .conftest import adds_up, clubs, count, stats_api_game, write_json

REAL = Path(__file__).parents[1] / "data" / "real" / "the-odds-api"
AMERICAN = REAL / "2022-09-17-baseball_mlb-american.json"
DECIMAL = REAL / "2023-08-23-baseball_mlb-decimal.json"


def event(event_id: str, commence: str, home: str, away: str, price: int = -120) -> dict[str, Any]:
    return {
        "id": event_id, "sport_key": "baseball_mlb", "commence_time": commence,
        "home_team": home, "away_team": away,
        "bookmakers": [{
            "key": "draftkings", "title": "DraftKings", "last_update": "2021-04-13T15:00:00Z",
            "markets": [
                {"key": "h2h", "outcomes": [{"name": away, "price": 105},
                                            {"name": home, "price": price}]},
                {"key": "totals", "outcomes": [{"name": "Over", "price": -110, "point": 8.5},
                                               {"name": "Under", "price": -110, "point": 8.5}]},
            ],
        }],
    }  # fmt: skip


async def test_the_american_snapshot_maps_markets_skips_live_and_names_unknown_books(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    report = await import_odds_api(repo, AMERICAN, rejects=tmp_path / "rejects.jsonl")
    # 25 games: 436 h2h, 295 spreads, 275 totals and 11 h2h_lay markets across 33 books.
    assert report.read == 1017
    assert report.skip_reasons == {
        "quoted at or after commence_time (live)": 244,
        "market 'h2h_lay' is not kept": 11,
    }
    assert (report.imported, report.skipped, len(report.rejected)) == (507, 255, 255)
    assert adds_up(report)
    assert {r.reason.split(":")[0] for r in report.rejected} >= {
        "unknown bookmaker 'betclic' (Betclic)",
        "unknown bookmaker 'paddypower' (Paddy Power)",
    }
    assert all("--add-books adds it" in r.reason for r in report.rejected)
    # Nine of the 25 events have only live or rejected quotes: no game is created for them.
    assert await count(connection, "games WHERE odds_api_event_id IS NOT NULL") == 16
    assert report.games_created == 16
    assert await count(connection, "odds") == 2 * 507
    assert await count(connection, "odds WHERE source = 'odds_api'") == 2 * 507
    # Rays-Rangers of 18 September at Pinnacle: a run line observed before first pitch.
    rays = await connection.fetchval(
        "SELECT game_id FROM games WHERE odds_api_event_id = '77a6370d5507b4b52040af21ae6adb21'"
    )
    spread = await connection.fetch(
        "SELECT side::text, line, price FROM odds o JOIN sportsbooks s USING (sportsbook_id)"
        " WHERE game_id = $1 AND s.key = 'pinnacle' AND market = 'run_line' ORDER BY o.side",
        rays,
    )
    document = json.loads(AMERICAN.read_text())
    pinnacle = next(
        b for g in document if g["id"] == "77a6370d5507b4b52040af21ae6adb21"
        for b in g["bookmakers"] if b["key"] == "pinnacle"
    )  # fmt: skip
    outcomes = next(m for m in pinnacle["markets"] if m["key"] == "spreads")["outcomes"]
    expected = {("home" if o["name"] == "Tampa Bay Rays" else "away"): o for o in outcomes}
    assert [(r["side"], float(r["line"]), r["price"]) for r in spread] == [
        (side, expected[side]["point"], expected[side]["price"]) for side in ("home", "away")
    ]


async def test_a_snapshot_imported_again_is_all_duplicates_and_finds_the_same_games(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    await import_odds_api(repo, AMERICAN, rejects=tmp_path / "r.jsonl")
    games = await connection.fetch("SELECT * FROM games ORDER BY game_id")
    again = await import_odds_api(repo, AMERICAN, rejects=tmp_path / "r.jsonl")
    assert (again.read, again.imported, again.duplicates, again.skipped) == (1017, 0, 507, 255)
    assert await connection.fetch("SELECT * FROM games ORDER BY game_id") == games
    assert await count(connection, "odds") == 2 * 507


async def test_decimal_prices_are_detected_and_stored_as_american(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    assert detect_format(DECIMAL, json.loads(DECIMAL.read_text())) is OddsFormat.DECIMAL
    assert detect_format(AMERICAN, json.loads(AMERICAN.read_text())) is OddsFormat.AMERICAN
    report = await import_odds_api(repo, DECIMAL, rejects=tmp_path / "r.jsonl")
    # 13 games, h2h only, from 16 books all known to betdb; none quoted live.
    assert (report.read, report.imported, report.skipped, report.rejected) == (193, 193, 0, [])
    prices = await connection.fetch(
        "SELECT side::text, price, observed_at FROM odds o JOIN games g USING (game_id)"
        " JOIN sportsbooks s USING (sportsbook_id) WHERE s.key = 'draftkings'"
        " AND g.odds_api_event_id = '3da2cc1a7386f81a7b633d7be9e2424a' ORDER BY o.side"
    )
    # Pirates 2.02 and Cardinals 1.82 in decimal, seen at the market's last_update.
    assert [(p["side"], p["price"]) for p in prices] == [("home", 102), ("away", -122)]
    assert prices[0]["observed_at"] == dt.datetime(2023, 8, 23, 5, 4, 45, tzinfo=dt.UTC)
    game = await connection.fetchrow(
        "SELECT * FROM games WHERE odds_api_event_id = '3da2cc1a7386f81a7b633d7be9e2424a'"
    )
    assert (game["official_date"], game["home_team_id"], game["away_team_id"]) == (
        dt.date(2023, 8, 23), 134, 138,
    )  # fmt: skip


async def test_a_later_schedule_attaches_its_game_pk_to_the_game_the_odds_created(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    await import_odds_api(repo, DECIMAL, rejects=tmp_path / "r.jsonl")
    pirates = stats_api_game(
        717000, season="2023", officialDate="2023-08-23", gameDate="2023-08-23T16:35:00Z",
        teams=clubs(138, 134, 3, 4),
    )  # fmt: skip
    schedule = {"dates": [{"date": "2023-08-23", "games": [pirates]}]}
    report = await import_schedule(repo, write_json(tmp_path / "s.json", schedule))
    assert (report.imported, report.updated) == (0, 1)
    assert await count(connection, "games") == 13
    row = await connection.fetchrow("SELECT * FROM games WHERE mlb_game_pk = 717000")
    assert row["odds_api_event_id"] == "3da2cc1a7386f81a7b633d7be9e2424a"


async def test_a_doubleheader_is_two_games_told_apart_by_commence_time(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    mets, phillies = "New York Mets", "Philadelphia Phillies"
    snapshot = [
        event("late", "2021-04-13T23:10:00Z", mets, phillies, price=-130),
        event("early", "2021-04-13T17:10:00Z", mets, phillies),
    ]
    report = await import_odds_api(repo, write_json(tmp_path / "a.json", snapshot))
    assert (report.read, report.imported) == (4, 4)
    rows = await connection.fetch(
        "SELECT odds_api_event_id, game_number FROM games ORDER BY game_number"
    )
    assert [tuple(r) for r in rows] == [("early", 1), ("late", 2)]
    # The next snapshot moves the price: the same two games, one new observation each.
    for game in snapshot:
        game["bookmakers"][0]["last_update"] = "2021-04-13T16:00:00Z"
    later = await import_odds_api(repo, write_json(tmp_path / "b.json", snapshot))
    assert (later.imported, later.duplicates) == (4, 0)
    assert await count(connection, "games") == 2


async def test_a_doubleheader_of_stored_games_is_matched_by_first_pitch(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    schedule = {"dates": [{"date": "2021-04-13", "games": [
        stats_api_game(1, season="2021", officialDate="2021-04-13", doubleHeader="S", gameNumber=1,
                       gameDate="2021-04-13T17:10:00Z", teams=clubs(143, 121)),
        stats_api_game(2, season="2021", officialDate="2021-04-13", doubleHeader="S", gameNumber=2,
                       gameDate="2021-04-13T23:10:00Z", teams=clubs(143, 121)),
    ]}]}  # fmt: skip
    await import_schedule(repo, write_json(tmp_path / "s.json", schedule))
    snapshot = [
        event("night", "2021-04-13T23:10:00Z", "New York Mets", "Philadelphia Phillies"),
        event("day", "2021-04-13T17:10:00Z", "New York Mets", "Philadelphia Phillies"),
    ]
    await import_odds_api(repo, write_json(tmp_path / "a.json", snapshot))
    rows = await connection.fetch("SELECT mlb_game_pk, odds_api_event_id FROM games ORDER BY 1")
    assert [tuple(r) for r in rows] == [(1, "day"), (2, "night")]


async def test_former_club_names_unknown_clubs_books_added_on_request_and_live_prices(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    indians = event("cle", "2021-04-13T23:10:00Z", "Cleveland Indians", "Chicago White Sox")
    unknown = event("xyz", "2021-04-13T23:10:00Z", "Springfield Isotopes", "Chicago Cubs")
    foreign = event("bk", "2021-04-13T23:10:00Z", "Boston Red Sox", "Baltimore Orioles")
    foreign["bookmakers"][0].update(key="betclic", title="Betclic")
    live = event("live", "2021-04-13T14:10:00Z", "Houston Astros", "Oakland Athletics")
    path = write_json(tmp_path / "a.json", [indians, unknown, foreign, live])
    report = await import_odds_api(repo, path)
    assert report.skip_reasons == {"quoted at or after commence_time (live)": 2}
    reasons = sorted({r.reason for r in report.rejected})
    assert reasons == [
        "[1].home_team: unknown club 'Springfield Isotopes' (not a current or former club name)",
        "unknown bookmaker 'betclic' (Betclic): not a betdb sportsbook (--add-books adds it)",
    ]
    assert (
        await connection.fetchval("SELECT home_team_id FROM games WHERE odds_api_event_id = 'cle'")
        == 114
    )
    added = await import_odds_api(repo, path, add_books=True, include_live=True)
    assert (added.imported, added.skipped) == (4, 0)
    assert await count(connection, "sportsbooks WHERE key = 'betclic'") == 1


async def test_a_file_that_is_not_an_odds_response_is_refused(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    with pytest.raises(ImportFileError, match="expected a list of games"):
        await import_odds_api(repo, write_json(tmp_path / "a.json", {"message": "quota"}))


async def test_a_database_failure_midway_leaves_no_game_and_no_odds_of_the_file(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    await connection.execute(
        """
        CREATE FUNCTION refuse_odds() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'connection lost'; END $$;
        CREATE TRIGGER refuse BEFORE INSERT ON odds
            FOR EACH STATEMENT EXECUTE FUNCTION refuse_odds();
        """
    )
    with pytest.raises(Exception, match="connection lost"):
        await import_odds_api(repo, DECIMAL, rejects=tmp_path / "r.jsonl")
    assert (await count(connection, "games"), await count(connection, "odds")) == (0, 0)
