"""The Odds API and SportsBettingDime files an adversary made: every value that cannot be
stored is one record's rejection with its reason, never a traceback or a failed file; odds and
splits far from their game's first pitch are refused as the first importers refuse them; and
an event nothing is imported from creates no game."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.importers.odds_api import OddsFormat, import_odds_api
from betdb.importers.sbd import import_sbd

from .conftest import adds_up, count

RAW = "@@raw@@"


def market(price: object = -120, point: object = 8.5) -> list[dict[str, Any]]:
    return [
        {"key": "h2h", "outcomes": [{"name": "Philadelphia Phillies", "price": 105},
                                    {"name": "New York Mets", "price": price}]},
        {"key": "totals", "outcomes": [{"name": "Over", "price": -110, "point": point},
                                       {"name": "Under", "price": -110, "point": point}]},
    ]  # fmt: skip


def event(
    event_id: str = "e1",
    commence: str = "2021-04-13T23:10:00Z",
    updated: str = "2021-04-13T15:00:00Z",
    book: str = "draftkings",
    markets: object = None,
) -> dict[str, Any]:
    return {
        "id": event_id, "sport_key": "baseball_mlb", "commence_time": commence,
        "home_team": "New York Mets", "away_team": "Philadelphia Phillies",
        "bookmakers": [{"key": book, "title": "DraftKings", "last_update": updated,
                        "markets": market() if markets is None else markets}],
    }  # fmt: skip


def write(path: Path, document: object, raw: str | None = None) -> Path:
    text = json.dumps(document)  # ensure_ascii: NUL and lone surrogates as \u escapes
    if raw is not None:
        text = text.replace(json.dumps(RAW), raw)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("NaN", "price: nan is not a finite number"),
        ("Infinity", "price: inf is not a finite number"),
        ("1e309", "price: inf is not a finite number"),
        ("1" * 400, "is out of range"),
        ("1000000000000", "is out of range"),
        ("-100001", "price -100001 is out of range (American odds up to ±100,000)"),
    ],
)
async def test_a_price_that_cannot_be_stored_is_one_rejected_market(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path, raw: str, reason: str
) -> None:
    path = write(tmp_path / "a.json", [event(markets=market(price=RAW))], raw)
    report = await import_odds_api(repo, path, odds_format=OddsFormat.AMERICAN)
    assert (report.read, report.imported, len(report.rejected)) == (2, 1, 1)
    assert report.rejected[0].where == "[0].bookmakers[0].markets[0]"
    assert reason in report.rejected[0].reason
    assert adds_up(report)
    assert await count(connection, "odds") == 2


@pytest.mark.parametrize("raw", ["NaN", "1e309", "1000", "0.001"])
async def test_a_point_that_is_not_a_line_is_one_rejected_market(
    repo: UnifiedRepository, tmp_path: Path, raw: str
) -> None:
    path = write(tmp_path / "a.json", [event(markets=market(point=RAW))], raw)
    report = await import_odds_api(repo, path)
    assert (report.imported, len(report.rejected)) == (1, 1)
    assert "point" in report.rejected[0].reason


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        (1e300, "decimal price 1e+300 is out of range (1.001 to 1,001)"),
        (1.0001, "decimal price 1.0001 is out of range (1.001 to 1,001)"),
        (1.0, "decimal price 1.0 is out of range"),
    ],
)
async def test_a_decimal_price_outside_the_bounds_is_rejected_naming_the_bounds(
    repo: UnifiedRepository, tmp_path: Path, price: float, reason: str
) -> None:
    document = [event(markets=market(price=price))]
    for outcome in document[0]["bookmakers"][0]["markets"][1]["outcomes"]:
        outcome["price"] = 1.91
    document[0]["bookmakers"][0]["markets"][0]["outcomes"][0]["price"] = 2.05
    report = await import_odds_api(
        repo, write(tmp_path / "a.json", document), odds_format=OddsFormat.DECIMAL
    )
    assert (report.imported, len(report.rejected)) == (1, 1)
    assert reason in report.rejected[0].reason


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"commence": "0001-01-01T00:00:00Z"}, "commence_time '0001-01-01T00:00:00Z' is out of"),
        ({"commence": "2150-04-13T23:10:00Z"}, "commence_time '2150-04-13T23:10:00Z' is out of"),
        ({"commence": "9999-12-31T23:00:00-05:00"}, "is out of range"),
        ({"updated": "0001-01-01T00:00:00Z"}, "last_update '0001-01-01T00:00:00Z' is out of"),
        ({"updated": "1990-04-13T15:00:00Z"}, "days before the game's first pitch"),
        ({"event_id": "e\x00"}, "contains a NUL character"),
        ({"book": "dk\ud800"}, "contains a lone surrogate"),
    ],
)
async def test_times_and_text_the_database_cannot_take_are_rejected_per_record(
    repo: UnifiedRepository,
    connection: asyncpg.Connection,
    tmp_path: Path,
    changes: dict[str, str],
    reason: str,
) -> None:
    path = write(tmp_path / "a.json", [event(**changes), event("e2", "2021-04-14T23:10:00Z")])
    report = await import_odds_api(repo, path)
    assert (report.read, report.imported, len(report.rejected)) == (4, 2, 2)
    assert all(reason in r.reason for r in report.rejected), report.rejected
    assert adds_up(report)
    assert (await count(connection, "games"), report.games_created) == (1, 1)


async def test_an_event_nothing_is_imported_from_creates_no_game(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    null_books = {**event("nullbooks"), "bookmakers": None}
    null_markets = event("nullmarkets", markets=None)
    null_markets["bookmakers"][0]["markets"] = None
    live = event("live", updated="2021-04-14T01:00:00Z")
    rejected = event("rejected", book="betclic")
    path = write(tmp_path / "a.json", [null_books, null_markets, live, rejected])
    report = await import_odds_api(repo, path)
    assert (report.read, report.imported, report.skipped, len(report.rejected)) == (4, 0, 2, 2)
    assert (await count(connection, "games"), report.games_created) == (0, 0)
    kept = await import_odds_api(repo, write(tmp_path / "b.json", [event("kept")]))
    assert (await count(connection, "games"), kept.games_created) == (1, 1)


def sbd_book(name: str = "draftkings", **odds: object) -> dict[str, Any]:
    quote = {"american": "-120"}
    book: dict[str, Any] = {"name": name, "odds": {
        "moneyline": {"home": {"american": "-120"}, "away": {"american": "+110"}},
        "spread": {"home": {"points": "-1.5", "odds": dict(quote)},
                   "away": {"points": "+1.5", "odds": {"american": "+100"}}},
        "total": {"over": {"points": "8.5", "odds": dict(quote)},
                  "under": {"points": "8.5", "odds": {"american": "+100"}}},
    }}  # fmt: skip
    for path, value in odds.items():
        node = book["odds"]
        *steps, last = path.split("__")
        for step in steps:
            node = node[step]
        node[last] = value
    return book


def sbd_split(updated: str = "2025-06-13T21:03:10.590Z", **home: object) -> dict[str, Any]:
    return {
        "updated": updated,
        "home": {"bets": 10, "betsPercentage": 66.01, "stakePercentage": 52.49, **home},
        "away": {"bets": 5, "betsPercentage": 33.99, "stakePercentage": 47.51},
    }


def sbd_game(i: int = 0, *, home: str = "CHC", away: str = "PIT", **changes: Any) -> dict[str, Any]:
    game = {
        "_id": f"g{i}", "date": "2025-06-13T23:20:00.000Z", "gameday": "2025-06-13",
        "home": {"code": home}, "away": {"code": away},
        "sportsbooks": [sbd_book()], "bettingSplits": {"moneyline": sbd_split()},
    }  # fmt: skip
    game.update(changes)
    return game


def sbd_document(*games: dict[str, Any]) -> dict[str, Any]:
    return {"group": "mlb", "games": list(games)}


async def test_sbd_prices_given_as_json_numbers_are_read(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    book = sbd_book(moneyline__home__american=-120, moneyline__away__american=110)
    path = write(tmp_path / "s.json", sbd_document(sbd_game(sportsbooks=[book])))
    report = await import_sbd(repo, path)
    assert (report.read, report.imported, report.skipped, len(report.rejected)) == (2, 2, 0, 0)
    prices = await connection.fetch(
        "SELECT side::text, price FROM odds WHERE market = 'moneyline' ORDER BY side"
    )
    assert [tuple(r) for r in prices] == [("away", 110), ("home", -120)]


@pytest.mark.parametrize(
    ("book", "reason"),
    [
        (sbd_book(moneyline__home__american="-1_20"), "'-1_20' is not an American price"),
        (sbd_book(moneyline__home__american="\u0661\u0665\u0660"), "is not an American price"),
        (sbd_book(moneyline__home__american="NaN"), "'NaN' is not an American price"),
        (sbd_book(moneyline__home__american=10**12), "is out of range"),
        (sbd_book(total__over__points="+999.999"), "'+999.999' is not a line"),
        (sbd_book(name="draft\x00kings"), "contains a NUL character"),
    ],
)
async def test_an_sbd_book_whose_values_cannot_be_stored_is_one_rejection(
    repo: UnifiedRepository, tmp_path: Path, book: dict[str, Any], reason: str
) -> None:
    path = write(tmp_path / "s.json", sbd_document(sbd_game(sportsbooks=[book, sbd_book()])))
    report = await import_sbd(repo, path)
    assert (report.read, report.imported, len(report.rejected)) == (3, 2, 1)
    assert reason in report.rejected[0].reason
    assert adds_up(report)


@pytest.mark.parametrize(
    ("split", "reason"),
    [
        (sbd_split(betsPercentage="NaN"), "'NaN' is not a number"),
        (sbd_split(betsPercentage="sNaN"), "'sNaN' is not a number"),
        (sbd_split(betsPercentage=float("nan")), "nan is not a finite number"),
        (sbd_split(bets=10**12), "is not a count"),
        (sbd_split(updated="2025-06-13T21:03:10"), "has no UTC offset"),
        (sbd_split(updated="0001-01-01T00:00:00Z"), "is out of range"),
        (sbd_split(updated="1990-06-13T21:03:10Z"), "days before the game's first pitch"),
    ],
)
async def test_an_sbd_split_whose_values_cannot_be_stored_is_one_rejection(
    repo: UnifiedRepository, tmp_path: Path, split: dict[str, Any], reason: str
) -> None:
    game = sbd_game(bettingSplits={"moneyline": split, "total": {
        "updated": "2025-06-13T21:03:10.590Z",
        "over": {"betsPercentage": 50}, "under": {"betsPercentage": 50}}})  # fmt: skip
    report = await import_sbd(repo, write(tmp_path / "s.json", sbd_document(game)))
    assert (report.read, report.imported, len(report.rejected)) == (3, 2, 1)
    assert reason in report.rejected[0].reason
    assert adds_up(report)


@pytest.mark.parametrize(
    ("game", "reason"),
    [
        (sbd_game(home="CHC", away="CHC"), "the home and away clubs are the same"),
        (sbd_game(gameday="0001-06-13"), "season 1 is out of range"),
        (sbd_game(gameday="2150-06-13"), "season 2150 is out of range"),
        (sbd_game(date="0001-01-01T00:00:00Z"), "is out of range"),
    ],
)
async def test_an_sbd_game_that_cannot_be_stored_rejects_its_records_and_creates_nothing(
    repo: UnifiedRepository,
    connection: asyncpg.Connection,
    tmp_path: Path,
    game: dict[str, Any],
    reason: str,
) -> None:
    path = write(tmp_path / "s.json", sbd_document(game, sbd_game(1, home="NYY", away="BOS")))
    report = await import_sbd(repo, path)
    assert (report.read, report.imported, len(report.rejected)) == (4, 2, 2)
    assert all(reason in r.reason for r in report.rejected), report.rejected
    assert (await count(connection, "games"), report.games_created) == (1, 1)


async def test_an_sbd_game_of_empty_books_only_creates_no_game(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    empty = sbd_book()
    empty["odds"] = json.loads(json.dumps(empty["odds"]).replace('"-120"', '""'))
    empty["odds"] = {"moneyline": {"home": {"american": ""}, "away": {"american": ""}}}
    game = sbd_game(sportsbooks=[empty], bettingSplits={})
    path = write(tmp_path / "s.json", sbd_document(game))
    seen = dt.datetime(2025, 6, 13, 15, tzinfo=dt.UTC)
    report = await import_sbd(repo, path, observed_at=seen)
    assert (report.read, report.skipped, report.games_created) == (1, 1, 0)
    assert await count(connection, "games") == 0


async def test_the_sbd_document_time_ignores_updated_times_it_cannot_read(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    bad = sbd_game(bettingSplits={"moneyline": sbd_split(updated="yesterday")})
    good = sbd_game(1, home="NYY", away="BOS")
    report = await import_sbd(repo, write(tmp_path / "s.json", sbd_document(bad, good)))
    assert (report.read, report.imported, len(report.rejected)) == (4, 3, 1)
    assert "'yesterday' is not an ISO 8601 time" in report.rejected[0].reason


def test_the_helpers_build_what_the_format_holds() -> None:
    game = sbd_game()
    assert copy.deepcopy(game)["sportsbooks"][0]["odds"]["spread"]["home"]["points"] == "-1.5"


async def test_a_doubleheader_is_ordered_by_time_not_by_the_text_of_its_offsets(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    early = event("early", "2021-04-13T20:10:00+03:00", updated="2021-04-13T12:00:00Z")
    late = event("late", "2021-04-13T19:10:00Z", updated="2021-04-13T12:00:00Z")
    await import_odds_api(repo, write(tmp_path / "a.json", [late, early]))
    rows = await connection.fetch("SELECT odds_api_event_id, game_number FROM games ORDER BY 2")
    assert [tuple(r) for r in rows] == [("early", 1), ("late", 2)]


async def test_values_of_the_wrong_json_type_are_rejected_not_a_traceback(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    markets = event("markets")
    markets["bookmakers"][0]["markets"] = float("nan")
    report = await import_odds_api(repo, write(tmp_path / "a.json", [markets, event("kept")]))
    assert (report.read, report.imported) == (2, 2)
    odds_nan = sbd_book()
    odds_nan["odds"] = float("nan")
    moneyline_number = sbd_book()
    moneyline_number["odds"]["moneyline"] = 5
    games = sbd_document(sbd_game(sportsbooks=[odds_nan, moneyline_number, sbd_book()]))
    sbd = await import_sbd(repo, write(tmp_path / "s.json", games))
    assert (sbd.read, sbd.imported, len(sbd.rejected)) == (4, 2, 2)
    assert [r.reason for r in sbd.rejected] == [
        "games[0].sportsbooks[0].odds is not an object",
        "games[0].sportsbooks[1].odds.moneyline is not an object",
    ]
