"""1. Read throughput: one game's 200,000 odds rows (`find_odds_by_game`, :many) into objects."""

from __future__ import annotations

import aiosql
import asyncpg
from sqlalchemy import select

from bench import alchemy
from bench.fixtures import MainData
from bench.measure import Spread, interleaved
from bench.results import BenchResult, Goal, Measurement
from bench.sizes import Sizes
from betdb.generated import init_connection
from betdb.generated.models import Odds
from betdb.generated.odds import FIND_ODDS_BY_GAME, Querier

# What a team using aiosql would write: the same SQL, rows built into the pydantic model.
_AIOSQL = """-- name: find_odds_by_game(game_id)
-- record_class: Odds
SELECT game_id, sportsbook_id, market, side, line, price, observed_at, is_opening, is_closing,
    bet_limit, source FROM odds
WHERE game_id = :game_id
ORDER BY observed_at, sportsbook_id, market, side, line;
"""

BETDB = "betdb find_odds_by_game"
RAW = "raw asyncpg fetch"
RAW_CODECS = "raw fetch, betdb's codecs"
VALIDATE = "asyncpg + pydantic model_validate"
AIOSQL = "aiosql (asyncpg, pydantic record_class)"
CORE = "SQLAlchemy Core (Row tuples)"
ORM = "SQLAlchemy ORM (mapped objects)"


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

    async def betdb() -> object:
        return await querier.find_odds_by_game(game_id=game, market=None, sportsbook_id=None)

    async def raw() -> object:
        return await plain.fetch(FIND_ODDS_BY_GAME, game, None, None)

    async def raw_codecs() -> object:
        return await betdb_conn.fetch(FIND_ODDS_BY_GAME, game, None, None)

    async def validate() -> object:
        records = await plain.fetch(FIND_ODDS_BY_GAME, game, None, None)
        return [Odds.model_validate(dict(record)) for record in records]

    async def with_aiosql() -> object:
        return [odds async for odds in queries.find_odds_by_game(plain, game_id=game)]

    async def orm() -> object:
        async with sessions() as session:
            return (await session.execute(ordered)).scalars().all()

    async def sa_core() -> object:
        async with engine.connect() as connection:
            return (await connection.execute(core)).all()

    try:
        check = await betdb()
        assert isinstance(check, list)
        assert len(check) == data.read_rows, f"{len(check)} rows, not {data.read_rows}"
        methods = {
            BETDB: betdb,
            RAW: raw,
            RAW_CODECS: raw_codecs,
            VALIDATE: validate,
            AIOSQL: with_aiosql,
            CORE: sa_core,
            ORM: orm,
        }
        times = await interleaved(methods, warmups=1, repeats=sizes.read_repeats)
    finally:
        await betdb_conn.close()
        await plain.close()
        await engine.dispose()

    rates = {name: Spread.of(seconds).rate(data.read_rows) for name, seconds in times.items()}
    measurements = [
        Measurement(name, rate, "rows/s", higher_is_better=True) for name, rate in rates.items()
    ]
    ours = rates[BETDB].median
    return BenchResult(
        name="read",
        title=f":many of {data.read_rows:,} odds rows into objects",
        measurements=measurements,
        goals=[
            Goal.at_least("betdb / raw asyncpg fetch", ours / rates[RAW].median, 0.6),
            Goal.at_least("betdb / SQLAlchemy ORM", ours / rates[ORM].median, 3),
            Goal.informational("betdb / model_validate", ours / rates[VALIDATE].median),
            Goal.informational("betdb / aiosql", ours / rates[AIOSQL].median),
            Goal.informational("betdb / SQLAlchemy Core", ours / rates[CORE].median),
        ],
    )
