"""1s. Read throughput, sync flavour: the read benchmark's rows (`find_odds_by_game`, :many)
through the generated SyncQuerier on psycopg 3, against raw psycopg and SQLAlchemy's sync ORM.

Raw psycopg is `fetchall` on a RawCursor (the SQL constant unchanged) on a plain connection, in
text format: psycopg's default, what betdb's sync executor asks for, and on these columns faster
than binary (binary is reported beside it). A plain connection has no enum loaders, so its enum
columns are str; the same fetch on a connection set up by configure_sync_connection (enums as
their StrEnum members) is reported too, to tell the codecs' cost from the decoder's.

betdb gives FindOddsByGame `row_type: record`: the SyncQuerier returns typed tuple rows (the
sync counterpart of the async typed Records). The models row is what `row_type: model` runs:
the executor's fetch, then the generated list decoder (collector paused). Both run on betdb's
executor; the same SyncQuerier on the configured psycopg Connection itself (the generated
package's own adapter, no betdb runtime) is reported beside them.
"""

from __future__ import annotations

import statistics
import typing
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import select

from bench import alchemy
from bench.fixtures import MainData
from bench.generated import model_variant, record_variant, sync_call
from bench.measure import Spread, interleaved_sync
from bench.results import BenchResult, Goal, Measurement, ratios
from bench.sizes import Sizes
from betdb._sync_executor import SyncConnectionExecutor
from betdb.generated import odds as betdb_odds
from betdb.generated.odds import FIND_ODDS_BY_GAME, SyncQuerier
from betdb.generated.sync_db import ConnectionExecutor, configure_sync_connection
from sqlc_gen_asyncpg.names import snake, upper_snake

QUERY = "find_odds_by_game"
BETDB = "betdb find_odds_by_game into pydantic models (row_type: model)"
RECORDS = "betdb SyncQuerier.find_odds_by_game (typed tuple rows, row_type: record)"
PLAIN_RECORDS = "SyncQuerier on a psycopg Connection itself (typed tuple rows)"
PLAIN_MODELS = "the psycopg Connection's generated adapter fetch + the list decoder"
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
    executor = SyncConnectionExecutor(betdb_conn)
    querier = SyncQuerier(executor)
    odds = alchemy.OddsRecord
    order = (odds.observed_at, odds.sportsbook_id, odds.market, odds.side, odds.line)
    ordered = select(odds).where(odds.game_id == game).order_by(*order)
    core = select(*odds.__table__.columns).where(odds.game_id == game).order_by(*order)
    models = model_variant(SyncQuerier, QUERY)
    records = record_variant(SyncQuerier, QUERY)
    variant = models or records
    assert variant is not None, "the SyncQuerier has no find_odds_by_game returning rows"
    arguments = {"game_id": game, "market": None, "sportsbook_id": None}
    by_variant, args = sync_call(querier, variant.method, arguments)
    model = models.row if models else typing.get_type_hints(variant.row.to_model)["return"]
    # What a row_type: model :many query of these rows runs on the sync side: the executor's
    # fetch with the SyncRows the plugin made for this model (its enums read as text, the list
    # decoded inside the statement), where it made one; else the fetch and the list decoder
    # shared with the async side.
    text_rows = getattr(betdb_odds, f"_{upper_snake(model.__name__)}_FROM_TEXT", None)
    list_decoder = getattr(betdb_odds, f"_decode_many_{snake(model.__name__)}", None)
    methods: dict[str, Callable[[], object]] = {}
    notes: dict[str, str] = {}
    adapter = ConnectionExecutor(betdb_conn)
    if models is not None:
        methods[BETDB] = by_variant
    elif text_rows is not None:
        methods[BETDB] = lambda: executor.fetch(FIND_ODDS_BY_GAME, *args, rows=text_rows)
        methods[PLAIN_MODELS] = lambda: adapter.fetch(FIND_ODDS_BY_GAME, *args, rows=text_rows)
        notes[BETDB] = "executor fetch with the model's SyncRows, as row_type: model runs it"
    elif list_decoder is not None:
        methods[BETDB] = lambda: list_decoder(executor.fetch(FIND_ODDS_BY_GAME, *args))
        methods[PLAIN_MODELS] = lambda: list_decoder(adapter.fetch(FIND_ODDS_BY_GAME, *args))
        notes[BETDB] = f"executor fetch + {list_decoder.__name__}, as row_type: model runs it"
    else:
        methods[BETDB] = lambda: [row.to_model() for row in by_variant()]  # type: ignore[attr-defined]
        notes[BETDB] = "typed rows + to_model()"
    if records is not None:
        methods[RECORDS] = by_variant
        methods[PLAIN_RECORDS], _ = sync_call(SyncQuerier(betdb_conn), variant.method, arguments)

    def orm() -> object:
        with sessions() as session:
            return session.execute(ordered).scalars().all()

    def sa_core() -> object:
        with engine.connect() as connection:
            return connection.execute(core).all()

    methods |= {
        RAW: lambda: fetchall(plain, FIND_ODDS_BY_GAME, args, binary=False),
        RAW_BINARY: lambda: fetchall(plain, FIND_ODDS_BY_GAME, args, binary=True),
        RAW_CODECS: lambda: fetchall(betdb_conn, FIND_ODDS_BY_GAME, args, binary=False),
        CORE: sa_core,
        ORM: orm,
    }
    if models is not None and list_decoder is not None:
        methods[LIST_DECODER] = lambda: list_decoder(
            fetchall(betdb_conn, FIND_ODDS_BY_GAME, args, binary=False)
        )
    try:
        checks = [(BETDB, model), (PLAIN_MODELS, model)]
        if records is not None:
            checks += [(RECORDS, records.row), (PLAIN_RECORDS, records.row)]
        for name, expected in checks:
            if name not in methods:
                continue
            check = methods[name]()
            assert isinstance(check, list), name
            assert len(check) == data.read_rows, f"{name}: {len(check)} rows"
            assert isinstance(check[0], expected), f"{name}: {type(check[0])}"
        cpu: dict[str, list[float]] = {}
        times = interleaved_sync(
            methods, warmups=1, repeats=sizes.read_repeats, cpu=cpu, young=True
        )
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
    targets = [
        (BETDB, RAW, 0.65, "betdb sync models / raw psycopg fetchall"),
        (BETDB, ORM, 3, "betdb sync models / SQLAlchemy 2 sync ORM"),
    ]
    if RECORDS in rates:
        claim = "betdb SyncQuerier typed rows (row_type: record) / raw psycopg fetchall"
        targets.append((RECORDS, RAW, 0.9, claim))
    for ours, theirs, target, claim in targets:
        ratio, spread = faster(ours, theirs)
        goal = Goal.at_least(f"{rows}: {claim}", ratio, target, spread)
        goal.note = notes.get(ours, "")
        goals.append(goal)
    informational = [
        (RAW_CODECS, RAW, "raw fetchall with betdb's sync codecs / plain"),
        (RAW_BINARY, RAW, "raw fetchall binary / text"),
        (BETDB, RAW_CODECS, "betdb sync models / raw fetchall, both betdb's codecs"),
        (BETDB, CORE, "betdb sync models / SQLAlchemy Core sync"),
    ]
    if RECORDS in rates:
        informational.append(
            (RECORDS, RAW_CODECS, "typed rows / raw fetchall, both betdb's codecs")
        )
        informational.append((RECORDS, BETDB, "typed rows / models"))
    if PLAIN_RECORDS in rates:
        informational.append((PLAIN_RECORDS, RAW, "typed rows on a psycopg Connection / raw"))
    if PLAIN_MODELS in rates:
        informational.append((PLAIN_MODELS, RAW, "models on a psycopg Connection / raw"))
    if LIST_DECODER in rates:
        informational.append((LIST_DECODER, BETDB, "fetchall + list decoder / SyncQuerier models"))
    for ours, theirs, claim in informational:
        ratio, spread = faster(ours, theirs)
        goals.append(Goal.informational(f"sync: {claim}", ratio, spread=spread))
    # Wall time under load is mostly waiting for a core; this process's own CPU time is not.
    cpu_pairs = [(BETDB, "betdb sync models"), (RECORDS, "betdb typed rows")]
    for ours, claim in cpu_pairs:
        if ours in cpu:
            ours_cpu, raw_cpu = cpu[ours], cpu[RAW]
            ratio = statistics.median(raw_cpu) / statistics.median(ours_cpu)
            spread = ratios(raw_cpu, ours_cpu)
            goals.append(
                Goal.informational(f"sync client CPU: {claim} / raw", ratio, spread=spread)
            )
    return BenchResult(
        name="sync_read",
        title=f"sync :many of {data.read_rows:,} odds rows into objects (psycopg 3)",
        measurements=[
            Measurement(
                name, rate, "rows/s", higher_is_better=True, extra={"note": notes.get(name)}
            )
            for name, rate in rates.items()
        ],
        goals=goals,
    )
