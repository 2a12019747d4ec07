"""betdb.reports on both repositories: the closing calibration of a season, read in one query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from betdb import UnifiedRepository
from betdb.generated.models import GameStatus
from betdb.reports import closing_calibration

from .conftest import book_id, game, quote, through


async def test_closing_calibration_counts_each_decided_games_favourite(
    repo: UnifiedRepository,
) -> None:
    dk = await book_id(repo, "draftkings")
    # Home -150 / away +130, home won: the favourite won. Home +120 / away -140, home won: the
    # favourite (away) lost. A scheduled game has no result and is left out.
    games = [
        (1, dt.date(2026, 6, 12), GameStatus.FINAL, -150, 130),
        (2, dt.date(2026, 6, 13), GameStatus.FINAL, 120, -140),
        (3, dt.date(2026, 6, 14), GameStatus.SCHEDULED, -200, 170),
    ]
    for pk, day, status, home, away in games:
        decided = status is GameStatus.FINAL
        created = await repo.games.upsert_game(
            game(
                mlb_game_pk=pk,
                official_date=day,
                first_pitch_at=dt.datetime.combine(day, dt.time(23, 5), tzinfo=dt.UTC),
                status=status,
                home_score=5 if decided else None,
                away_score=3 if decided else None,
            )
        )
        assert created is not None
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        await repo.odds.ingest_odds(
            [
                quote(created.game_id, dk, price=home, observed_at=noon, is_closing=True),
                quote(created.game_id, dk, side="away", price=away, observed_at=noon),
            ]
        )
    calibration = await through(closing_calibration, repo, 2026)
    assert (calibration.games, calibration.pick_ems, calibration.favourites_won) == (2, 0, 1)
    assert calibration.sportsbook_ids == frozenset({dk})
    assert [(b.low, b.high, b.games, b.win_rate) for b in calibration.buckets] == [
        (Decimal("0.55"), Decimal("0.6"), 2, Decimal("0.5"))
    ]
    # A unit at -150 wins 2/3 of a unit, a unit at -140 is lost: -1/6 per game (to the 28
    # digits american_to_decimal rounds -150's decimal price to).
    assert abs(calibration.favourite_return - Decimal(-1) / Decimal(6)) < Decimal("1e-26")
    assert await through(closing_calibration, repo, 2025) == calibration.__class__(
        season=2025,
        sportsbook_ids=frozenset(),
        games=0,
        pick_ems=0,
        favourites_won=0,
        buckets=(),
        brier_score=Decimal(0),
        favourite_return=Decimal(0),
    )
