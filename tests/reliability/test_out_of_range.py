"""Numbers, times and enum labels outside what their columns hold are refused with a typed
error and nothing written; everything inside is stored exactly.

Three layers refuse: the generated validation (domain types: American prices, probabilities,
enum labels), the driver (an int that does not fit smallint/integer/bigint, a time outside
PostgreSQL's range) and the server (CHECK constraints, numeric precision).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

import asyncpg
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.reliability.conftest import (
    changed_tables,
    queries_run,
    table_fingerprints,
    total_queries_run,
)
from tests.reliability.test_hostile_text import game_params

from betdb import Database, errors
from betdb.generated.models import Market, Side
from betdb.generated.splits import IngestBettingSplitsParams
from betdb.types import EARLIEST_TIME, LATEST_TIME

T = TypeVar("T")
SMALLINT = (-(2**15), 2**15 - 1)
INTEGER = (-(2**31), 2**31 - 1)
BIGINT = (-(2**63), 2**63 - 1)

PROPERTY = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
T0 = dt.datetime(2026, 4, 1, 17, 5, tzinfo=dt.UTC)


def around(bounds: tuple[int, int]) -> st.SearchStrategy[int]:
    """Integers inside, at and just past a column type's range, and far outside it."""
    low, high = bounds
    return st.one_of(
        st.integers(low - 2, low + 2),
        st.integers(high - 2, high + 2),
        st.integers(-3000, 3000),
        st.integers(-(2**70), 2**70),
    )


def fits(value: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= value <= bounds[1]


@pytest.fixture
async def game_id(db: Database) -> int:
    game = await db.repository().games.upsert_game(game_params(action_network_game_id=777))
    assert game is not None
    return game.game_id


# column: (its type's range, the CHECK that narrows it, what the CHECK allows)
GAME_INTEGERS: dict[str, tuple[tuple[int, int], str, Callable[[int], bool]]] = {
    "season": (SMALLINT, "games_season_check", lambda v: 1876 <= v <= 2200),
    "game_number": (SMALLINT, "games_game_number_check", lambda v: v in (1, 2)),
    "mlb_game_pk": (BIGINT, "games_mlb_game_pk_check", lambda v: v > 0),
    "action_network_game_id": (INTEGER, "games_action_network_game_id_check", lambda v: v > 0),
}


@PROPERTY
@given(data=st.data(), column=st.sampled_from(sorted(GAME_INTEGERS)))
async def test_a_game_number_outside_its_column_is_refused_and_inside_it_is_stored(
    db: Database, admin: asyncpg.Connection, data: st.DataObject, column: str
) -> None:
    bounds, check, allowed = GAME_INTEGERS[column]
    value = data.draw(around(bounds) | st.integers(1870, 2210), label=column)
    games = db.repository().games
    params = game_params(sbr_game_id="sbr-1", **{column: value})
    before = await table_fingerprints(admin)
    try:
        if not fits(value, bounds):
            with pytest.raises(errors.ValidationError) as refused:
                await games.upsert_game(params)
            assert "out of" in refused.value.message
        elif not allowed(value):
            with pytest.raises(errors.CheckViolationError) as raised:
                await games.upsert_game(params)
            assert (raised.value.constraint, raised.value.table) == (check, "games")
        else:
            game = await games.upsert_game(params)
            assert game is not None
            stored = await games.get_game(game_id=game.game_id)
            assert getattr(stored, column) == value
            assert changed_tables(before, await table_fingerprints(admin)) == {"games": 1}
            return
        assert changed_tables(before, await table_fingerprints(admin)) == {}
    finally:
        await admin.execute("DELETE FROM games")


@PROPERTY
@given(score=around(SMALLINT))
async def test_a_score_is_a_smallint_of_zero_or_more(
    db: Database, admin: asyncpg.Connection, score: int
) -> None:
    games = db.repository().games
    params = game_params(status="final", home_score=score, away_score=score)
    before = await table_fingerprints(admin)
    try:
        if not fits(score, SMALLINT):
            with pytest.raises(errors.ValidationError):
                await games.upsert_game(params)
        elif score < 0:
            with pytest.raises(errors.CheckViolationError) as raised:
                await games.upsert_game(params)
            assert raised.value.constraint in {"games_home_score_check", "games_away_score_check"}
        else:
            game = await games.upsert_game(params)
            assert game is not None
            assert (game.home_score, game.away_score) == (score, score)
            assert changed_tables(before, await table_fingerprints(admin)) == {"games": 1}
            return
        assert changed_tables(before, await table_fingerprints(admin)) == {}
    finally:
        await admin.execute("DELETE FROM games")


@PROPERTY
@given(
    official_date=st.dates(),
    first_pitch_at=st.datetimes(
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-14))])
        | st.builds(dt.timezone, st.timedeltas(dt.timedelta(hours=-23), dt.timedelta(hours=23)))
    ),
)
async def test_any_date_and_instant_python_holds_is_stored_exactly_or_refused(
    db: Database, admin: asyncpg.Connection, official_date: dt.date, first_pitch_at: dt.datetime
) -> None:
    games = db.repository().games
    before = await table_fingerprints(admin)
    try:
        in_utc: dt.datetime | None = first_pitch_at.astimezone(dt.UTC)
    except OverflowError:  # the same instant is outside year 1..9999 in UTC
        in_utc = None
    # Only instants and days of baseball are stored (betdb.types.Timestamp, GameDay): a year-1 or
    # year-9999 placeholder would otherwise become -infinity/infinity.
    plausible = (
        in_utc is not None
        and EARLIEST_TIME <= in_utc < LATEST_TIME
        and EARLIEST_TIME.date() <= official_date < LATEST_TIME.date()
    )
    try:
        if not plausible:
            with pytest.raises((errors.ValidationError, pydantic.ValidationError)):
                await games.upsert_game(
                    game_params(official_date=official_date, first_pitch_at=first_pitch_at)
                )
            assert changed_tables(before, await table_fingerprints(admin)) == {}
            return
        params = game_params(official_date=official_date, first_pitch_at=first_pitch_at)
        game = await games.upsert_game(params)
        assert game is not None
        stored = await games.get_game(game_id=game.game_id)
        assert stored is not None
        assert stored.official_date == official_date
        assert stored.first_pitch_at == first_pitch_at  # the same instant
        assert changed_tables(before, await table_fingerprints(admin)) == {"games": 1}
    finally:
        await admin.execute("DELETE FROM games")


def observation(game_id: int, **overrides: Any) -> tuple[Any, ...]:
    values: dict[str, Any] = {
        "game_id": game_id,
        "sportsbook_id": 1,
        "market": "run_line",
        "side": "home",
        "line": Decimal("-1.50"),
        "price": -110,
        "observed_at": T0,
        "is_opening": False,
        "is_closing": False,
        "bet_limit": None,
        "source": "sbr",
    }
    values.update(overrides)
    return tuple(values.values())


@PROPERTY
@given(price=around(INTEGER) | st.integers(-150, 150), bulk=st.booleans())
async def test_a_price_is_american_odds_in_an_integer_or_refused(
    db: Database, admin: asyncpg.Connection, game_id: int, price: int, bulk: bool
) -> None:
    odds = db.repository().odds
    load = odds.copy_odds if bulk else odds.ingest_odds
    rows = [observation(game_id, price=price)]
    before = await table_fingerprints(admin)
    try:
        if -100 < price < 100:
            ran = total_queries_run(db)
            with pytest.raises(errors.ValidationError) as refused:
                await load(rows)  # type: ignore[operator]
            assert "American odds" in refused.value.message
            assert total_queries_run(db) == ran  # refused before any SQL ran
        elif not fits(price, INTEGER):
            with pytest.raises(errors.ValidationError):
                await load(rows)  # type: ignore[operator]
        else:
            await load(rows)  # type: ignore[operator]
            [stored] = await odds.find_odds_by_game(
                game_id=game_id, market=None, sportsbook_id=None
            )
            assert stored.price == price
            assert changed_tables(before, await table_fingerprints(admin)) == {"odds": 1}
            return
        assert changed_tables(before, await table_fingerprints(admin)) == {}
    finally:
        await admin.execute("DELETE FROM odds")


@PROPERTY
@given(
    line=st.decimals(Decimal("-99999.99"), Decimal("99999.99"), places=2),
    bet_limit=st.none() | st.decimals(Decimal("-1"), Decimal("1e12"), places=2),
)
async def test_a_line_and_a_limit_fit_their_numeric_columns_or_are_refused(
    db: Database, admin: asyncpg.Connection, game_id: int, line: Decimal, bet_limit: Decimal | None
) -> None:
    odds = db.repository().odds
    rows = [observation(game_id, line=line, bet_limit=bet_limit)]
    before = await table_fingerprints(admin)
    try:
        if abs(line) >= 1000 or (bet_limit is not None and bet_limit >= 10**10):
            with pytest.raises(errors.DataError) as raised:
                await odds.ingest_odds(rows)
            assert raised.value.sqlstate == "22003"  # numeric field overflow
        elif bet_limit is not None and bet_limit <= 0:
            with pytest.raises(errors.CheckViolationError) as raised:
                await odds.ingest_odds(rows)
            assert raised.value.constraint == "odds_bet_limit_check"
        else:
            await odds.ingest_odds(rows)
            [stored] = await odds.find_odds_by_game(
                game_id=game_id, market=None, sportsbook_id=None
            )
            assert (stored.line, stored.bet_limit) == (line, bet_limit)
            assert changed_tables(before, await table_fingerprints(admin)) == {"odds": 1}
            return
        assert changed_tables(before, await table_fingerprints(admin)) == {}
    finally:
        await admin.execute("DELETE FROM odds")


@PROPERTY
@given(
    bet_pct=st.decimals(Decimal("-2"), Decimal("200"), places=4),
    bet_count=st.none() | around(INTEGER),
)
async def test_a_split_share_is_a_fraction_and_a_bet_count_a_non_negative_integer(
    db: Database, admin: asyncpg.Connection, game_id: int, bet_pct: Decimal, bet_count: int | None
) -> None:
    splits = db.repository().splits
    row = (game_id, "moneyline", "home", "action_network", None, bet_pct, None, bet_count, T0)
    before = await table_fingerprints(admin)
    try:
        if not 0 <= bet_pct <= 1:
            ran = total_queries_run(db)
            with pytest.raises(errors.ValidationError) as refused:
                await splits.ingest_betting_splits([row])  # type: ignore[list-item]
            assert "fraction from 0 to 1" in refused.value.message
            assert total_queries_run(db) == ran
        elif bet_count is not None and not fits(bet_count, INTEGER):
            with pytest.raises(errors.ValidationError):
                await splits.ingest_betting_splits([row])  # type: ignore[list-item]
        elif bet_count is not None and bet_count < 0:
            with pytest.raises(errors.CheckViolationError) as raised:
                await splits.ingest_betting_splits([row])  # type: ignore[list-item]
            assert raised.value.constraint == "betting_splits_bet_count_check"
        else:
            await splits.ingest_betting_splits([row])  # type: ignore[list-item]
            [stored] = await splits.get_latest_betting_splits(game_id=game_id, market="moneyline")
            assert (stored.bet_pct, stored.bet_count) == (bet_pct, bet_count)
            changed = changed_tables(before, await table_fingerprints(admin))
            assert changed == {"betting_splits": 1}
            return
        assert changed_tables(before, await table_fingerprints(admin)) == {}
    finally:
        await admin.execute("DELETE FROM betting_splits")


@PROPERTY
@given(label=st.text(max_size=20) | st.sampled_from([*Market, *Side, "MONEYLINE", " total"]))
async def test_an_enum_label_is_one_of_its_members_or_refused_before_any_sql_runs(
    db: Database, game_id: int, label: str
) -> None:
    odds = db.repository().odds
    ran = queries_run(db, "FindOddsByGame")
    if label in {m.value for m in Market}:
        assert await odds.find_odds_by_game(game_id=game_id, market=label, sportsbook_id=None) == []
        assert queries_run(db, "FindOddsByGame") == ran + 1
    else:
        with pytest.raises(errors.ValidationError):
            await odds.find_odds_by_game(game_id=game_id, market=label, sportsbook_id=None)
        assert queries_run(db, "FindOddsByGame") == ran


@PROPERTY
@given(skip=around(BIGINT) | st.integers(0, 2), max_results=around(BIGINT) | st.integers(0, 2))
async def test_paging_with_any_numbers_returns_a_page_or_is_refused_typed(
    db: Database, admin: asyncpg.Connection, game_id: int, skip: int, max_results: int
) -> None:
    games = db.repository().games
    before = await table_fingerprints(admin)
    if not (fits(skip, BIGINT) and fits(max_results, BIGINT)):
        with pytest.raises(errors.ValidationError):
            await games.list_games(skip=skip, max_results=max_results)
    elif skip < 0 or max_results < 0:
        with pytest.raises(errors.DataError) as raised:
            await games.list_games(skip=skip, max_results=max_results)
        assert raised.value.sqlstate in {"2201W", "2201X"}  # negative LIMIT / OFFSET
    else:
        page = await games.list_games(skip=skip, max_results=max_results)
        assert [g.game_id for g in page] == ([game_id] if skip == 0 and max_results > 0 else [])
    assert changed_tables(before, await table_fingerprints(admin)) == {}


@PROPERTY
@given(
    threshold=st.none() | st.decimals(allow_nan=False, allow_infinity=False),
    max_results=st.none() | around(INTEGER),
)
async def test_reading_findings_with_any_threshold_returns_rows_or_is_refused_typed(
    db: Database,
    admin: asyncpg.Connection,
    game_id: int,
    threshold: Decimal | None,
    max_results: int | None,
) -> None:
    analyses = db.repository().analyses
    before = await table_fingerprints(admin)
    found = await outcome_of(
        analyses.get_high_confidence_analyses(min_confidence=threshold, max_results=max_results)
    )
    beyond_numeric = threshold is not None and abs(threshold.adjusted()) > 131_000
    if isinstance(found, errors.ValidationError):
        assert beyond_numeric or not fits(max_results or 0, INTEGER), found
    elif isinstance(found, errors.DataError):
        assert found.sqlstate in {"2201W", "22003"}, found  # a negative LIMIT, or an overflow
    else:
        assert found == []  # there are no analyses
        assert fits(max_results or 0, INTEGER)
    signals = await outcome_of(
        db.repository().signals.get_strong_signals(min_strength=threshold, confidence_level=None)
    )
    assert signals == [] or isinstance(signals, errors.DataError)
    assert changed_tables(before, await table_fingerprints(admin)) == {}


async def outcome_of(call: Awaitable[T]) -> T | errors.BetdbError:
    try:
        return await call
    except errors.BetdbError as error:
        return error


async def test_one_bad_row_in_a_batch_leaves_the_whole_batch_unwritten(
    db: Database, admin: asyncpg.Connection, game_id: int
) -> None:
    odds = db.repository().odds
    good = [observation(game_id, observed_at=T0 + dt.timedelta(minutes=i)) for i in range(200)]
    bad = observation(game_id, observed_at=T0 - dt.timedelta(days=1), price=2**31)
    for load in (odds.ingest_odds, odds.copy_odds):
        with pytest.raises(errors.ValidationError) as refused:
            await load([*good, bad])  # type: ignore[operator]
        assert "int32" in refused.value.message
        assert await admin.fetchval("SELECT count(*) FROM odds") == 0
    await odds.copy_odds(good)  # the pool's connection is fine afterwards
    assert await admin.fetchval("SELECT count(*) FROM odds") == 200


@pytest.mark.xfail(
    strict=True,
    reason="numeric(p,2) columns round extra decimal places silently; generated validation"
    " should bound a Decimal's places by its column's scale (reported to the lead)",
)
@pytest.mark.parametrize(
    "overrides",
    [{"line": Decimal("-1.505")}, {"bet_limit": Decimal("250.005")}],
    ids=["line", "bet_limit"],
)
async def test_a_value_finer_than_its_column_is_refused_not_rounded(
    db: Database, admin: asyncpg.Connection, game_id: int, overrides: dict[str, Decimal]
) -> None:
    with pytest.raises((errors.ValidationError, errors.DataError, pydantic.ValidationError)):
        await db.repository().odds.ingest_odds([observation(game_id, **overrides)])
    assert await admin.fetchval("SELECT count(*) FROM odds") == 0


@pytest.mark.xfail(
    strict=True,
    reason="numeric(5,4) rounds 0.55555 to 0.5556 silently (reported to the lead)",
)
async def test_a_share_finer_than_a_hundredth_of_a_percent_is_refused_not_rounded(
    db: Database, admin: asyncpg.Connection, game_id: int
) -> None:
    with pytest.raises((errors.ValidationError, errors.DataError, pydantic.ValidationError)):
        await db.repository().splits.ingest_betting_splits(
            [
                IngestBettingSplitsParams(
                    game_id=game_id,
                    market=Market.MONEYLINE,
                    side=Side.HOME,
                    source="vsin",
                    line=None,
                    bet_pct=Decimal("0.55555"),
                    money_pct=None,
                    bet_count=None,
                    captured_at=T0,
                )
            ]
        )
    assert await admin.fetchval("SELECT count(*) FROM betting_splits") == 0


@pytest.mark.parametrize(
    "observed_at",
    [
        dt.datetime.min.replace(tzinfo=dt.UTC),  # asyncpg would store -infinity
        dt.datetime.max.replace(tzinfo=dt.UTC),  # ... and infinity: the "latest" price forever
        dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5))),  # before year 1 in UTC
        dt.datetime(2025, 6, 21, 19, 5),  # no UTC offset
    ],
)
async def test_a_sentinel_observation_time_is_refused_by_the_generated_methods(
    db: Database, admin: asyncpg.Connection, game_id: int, observed_at: dt.datetime
) -> None:
    odds = db.repository().odds
    before = await table_fingerprints(admin)
    for load in (odds.ingest_odds, odds.copy_odds):
        ran = total_queries_run(db)
        with pytest.raises(errors.ValidationError) as refused:
            await load([observation(game_id, observed_at=observed_at)])  # type: ignore[operator]
        assert "observed_at" in refused.value.message
        assert total_queries_run(db) == ran  # refused before any SQL ran
    assert changed_tables(before, await table_fingerprints(admin)) == {}
