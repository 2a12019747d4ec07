"""Every CHECK, NOT NULL, foreign key, unique and primary key constraint of the schema, violated
once: the typed error names the constraint (and the table and column where PostgreSQL reports
them) and nothing is written.

A constraint is violated through a generated querier when one writes its table and its value
gets past the generated validation; otherwise through plain SQL on `Database.executor()`, so
the error is translated the same way. The list of constraints comes from the live catalog, and
a constraint without a case here fails `test_every_constraint_in_the_schema_has_a_case`.
Partitions of odds (schema odds_partitions) inherit the parent's constraints and are not listed
separately; an error raised in a partition may name it, and is accepted for the parent's case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pytest
from tests.reliability.conftest import changed_tables, settings_for, table_fingerprints
from tests.reliability.test_hostile_text import game_params

from betdb import Database, UnifiedRepository, errors
from betdb.generated.analyses import CreateBettingAnalysisParams
from betdb.generated.signals import CreateSharpSignalParams
from betdb.testing import PostgresServer

CATALOG_CONSTRAINTS = """
SELECT c.conname FROM pg_constraint AS c JOIN pg_class AS t ON t.oid = c.conrelid
WHERE t.relnamespace = 'public'::regnamespace AND c.contype IN ('c', 'f', 'u', 'p', 'x')
UNION ALL
SELECT t.relname || '.' || a.attname FROM pg_attribute AS a JOIN pg_class AS t ON t.oid = a.attrelid
WHERE t.relnamespace = 'public'::regnamespace AND t.relkind IN ('r', 'p')
  AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull
"""

# The constraint and the partitions' copies of it (a partition's unique index has its own name).
CONSTRAINT_FAMILY = """
SELECT c.conname FROM pg_constraint AS c WHERE c.conname = $1 AND c.conparentid = 0
UNION SELECT child.conname FROM pg_constraint AS child
JOIN pg_constraint AS parent ON parent.oid = child.conparentid WHERE parent.conname = $1
"""
TABLE_FAMILY = """
SELECT $1::text
UNION SELECT c.relname FROM pg_partition_tree($1::regclass) AS p
JOIN pg_class AS c ON c.oid = p.relid
"""

GAME = "(SELECT game_id FROM games WHERE action_network_game_id = 777)"
T0 = dt.datetime(2026, 4, 1, 18, 0, tzinfo=dt.UTC)

# A row each table accepts, as SQL expressions; a case changes a few of them.
VALID_ROWS: dict[str, dict[str, str]] = {
    "teams": {
        "team_id": "999",
        "abbreviation": "'XXA'",
        "name": "'Test Club'",
        "league": "'AL'",
        "division": "'East'",
    },
    "team_aliases": {"alias": "'XYZ'", "team_id": "147"},
    "sportsbooks": {
        "sportsbook_id": "901",
        "key": "'test_book'",
        "name": "'Test Book'",
        "is_active": "true",
        "created_at": "now()",
    },
    "sportsbook_mappings": {"source": "'vsin'", "external_id": "'ext-test'", "sportsbook_id": "1"},
    "games": {
        "game_id": "9001",
        "action_network_game_id": "9001",
        "official_date": "'2026-05-01'",
        "home_team_id": "147",
        "away_team_id": "111",
        "game_number": "1",
        "season": "2026",
        "season_type": "'regular'",
        "game_type": "'regular'",
        "status": "'scheduled'",
        "source": "'mlb'",
        "data_quality": "'high'",
        "created_at": "now()",
        "updated_at": "now()",
    },
    "odds": {
        "game_id": GAME,
        "sportsbook_id": "1",
        "market": "'moneyline'",
        "side": "'away'",
        "price": "-110",
        "observed_at": "'2026-04-01 19:00+00'",
        "is_opening": "false",
        "is_closing": "false",
        "source": "'sbr'",
    },
    "betting_splits": {
        "split_id": "9001",
        "game_id": GAME,
        "market": "'moneyline'",
        "side": "'away'",
        "source": "'vsin'",
        "bet_pct": "0.5",
        "captured_at": "'2026-04-01 19:00+00'",
        "created_at": "now()",
    },
    "betting_analyses": {
        "analysis_id": "9001",
        "game_id": GAME,
        "analysis_type": "'model'",
        "strategy_name": "'s'",
        "strategy_version": "'v1'",
        "market": "'moneyline'",
        "side": "'home'",
        "signals_detected": "'{}'",
        "confidence_score": "0.7",
        "recommendation": "'pass'",
        "risk_level": "'low'",
        "features": "'{}'",
        "created_at": "now()",
    },
    "sharp_signals": {
        "signal_id": "9001",
        "game_id": GAME,
        "signal_type": "'steam_move'",
        "detector_name": "'d'",
        "detector_version": "'v'",
        "market": "'moneyline'",
        "side": "'home'",
        "signal_strength": "0.5",
        "confidence_score": "0.5",
        "features": "'{}'",
        "detected_at": "'2026-04-01 19:00+00'",
        "created_at": "now()",
    },
    "schema_migrations": {"version": "'29990101000000'"},
    "team_names": {"name": "'Test Club Name'", "team_id": "147"},
    "untimed_lines": {
        "game_id": GAME,
        "sportsbook_id": "1",
        "market": "'moneyline'",
        "side": "'home'",
        "moment": "'closing'",
        "price": "-120",
        "source": "'sbr'",
    },
}

Write = Callable[[UnifiedRepository], Awaitable[object]]


@dataclass
class Case:
    table: str
    error: type[errors.IntegrityError]
    sql: dict[str, str] = field(default_factory=dict)  # changes to the table's valid row
    through: Write | None = None  # a generated querier call, when one reaches the constraint
    column: str | None = None


def check(table: str, through: Write | None = None, **sql: str) -> Case:
    return Case(table, errors.CheckViolationError, sql, through)


def unique(table: str, through: Write | None = None, **sql: str) -> Case:
    return Case(table, errors.UniqueViolationError, sql, through)


def foreign_key(table: str, through: Write | None = None, **sql: str) -> Case:
    return Case(table, errors.ForeignKeyViolationError, sql, through)


def odds_row(**changes: Any) -> tuple[Any, ...]:
    values: dict[str, Any] = {
        "game_id": 0,  # replaced by the seeded game's id
        "sportsbook_id": 1,
        "market": "moneyline",
        "side": "home",
        "line": None,
        "price": -110,
        "observed_at": T0,
        "is_opening": False,
        "is_closing": False,
        "bet_limit": None,
        "source": "sbr",
    }
    values.update(changes)
    return tuple(values.values())


async def seeded_game_id(repo: UnifiedRepository) -> int:
    game = await repo.games.find_game_by_external_id(source="action_network", external_id="777")
    assert game is not None
    return game.game_id


def ingest_odds(**changes: Any) -> Write:
    async def write(repo: UnifiedRepository) -> None:
        row = odds_row(**{"game_id": await seeded_game_id(repo), **changes})
        await repo.odds.ingest_odds([row])  # type: ignore[list-item]

    return write


def copy_seeded_odds() -> Write:
    async def write(repo: UnifiedRepository) -> int:
        return await repo.odds.copy_odds([odds_row(game_id=await seeded_game_id(repo))])  # type: ignore[list-item]

    return write


def ingest_split(**changes: Any) -> Write:
    async def write(repo: UnifiedRepository) -> None:
        values: dict[str, Any] = {
            "game_id": await seeded_game_id(repo),
            "market": "moneyline",
            "side": "away",
            "source": "vsin",
            "line": None,
            "bet_pct": Decimal("0.4"),
            "money_pct": None,
            "bet_count": 10,
            "captured_at": T0,
        }
        values.update(changes)
        await repo.splits.ingest_betting_splits([tuple(values.values())])  # type: ignore[list-item]

    return write


def upsert_game(**changes: Any) -> Write:
    async def write(repo: UnifiedRepository) -> object:
        return await repo.games.upsert_game(
            game_params(**{"official_date": dt.date(2026, 5, 9), **changes})
        )

    return write


def create_analysis(**changes: Any) -> Write:
    async def write(repo: UnifiedRepository) -> object:
        values: dict[str, Any] = {
            "game_id": await seeded_game_id(repo),
            "analysis_type": "model",
            "strategy_name": "fade",
            "strategy_version": "1",
            "market": "moneyline",
            "side": "home",
            "signals_detected": [],
            "confidence_score": Decimal("0.7"),
            "recommendation": "pass",
            "risk_level": "low",
            "features": {},
            "expires_at": None,
        }
        values.update(changes)
        return await repo.analyses.create_betting_analysis(CreateBettingAnalysisParams(**values))

    return write


def create_signal(**changes: Any) -> Write:
    async def write(repo: UnifiedRepository) -> object:
        values: dict[str, Any] = {
            "game_id": await seeded_game_id(repo),
            "signal_type": "steam_move",
            "detector_name": "steam",
            "detector_version": "1",
            "market": "moneyline",
            "side": "home",
            "sportsbook_id": 1,
            "signal_strength": Decimal("0.9"),
            "confidence_score": Decimal("0.8"),
            "features": {},
            "detected_at": T0,
            "expires_at": None,
        }
        values.update(changes)
        return await repo.signals.create_sharp_signal(CreateSharpSignalParams(**values))

    return write


def upsert_book(key: str, name: str) -> Write:
    return lambda repo: repo.sportsbooks.upsert_sportsbook(key=key, name=name, is_active=True)


def map_book(external_id: str, sportsbook_id: int) -> Write:
    return lambda repo: repo.sportsbooks.map_sportsbook(
        source="sbr", external_id=external_id, sportsbook_id=sportsbook_id
    )


CASES: dict[str, Case] = {
    # teams and their aliases: written by migrations only, so plain SQL
    "teams_team_id_check": check("teams", team_id="0"),
    "teams_abbreviation_check": check("teams", abbreviation="'xx'"),
    "teams_name_check": check("teams", name="'X'"),
    "teams_pkey": unique("teams", team_id="147"),
    "teams_abbreviation_key": unique("teams", abbreviation="'NYY'"),
    "teams_name_key": unique("teams", name="'New York Yankees'"),
    "team_aliases_alias_check": check("team_aliases", alias="'ar1'"),
    "team_aliases_pkey": unique("team_aliases", alias="'ARI'"),
    "team_aliases_team_id_fkey": foreign_key("team_aliases", team_id="998"),
    # sportsbooks and mappings
    "sportsbooks_key_check": check("sportsbooks", upsert_book("Bad Key!", "Bad Key Books")),
    "sportsbooks_name_check": check("sportsbooks", upsert_book("tiny", "X")),
    "sportsbooks_pkey": unique("sportsbooks", sportsbook_id="1"),
    "sportsbooks_key_key": unique("sportsbooks", key="'pinnacle'"),  # the upsert updates instead
    "sportsbooks_name_key": unique("sportsbooks", upsert_book("pinnacle_two", "Pinnacle")),
    "sportsbook_mappings_external_id_check": check("sportsbook_mappings", map_book("", 1)),
    "sportsbook_mappings_pkey": unique(
        "sportsbook_mappings", source="'sbr'", external_id="'ext-seeded'"
    ),
    "sportsbook_mappings_sportsbook_id_fkey": foreign_key(
        "sportsbook_mappings", map_book("ext-9", 999)
    ),
    # games
    "games_action_network_game_id_check": check("games", upsert_game(action_network_game_id=-5)),
    "games_mlb_game_pk_check": check("games", upsert_game(mlb_game_pk=0)),
    "games_sbr_game_id_check": check("games", upsert_game(sbr_game_id="")),
    "games_odds_api_event_id_check": check("games", odds_api_event_id="''"),
    "games_odds_api_event_id_key": unique("games", odds_api_event_id="'event-777'"),
    "games_mlb_game_type_check": check("games", mlb_game_type="'Reg'"),
    "games_game_number_check": check("games", upsert_game(game_number=3)),
    "games_season_check": check("games", upsert_game(season=1875)),
    "games_home_score_check": check(
        "games", upsert_game(status="final", home_score=-1, away_score=0)
    ),
    "games_away_score_check": check(
        "games", upsert_game(status="final", home_score=0, away_score=-1)
    ),
    "games_scores_paired": check("games", upsert_game(status="final", home_score=3)),
    "games_teams_differ": check("games", upsert_game(away_team="NYY")),
    "games_venue_check": check("games", upsert_game(venue=["Yankee Stadium"])),
    "games_weather_check": check("games", upsert_game(weather="sunny")),
    "games_probable_pitchers_check": check("games", upsert_game(probable_pitchers=[1, 2])),
    "games_pkey": unique("games", game_id=GAME),
    "games_mlb_game_pk_key": unique("games", mlb_game_pk="777"),
    "games_sbr_game_id_key": unique("games", sbr_game_id="'sbr-777'"),
    "games_action_network_game_id_key": unique("games", action_network_game_id="777"),
    # game 778 is found by its own id and moved onto 777's date, teams and game number
    "games_natural_key": unique(
        "games", upsert_game(action_network_game_id=778, official_date=dt.date(2026, 4, 1))
    ),
    "games_home_team_id_fkey": foreign_key("games", home_team_id="998"),
    "games_away_team_id_fkey": foreign_key("games", away_team_id="998"),
    # odds (partitioned)
    "odds_bet_limit_check": check("odds", ingest_odds(bet_limit=Decimal(0))),
    "odds_line_fits_market": check("odds", ingest_odds(line=Decimal("-1.5"))),
    "odds_side_fits_market": check("odds", ingest_odds(market="total", line=Decimal("8.5"))),
    "odds_total_line_positive": check(
        "odds", ingest_odds(market="total", side="over", line=Decimal("-8.5"))
    ),
    "odds_opening_or_closing": check("odds", ingest_odds(is_opening=True, is_closing=True)),
    "odds_price_is_american": check("odds", price="-99"),  # AmericanOdds refuses it earlier
    "odds_observation_unique": unique("odds", copy_seeded_odds()),
    "odds_game_id_fkey": foreign_key("odds", ingest_odds(game_id=999_999)),
    "odds_sportsbook_id_fkey": foreign_key("odds", ingest_odds(sportsbook_id=999)),
    # betting splits
    "betting_splits_bet_count_check": check("betting_splits", ingest_split(bet_count=-1)),
    "betting_splits_has_a_share": check("betting_splits", ingest_split(bet_pct=None)),
    "betting_splits_bet_pct_check": check("betting_splits", bet_pct="1.5"),  # Probability
    "betting_splits_money_pct_check": check("betting_splits", money_pct="-0.1"),
    "betting_splits_pkey": unique(
        "betting_splits", split_id="(SELECT min(split_id) FROM betting_splits)"
    ),
    "betting_splits_capture_unique": unique(
        "betting_splits", side="'home'", captured_at="'2026-04-01 18:00+00'"
    ),
    "betting_splits_game_id_fkey": foreign_key("betting_splits", ingest_split(game_id=999_999)),
    # analyses
    "betting_analyses_strategy_name_check": check(
        "betting_analyses", create_analysis(strategy_name="")
    ),
    "betting_analyses_strategy_version_check": check(
        "betting_analyses", create_analysis(strategy_version="")
    ),
    "betting_analyses_features_check": check(
        "betting_analyses", create_analysis(features=["sharp"])
    ),
    "betting_analyses_confidence_score_check": check("betting_analyses", confidence_score="1.0001"),
    "betting_analyses_pkey": unique(
        "betting_analyses", analysis_id="(SELECT min(analysis_id) FROM betting_analyses)"
    ),
    "betting_analyses_game_id_fkey": foreign_key(
        "betting_analyses", create_analysis(game_id=999_999)
    ),
    # sharp signals
    "sharp_signals_detector_name_check": check("sharp_signals", create_signal(detector_name="")),
    "sharp_signals_detector_version_check": check(
        "sharp_signals", create_signal(detector_version="")
    ),
    "sharp_signals_features_check": check("sharp_signals", create_signal(features="steam")),
    "sharp_signals_signal_strength_check": check("sharp_signals", signal_strength="-0.5"),
    "sharp_signals_confidence_score_check": check("sharp_signals", confidence_score="2"),
    "sharp_signals_pkey": unique(
        "sharp_signals", signal_id="(SELECT min(signal_id) FROM sharp_signals)"
    ),
    "sharp_signals_game_id_fkey": foreign_key("sharp_signals", create_signal(game_id=999_999)),
    "sharp_signals_sportsbook_id_fkey": foreign_key(
        "sharp_signals", create_signal(sportsbook_id=999)
    ),
    # club names and untimed lines
    "team_names_name_check": check("team_names", name="'X'"),
    "team_names_pkey": unique("team_names", name="'Cleveland Indians'"),
    "team_names_team_id_fkey": foreign_key("team_names", team_id="998"),
    "untimed_lines_price_is_american": check("untimed_lines", price="-99"),
    "untimed_lines_side_fits_market": check("untimed_lines", side="'over'"),
    "untimed_lines_line_fits_market": check("untimed_lines", line="8.5"),
    "untimed_lines_pkey": unique("untimed_lines", moment="'opening'"),
    "untimed_lines_game_id_fkey": foreign_key("untimed_lines", game_id="999999"),
    "untimed_lines_sportsbook_id_fkey": foreign_key("untimed_lines", sportsbook_id="999"),
    # dbmate's own table
    "schema_migrations_pkey": unique(
        "schema_migrations", version="(SELECT min(version) FROM schema_migrations)"
    ),
}

# NOT NULL, column by column: each is set to NULL in its table's valid row.
NOT_NULL_COLUMNS: dict[str, list[str]] = {
    "teams": ["team_id", "abbreviation", "name", "league", "division"],
    "team_aliases": ["alias", "team_id"],
    "sportsbooks": ["sportsbook_id", "key", "name", "is_active", "created_at"],
    "sportsbook_mappings": ["source", "external_id", "sportsbook_id"],
    "games": [
        "game_id",
        "official_date",
        "home_team_id",
        "away_team_id",
        "game_number",
        "season",
        "season_type",
        "game_type",
        "status",
        "source",
        "data_quality",
        "created_at",
        "updated_at",
    ],
    "odds": [
        "game_id",
        "sportsbook_id",
        "market",
        "side",
        "price",
        "observed_at",
        "is_opening",
        "is_closing",
        "source",
    ],
    "betting_splits": [
        "split_id",
        "game_id",
        "market",
        "side",
        "source",
        "captured_at",
        "created_at",
    ],
    "betting_analyses": [
        "analysis_id",
        "game_id",
        "analysis_type",
        "strategy_name",
        "strategy_version",
        "market",
        "side",
        "signals_detected",
        "confidence_score",
        "recommendation",
        "risk_level",
        "features",
        "created_at",
    ],
    "sharp_signals": [
        "signal_id",
        "game_id",
        "signal_type",
        "detector_name",
        "detector_version",
        "market",
        "side",
        "signal_strength",
        "confidence_score",
        "features",
        "detected_at",
        "created_at",
    ],
    "schema_migrations": ["version"],
    "team_names": ["name", "team_id"],
    "untimed_lines": ["game_id", "sportsbook_id", "market", "side", "moment", "price", "source"],
}
for _table, _columns in NOT_NULL_COLUMNS.items():
    for _column in _columns:
        CASES[f"{_table}.{_column}"] = Case(
            _table, errors.NotNullViolationError, {_column: "NULL"}, column=_column
        )


@pytest.fixture(scope="module")
async def shared_database(
    postgres_server: PostgresServer, migrated_template: str
) -> AsyncIterator[str]:
    """One database for every case: each case writes nothing, which each case checks."""
    dsn = postgres_server.create_database(
        f"betdb_constraints_{uuid.uuid4().hex[:8]}", template=migrated_template
    )
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            """
            INSERT INTO games (mlb_game_pk, sbr_game_id, action_network_game_id, official_date,
                               home_team_id, away_team_id, season, source, odds_api_event_id)
            VALUES (777, 'sbr-777', 777, '2026-04-01', 147, 111, 2026, 'mlb', 'event-777'),
                   (NULL, NULL, 778, '2026-04-02', 147, 111, 2026, 'action_network', NULL);
            INSERT INTO untimed_lines (game_id, sportsbook_id, market, side, moment, price, source)
            SELECT game_id, 1, 'moneyline', 'home', 'opening', -110, 'sbr'
            FROM games WHERE action_network_game_id = 777;
            INSERT INTO odds (game_id, sportsbook_id, market, side, price, observed_at, source)
            SELECT game_id, 1, 'moneyline', 'home', -110, '2026-04-01 18:00+00', 'sbr'
            FROM games WHERE action_network_game_id = 777;
            INSERT INTO betting_splits (game_id, market, side, source, bet_pct, captured_at)
            SELECT game_id, 'moneyline', 'home', 'vsin', 0.6, '2026-04-01 18:00+00'
            FROM games WHERE action_network_game_id = 777;
            INSERT INTO betting_analyses (game_id, analysis_type, strategy_name, strategy_version,
                market, side, confidence_score, recommendation, risk_level)
            SELECT game_id, 'model', 'seed', '1', 'moneyline', 'home', 0.9, 'bet', 'low'
            FROM games WHERE action_network_game_id = 777;
            INSERT INTO sharp_signals (game_id, signal_type, detector_name, detector_version,
                market, side, signal_strength, confidence_score, detected_at)
            SELECT game_id, 'steam_move', 'seed', '1', 'moneyline', 'home', 0.9, 0.9, now()
            FROM games WHERE action_network_game_id = 777;
            INSERT INTO sportsbook_mappings (source, external_id, sportsbook_id)
            VALUES ('sbr', 'ext-seeded', 1);
            """
        )
    finally:
        await connection.close()
    yield dsn
    postgres_server.drop_database(urlsplit(dsn).path.lstrip("/"))


@pytest.fixture(scope="module")
async def shared_db(shared_database: str) -> AsyncIterator[Database]:
    async with Database(settings_for(shared_database)) as database:
        yield database


@pytest.fixture(scope="module")
async def shared_admin(shared_database: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(shared_database)
    try:
        yield connection
    finally:
        await connection.close()


async def test_every_constraint_in_the_schema_has_a_case(
    shared_admin: asyncpg.Connection,
) -> None:
    in_schema = {row[0] for row in await shared_admin.fetch(CATALOG_CONSTRAINTS)}
    assert len(in_schema) > 100  # the catalog query found the schema
    assert sorted(in_schema - CASES.keys()) == [], "constraints without a violation case"
    assert sorted(CASES.keys() - in_schema) == [], "cases for constraints that no longer exist"


def insert_sql(name: str, case: Case) -> str:
    row = {**VALID_ROWS[case.table], **case.sql}
    label = "".join(part.capitalize() for part in name.replace(".", "_").split("_"))
    return (
        f"-- name: Violate{label} :exec\n"
        f"INSERT INTO {case.table} ({', '.join(row)}) VALUES ({', '.join(row.values())})"
    )


class RollbackError(Exception):
    pass


async def insert_every_valid_row_and_roll_back(database: Database) -> None:
    async with database.transaction() as tx:
        for table in VALID_ROWS:
            await tx.executor.execute(
                insert_sql(f"valid_{table}", Case(table, errors.IntegrityError))
            )
        assert await tx.executor.fetchval("SELECT count(*) FROM games WHERE game_id = 9001") == 1
        raise RollbackError


async def test_every_valid_row_is_accepted(
    shared_db: Database, shared_admin: asyncpg.Connection
) -> None:
    """The rows the cases start from are valid, so each case fails for its own change alone."""
    with pytest.raises(RollbackError):
        await insert_every_valid_row_and_roll_back(shared_db)
    assert await shared_admin.fetchval("SELECT count(*) FROM games WHERE game_id = 9001") == 0


@pytest.mark.parametrize("name", sorted(CASES))
async def test_violating_a_constraint_raises_its_typed_error_and_writes_nothing(
    shared_db: Database, shared_admin: asyncpg.Connection, name: str
) -> None:
    case = CASES[name]
    sql = insert_sql(name, case)
    write = case.through or (lambda repo: repo.executor.execute(sql))
    before = await table_fingerprints(shared_admin)
    with pytest.raises(case.error) as raised:
        await write(shared_db.repository())
    error = raised.value
    tables = {row[0] for row in await shared_admin.fetch(TABLE_FAMILY, case.table)}
    assert error.table in tables, error
    if case.column is not None:
        assert error.column == case.column, error
    else:
        family = {row[0] for row in await shared_admin.fetch(CONSTRAINT_FAMILY, name)}
        assert error.constraint in family, error
    assert error.query, error
    assert changed_tables(before, await table_fingerprints(shared_admin)) == {}
