"""1. Read throughput: one game's 200,000 odds rows (`find_odds_by_game`, :many) into objects:
pydantic models, the typed asyncpg.Record row type where the generated code offers it, and the
same rows through raw asyncpg, aiosql and SQLAlchemy."""

from __future__ import annotations

import gc
import typing
from collections.abc import Awaitable, Callable
from typing import Any

import aiosql
import asyncpg
from sqlalchemy import select

from bench import alchemy
from bench.fixtures import MainData
from bench.generated import call, model_variant, record_variant
from bench.measure import Spread, interleaved
from bench.results import BenchResult, Goal, Measurement, ratios
from bench.sizes import Sizes
from betdb.generated import init_connection
from betdb.generated import odds as betdb_odds
from betdb.generated.models import Odds
from betdb.generated.odds import FIND_ODDS_BY_GAME, Querier
from sqlc_gen_asyncpg.names import snake

# What a team using aiosql would write: the same SQL, rows built into the pydantic model.
_AIOSQL = """-- name: find_odds_by_game(game_id)
-- record_class: Odds
SELECT game_id, sportsbook_id, market, side, line, price, observed_at, is_opening, is_closing,
    bet_limit, source FROM odds
WHERE game_id = :game_id
ORDER BY observed_at, sportsbook_id, market, side, line;
"""

QUERY = "find_odds_by_game"
BETDB = "betdb find_odds_by_game (pydantic models)"
RECORDS = "betdb find_odds_by_game (typed Record rows)"
PAUSED = "betdb find_odds_by_game (pydantic models), collector paused around the call"
RAW = "raw asyncpg fetch"
RAW_RECORD_CLASS = "raw fetch(record_class=a Record subclass), betdb's codecs"
RAW_CODECS = "raw fetch, betdb's codecs"
VALIDATE = "asyncpg + pydantic model_validate"
AIOSQL = "aiosql (asyncpg, pydantic record_class)"
CORE = "SQLAlchemy Core (Row tuples)"
ORM = "SQLAlchemy ORM (mapped objects)"


class _OddsRow(asyncpg.Record):
    """A Record subclass of one's own: what record_class= costs the driver, without codegen."""


async def run(data: MainData, sizes: Sizes) -> BenchResult:
    game = data.read_game
    betdb_conn = await asyncpg.connect(data.dsn)
    await init_connection(betdb_conn)
    plain = await asyncpg.connect(data.dsn)
    engine = alchemy.engine(data.dsn)
    sessions = alchemy.sessions(engine)
    queries = aiosql.from_str(_AIOSQL, "asyncpg", record_classes={"Odds": Odds})
    querier = Querier(betdb_conn)
    odds = alchemy.OddsRecord
    ordered = select(odds).where(odds.game_id == game)
    ordered = ordered.order_by(
        odds.observed_at, odds.sportsbook_id, odds.market, odds.side, odds.line
    )
    core = select(*odds.__table__.columns).where(odds.game_id == game)
    core = core.order_by(odds.observed_at, odds.sportsbook_id, odds.market, odds.side, odds.line)
    arguments = {"game_id": game, "market": None, "sportsbook_id": None}
    models = model_variant(Querier, QUERY)
    records = record_variant(Querier, QUERY)

    methods: dict[str, Callable[[], Awaitable[object]]] = {}
    notes: dict[str, str] = {}
    if models is not None:
        methods[BETDB], _ = call(querier, models.method, arguments)
    elif records is not None:
        model = typing.get_type_hints(records.row.to_model)["return"]
        # What row_type: model runs for this query: fetch, then the generated list decoder.
        decode_many = getattr(betdb_odds, f"_decode_many_{snake(model.__name__)}", None)
        if decode_many is not None:

            async def decoded() -> object:
                return decode_many(await betdb_conn.fetch(FIND_ODDS_BY_GAME, game, None, None))

            methods[BETDB] = decoded
            notes[BETDB] = f"fetch + {decode_many.__name__}, as row_type: model runs it"
        else:
            by_record, _ = call(querier, records.method, arguments)

            async def to_models() -> object:
                rows: Any = await by_record()
                return [row.to_model() for row in rows]

            methods[BETDB] = to_models
            notes[BETDB] = "records + to_model()"
    if records is not None:
        methods[RECORDS], _ = call(querier, records.method, arguments)
    if BETDB in methods:
        models_call = methods[BETDB]

        async def paused() -> object:
            # Whether pausing the collector pays on this Python (issue 13's GC finding).
            was_enabled = gc.isenabled()
            gc.disable()
            try:
                return await models_call()
            finally:
                if was_enabled:
                    gc.enable()

        methods[PAUSED] = paused

    async def raw() -> object:
        return await plain.fetch(FIND_ODDS_BY_GAME, game, None, None)

    record_class = records.row if records is not None else _OddsRow

    async def raw_record_class() -> object:
        return await betdb_conn.fetch(
            FIND_ODDS_BY_GAME, game, None, None, record_class=record_class
        )

    async def raw_codecs() -> object:
        return await betdb_conn.fetch(FIND_ODDS_BY_GAME, game, None, None)

    async def validate() -> object:
        rows = await plain.fetch(FIND_ODDS_BY_GAME, game, None, None)
        return [Odds.model_validate(dict(row)) for row in rows]

    async def with_aiosql() -> object:
        return [odds async for odds in queries.find_odds_by_game(plain, game_id=game)]

    async def orm() -> object:
        async with sessions() as session:
            return (await session.execute(ordered)).scalars().all()

    async def sa_core() -> object:
        async with engine.connect() as connection:
            return (await connection.execute(core)).all()

    methods |= {
        RAW: raw,
        RAW_RECORD_CLASS: raw_record_class,
        RAW_CODECS: raw_codecs,
        VALIDATE: validate,
        AIOSQL: with_aiosql,
        CORE: sa_core,
        ORM: orm,
    }
    try:
        for name in (BETDB, RECORDS):
            if name in methods:
                check = await methods[name]()
                assert isinstance(check, list), name
                assert len(check) == data.read_rows, f"{name}: {len(check)} rows"
        times = await interleaved(methods, warmups=1, repeats=sizes.read_repeats, young=True)
    finally:
        await betdb_conn.close()
        await plain.close()
        await engine.dispose()

    rates = {name: Spread.of(seconds).rate(data.read_rows) for name, seconds in times.items()}
    measurements = [
        Measurement(name, rate, "rows/s", higher_is_better=True, extra={"note": notes.get(name)})
        for name, rate in rates.items()
    ]

    def faster(ours: str, theirs: str) -> tuple[float, list[float]]:
        """How many times as fast ours is, on medians and repeat by repeat."""
        return rates[ours].median / rates[theirs].median, ratios(times[theirs], times[ours])

    goals = []
    if BETDB in rates:
        for theirs, target, claim in (
            (RAW, 0.75, "betdb models / raw asyncpg fetch"),
            (ORM, 3.5, "betdb models / SQLAlchemy 2 ORM"),
        ):
            ratio, spread = faster(BETDB, theirs)
            goal = Goal.at_least(f":many {data.read_rows:,} rows: {claim}", ratio, target, spread)
            goal.note = notes.get(BETDB, "")
            goals.append(goal)
    claim = f":many {data.read_rows:,} rows: typed Record rows / raw asyncpg fetch"
    if RECORDS in rates:
        ratio, spread = faster(RECORDS, RAW)
        goals.append(Goal.at_least(claim, ratio, 0.95, spread))
    else:
        goals.append(
            Goal.unavailable(claim, ">= 0.95x", "no record-typed find_odds_by_game generated yet")
        )
    for ours, theirs, claim in (
        (RAW_CODECS, RAW, "raw fetch with betdb's codecs / raw fetch"),
        (RAW_RECORD_CLASS, RAW_CODECS, "raw fetch(record_class=) / raw fetch, both betdb's codecs"),
    ):
        ratio, spread = faster(ours, theirs)
        goals.append(Goal.informational(claim, ratio, spread=spread))
    if BETDB in rates:
        ratio, spread = faster(PAUSED, BETDB)
        goals.append(
            Goal.informational(
                "betdb models: collector paused / as generated", ratio, spread=spread
            )
        )
        for theirs, claim in (
            (VALIDATE, "betdb models / model_validate"),
            (AIOSQL, "betdb models / aiosql"),
            (CORE, "betdb models / SQLAlchemy Core"),
        ):
            ratio, spread = faster(BETDB, theirs)
            goals.append(Goal.informational(claim, ratio, spread=spread))
    return BenchResult(
        name="read",
        title=f":many of {data.read_rows:,} odds rows into objects",
        measurements=measurements,
        goals=goals,
        details={"row_types": {"models": models, "records": records}},
    )
