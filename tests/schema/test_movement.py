"""GetMarketMovement and betdb.movement: every book's series of a market in one query, with
the same opening and closing as GetOpeningLines and GetClosingLines, inside a window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from betdb import UnifiedRepository
from betdb.generated.models import Game, Market, Side
from betdb.generated.odds import GetMarketMovementParams
from betdb.movement import (
    ALL_TIME,
    LineMovement,
    OddsWindow,
    is_move,
    latest_odds,
    latest_odds_of_game,
    line_movement,
    odds_window,
)

from .conftest import book_id, game, quote, through
from .test_odds import FIRST_PITCH, _moneyline_series, at

UTC = dt.UTC


async def _game(repo: UnifiedRepository, **changes: object) -> Game:
    created = await repo.games.upsert_game(game(**changes))
    assert created is not None
    return created


def _window() -> OddsWindow:
    return OddsWindow(
        observed_from=FIRST_PITCH - dt.timedelta(days=14),
        observed_until=FIRST_PITCH + dt.timedelta(days=2),
    )


async def test_market_movement_returns_every_books_series_with_opening_and_closing(
    repo: UnifiedRepository,
) -> None:
    found = await _game(repo, first_pitch_at=FIRST_PITCH)
    dk, fd = await _moneyline_series(repo, found.game_id)
    rows = await repo.odds.get_market_movement(
        GetMarketMovementParams(
            game_id=found.game_id,
            market=Market.MONEYLINE,
            sportsbook_id=None,
            **dict(_window()),
        )
    )
    assert [
        (r.sportsbook, r.side, r.observed_at.strftime("%H:%M"), r.price, r.price_change,
         r.opening, r.closing)
        for r in rows
    ] == [
        ("draftkings", Side.HOME, "12:00", -110, None, True, False),
        ("draftkings", Side.HOME, "14:00", -115, -5, False, False),
        ("draftkings", Side.HOME, "16:00", -115, 0, False, False),
        ("draftkings", Side.HOME, "18:00", -125, -10, False, False),
        ("draftkings", Side.HOME, "23:00", -130, -5, False, True),  # last before 23:05
        ("draftkings", Side.HOME, "23:30", -200, -70, False, False),  # in play
        ("draftkings", Side.AWAY, "12:00", -110, None, True, False),
        ("draftkings", Side.AWAY, "23:00", 110, 20, False, True),
        ("fanduel", Side.HOME, "11:00", -105, None, False, False),
        ("fanduel", Side.HOME, "13:00", -112, -7, True, False),  # flagged, not the earliest
        ("fanduel", Side.HOME, "22:00", -120, -8, False, True),  # flagged, not the last
        ("fanduel", Side.HOME, "22:30", -125, -5, False, False),
    ]  # fmt: skip
    assert {r.sportsbook_id for r in rows} == {dk, fd}

    # The flags agree with the queries that answer opening and closing alone.
    openings = await repo.odds.get_opening_lines(game_id=found.game_id, market=Market.MONEYLINE)
    closings = await repo.odds.get_closing_lines(game_id=found.game_id, market=Market.MONEYLINE)
    flagged = {(r.sportsbook_id, r.side, r.observed_at) for r in rows if r.opening}
    assert flagged == {(o.sportsbook_id, o.side, o.observed_at) for o in openings}
    flagged = {(r.sportsbook_id, r.side, r.observed_at) for r in rows if r.closing}
    assert flagged == {(o.sportsbook_id, o.side, o.observed_at) for o in closings}


async def test_market_movement_of_one_book_and_a_game_without_first_pitch(
    repo: UnifiedRepository,
) -> None:
    found = await _game(repo, first_pitch_at=None)
    _, fd = await _moneyline_series(repo, found.game_id)
    rows = await repo.odds.get_market_movement(
        GetMarketMovementParams(
            game_id=found.game_id,
            market=Market.MONEYLINE,
            sportsbook_id=fd,
            **dict(_window()),
        )
    )
    # Without a first pitch, the close is the flagged one (22:00) all the same.
    assert [(r.observed_at.hour, r.opening, r.closing) for r in rows] == [
        (11, False, False),
        (13, True, False),
        (22, False, True),
        (22, False, False),
    ]


async def test_line_movement_reads_the_games_window_and_leaves_older_prices_out(
    repo: UnifiedRepository,
) -> None:
    found = await _game(repo, first_pitch_at=FIRST_PITCH)
    dk = await book_id(repo, "draftkings")
    weeks_before = FIRST_PITCH - dt.timedelta(days=15)
    await repo.odds.ingest_odds(
        [
            quote(found.game_id, dk, price=-140, observed_at=weeks_before),
            quote(found.game_id, dk, price=-110, observed_at=at(12)),
            quote(found.game_id, dk, price=-110, observed_at=at(13)),
            quote(found.game_id, dk, price=-120, observed_at=at(15)),
        ]
    )
    movement = await through(line_movement, repo, found, Market.MONEYLINE)
    assert movement.window == odds_window(found) == _window()
    assert [(p.observed_at.hour, p.price, p.opening, p.closing) for p in movement.points] == [
        (12, -110, True, False),
        (13, -110, False, False),
        (15, -120, False, True),
    ]
    assert [p.observed_at.hour for p in movement.moves()] == [12, 15]
    assert [is_move(p) for p in movement.points] == [True, False, True]
    assert movement.sportsbooks() == {dk: "draftkings"}

    wider = await through(line_movement, repo, found, Market.MONEYLINE, window=ALL_TIME)
    assert [(p.price, p.opening) for p in wider.points][:2] == [(-140, True), (-110, False)]
    latest = await through(latest_odds, repo, found, Market.MONEYLINE)
    assert [(o.price, o.observed_at) for o in latest] == [(-120, at(15))]
    assert await through(latest_odds_of_game, repo, found) == latest
    # JSON round trip: the movement is a plain pydantic model.
    assert LineMovement.model_validate_json(movement.model_dump_json()) == movement


def test_the_default_window_follows_first_pitch_else_the_official_date() -> None:
    with_first_pitch = Game.model_construct(
        official_date=dt.date(2026, 6, 12),
        first_pitch_at=dt.datetime(2026, 6, 12, 23, 5, tzinfo=UTC),
    )
    assert odds_window(with_first_pitch) == OddsWindow(
        observed_from=dt.datetime(2026, 5, 29, 23, 5, tzinfo=UTC),
        observed_until=dt.datetime(2026, 6, 14, 23, 5, tzinfo=UTC),
    )
    without = Game.model_construct(official_date=dt.date(2026, 6, 12), first_pitch_at=None)
    assert odds_window(without) == OddsWindow(
        observed_from=dt.datetime(2026, 5, 29, tzinfo=UTC),
        observed_until=dt.datetime(2026, 6, 15, tzinfo=UTC),
    )
    # A stored infinity (asyncpg: naive datetime.max) is no first pitch: the date decides.
    infinite = Game.model_construct(
        official_date=dt.date(2026, 6, 12), first_pitch_at=dt.datetime.max
    )
    assert odds_window(infinite) == odds_window(without)
    nowhere = Game.model_construct(official_date=dt.date.max, first_pitch_at=dt.datetime.min)
    assert odds_window(nowhere) == ALL_TIME


async def test_latest_odds_of_a_game_is_latest_odds_of_each_market_in_one_query(
    repo: UnifiedRepository,
) -> None:
    found = await _game(repo, first_pitch_at=FIRST_PITCH)
    await _moneyline_series(repo, found.game_id)
    dk = await book_id(repo, "draftkings")
    await repo.odds.ingest_odds(
        [
            quote(found.game_id, dk, market="total", side="over", line="8.5", observed_at=at(12)),
            quote(found.game_id, dk, market="total", side="over", line="9", observed_at=at(14)),
            quote(found.game_id, dk, market="total", side="under", line="9", observed_at=at(14)),
        ]
    )
    every_market = await through(latest_odds_of_game, repo, found)
    one_by_one = [
        odds for market in Market for odds in await through(latest_odds, repo, found, market)
    ]
    assert every_market == one_by_one
    assert [(o.market, o.side, o.line) for o in every_market if o.market == Market.TOTAL] == [
        (Market.TOTAL, Side.OVER, Decimal("9.00")),
        (Market.TOTAL, Side.UNDER, Decimal("9.00")),
    ]
    assert len(every_market) == 5  # 3 moneyline series (dk home, dk away, fd home) + 2 totals
