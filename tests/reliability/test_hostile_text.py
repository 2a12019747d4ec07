"""Any text a user or a scraper sends either is stored exactly as sent or is refused with a typed
error, with nothing written; no text changes the SQL that runs.

PostgreSQL text cannot hold NUL, and UTF-8 cannot hold a lone surrogate: the generated code
refuses both before any SQL runs, as a keyword argument (betdb's ValidationError, and no query
is recorded) or as a params model is built (pydantic's ValidationError), inside lists and JSON
too.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

import asyncpg
import pydantic
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests.reliability.conftest import (
    changed_tables,
    queries_run,
    table_fingerprints,
    total_queries_run,
)
from tests.reliability.hostile import hostile_json_object, hostile_text, is_storable, json_strings

from betdb import Database, errors
from betdb.generated.analyses import CreateBettingAnalysisParams
from betdb.generated.games import UpsertGameParams
from betdb.generated.models import DataSource
from betdb.generated.signals import CreateSharpSignalParams

T = TypeVar("T")

# A btree entry holds at most 2704 bytes (after compression): longer keys cannot be indexed.
BTREE_ENTRY_LIMIT = 2704

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

SEEDED_BOOK_KEYS = {
    "pinnacle",
    "circa",
    "draftkings",
    "fanduel",
    "betmgm",
    "caesars",
    "bet365",
    "betrivers",
    "espnbet",
    "fanatics",
}
T0 = dt.datetime(2026, 4, 1, 17, 5, tzinfo=dt.UTC)


def ascii_upper(text: str) -> str:
    return text.translate(str.maketrans(string.ascii_lowercase, string.ascii_uppercase))


def json_equal(left: Any, right: Any) -> bool:
    """Equal as JSON: numbers compare as the decimals they are written as (jsonb keeps the
    value, not whether it was written 1e23 or 100000000000000000000000)."""
    if isinstance(left, bool) or isinstance(right, bool) or left is None or right is None:
        return type(left) is type(right) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return Decimal(repr(left)) == Decimal(repr(right))
    if isinstance(left, str) or isinstance(right, str):
        return left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(json_equal, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    return False


async def refused_before_any_sql(db: Database, call: Awaitable[object]) -> None:
    """The call raises ValidationError for text PostgreSQL cannot store, and runs no SQL."""
    ran = total_queries_run(db)
    with pytest.raises(errors.ValidationError) as refused:
        await call
    assert "NUL" in refused.value.message or "surrogate" in refused.value.message
    assert total_queries_run(db) == ran


def refused_when_built(build: Callable[[], pydantic.BaseModel]) -> None:
    """A params model refuses text PostgreSQL cannot store as it is built, before any call."""
    with pytest.raises(pydantic.ValidationError) as refused:
        build()
    assert "NUL" in str(refused.value) or "surrogate" in str(refused.value)


async def outcome(call: Awaitable[T]) -> T | errors.BetdbError:
    """What a call returned, or the betdb error it raised."""
    try:
        return await call
    except errors.BetdbError as error:
        return error


def assert_too_long_to_index(error: BaseException, text: str) -> None:
    """The one server refusal of storable text without a CHECK: a key too long for its index."""
    assert len(text.encode()) > BTREE_ENTRY_LIMIT, error
    assert isinstance(error, errors.QueryError), error
    assert error.sqlstate == "54000", error
    assert "index row" in error.message


async def team_codes(admin: asyncpg.Connection) -> dict[str, int]:
    rows = await admin.fetch(
        "SELECT abbreviation AS code, team_id FROM teams"
        " UNION ALL SELECT alias, team_id FROM team_aliases"
    )
    return {row["code"]: row["team_id"] for row in rows}


def game_params(**overrides: Any) -> UpsertGameParams:
    values: dict[str, Any] = {
        "mlb_game_pk": None,
        "sbr_game_id": None,
        "action_network_game_id": 1,
        "official_date": dt.date(2026, 4, 1),
        "game_number": 1,
        "first_pitch_at": T0,
        "season": 2026,
        "season_type": "regular",
        "game_type": "regular",
        "status": "scheduled",
        "home_score": None,
        "away_score": None,
        "venue": None,
        "weather": None,
        "probable_pitchers": None,
        "source": "action_network",
        "source_url": None,
        "source_updated_at": None,
        "data_quality": "high",
        "home_team": "NYY",
        "away_team": "BOS",
    }
    return UpsertGameParams(**{**values, **overrides})


@pytest.fixture
async def game_id(db: Database, admin: asyncpg.Connection) -> int:
    game = await db.repository().games.upsert_game(game_params(action_network_game_id=777))
    assert game is not None
    return game.game_id


@PROPERTY
@given(name=hostile_text)
async def test_any_sportsbook_name_is_stored_exactly_or_refused_with_nothing_written(
    db: Database, admin: asyncpg.Connection, name: str
) -> None:
    books = db.repository().sportsbooks
    taken = {row["name"] for row in await admin.fetch("SELECT name FROM sportsbooks")}
    before = await table_fingerprints(admin)
    try:
        if not is_storable(name):
            await refused_before_any_sql(
                db, books.upsert_sportsbook(key="book_under_test", name=name, is_active=True)
            )
        elif not 2 <= len(name) <= 64:
            with pytest.raises(errors.CheckViolationError) as raised:
                await books.upsert_sportsbook(key="book_under_test", name=name, is_active=True)
            assert raised.value.constraint == "sportsbooks_name_check"
        elif name in taken:
            with pytest.raises(errors.UniqueViolationError) as raised:
                await books.upsert_sportsbook(key="book_under_test", name=name, is_active=True)
            assert raised.value.constraint == "sportsbooks_name_key"
        else:
            book = await books.upsert_sportsbook(key="book_under_test", name=name, is_active=True)
            assert book is not None
            assert book.name == name
            again = await books.get_sportsbook_by_key(key="book_under_test")
            assert again is not None
            assert again.name == name
            assert changed_tables(before, await table_fingerprints(admin)) == {"sportsbooks": 1}
            return
        assert changed_tables(before, await table_fingerprints(admin)) == {}
    finally:
        await admin.execute("DELETE FROM sportsbooks WHERE key = 'book_under_test'")


@PROPERTY
@given(key=hostile_text | st.from_regex(r"[a-z0-9_]{2,32}", fullmatch=True))
async def test_any_sportsbook_key_is_stored_exactly_or_refused_by_its_check(
    db: Database, admin: asyncpg.Connection, key: str
) -> None:
    assume(key not in SEEDED_BOOK_KEYS)
    books = db.repository().sportsbooks
    before = await table_fingerprints(admin)
    try:
        if not is_storable(key):
            await refused_before_any_sql(
                db, books.upsert_sportsbook(key=key, name="Book Under Test", is_active=False)
            )
        elif not re.fullmatch(r"[a-z0-9_]{2,32}", key):
            with pytest.raises(errors.CheckViolationError) as raised:
                await books.upsert_sportsbook(key=key, name="Book Under Test", is_active=False)
            assert raised.value.constraint == "sportsbooks_key_check"
            assert raised.value.table == "sportsbooks"
        else:
            book = await books.upsert_sportsbook(key=key, name="Book Under Test", is_active=False)
            assert book is not None
            assert (book.key, book.is_active) == (key, False)
            assert changed_tables(before, await table_fingerprints(admin)) == {"sportsbooks": 1}
            return
        assert changed_tables(before, await table_fingerprints(admin)) == {}
    finally:
        await admin.execute("DELETE FROM sportsbooks WHERE name = 'Book Under Test'")


@PROPERTY
@given(external_id=hostile_text, source=st.sampled_from(list(DataSource)))
async def test_any_external_book_id_maps_exactly_or_is_refused_with_nothing_written(
    db: Database, admin: asyncpg.Connection, external_id: str, source: DataSource
) -> None:
    books = db.repository().sportsbooks
    before = await table_fingerprints(admin)
    try:
        if not is_storable(external_id):
            await refused_before_any_sql(
                db, books.map_sportsbook(source=source, external_id=external_id, sportsbook_id=3)
            )
        elif external_id == "":
            with pytest.raises(errors.CheckViolationError) as raised:
                await books.map_sportsbook(source=source, external_id=external_id, sportsbook_id=3)
            assert raised.value.constraint == "sportsbook_mappings_external_id_check"
        else:
            try:
                await books.map_sportsbook(source=source, external_id=external_id, sportsbook_id=3)
            except errors.QueryError as error:
                assert_too_long_to_index(error, external_id)
            else:
                book = await books.resolve_sportsbook(source=source, external_id=external_id)
                assert book is not None
                assert book.key == "draftkings"
                changed = changed_tables(before, await table_fingerprints(admin))
                assert changed == {"sportsbook_mappings": 1}
                return
        assert changed_tables(before, await table_fingerprints(admin)) == {}
    finally:
        await admin.execute("DELETE FROM sportsbook_mappings")


@PROPERTY
@given(text=hostile_text)
async def test_looking_up_any_text_finds_only_what_it_names_and_changes_nothing(
    db: Database, admin: asyncpg.Connection, game_id: int, text: str
) -> None:
    repo = db.repository()
    codes = await team_codes(admin)
    before = await table_fingerprints(admin)
    if not is_storable(text):
        lookups = [
            repo.teams.resolve_team_code(code=text),
            repo.sportsbooks.get_sportsbook_by_key(key=text),
            repo.sportsbooks.resolve_sportsbook(source=DataSource.SBR, external_id=text),
            repo.games.find_game_by_external_id(source=DataSource.SBR, external_id=text),
            repo.games.get_todays_games(time_zone=text),
        ]
        for lookup in lookups:
            await refused_before_any_sql(db, lookup)
    else:
        team = await repo.teams.resolve_team_code(code=text)
        if ascii_upper(text) in codes:
            assert team is not None
            assert team.team_id == codes[ascii_upper(text)]
        elif team is not None:  # a server whose locale upper-cases beyond ASCII
            assert codes.get(text.upper()) == team.team_id
        book = await repo.sportsbooks.get_sportsbook_by_key(key=text)
        assert book is None or (book.key == text and text in SEEDED_BOOK_KEYS)
        assert await repo.sportsbooks.resolve_sportsbook(source="sbr", external_id=text) is None
        assert await repo.games.find_game_by_external_id(source="sbr", external_id=text) is None
        found = await outcome(repo.games.find_game_by_external_id(source="mlb", external_id=text))
        if isinstance(found, errors.DataError):
            assert found.sqlstate in {"22P02", "22003"}, found  # not a number / not a bigint
        else:
            assert found is None  # the one game has no MLB id
        today = await outcome(repo.games.get_todays_games(time_zone=text))
        if isinstance(today, errors.DataError):
            assert (today.sqlstate or "").startswith("22"), today  # no such time zone
        else:
            assert all(game.game_id == game_id for game in today)
    assert changed_tables(before, await table_fingerprints(admin)) == {}


@PROPERTY
@given(team=hostile_text | st.sampled_from(["nyy", " ARI ", "az", "Oak", "\u017ff"]))
async def test_a_club_code_is_one_of_the_thirty_or_refused_before_any_sql_runs(
    db: Database, admin: asyncpg.Connection, game_id: int, team: str
) -> None:
    games = db.repository().games
    codes = await team_codes(admin)
    ran = queries_run(db, "FindGamesByTeam")
    if team.strip().upper() in codes:
        found = await games.find_games_by_team(team=team, since=None)
        home_or_away = {codes["NYY"], codes["BOS"]}
        assert [g.game_id for g in found] == (
            [game_id] if codes[team.strip().upper()] in home_or_away else []
        )
        assert queries_run(db, "FindGamesByTeam") == ran + 1
    else:
        with pytest.raises(errors.ValidationError) as refused:
            await games.find_games_by_team(team=team, since=None)
        assert "team" in refused.value.message
        assert queries_run(db, "FindGamesByTeam") == ran


@PROPERTY
@given(
    sbr_game_id=hostile_text,
    source_url=st.none() | hostile_text,
    venue=hostile_json_object,
    pitchers=st.none() | hostile_json_object,
)
async def test_a_game_with_any_text_and_json_is_stored_exactly_or_refused_whole(
    db: Database,
    admin: asyncpg.Connection,
    sbr_game_id: str,
    source_url: str | None,
    venue: dict[str, Any],
    pitchers: dict[str, Any] | None,
) -> None:
    games = db.repository().games
    build = functools.partial(
        game_params,
        sbr_game_id=sbr_game_id,
        source_url=source_url,
        venue=venue,
        probable_pitchers=pitchers,
    )
    texts = [sbr_game_id, source_url or "", *json_strings(venue), *json_strings(pitchers)]
    before = await table_fingerprints(admin)
    try:
        if not all(map(is_storable, texts)):
            refused_when_built(build)
        elif sbr_game_id == "":
            with pytest.raises(errors.CheckViolationError) as raised:
                await games.upsert_game(build())
            assert raised.value.constraint == "games_sbr_game_id_check"
        else:
            try:
                game = await games.upsert_game(build())
            except errors.QueryError as error:
                assert_too_long_to_index(error, sbr_game_id)
            else:
                assert game is not None
                stored = await games.get_game(game_id=game.game_id)
                assert stored is not None
                assert (stored.sbr_game_id, stored.source_url) == (sbr_game_id, source_url)
                assert json_equal(stored.venue, venue)
                assert json_equal(stored.probable_pitchers, pitchers)
                assert changed_tables(before, await table_fingerprints(admin)) == {"games": 1}
                return
        assert changed_tables(before, await table_fingerprints(admin)) == {}
    finally:
        await admin.execute("DELETE FROM games")


@PROPERTY
@given(
    strategy_name=hostile_text,
    strategy_version=st.sampled_from(["v1", ""]) | hostile_text,
    signals_detected=st.lists(st.none() | hostile_text, max_size=4),
    features=hostile_json_object,
)
async def test_an_analysis_with_any_text_is_stored_exactly_or_refused_whole(
    db: Database,
    admin: asyncpg.Connection,
    game_id: int,
    strategy_name: str,
    strategy_version: str,
    signals_detected: list[str | None],
    features: dict[str, Any],
) -> None:
    analyses = db.repository().analyses
    build = functools.partial(
        CreateBettingAnalysisParams,
        game_id=game_id,
        analysis_type="sharp_action",
        strategy_name=strategy_name,
        strategy_version=strategy_version,
        market="moneyline",
        side="home",
        signals_detected=signals_detected,
        confidence_score=Decimal("0.8125"),
        recommendation="lean",
        risk_level="medium",
        features=features,
        expires_at=None,
    )
    signals = [s for s in signals_detected if s is not None]
    texts = [strategy_name, strategy_version, *signals, *json_strings(features)]
    empty = {
        name
        for name, value in [
            ("strategy_name", strategy_name),
            ("strategy_version", strategy_version),
        ]
        if value == ""
    }
    before = await table_fingerprints(admin)
    try:
        if not all(map(is_storable, texts)):
            refused_when_built(build)
        elif empty:
            with pytest.raises(errors.CheckViolationError) as raised:
                await analyses.create_betting_analysis(build())
            assert raised.value.constraint in {f"betting_analyses_{n}_check" for n in empty}
        else:
            created = await analyses.create_betting_analysis(build())
            assert created is not None
            [stored] = await analyses.list_analyses_by_game(game_id=game_id)
            assert stored.analysis_id == created.analysis_id
            assert (stored.strategy_name, stored.strategy_version) == (
                strategy_name,
                strategy_version,
            )
            assert stored.signals_detected == signals_detected
            assert json_equal(stored.features, features)
            assert stored.confidence_score == Decimal("0.8125")
            changed = changed_tables(before, await table_fingerprints(admin))
            assert changed == {"betting_analyses": 1}
            return
        assert changed_tables(before, await table_fingerprints(admin)) == {}
    finally:
        await admin.execute("DELETE FROM betting_analyses")


@PROPERTY
@given(
    detector_name=hostile_text,
    detector_version=st.just("2.1") | hostile_text,
    features=hostile_json_object,
)
async def test_a_sharp_signal_with_any_text_is_stored_exactly_or_refused_whole(
    db: Database,
    admin: asyncpg.Connection,
    game_id: int,
    detector_name: str,
    detector_version: str,
    features: dict[str, Any],
) -> None:
    signals = db.repository().signals
    build = functools.partial(
        CreateSharpSignalParams,
        game_id=game_id,
        signal_type="steam_move",
        detector_name=detector_name,
        detector_version=detector_version,
        market="total",
        side="over",
        sportsbook_id=1,
        signal_strength=Decimal("0.9"),
        confidence_score=Decimal("0.7"),
        features=features,
        detected_at=T0,
        expires_at=None,
    )
    texts = [detector_name, detector_version, *json_strings(features)]
    empty = {
        name
        for name, value in [
            ("detector_name", detector_name),
            ("detector_version", detector_version),
        ]
        if value == ""
    }
    before = await table_fingerprints(admin)
    try:
        if not all(map(is_storable, texts)):
            refused_when_built(build)
        elif empty:
            with pytest.raises(errors.CheckViolationError) as raised:
                await signals.create_sharp_signal(build())
            assert raised.value.constraint in {f"sharp_signals_{n}_check" for n in empty}
        else:
            created = await signals.create_sharp_signal(build())
            assert created is not None
            [stored] = await signals.list_signals_by_game(game_id=game_id)
            assert (stored.detector_name, stored.detector_version) == (
                detector_name,
                detector_version,
            )
            assert json_equal(stored.features, features)
            changed = changed_tables(before, await table_fingerprints(admin))
            assert changed == {"sharp_signals": 1}
            return
        assert changed_tables(before, await table_fingerprints(admin)) == {}
    finally:
        await admin.execute("DELETE FROM sharp_signals")
