"""Odds: bulk and idempotent ingest, a series with movement, latest/opening/closing, consensus."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import asyncpg
import pytest
from pydantic import ValidationError

import betdb.errors
from betdb import UnifiedRepository
from betdb.generated.models import DataSource, Market, Side
from betdb.generated.odds import CopyOddsParams, GetLatestOddsParams, GetLineMovementParams

from .conftest import book_id, count, game, quote, refused

FIRST_PITCH = dt.datetime(2026, 6, 12, 23, 5, tzinfo=dt.UTC)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 6, 12, hour, minute, tzinfo=dt.UTC)


def latest_params(
    game_id: int,
    market: Market,
    *,
    sportsbook_id: int | None = None,
    until: dt.datetime = FIRST_PITCH + dt.timedelta(days=2),
) -> GetLatestOddsParams:
    return GetLatestOddsParams(
        game_id=game_id,
        market=market,
        sportsbook_id=sportsbook_id,
        observed_from=FIRST_PITCH - dt.timedelta(days=14),
        observed_until=until,
    )


@pytest.fixture
async def game_id(repo: UnifiedRepository) -> int:
    created = await repo.games.upsert_game(game(first_pitch_at=FIRST_PITCH))
    assert created is not None
    return created.game_id


# TODO(helper-1): the generated init_connection installs text-only enum codecs, and COPY
# sends binary; remove once db.py installs a binary enum codec.
async def test_bulk_copy_stores_every_observation(repo: UnifiedRepository, game_id: int) -> None:
    dk, fd = await book_id(repo, "draftkings"), await book_id(repo, "fanduel")
    copied = await repo.odds.copy_odds(
        [
            CopyOddsParams(**quote(game_id, dk, price=-120).model_dump()),
            CopyOddsParams(**quote(game_id, dk, side="away", price=110).model_dump()),
            CopyOddsParams(
                **quote(
                    game_id, fd, market="total", side="over", line="8.5", price=-105
                ).model_dump()
            ),
            CopyOddsParams(
                **quote(
                    game_id, fd, market="total", side="under", line="8.5", price=-115
                ).model_dump()
            ),
        ]
    )
    assert copied == 4
    everything = await repo.odds.find_odds_by_game(game_id=game_id, market=None, sportsbook_id=None)
    totals = await repo.odds.find_odds_by_game(
        game_id=game_id, market=Market.TOTAL, sportsbook_id=None
    )
    draftkings = await repo.odds.find_odds_by_game(game_id=game_id, market=None, sportsbook_id=dk)
    assert len(everything) == 4
    assert [(o.side, o.line, o.price) for o in totals] == [
        ("over", Decimal("8.50"), -105),
        ("under", Decimal("8.50"), -115),
    ]
    assert {(o.side, o.price) for o in draftkings} == {("home", -120), ("away", 110)}


async def test_idempotent_ingest_skips_observations_already_stored(
    repo: UnifiedRepository, connection: asyncpg.Connection, game_id: int
) -> None:
    dk = await book_id(repo, "draftkings")
    batch = [
        quote(game_id, dk, price=-120),
        quote(game_id, dk, side="away", price=110),
        quote(game_id, dk, market="run_line", line="-1.5", price=150),
    ]
    await repo.odds.ingest_odds(batch)
    await repo.odds.ingest_odds(batch)  # moneylines have a null line: still duplicates
    assert await count(connection, "odds") == 3


# TODO(helper-1): the generated init_connection installs text-only enum codecs, and COPY
# sends binary; remove once db.py installs a binary enum codec.
async def test_bulk_copy_of_a_duplicate_observation_fails_whole(
    repo: UnifiedRepository, connection: asyncpg.Connection, game_id: int
) -> None:
    dk = await book_id(repo, "draftkings")
    with refused(repo, asyncpg.UniqueViolationError, match="odds"):
        await repo.odds.copy_odds(
            [CopyOddsParams(**quote(game_id, dk).model_dump()) for _ in range(2)]
        )
    assert await count(connection, "odds") == 0


async def test_a_price_between_minus_100_and_100_is_rejected_before_any_sql_runs(
    repo: UnifiedRepository, connection: asyncpg.Connection, game_id: int
) -> None:
    dk = await book_id(repo, "draftkings")
    with pytest.raises(ValidationError) as caught:
        await repo.odds.ingest_odds([quote(game_id, dk), quote(game_id, dk, price=50)])
    assert caught.value.errors()[0]["loc"] == ("price",)
    with pytest.raises(ValidationError) as caught:
        CopyOddsParams(**{**quote(game_id, dk).model_dump(), "price": 0})
    assert caught.value.errors()[0]["loc"] == ("price",)
    assert "American odds" in caught.value.errors()[0]["msg"]
    with pytest.raises(betdb.errors.ValidationError, match="American odds") as rejected:
        await repo.odds.ingest_odds(
            [
                (
                    game_id,
                    dk,
                    Market.MONEYLINE,
                    Side.HOME,
                    None,
                    -50,
                    at(12),
                    False,
                    False,
                    None,
                    "sbr",
                )
            ]
        )
    assert rejected.value.query == "IngestOdds"
    assert rejected.value.errors[0]["loc"] == (5,)
    assert str(rejected.value).startswith("IngestOdds: price: Value error, American odds")
    assert await count(connection, "odds") == 0


@pytest.mark.parametrize(
    ("column", "exact", "converted", "message"),
    [
        (
            "price",
            50,
            "50",  # text: pydantic converts it, then the same validator refuses it
            "CopyOdds: price: Value error, American odds must be -100 or below or +100 or above,"
            " got +50 (decimal prices go through betdb.odds.decimal_to_american)",
        ),
        (
            "observed_at",
            dt.datetime(1870, 12, 31, tzinfo=dt.UTC),
            "1870-12-31T00:00:00+00:00",
            "CopyOdds: observed_at: Value error, 1870-12-31T00:00:00+00:00 is out of range:"
            " times from 1871 to 2099 only (a placeholder date?)",
        ),
    ],
)
async def test_an_override_refuses_a_value_of_its_exact_type_in_the_full_checks_words(
    repo: UnifiedRepository,
    connection: asyncpg.Connection,
    game_id: int,
    column: str,
    exact: object,
    converted: object,
    message: str,
) -> None:
    # exact types take the fast path (the validator called directly), text the full check
    dk = await book_id(repo, "draftkings")
    good = (game_id, dk, Market.MONEYLINE, Side.HOME, None, -110, at(12), False, False, None)
    index = ["price", "observed_at"].index(column) + 5
    for value in (exact, converted):
        row = (*good[:index], value, *good[index + 1 :], DataSource.SBR)
        with pytest.raises(betdb.errors.ValidationError) as rejected:
            await repo.odds.copy_odds([(*good, DataSource.SBR), row])
        assert str(rejected.value).startswith(f"{message} [query=CopyOdds, correlation_id=")
        assert rejected.value.errors[0]["loc"] == (index,)
    assert await count(connection, "odds") == 0


async def test_the_database_rejects_prices_and_sides_that_do_not_fit(
    connection: asyncpg.Connection, repo: UnifiedRepository, game_id: int
) -> None:
    dk = await book_id(repo, "draftkings")
    insert = (
        "INSERT INTO odds (game_id, sportsbook_id, market, side, line, price, observed_at, source)"
        " VALUES ($1, $2, $3, $4, $5, $6, now(), 'sbr')"
    )
    with pytest.raises(asyncpg.CheckViolationError, match="odds_price_is_american"):
        await connection.execute(insert, game_id, dk, "moneyline", "home", None, 99)
    with pytest.raises(asyncpg.CheckViolationError, match="odds_side_fits_market"):
        await connection.execute(insert, game_id, dk, "total", "home", Decimal("8.5"), -110)
    with pytest.raises(asyncpg.CheckViolationError, match="odds_line_fits_market"):
        await connection.execute(insert, game_id, dk, "run_line", "home", None, -110)
    assert await count(connection, "odds") == 0


async def _moneyline_series(repo: UnifiedRepository, game_id: int) -> tuple[int, int]:
    """DraftKings home moneyline: opens -110, moves to -130 by first pitch, -200 in play.
    FanDuel posts a flagged closing line before its last pre-game price."""
    dk, fd = await book_id(repo, "draftkings"), await book_id(repo, "fanduel")
    await repo.odds.ingest_odds(
        [
            quote(game_id, dk, price=-110, observed_at=at(12), is_opening=True),
            quote(game_id, dk, side="away", price=-110, observed_at=at(12), is_opening=True),
            quote(game_id, dk, price=-115, observed_at=at(14)),
            quote(game_id, dk, price=-115, observed_at=at(16)),
            quote(game_id, dk, price=-125, observed_at=at(18)),
            quote(game_id, dk, price=-130, observed_at=at(23)),
            quote(game_id, dk, side="away", price=110, observed_at=at(23)),
            quote(game_id, dk, price=-200, observed_at=at(23, 30)),  # in play
            quote(game_id, fd, price=-105, observed_at=at(11)),
            quote(game_id, fd, price=-112, observed_at=at(13), is_opening=True),
            quote(game_id, fd, price=-120, observed_at=at(22), is_closing=True),
            quote(game_id, fd, price=-125, observed_at=at(22, 30)),
        ]
    )
    return dk, fd


async def test_line_movement_reports_each_change_in_a_half_open_window(
    repo: UnifiedRepository, game_id: int
) -> None:
    dk, _ = await _moneyline_series(repo, game_id)
    movement = await repo.odds.get_line_movement(
        GetLineMovementParams(
            game_id=game_id,
            market=Market.MONEYLINE,
            sportsbook_id=dk,
            observed_from=at(14),
            observed_until=at(23, 30),  # the in-play price at 23:30 is left out
        )
    )
    assert [(m.side, m.observed_at.hour, m.price, m.price_change) for m in movement] == [
        (Side.HOME, 14, -115, None),
        (Side.HOME, 16, -115, 0),
        (Side.HOME, 18, -125, -10),
        (Side.HOME, 23, -130, -5),
        (Side.AWAY, 23, 110, None),
    ]
    assert all(m.line is None and m.line_change is None for m in movement)


async def test_run_line_movement_reports_line_changes(
    repo: UnifiedRepository, game_id: int
) -> None:
    dk = await book_id(repo, "draftkings")
    await repo.odds.ingest_odds(
        [
            quote(game_id, dk, market="run_line", line="-1.5", price=140, observed_at=at(12)),
            quote(game_id, dk, market="run_line", line="-2.5", price=210, observed_at=at(15)),
        ]
    )
    movement = await repo.odds.get_line_movement(
        GetLineMovementParams(
            game_id=game_id,
            market=Market.RUN_LINE,
            sportsbook_id=dk,
            observed_from=at(0),
            observed_until=at(23),
        )
    )
    assert [(m.line, m.line_change, m.price_change) for m in movement] == [
        (Decimal("-1.50"), None, None),
        (Decimal("-2.50"), Decimal("-1.00"), 70),
    ]


async def test_line_movement_counts_cents_across_even_money(
    repo: UnifiedRepository, game_id: int
) -> None:
    dk = await book_id(repo, "draftkings")
    await repo.odds.ingest_odds(
        [
            quote(game_id, dk, price=-105, observed_at=at(12)),
            quote(game_id, dk, price=105, observed_at=at(13)),
            quote(game_id, dk, price=-120, observed_at=at(14)),
        ]
    )
    movement = await repo.odds.get_line_movement(
        GetLineMovementParams(
            game_id=game_id,
            market=Market.MONEYLINE,
            sportsbook_id=dk,
            observed_from=at(0),
            observed_until=at(23),
        )
    )
    assert [m.price_change for m in movement] == [None, 10, -25]


async def test_latest_odds_is_the_newest_observation_per_book_and_side(
    repo: UnifiedRepository, game_id: int
) -> None:
    dk, fd = await _moneyline_series(repo, game_id)
    latest = await repo.odds.get_latest_odds(latest_params(game_id, Market.MONEYLINE))
    assert [(o.sportsbook_id, o.side, o.price) for o in latest] == sorted(
        [(dk, Side.HOME, -200), (dk, Side.AWAY, 110), (fd, Side.HOME, -125)],
        key=lambda row: (row[0], list(Side).index(row[1])),
    )
    only_fanduel = await repo.odds.get_latest_odds(
        latest_params(game_id, Market.MONEYLINE, sportsbook_id=fd)
    )
    assert [(o.side, o.price) for o in only_fanduel] == [(Side.HOME, -125)]
    assert await repo.odds.get_latest_odds(latest_params(game_id, Market.TOTAL)) == []
    before_the_in_play_price = await repo.odds.get_latest_odds(
        latest_params(game_id, Market.MONEYLINE, sportsbook_id=dk, until=at(23, 30))
    )
    assert [(o.side, o.price) for o in before_the_in_play_price] == [
        (Side.HOME, -130),
        (Side.AWAY, 110),
    ]


async def test_opening_line_is_the_flagged_one_else_the_earliest(
    repo: UnifiedRepository, game_id: int
) -> None:
    dk, fd = await _moneyline_series(repo, game_id)
    opening = await repo.odds.get_opening_lines(game_id=game_id, market=Market.MONEYLINE)
    by_book = {(o.sportsbook_id, o.side): o.price for o in opening}
    assert by_book == {(dk, Side.HOME): -110, (dk, Side.AWAY): -110, (fd, Side.HOME): -112}


async def test_closing_line_is_the_flagged_one_else_the_last_before_first_pitch(
    repo: UnifiedRepository, game_id: int
) -> None:
    dk, fd = await _moneyline_series(repo, game_id)
    closing = await repo.odds.get_closing_lines(game_id=game_id, market=Market.MONEYLINE)
    by_book = {(o.sportsbook_id, o.side): o.price for o in closing}
    assert by_book == {(dk, Side.HOME): -130, (dk, Side.AWAY): 110, (fd, Side.HOME): -120}


async def test_consensus_is_the_median_across_books_of_their_latest_prices(
    repo: UnifiedRepository, game_id: int
) -> None:
    books = [await book_id(repo, key) for key in ("pinnacle", "draftkings", "fanduel", "betmgm")]
    home, away = [-120, -125, -115, -110], [110, 105, -105, -110]
    lines = ["8.5", "8.5", "9.0", "9.5"]
    observations = []
    for book, home_price, away_price, line in zip(books, home, away, lines, strict=True):
        observations += [
            quote(game_id, book, price=-300, observed_at=at(10)),  # superseded
            quote(game_id, book, price=home_price, observed_at=at(12)),
            quote(game_id, book, side="away", price=away_price, observed_at=at(12)),
            quote(game_id, book, price=500, observed_at=at(20)),  # after the time asked
            quote(game_id, book, market="total", side="over", line=line, price=-110,
                  observed_at=at(12)),
        ]  # fmt: skip
    await repo.odds.ingest_odds(observations)
    consensus = await repo.odds.get_consensus_odds(
        game_id=game_id, market=Market.MONEYLINE, at=at(15)
    )
    # home decimals 1.8, 1.8333, 1.8696, 1.9091: median 1.8514 -> -100 / 0.8514 = -117.4
    # away decimals 1.9091, 1.9524, 2.05, 2.1: median 2.0012 -> 100.1
    assert [(c.side, c.books, c.median_decimal_price, c.median_price, c.median_line)
            for c in consensus] == [
        (Side.HOME, 4, Decimal("1.8514"), -117, None),
        (Side.AWAY, 4, Decimal("2.0012"), 100, None),
    ]  # fmt: skip
    totals = await repo.odds.get_consensus_odds(game_id=game_id, market=Market.TOTAL, at=at(15))
    assert [(c.side, c.median_line, c.median_price) for c in totals] == [
        (Side.OVER, Decimal("8.50"), -110)
    ]


async def test_observations_land_in_their_month_partition_or_the_default(
    repo: UnifiedRepository, connection: asyncpg.Connection, game_id: int
) -> None:
    dk = await book_id(repo, "draftkings")
    far_future = dt.datetime(2031, 4, 1, tzinfo=dt.UTC)
    await repo.odds.ingest_odds(
        [quote(game_id, dk, observed_at=at(12)), quote(game_id, dk, observed_at=far_future)]
    )
    placed = await connection.fetch(
        "SELECT tableoid::regclass::text AS partition FROM odds ORDER BY observed_at"
    )
    assert [r["partition"] for r in placed] == [
        "odds_partitions.odds_y2026m06",
        "odds_partitions.odds_default",
    ]


async def test_ensure_odds_partitions_creates_only_missing_months(
    connection: asyncpg.Connection,
) -> None:
    assert await connection.fetchval("SELECT ensure_odds_partitions('2027-11-20', 3)") == 1
    assert await connection.fetchval("SELECT ensure_odds_partitions('2027-11-01', 3)") == 0
    bounds = await connection.fetchval(
        "SELECT pg_get_expr(relpartbound, oid) FROM pg_class"
        " WHERE oid = 'odds_partitions.odds_y2028m01'::regclass"
    )
    assert bounds == ("FOR VALUES FROM ('2028-01-01 00:00:00+00') TO ('2028-02-01 00:00:00+00')")


async def test_a_partition_made_after_its_rows_arrived_adopts_them_from_the_default(
    repo: UnifiedRepository, connection: asyncpg.Connection, game_id: int
) -> None:
    dk, fd = await book_id(repo, "draftkings"), await book_id(repo, "fanduel")
    history = dt.datetime(2025, 6, 18, 17, 0, tzinfo=dt.UTC)
    next_month = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    await repo.odds.ingest_odds(
        [
            quote(game_id, dk, observed_at=history),
            quote(game_id, fd, observed_at=history, price=-120),
            quote(game_id, dk, observed_at=next_month),
        ]
    )
    assert await connection.fetchval("SELECT ensure_odds_partitions('2025-06-01', 1)") == 1
    placed = await connection.fetch(
        "SELECT tableoid::regclass::text AS partition, sportsbook_id, price FROM odds"
        " ORDER BY observed_at, sportsbook_id"
    )
    assert [tuple(r) for r in placed] == [
        ("odds_partitions.odds_y2025m06", dk, -110),
        ("odds_partitions.odds_y2025m06", fd, -120),
        ("odds_partitions.odds_default", dk, -110),
    ]
    # The adopted partition carries the parent's unique index: a re-ingest is still skipped.
    await repo.odds.ingest_odds([quote(game_id, dk, observed_at=history)])
    assert await count(connection, "odds") == 3
    bounds = await connection.fetchval(
        "SELECT pg_get_expr(relpartbound, oid) FROM pg_class"
        " WHERE oid = 'odds_partitions.odds_y2025m06'::regclass"
    )
    assert bounds == ("FOR VALUES FROM ('2025-06-01 00:00:00+00') TO ('2025-07-01 00:00:00+00')")


async def test_deleting_a_game_deletes_its_odds(
    repo: UnifiedRepository, connection: asyncpg.Connection, game_id: int
) -> None:
    await _moneyline_series(repo, game_id)
    assert await repo.games.delete_game(game_id=game_id) == 1
    assert await count(connection, "odds") == 0
