"""3s. Bulk ingest, sync flavour: the ingest benchmark's rows through the generated
SyncQuerier.copy_odds (binary COPY on psycopg 3, column types from the catalog) against raw
psycopg binary COPY of the same tuples (`cursor.copy` + `set_types` + `write_row`), written the
way a raw psycopg user would: types spelled out, enum columns sent as text (an enum's binary
input is its label), on a plain connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg
import psycopg
from pydantic import SecretStr

from bench import dataset
from bench.ingest import COLUMNS, START, client_goals
from bench.measure import Spread, interleaved_sync
from bench.results import BenchResult, Goal, Measurement, ratios
from bench.server import BenchServer
from bench.sizes import Sizes
from bench.sync_read import connect
from betdb import BetdbSettings, SyncDatabase
from betdb._sync_executor import SyncConnectionExecutor
from betdb.generated.odds import CopyOddsParams, CopyOddsValues, SyncQuerier

BETDB = "betdb SyncQuerier.copy_odds (value tuples, validated)"
BETDB_PARAMS = "betdb SyncQuerier.copy_odds (CopyOddsParams built beforehand)"
DATABASE = "betdb SyncDatabase repository odds.copy_odds (value tuples)"
RAW_COPY = "raw psycopg binary COPY (write_row)"
TYPES = [
    "bigint", "integer", "text", "text", "numeric", "integer", "timestamptz",
    "boolean", "boolean", "numeric", "text",
]  # fmt: skip
STATEMENT = f"COPY odds ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)"


def raw_copy(connection: psycopg.Connection[Any], records: list[CopyOddsValues]) -> int:
    with connection.cursor() as cursor:
        with cursor.copy(STATEMENT) as copy:
            copy.set_types(TYPES)
            for record in records:
                copy.write_row(record)
        return cursor.rowcount


async def run(server: BenchServer, sizes: Sizes) -> BenchResult:
    dsn = await server.database("sync_ingest")
    betdb_conn = connect(dsn, configured=True)
    plain = connect(dsn, configured=False)
    # A COPY of a million rows is long by design: no client timeout, no slow-query warning.
    settings = BetdbSettings(
        dsn=SecretStr(dsn),
        pool_min_size=1,
        pool_max_size=1,
        command_timeout=3600,
        slow_query_threshold=3600,
    )
    database = SyncDatabase(settings)
    database.open()
    setup = await asyncpg.connect(dsn)
    try:
        await dataset.add_schedule(setup, START.date(), 0, 7)
    finally:
        await setup.close()
    records = dataset.odds_records(sizes.copy_rows, range(1, 101), START)
    params = [CopyOddsParams.model_validate(dict(zip(COLUMNS, r, strict=True))) for r in records]
    querier = SyncQuerier(SyncConnectionExecutor(betdb_conn))
    repository = database.repository()
    partition = f"odds_partitions.odds_y{START:%Y}m{START:%m}"

    def empty() -> None:
        # Every record falls in this one month; emptying one partition is quicker than all.
        plain.execute(f"TRUNCATE {partition}")

    methods: dict[str, Callable[[], object]] = {
        BETDB: lambda: querier.copy_odds(records),
        BETDB_PARAMS: lambda: querier.copy_odds(params),
        DATABASE: lambda: repository.odds.copy_odds(records),
        RAW_COPY: lambda: raw_copy(plain, records),
    }
    copy_cpu: dict[str, list[float]] = {}
    try:
        for name, method in methods.items():
            empty()
            stored = method()
            assert stored == len(records), f"{name} stored {stored} of {len(records)} rows"
        times = interleaved_sync(
            methods, warmups=0, repeats=sizes.copy_repeats, before=empty, cpu=copy_cpu
        )
    finally:
        betdb_conn.close()
        plain.close()
        database.close()

    rates = {name: Spread.of(s).rate(len(records)) for name, s in times.items()}

    def faster(ours: str, theirs: str) -> tuple[float, list[float]]:
        return rates[ours].median / rates[theirs].median, ratios(times[theirs], times[ours])

    ratio, spread = faster(BETDB, RAW_COPY)
    goals = [
        *client_goals(len(records), times, copy_cpu, (BETDB, RAW_COPY)),
        Goal.at_least(
            f"sync copy_odds / raw psycopg binary COPY of the same {len(records):,} rows"
            f" ({sizes.copy_repeats} repeats)",
            ratio,
            0.9,
            spread,
        ),
    ]
    for ours, claim in (
        (BETDB_PARAMS, "sync copy_odds(params) / raw psycopg COPY"),
        (DATABASE, "sync copy_odds through SyncDatabase / raw psycopg COPY"),
    ):
        ratio, spread = faster(ours, RAW_COPY)
        goals.append(Goal.informational(claim, ratio, spread=spread))
    return BenchResult(
        name="sync_ingest",
        title=f"sync bulk ingest: COPY {len(records):,} odds rows (psycopg 3)",
        measurements=[
            Measurement(name, rate, "rows/s", higher_is_better=True, extra={"rows": len(records)})
            for name, rate in rates.items()
        ],
        goals=goals,
    )
