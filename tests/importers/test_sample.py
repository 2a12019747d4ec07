"""The shipped sample: what it holds once loaded, and that loading it twice adds nothing."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.generated import init_connection
from betdb.generated.models import GameStatus, Market, Side
from betdb.importers import import_odds, import_schedule
from betdb.sample import (
    RLM_GAME_PK,
    SAMPLE_DATE,
    SAMPLE_GAME_PK,
    load_sample,
    sample_dir,
    write_synthetic,
)
from betdb.sample.build import write_sample
from betdb.testing import PostgresServer

from .conftest import adds_up, count

TABLES = ("games", "odds", "betting_splits", "betting_analyses", "sharp_signals")


@pytest.fixture(scope="module")
async def sample_database(
    postgres_server: PostgresServer,
    migrated_template: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[str]:
    """One database with the sample loaded, shared by this module's tests, which only read."""
    dsn = postgres_server.create_database(template=migrated_template)
    connection = await asyncpg.connect(dsn)
    await init_connection(connection)
    try:
        reports = await load_sample(
            UnifiedRepository(connection), rejects_dir=tmp_path_factory.mktemp("rejects")
        )
    finally:
        await connection.close()
    for name, report in reports.items():
        assert report.rejected == [], f"{name}: {report.rejected[:3]}"
        assert adds_up(report), name
    yield dsn
    postgres_server.drop_database(urlsplit(dsn).path.lstrip("/"))


@pytest.fixture
async def sample_connection(sample_database: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(sample_database)
    await init_connection(connection)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
def loaded(sample_connection: asyncpg.Connection) -> UnifiedRepository:
    return UnifiedRepository(sample_connection)


async def game_id(repo: UnifiedRepository, game_pk: int) -> int:
    game = await repo.games.find_game_by_external_id(source="mlb", external_id=str(game_pk))
    assert game is not None
    return game.game_id


async def test_the_sample_is_one_week_of_real_clubs_with_finals_and_games_to_come(
    loaded: UnifiedRepository,
) -> None:
    week = await loaded.games.find_games_by_date_range(
        start_date=dt.date(2025, 6, 16), end_date=dt.date(2025, 6, 22), status=None
    )
    assert len(week) == 95
    assert {g.home_team_id for g in week} | {g.away_team_id for g in week} == {
        *range(108, 122), *range(133, 148), 158
    }  # fmt: skip
    statuses = {g.status for g in week if g.official_date < dt.date(2025, 6, 22)}
    assert statuses == {GameStatus.FINAL, GameStatus.POSTPONED}
    assert all(g.home_score is not None for g in week if g.status == GameStatus.FINAL)
    sunday = [g for g in week if g.official_date == dt.date(2025, 6, 22)]
    assert {g.status for g in sunday} == {GameStatus.SCHEDULED}
    assert all(g.home_score is None for g in sunday)


async def test_the_postponed_game_is_postponed_without_a_score(loaded: UnifiedRepository) -> None:
    postponed = await loaded.games.find_games_by_date_range(
        start_date=dt.date(2025, 6, 16), end_date=dt.date(2025, 6, 22), status=GameStatus.POSTPONED
    )
    assert [(g.official_date, g.away_team_id, g.home_team_id) for g in postponed] == [
        (dt.date(2025, 6, 20), 115, 120)  # Colorado at Washington, rained out
    ]
    assert postponed[0].home_score is None


async def test_the_doubleheader_is_two_games_numbered_1_and_2_on_the_sample_date(
    loaded: UnifiedRepository,
) -> None:
    day = await loaded.games.find_games_by_date_range(
        start_date=SAMPLE_DATE, end_date=SAMPLE_DATE, status=None
    )
    cleveland = [g for g in day if (g.away_team_id, g.home_team_id) == (118, 114)]
    assert [(g.game_number, g.official_date) for g in cleveland] == [
        (1, SAMPLE_DATE),
        (2, SAMPLE_DATE),
    ]
    first, second = cleveland
    assert first.first_pitch_at is not None
    assert second.first_pitch_at is not None
    assert first.first_pitch_at < second.first_pitch_at
    assert len(day) == 16


async def test_the_steam_move_has_every_book_follow_within_minutes(
    loaded: UnifiedRepository,
) -> None:
    odds = await loaded.odds.find_odds_by_game(
        game_id=await game_id(loaded, SAMPLE_GAME_PK), market=Market.MONEYLINE, sportsbook_id=None
    )
    away = [o for o in odds if o.side == Side.AWAY]
    books = {o.sportsbook_id for o in away}
    assert len(books) == 6
    # the biggest shortening of Boston's price at each book
    drops: dict[int, tuple[int, dt.datetime]] = {}
    for book in books:
        series = [o for o in away if o.sportsbook_id == book]
        for before, after in itertools.pairwise(series):
            drop = before.price - after.price
            if drop > drops.get(book, (0, after.observed_at))[0]:
                drops[book] = (drop, after.observed_at)
    assert all(drop >= 20 for drop, _ in drops.values()), drops
    moments = sorted(moment for _, moment in drops.values())
    assert moments[-1] - moments[0] <= dt.timedelta(minutes=6)
    first_pitch = await loaded.games.get_game(game_id=await game_id(loaded, SAMPLE_GAME_PK))
    assert first_pitch is not None
    assert first_pitch.first_pitch_at is not None
    assert moments[0] < first_pitch.first_pitch_at - dt.timedelta(hours=3)


async def test_the_total_drops_against_the_public_in_the_reverse_line_movement_game(
    loaded: UnifiedRepository,
) -> None:
    rlm = await game_id(loaded, RLM_GAME_PK)
    opening = await loaded.odds.get_opening_lines(game_id=rlm, market=Market.TOTAL)
    closing = await loaded.odds.get_closing_lines(game_id=rlm, market=Market.TOTAL)
    assert {o.line for o in opening} == {Decimal("9.50")}
    assert {o.line for o in closing} == {Decimal("9.00")}
    assert all(o.is_opening for o in opening)
    assert all(o.is_closing for o in closing)
    splits = await loaded.splits.get_latest_betting_splits(game_id=rlm, market=Market.TOTAL)
    over = next(s for s in splits if s.side == Side.OVER)
    assert over.bet_pct is not None
    assert over.bet_pct > Decimal("0.7")
    assert over.money_pct is not None
    assert over.money_pct < Decimal("0.5")


async def test_the_signals_and_analyses_name_the_steam_and_rlm_games(
    loaded: UnifiedRepository,
) -> None:
    strong = await loaded.signals.get_strong_signals(min_strength=None, confidence_level=None)
    assert [(s.signal_type, s.game_id) for s in strong][:2] == [
        ("steam_move", await game_id(loaded, SAMPLE_GAME_PK)),
        ("reverse_line_movement", await game_id(loaded, RLM_GAME_PK)),
    ]
    confident = await loaded.analyses.get_high_confidence_analyses(
        min_confidence=None, max_results=None
    )
    assert [a.analysis_type for a in confident] == [
        "steam_move",
        "reverse_line_movement",
        "sharp_action",
    ]


async def test_loading_the_sample_twice_adds_nothing(
    loaded: UnifiedRepository, sample_connection: asyncpg.Connection, tmp_path: Path
) -> None:
    connection = sample_connection
    before = {table: await count(connection, table) for table in TABLES}
    stamps = await connection.fetch("SELECT game_id, updated_at FROM games ORDER BY game_id")
    again = await load_sample(loaded, rejects_dir=tmp_path)
    assert {table: await count(connection, table) for table in TABLES} == before
    assert await connection.fetch("SELECT game_id, updated_at FROM games ORDER BY 1") == stamps
    assert again["schedule"].unchanged == again["schedule"].read == 95
    for name in ("odds", "splits", "analyses", "signals"):
        assert again[name].imported == 0, name
        assert again[name].duplicates == again[name].read > 0, name
    assert before["odds"] == again["odds"].read


def test_the_build_script_rewrites_the_shipped_files_byte_for_byte(tmp_path: Path) -> None:
    written = write_sample(tmp_path)
    for name, path in written.items():
        assert path.read_bytes() == (sample_dir() / name).read_bytes(), name
    assert sum(path.stat().st_size for path in written.values()) < 500_000


async def test_synthetic_files_hold_the_promised_rows_and_import(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    interval = dt.timedelta(minutes=30)
    schedule, odds = write_synthetic(tmp_path / "a", games=20, books=3, interval=interval, hours=2)
    again = write_synthetic(tmp_path / "b", games=20, books=3, interval=interval, hours=2)
    assert [p.read_bytes() for p in again] == [schedule.read_bytes(), odds.read_bytes()]
    rows = 20 * 3 * 6 * 4
    assert odds.read_text().count("\n") == rows + 1
    games = await import_schedule(repo, schedule)
    assert (games.read, games.imported, games.rejected) == (20, 20, [])
    report = await import_odds(repo, odds, batch_size=500)
    assert (report.read, report.imported, report.rejected) == (rows, rows, [])
