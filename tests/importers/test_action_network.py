"""Action Network scoreboards built to the documented shape: games found or created on their US
date, each book's prices at `inserted`, splits as fractions, aggregates and unknown books."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.generated import init_connection
from betdb.importers import ImportFileError, import_schedule
from betdb.importers.action_network import import_action_network

from .action_network_payloads import (
    DIAMONDBACKS,
    DODGERS,
    NATIONALS,
    WHITE_SOX,
    YANKEES,
    an_game,
    book,
    consensus,
    scoreboard,
)
from .conftest import adds_up, clubs, count, schedule, stats_api_game, write_json


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
    assert adds_up(report)
    assert not report.rejected
    assert not report.warnings
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
    assert (pinnacle["line"], pinnacle["price"], pinnacle["is_opening"]) == (
        Decimal("-1.50"),
        120,
        False,
    )
    assert pinnacle["observed_at"] == dt.datetime(2025, 6, 21, 18, 2, 11, 123456, dt.UTC)
    assert (
        by_book[("pinnacle", "total", "under")]["line"],
        by_book[("pinnacle", "total", "under")]["price"],
    ) == (Decimal("8.50"), -110)
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
        15,
        0,
        0,
        1,
        12,
    )
    assert await count(connection, "odds") == 18
    assert await count(connection, "betting_splits") == 6


async def test_a_moneyline_only_response_stores_moneylines_and_counts_nothing_else(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    only = [{"book_id": 3, "type": "game", "inserted": "2025-06-21T17:00:00Z", "ml_home": -125,
             "ml_away": 105},
            {"book_id": 1138, "inserted": "2025-06-21T17:01:00Z", "ml_home": -130,
             "ml_away": None, "spread_home": None, "total": None}]  # fmt: skip
    game = an_game(odds=only)
    for key in ("status", "type", "season", "num_bets"):
        del game[key]
    path = write_json(tmp_path / "ml.json", scoreboard(game))
    report = await import_action_network(repo, path)
    assert (report.read, report.imported, report.skipped, len(report.rejected)) == (3, 3, 0, 0)
    rows = await connection.fetch(
        "SELECT s.key, o.side::text, o.price, o.line FROM odds o JOIN sportsbooks s"
        " USING (sportsbook_id) ORDER BY s.key, o.side"
    )
    assert [tuple(r) for r in rows] == [
        ("fanduel", "home", -130, None),
        ("pinnacle", "home", -125, None),
        ("pinnacle", "away", 105, None),
    ]
    assert await count(connection, "betting_splits") == 0


async def test_a_postseason_game_is_postseason_and_its_final_state_is_kept(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    game = an_game(
        type="post", status="complete", real_status="closed", season=2024,
        start="2024-10-30T00:08:00.000Z", home=YANKEES, away=DODGERS, odds=[],
    )  # fmt: skip
    report = await import_action_network(repo, write_json(tmp_path / "ws.json", scoreboard(game)))
    assert (report.read, report.imported) == (1, 1)
    row = await connection.fetchrow("SELECT * FROM games")
    stored = [row[k] for k in ("season_type", "game_type", "status", "official_date", "season")]
    assert stored == ["postseason", "postseason", "final", dt.date(2024, 10, 29), 2024]


async def test_an_unknown_status_is_reported_not_guessed(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    game = an_game(status="halftime_show", real_status=None, odds=[])
    report = await import_action_network(repo, write_json(tmp_path / "odd.json", scoreboard(game)))
    assert [str(w) for w in report.warnings] == [
        "games[0]: status 'halftime_show' is not a state betdb knows: the game's state is left"
        " as stored (scheduled when new)"
    ]
    assert await connection.fetchval("SELECT status::text FROM games") == "scheduled"


async def test_a_slate_crossing_midnight_utc_is_the_evening_of_its_us_date(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    """AN abbreviations differ from MLB's (CHW, WAS, ARI); a 02:10Z start is the evening before."""
    slate = scoreboard(
        an_game(228010, "2025-06-21T23:05:00.000Z", WHITE_SOX, NATIONALS, odds=[]),
        an_game(228011, "2025-06-22T02:10:00.000Z", DODGERS, DIAMONDBACKS, odds=[]),
    )
    report = await import_action_network(repo, write_json(tmp_path / "slate.json", slate))
    assert (report.read, report.imported) == (2, 2)
    rows = await connection.fetch(
        "SELECT action_network_game_id, official_date, home_team_id, away_team_id, first_pitch_at"
        " FROM games ORDER BY action_network_game_id"
    )
    assert [tuple(r) for r in rows] == [
        (228010, dt.date(2025, 6, 21), 145, 120, dt.datetime(2025, 6, 21, 23, 5, tzinfo=dt.UTC)),
        (228011, dt.date(2025, 6, 21), 119, 109, dt.datetime(2025, 6, 22, 2, 10, tzinfo=dt.UTC)),
    ]


async def test_a_stored_game_gains_its_id_and_a_later_schedule_attaches_its_game_pk(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    late = an_game(228020, "2025-06-22T01:40:00.000Z", odds=[])
    report = await import_action_network(repo, write_json(tmp_path / "an.json", scoreboard(late)))
    assert report.imported == 1
    schedule_file = write_json(
        tmp_path / "schedule.json",
        schedule(stats_api_game(777801, gameDate="2025-06-22T01:40:00Z", officialDate="2025-06-21",
                                teams=clubs(111, 147))),
    )  # fmt: skip
    assert (await import_schedule(repo, schedule_file)).updated == 1
    rows = await connection.fetch("SELECT mlb_game_pk, action_network_game_id FROM games")
    assert [tuple(r) for r in rows] == [(777801, 228020)]
    # The other way round: a scheduled game gains Action Network's id, and keeps its state.
    early = write_json(
        tmp_path / "s2.json",
        schedule(stats_api_game(777802, officialDate="2025-06-23", gameDate="2025-06-23T17:05:00Z",
                                teams=clubs(111, 147))),
    )  # fmt: skip
    await import_schedule(repo, early)
    game = an_game(228021, "2025-06-23T17:05:00.000Z", status="inprogress", odds=[])
    again = await import_action_network(repo, write_json(tmp_path / "an2.json", scoreboard(game)))
    assert (again.read, again.updated) == (1, 1)
    row = await connection.fetchrow("SELECT * FROM games WHERE mlb_game_pk = 777802")
    assert (row["action_network_game_id"], row["status"], row["source"]) == (
        228021,
        "scheduled",
        "mlb",
    )
    assert await count(connection, "games") == 2


async def test_unknown_books_are_rejected_by_id_and_a_books_csv_maps_them(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    game = an_game(odds=[book(3), book(9999), book(9999, "2025-06-21T19:00:00Z"), consensus()])
    path = write_json(tmp_path / "board.json", scoreboard(game))
    rejects = tmp_path / "rejects.jsonl"
    report = await import_action_network(repo, path, rejects=rejects)
    assert len(report.rejected) == 6
    assert {r.reason for r in report.rejected} == {
        "Action Network book id 9999 is not mapped to a sportsbook (add it to a book mapping"
        " CSV: --books FILE or BETDB_ACTION_NETWORK_BOOKS)"
    }
    assert adds_up(report)
    written = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert len(written) == 6
    assert {w["record"]["book_id"] for w in written} == {9999}
    assert await count(connection, "odds") == 12
    mapping = tmp_path / "books.csv"
    mapping.write_text("book_id,book_name,sportsbook_key\n9999,Brand New,brand_new\n")
    again = await import_action_network(repo, path, books=mapping, rejects=rejects)
    assert (len(again.rejected), again.imported, again.duplicates) == (0, 6, 3 + 3 + 3)
    assert (
        await connection.fetchval(
            "SELECT count(*) FROM odds JOIN sportsbooks USING (sportsbook_id)"
            " WHERE key = 'brand_new' AND name = 'Brand New'"
        )
        == 12
    )
    assert not rejects.exists()


async def test_the_opening_line_is_stored_as_opening_and_period_odds_and_live_prices_are_skipped(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    odds = [book(30, "2025-06-20T14:00:00Z"), book(3, type="firstfiveinnings"),
            book(3, "2025-06-21T23:30:00Z")]  # fmt: skip
    path = write_json(tmp_path / "open.json", scoreboard(an_game(odds=odds)))
    report = await import_action_network(repo, path)
    assert report.skip_reasons == {
        "odds of type 'firstfiveinnings' (not the full game) are not kept": 1,
        "price observed at or after first pitch (live)": 3,
        "betting splits whose percents are null": 2,
    }
    assert adds_up(report)
    rows = await connection.fetch(
        "SELECT DISTINCT s.key, s.name, o.is_opening"
        " FROM odds o JOIN sportsbooks s USING (sportsbook_id)"
    )
    assert [tuple(r) for r in rows] == [("an_open", "Action Network opening line", True)]


async def test_null_splits_are_skipped_and_counted_and_bad_percents_rejected(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    nulls = consensus(
        ml_home_public=None, ml_away_public=None, ml_home_money=None, ml_away_money=None,
        total_over_public=None, total_under_public=None, total_over_money=None,
        total_under_money=None, spread_home_public=150,
    )  # fmt: skip
    path = write_json(tmp_path / "nulls.json", scoreboard(an_game(odds=[nulls])))
    report = await import_action_network(repo, path)
    assert report.skip_reasons == {"betting splits whose percents are null": 2}
    assert [str(r) for r in report.rejected] == [
        "games[0].odds[0].run_line: games[0].odds[0].run_line.spread_home_public 150 is not a"
        " percent from 0 to 100"
    ]
    assert await count(connection, "betting_splits") == 0
    assert await count(connection, "odds") == 6


async def test_a_file_that_is_not_a_scoreboard_says_what_it_looks_like(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    path = write_json(tmp_path / "v4.json", [{"id": "x", "bookmakers": []}])
    with pytest.raises(ImportFileError, match="it looks like an Odds API v4 response"):
        await import_action_network(repo, path)
    path = write_json(tmp_path / "sched.json", schedule())
    with pytest.raises(ImportFileError, match="a Stats API schedule"):
        await import_action_network(repo, path)


async def test_a_game_of_unknown_clubs_rejects_it_and_its_entries(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    stranger = {"id": 999, "full_name": "Springfield Isotopes", "abbr": "SPI"}
    game = an_game(home=stranger)
    report = await import_action_network(repo, write_json(tmp_path / "x.json", scoreboard(game)))
    assert (report.read, len(report.rejected)) == (4, 4)
    assert report.rejected[0].reason == (
        "games[0]: team 999 ('Springfield Isotopes', 'SPI') is not a club betdb knows by name or"
        " abbreviation"
    )
    assert await count(connection, "games") == 0


async def test_a_doubleheader_is_two_games_numbered_by_start_and_found_again(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    board = scoreboard(
        an_game(228031, "2025-06-21T23:10:00.000Z", odds=[]),
        an_game(228030, "2025-06-21T17:05:00.000Z", odds=[]),
        an_game(228032, None, odds=[]),  # type: ignore[arg-type]
    )
    path = write_json(tmp_path / "dh.json", board)
    report = await import_action_network(repo, path)
    assert (report.imported, [str(r) for r in report.rejected]) == (
        2,
        ["games[2]: games[2].start_time is missing"],
    )
    rows = await connection.fetch(
        "SELECT action_network_game_id, game_number FROM games ORDER BY game_number"
    )
    assert [tuple(r) for r in rows] == [(228030, 1), (228031, 2)]
    again = await import_action_network(repo, path)
    assert (again.imported, again.unchanged, len(again.rejected)) == (0, 2, 1)


async def test_a_database_failure_midway_leaves_nothing_and_a_rerun_imports_the_file_whole(
    database_url: str, admin: asyncpg.Connection, tmp_path: Path
) -> None:
    path = write_json(tmp_path / "board.json", scoreboard(an_game()))
    # The server goes away at the first split written, after the game and the books were.
    await admin.execute("""
        CREATE FUNCTION stop_import() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;
        CREATE TRIGGER stop_import AFTER INSERT ON betting_splits
            FOR EACH STATEMENT EXECUTE FUNCTION stop_import();
    """)
    connection = await asyncpg.connect(database_url)
    await init_connection(connection)
    with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError, OSError)):
        await import_action_network(UnifiedRepository(connection), path)
    assert await admin.fetchval("SELECT count(*) FROM games") == 0
    assert await admin.fetchval("SELECT count(*) FROM sportsbooks WHERE key = 'an_consensus'") == 0
    await admin.execute("DROP TRIGGER stop_import ON betting_splits")
    connection = await asyncpg.connect(database_url)
    await init_connection(connection)
    again = await import_action_network(UnifiedRepository(connection), path)
    assert (again.read, again.imported, again.duplicates) == (15, 13, 0)
    assert await admin.fetchval("SELECT count(*) FROM odds") == 18
    await connection.close()
