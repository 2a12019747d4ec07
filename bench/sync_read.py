"""1s. Read throughput, sync flavour: the read benchmark's rows (`find_odds_by_game`, :many)
through the generated SyncQuerier on psycopg 3, against raw psycopg and SQLAlchemy's sync ORM.

Raw psycopg is `fetchall` on a RawCursor (the SQL constant unchanged) on a plain connection, in
text format: psycopg's default, what betdb's sync executor asks for, and on these columns faster
than binary (binary is reported beside it). A plain connection has no enum loaders, so its enum
columns are str; the same fetch on a connection set up by configure_sync_connection (enums as
their StrEnum members) is reported too, to tell the codecs' cost from the decoder's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import select

from bench import alchemy
from bench.fixtures import MainData
from bench.generated import model_variant, sync_call
from bench.measure import Spread, interleaved_sync
from bench.results import BenchResult, Goal, Measurement, ratios
from bench.sizes import Sizes
from betdb._sync_executor import SyncConnectionExecutor
from betdb.generated import odds as betdb_odds
from betdb.generated.odds import FIND_ODDS_BY_GAME, SyncQuerier
from betdb.generated.sync_db import configure_sync_connection
from sqlc_gen_asyncpg.names import snake

QUERY = "find_odds_by_game"
BETDB = "betdb SyncQuerier.find_odds_by_game (pydantic models)"
LIST_DECODER = "raw fetchall + the generated list decoder (collector paused), betdb's codecs"
RAW = "raw psycopg RawCursor fetchall (text)"
RAW_BINARY = "raw psycopg RawCursor fetchall (binary)"
RAW_CODECS = "raw fetchall (text), betdb's sync codecs"
CORE = "SQLAlchemy Core sync (Row tuples)"
ORM = "SQLAlchemy ORM sync (mapped objects)"


def connect(dsn: str, *, configured: bool) -> psycopg.Connection[Any]:
    """An autocommit connection, set up as betdb's sync side sets one up or left plain."""
    connection = psycopg.connect(dsn, autocommit=True)
    if configured:
        configure_sync_connection(connection)
    return connection


def fetchall(
    connection: psycopg.Connection[Any], sql: str, args: tuple[object, ...], *, binary: bool
) -> list[tuple[Any, ...]]:
    with psycopg.RawCursor(connection) as cursor:
        cursor.execute(sql, args, binary=binary)
        return cursor.fetchall()


def run(data: MainData, sizes: Sizes) -> BenchResult:
    game = data.read_game
    betdb_conn = connect(data.dsn, configured=True)
    plain = connect(data.dsn, configured=False)
    engine = alchemy.sync_engine(data.dsn)
    sessions = alchemy.sync_sessions(engine)
    querier = SyncQuerier(SyncConnectionExecutor(betdb_conn))
    odds = alchemy.OddsRecord
    order = (odds.observed_at, odds.sportsbook_id, odds.market, odds.side, odds.line)
    ordered = select(odds).where(odds.game_id == game).order_by(*order)
    core = select(*odds.__table__.columns).where(odds.game_id == game).order_by(*order)
    models = model_variant(SyncQuerier, QUERY)
    assert models is not None, "the SyncQuerier has no find_odds_by_game returning models"
    betdb, args = sync_call(
        querier, models.method, {"game_id": game, "market": None, "sportsbook_id": None}
    )
    list_decoder = getattr(betdb_odds, f"_decode_many_{snake(models.row.__name__)}", None)

    def orm() -> object:
        with sessions() as session:
            return session.execute(ordered).scalars().all()

    def sa_core() -> object:
        with engine.connect() as connection:
            return connection.execute(core).all()

    methods: dict[str, Callable[[], object]] = {
        BETDB: betdb,
        RAW: lambda: fetchall(plain, FIND_ODDS_BY_GAME, args, binary=False),
        RAW_BINARY: lambda: fetchall(plain, FIND_ODDS_BY_GAME, args, binary=True),
        RAW_CODECS: lambda: fetchall(betdb_conn, FIND_ODDS_BY_GAME, args, binary=False),
        CORE: sa_core,
        ORM: orm,
    }
    if list_decoder is not None:
        methods[LIST_DECODER] = lambda: list_decoder(
            fetchall(betdb_conn, FIND_ODDS_BY_GAME, args, binary=False)
        )
    try:
        check = betdb()
        assert isinstance(check, list), BETDB
        assert len(check) == data.read_rows, f"{BETDB}: {len(check)} rows"
        assert isinstance(check[0], models.row), type(check[0])
        times = interleaved_sync(methods, warmups=1, repeats=sizes.read_repeats)
    finally:
        betdb_conn.close()
        plain.close()
        engine.dispose()

    rates = {name: Spread.of(seconds).rate(data.read_rows) for name, seconds in times.items()}

    def faster(ours: str, theirs: str) -> tuple[float, list[float]]:
        """How many times as fast ours is, on medians and repeat by repeat."""
        return rates[ours].median / rates[theirs].median, ratios(times[theirs], times[ours])

    rows = f"sync :many {data.read_rows:,} rows"
    goals = []
    for theirs, target, claim in (
        (RAW, 0.8, "betdb SyncQuerier models / raw psycopg fetchall"),
        (ORM, 3, "betdb SyncQuerier models / SQLAlchemy 2 sync ORM"),
    ):
        ratio, spread = faster(BETDB, theirs)
        goals.append(Goal.at_least(f"{rows}: {claim}", ratio, target, spread))
    informational = [
        (RAW_CODECS, RAW, "raw fetchall with betdb's sync codecs / plain"),
        (RAW_BINARY, RAW, "raw fetchall binary / text"),
        (BETDB, RAW_CODECS, "betdb SyncQuerier / raw fetchall, both betdb's codecs"),
        (BETDB, CORE, "betdb SyncQuerier / SQLAlchemy Core sync"),
    ]
    if LIST_DECODER in rates:
        informational.append((LIST_DECODER, BETDB, "fetchall + list decoder / SyncQuerier"))
    for ours, theirs, claim in informational:
        ratio, spread = faster(ours, theirs)
        goals.append(Goal.informational(f"sync: {claim}", ratio, spread=spread))
    return BenchResult(
        name="sync_read",
        title=f"sync :many of {data.read_rows:,} odds rows into objects (psycopg 3)",
        measurements=[
            Measurement(name, rate, "rows/s", higher_is_better=True) for name, rate in rates.items()
        ],
        goals=goals,
    )
