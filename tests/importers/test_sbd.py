"""SportsBettingDime's odds and splits as published: books, splits, empty books, live games."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import asyncpg

from betdb import UnifiedRepository
from betdb.importers.sbd import import_sbd

from .conftest import adds_up, count

SBD = Path(__file__).parents[1] / "data" / "real" / "sportsbettingdime"
SNAPSHOT = SBD / "2025-06-13-mlb-odds-and-splits.json"
# The latest `updated` the document reports: when its odds were current at the latest.
SEEN_AT = dt.datetime(2025, 6, 13, 21, 3, 10, 590000, tzinfo=dt.UTC)


async def test_the_snapshot_stores_each_books_odds_and_the_splits(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    report = await import_sbd(repo, SNAPSHOT, rejects=tmp_path / "r.jsonl")
    # 15 games x 6 books + 15 games x 3 split markets.
    assert report.read == 15 * 6 + 15 * 3
    # bet365 and Fanatics list nothing but empty strings; the Cubs game began at 18:20 UTC,
    # before the snapshot, so its four books' odds are live.
    assert report.skip_reasons == {
        "the book's entries are empty": 30,
        "odds seen after first pitch (live)": 4,
    }
    assert (report.imported, report.rejected) == (15 * 4 - 4 + 15 * 3, [])
    assert adds_up(report)
    assert await count(connection, "games") == 15
    # Six prices a book, less BetMGM's empty run line for the Rockies at the Braves.
    assert await count(connection, "odds") == 14 * 4 * 6 - 2
    assert await count(connection, "betting_splits") == 15 * 3 * 2
    assert await connection.fetchval("SELECT DISTINCT observed_at FROM odds") == SEEN_AT
    # Pirates at Cubs: the splits of the moneyline as fractions, at their own time.
    cubs = await connection.fetchval(
        "SELECT game_id FROM games WHERE home_team_id = 112 AND official_date = '2025-06-13'"
    )
    splits = await connection.fetch(
        "SELECT side::text, bet_pct, money_pct, bet_count FROM betting_splits"
        " WHERE game_id = $1 AND market = 'run_line' ORDER BY bet_pct DESC",
        cubs,
    )
    assert [tuple(s) for s in splits] == [
        ("home", Decimal("0.7666"), Decimal("0.6569"), 1504),
        ("away", Decimal("0.2334"), Decimal("0.3431"), 458),
    ]
    phillies = await connection.fetch(
        "SELECT s.key, o.market::text, o.side::text, o.line, o.price FROM odds o"
        " JOIN games g USING (game_id) JOIN sportsbooks s USING (sportsbook_id)"
        " WHERE g.home_team_id = 143 AND s.key = 'betmgm' ORDER BY o.market, o.side"
    )
    assert len(phillies) == 6


async def test_a_second_import_counts_every_record_as_a_duplicate(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    await import_sbd(repo, SNAPSHOT, rejects=tmp_path / "r.jsonl")
    again = await import_sbd(repo, SNAPSHOT, rejects=tmp_path / "r.jsonl")
    assert (again.imported, again.duplicates, again.skipped) == (0, 56 + 45, 34)
    assert await count(connection, "games") == 15
    assert await count(connection, "odds") == 14 * 4 * 6 - 2


async def test_live_odds_are_kept_when_asked_and_the_time_can_be_given(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    morning = dt.datetime(2025, 6, 13, 15, 0, tzinfo=dt.UTC)
    report = await import_sbd(repo, SNAPSHOT, observed_at=morning, rejects=tmp_path / "r.jsonl")
    assert report.skip_reasons == {"the book's entries are empty": 30}
    assert await count(connection, "odds") == 15 * 4 * 6 - 2
    assert await connection.fetchval("SELECT DISTINCT observed_at FROM odds") == morning
