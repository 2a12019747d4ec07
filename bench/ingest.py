"""3. Bulk ingest of odds rows: COPY through the generated `copy_odds` against raw COPY, and the
row-by-row paths (executemany, the generated :batchexec, SQLAlchemy ORM add_all) on a slice of
the same rows, since at their speed the whole batch would take minutes."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable

import asyncpg

from bench import alchemy, dataset
from bench.measure import Spread, client_share, interleaved
from bench.results import BenchResult, Goal, Measurement, ratios
from bench.server import BenchServer
from bench.sizes import Sizes
from betdb.generated import init_connection
from betdb.generated.odds import CopyOddsParams, CopyOddsValues, Querier

COLUMNS = [
    "game_id", "sportsbook_id", "market", "side", "line", "price", "observed_at",
    "is_opening", "is_closing", "bet_limit", "source",
]  # fmt: skip
INSERT = (
    f"INSERT INTO odds ({', '.join(COLUMNS)}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
)
START = datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)

BETDB = "betdb copy_odds (value tuples, validated)"
BETDB_PARAMS = "betdb copy_odds (CopyOddsParams built beforehand)"
RAW_COPY = "raw asyncpg copy_records_to_table"
EXECUTEMANY = "raw asyncpg executemany"
BATCHEXEC = "betdb ingest_odds (:batchexec)"
ORM = "SQLAlchemy ORM add_all + commit"


async def run(server: BenchServer, sizes: Sizes) -> BenchResult:
    dsn = await server.database("ingest")
    betdb_conn = await asyncpg.connect(dsn)
    await init_connection(betdb_conn)
    plain = await asyncpg.connect(dsn)
    engine = alchemy.engine(dsn)
    sessions = alchemy.sessions(engine)
    await dataset.add_schedule(plain, START.date(), 0, 7)
    records = dataset.odds_records(sizes.copy_rows, range(1, 101), START)
    params = [CopyOddsParams.model_validate(dict(zip(COLUMNS, r, strict=True))) for r in records]
    slice_ = records[: sizes.row_by_row_rows]
    querier = Querier(betdb_conn)

    async def empty() -> None:
        # Every record falls in this one month; emptying one partition is quicker than all.
        await plain.execute(f"TRUNCATE odds_partitions.odds_y{START:%Y}m{START:%m}")

    async def orm(rows: list[CopyOddsValues]) -> None:
        async with sessions() as session:
            session.add_all(
                alchemy.OddsRecord(**dict(zip(COLUMNS, row, strict=True))) for row in rows
            )
            await session.commit()

    def copies(rows: int) -> dict[str, Callable[[], Awaitable[object]]]:
        some, some_params = records[:rows], params[:rows]
        return {
            BETDB: lambda: querier.copy_odds(some),
            BETDB_PARAMS: lambda: querier.copy_odds(some_params),
            RAW_COPY: lambda: plain.copy_records_to_table("odds", records=some, columns=COLUMNS),
        }

    def row_by_row(rows: int) -> dict[str, Callable[[], Awaitable[object]]]:
        some = slice_[:rows]
        return {
            BETDB: lambda: querier.copy_odds(some),
            EXECUTEMANY: lambda: plain.executemany(INSERT, some),
            BATCHEXEC: lambda: querier.ingest_odds(some),
            ORM: lambda: orm(some),
        }

    copy_cpu: dict[str, list[float]] = {}
    try:
        await interleaved(copies(200) | row_by_row(200), warmups=1, repeats=0, before=empty)
        await empty()
        stored = await querier.copy_odds(records[:200])
        assert stored == 200, f"copy_odds stored {stored} of 200 rows"
        copy_times = await interleaved(
            copies(len(records)),
            warmups=0,
            repeats=sizes.copy_repeats,
            before=empty,
            cpu=copy_cpu,
        )
        # copy_odds again, on the slice: the same rows as executemany, turn by turn with it
        slice_times = await interleaved(
            row_by_row(len(slice_)), warmups=0, repeats=sizes.ingest_repeats, before=empty
        )
    finally:
        await betdb_conn.close()
        await plain.close()
        await engine.dispose()

    rates = {name: Spread.of(s).rate(len(records)) for name, s in copy_times.items()}
    rates |= {
        name: Spread.of(s).rate(len(slice_)) for name, s in slice_times.items() if name != BETDB
    }
    counts = {name: len(records) if name in copy_times else len(slice_) for name in rates}
    sliced = f"{BETDB} on the {len(slice_):,}-row slice"
    rates[sliced] = Spread.of(slice_times[BETDB]).rate(len(slice_))
    counts[sliced] = len(slice_)

    def faster(ours: str, theirs: str, times: dict[str, list[float]]) -> list[float]:
        return ratios(times[theirs], times[ours])

    ours = rates[BETDB].median
    return BenchResult(
        name="ingest",
        title=(f"bulk ingest: COPY {len(records):,} odds rows, row by row {len(slice_):,} of them"),
        measurements=[
            Measurement(name, rate, "rows/s", higher_is_better=True, extra={"rows": counts[name]})
            for name, rate in rates.items()
        ],
        goals=[
            Goal.at_least(
                f"copy_odds / raw COPY of the same {len(records):,} rows"
                f" ({sizes.copy_repeats} repeats)",
                ours / rates[RAW_COPY].median,
                0.9,
                faster(BETDB, RAW_COPY, copy_times),
            ),
            Goal.at_least(
                f"copy_odds / executemany of the same {len(slice_):,} rows",
                rates[sliced].median / rates[EXECUTEMANY].median,
                3,
                faster(BETDB, EXECUTEMANY, slice_times),
            ),
            Goal.informational(
                "copy_odds(params) / raw COPY",
                rates[BETDB_PARAMS].median / rates[RAW_COPY].median,
                spread=faster(BETDB_PARAMS, RAW_COPY, copy_times),
            ),
            *client_goals(len(records), copy_times, copy_cpu, (BETDB, RAW_COPY)),
            Goal.informational(
                "copy_odds / SQLAlchemy ORM add_all",
                rates[sliced].median / rates[ORM].median,
                spread=faster(BETDB, ORM, slice_times),
            ),
        ],
    )


def client_goals(
    rows: int,
    times: dict[str, list[float]],
    cpu: dict[str, list[float]],
    methods: tuple[str, ...],
) -> list[Goal]:
    """Per COPY method: the client's CPU per row and its share of the wall time (the rest is
    the server's), as rows of the goals table with no goal of their own."""
    goals = []
    for name in methods:
        per_row, share, runs = client_share(name, rows, times, cpu)
        goal = Goal.informational(f"{name}: client CPU per row", per_row, unit="µs", spread=runs)
        goal.note = f"{share:.0%} of its wall time; the rest is the server's and the wire's"
        goals.append(goal)
    return goals
