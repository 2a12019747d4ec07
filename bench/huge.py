"""The scale benchmark at 10^6, 10^7 and 10^8 odds rows: `python -m bench.huge --data-dir DIR`.

A decade of minute-level odds: 15 games a day, each with 12 observations a minute apart from
every book of the migrated database (25) and 6 market-sides (1,800 rows a game, 27,000 a day),
so 10^8 rows span 3,704 days in monthly partitions. The rows are made inside PostgreSQL
(bench.dataset's generator) on an embedded server whose cluster lives in DIR (tens of GB at
10^8: put it on a disk with room); the cluster is deleted afterwards unless --keep. At each
size: the scale benchmark's three queries under both plan modes (latency and partitions
scanned, the same game and window at every size), the import rate through the generated
copy_odds, and the database's and indexes' sizes. Not part of `make bench`: `make bench-huge`.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime
import json
import platform
import shutil
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
from rich.console import Console

from bench import dataset, environment, scale
from bench.measure import Spread
from bench.report import print_report, write_json
from bench.results import BenchResult, Goal, Measurement, ratios
from bench.server import BenchServer
from bench.sizes import QUICK
from betdb.embedded import EmbeddedPostgres
from betdb.generated import init_connection
from betdb.generated.odds import Querier as OddsQuerier

OBSERVATIONS = 12
SPACING_SECONDS = 60
MARKET_SIDES = 6
CHUNK_DAYS = 30  # one INSERT ... SELECT per month of schedule: 810,000 rows
COPY_ROWS = 100_000
COPY_REPEATS = 3
SIZES = (1_000_000, 10_000_000, 100_000_000)
# A bulk load on a throwaway cluster: few checkpoints, no autovacuum racing the load (the
# benchmark runs VACUUM (ANALYZE) itself after each size).
SERVER_SETTINGS = (
    "max_wal_size=16GB",
    "checkpoint_timeout=30min",
    "shared_buffers=512MB",
    "maintenance_work_mem=512MB",
    "autovacuum=off",
)

_SIZES_SQL = """
SELECT pg_database_size(current_database()),
       (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('odds'::regclass)),
       (SELECT sum(pg_relation_size(relid))
          FROM pg_partition_tree('odds_observation_unique'::regclass)),
       (SELECT sum(pg_relation_size(relid))
          FROM pg_partition_tree('odds_sportsbook_id_idx'::regclass))
"""


def _days(rows: int, books: int) -> int:
    per_day = dataset.GAMES_PER_DAY * OBSERVATIONS * MARKET_SIDES * books
    return max(scale.WINDOW_DAYS + 1, -(-rows // per_day))


def _log(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


async def _grow(conn: asyncpg.Connection, from_day: int, to_day: int) -> int:
    await dataset.ensure_partitions(conn, scale.FIRST_DAY, to_day)
    added = 0
    for start in range(from_day, to_day, CHUNK_DAYS):
        stop = min(to_day, start + CHUNK_DAYS)
        games = await dataset.add_schedule(conn, scale.FIRST_DAY, start, stop)
        added += await dataset.add_odds(conn, games, OBSERVATIONS, SPACING_SECONDS)
        _log(f"  day {stop:,} of {to_day:,}: {added:,} rows added")
    started = time.perf_counter()
    await dataset.analyze(conn)
    _log(f"  VACUUM (ANALYZE): {time.perf_counter() - started:.0f} s")
    return added


async def _copy_rate(dsn: str, to_day: int) -> tuple[Spread, list[float]]:
    """copy_odds of COPY_ROWS new rows for the last day's games (after their first pitch, so
    they are new observations), COPY_REPEATS times; rows/s."""
    conn = await asyncpg.connect(dsn)
    try:
        await init_connection(conn)
        last_day = to_day - 1
        games = range(last_day * dataset.GAMES_PER_DAY + 1, to_day * dataset.GAMES_PER_DAY + 1)
        pitch = dataset.first_pitch(scale.FIRST_DAY, games.start)
        querier = OddsQuerier(conn)
        rates = []
        for repeat in range(COPY_REPEATS):
            start = pitch + datetime.timedelta(hours=1 + 2 * repeat)
            records = dataset.odds_records(COPY_ROWS, games, start)
            began = time.perf_counter()
            stored = await querier.copy_odds(records)
            rates.append(stored / (time.perf_counter() - began))
        return Spread.of(rates), rates
    finally:
        await conn.close()


async def _sizes(dsn: str) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow(_SIZES_SQL)
        assert row is not None
        return dict(
            zip(
                ("database_bytes", "odds_heap_bytes", "unique_index_bytes", "book_index_bytes"),
                (int(value or 0) for value in row),
                strict=True,
            )
        )
    finally:
        await conn.close()


async def run(dsn: str, targets: Sequence[int]) -> tuple[BenchResult, dict[str, Any]]:
    """One database per size, each loaded from empty; then the sizes measured in turns (a
    machine whose load drifts shifts them alike), then copy_odds into each, then sizes."""
    server = BenchServer(dsn=dsn, kind="embedded server (fsync off)")
    await server.migrate_template()
    timing = dataclasses.replace(QUICK, scale_calls=200, scale_repeats=5)
    stages: list[dict[str, Any]] = []
    loaded: list[scale.Target] = []
    game = 0
    for target in targets:
        label = f"{target:.0e}".replace("+0", "").replace("+", "")
        database = await server.database(f"huge_{label}")
        loader = await asyncpg.connect(database)
        try:
            await dataset.bulk_session(loader)
            books = int(await loader.fetchval("SELECT count(*) FROM sportsbooks"))
            game = game or (_days(targets[0], books) // 2) * dataset.GAMES_PER_DAY + 1
            to_day = _days(target, books)
            _log(f"loading {target:,} rows ({to_day:,} days) into {label}")
            started = time.perf_counter()
            added = await _grow(loader, 0, to_day)
            load_seconds = time.perf_counter() - started
        finally:
            await loader.close()
        loaded.append(scale.Target(label, database, added, to_day))
        stages.append(
            {
                "size": label,
                "table_rows": added,
                "days": to_day,
                "load_seconds": load_seconds,
                "load_rows_per_s": added / load_seconds,
            }
        )
    _log("measuring the queries, the sizes in turns")
    measurements = await scale.measure_sizes(loaded, timing, game)
    for each, stage in zip(loaded, stages, strict=True):
        copy, copy_rates = await _copy_rate(each.dsn, each.to_day)
        stage["table_rows"] = each.table_rows + COPY_ROWS * COPY_REPEATS
        measurements.append(
            Measurement(
                f"copy_odds of {COPY_ROWS:,} new rows @ {each.table_rows:,} odds rows",
                copy,
                "rows/s",
                higher_is_better=True,
                extra={
                    "size": each.label,
                    "table_rows": stage["table_rows"],
                    "repeats": copy_rates,
                },
            )
        )
        stage |= await _sizes(each.dsn)
        _log(f"stage {each.label}: {json.dumps(stage)}")
    return _result(measurements, stages), {"stages": stages}


def _result(measurements: list[Measurement], stages: list[dict[str, Any]]) -> BenchResult:
    goals = []
    labels = [stage["size"] for stage in stages]
    for name in scale.QUERIES:
        for mode in scale.PLAN_MODES:
            by_size = {
                m.extra["size"]: m for m in measurements if m.method.startswith(f"{name}, {mode} @")
            }
            base = by_size[labels[0]]
            for label in labels[1:]:
                big = by_size[label]
                scanned = [by_size[each].extra["partitions_scanned"] for each in labels]
                goal = Goal.at_most(
                    f"{name} latency {big.extra['table_rows']:,} / {base.extra['table_rows']:,}"
                    f" rows, {mode}",
                    big.value.median / base.value.median,
                    1.2,
                    ratios(big.extra["repeat_medians"], base.extra["repeat_medians"]),
                )
                # find_games_by_team reads games, which is not partitioned: no odds partition.
                within = all(1 <= count <= 3 for count in scanned) or not any(scanned)
                goal.note = "odds partitions scanned " + " -> ".join(map(str, scanned))
                if goal.met and not within:
                    goal.met = False
                    goal.note += " (goal: 1 to 3)"
                goals.append(goal)
    copies = [m for m in measurements if m.method.startswith("copy_odds")]
    goals.append(
        Goal.informational(
            f"copy_odds rate @ {copies[-1].extra['table_rows']:,}"
            f" / @ {copies[0].extra['table_rows']:,} rows",
            copies[-1].value.median / copies[0].value.median,
        )
    )
    for stage in stages:
        goals.append(
            Goal.informational(
                f"database size @ {stage['table_rows']:,} rows (indexes: unique"
                f" {stage['unique_index_bytes'] / 2**30:.2f} GiB, sportsbook"
                f" {stage['book_index_bytes'] / 2**30:.2f} GiB; odds heap"
                f" {stage['odds_heap_bytes'] / 2**30:.2f} GiB)",
                stage["database_bytes"] / 2**30,
                unit="GiB",
            )
        )
    return BenchResult(
        name="huge",
        title="scale at 10^6, 10^7 and 10^8 odds rows",
        measurements=measurements,
        goals=goals,
        details={"stages": stages},
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.huge", description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="where the cluster lives")
    parser.add_argument("--out", type=Path, default=Path("build/bench-huge"))
    parser.add_argument("--keep", action="store_true", help="keep the cluster afterwards")
    parser.add_argument(
        "--rows", type=int, action="append", help="table sizes (repeatable; default 1e6 1e7 1e8)"
    )
    args = parser.parse_args(argv)
    targets = sorted(args.rows or SIZES)
    if args.data_dir.exists() and any(args.data_dir.iterdir()):
        parser.error(f"--data-dir {args.data_dir} is not empty")
    server = EmbeddedPostgres(args.data_dir, scratch=True, settings=SERVER_SETTINGS)
    started = time.perf_counter()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stopped: the cluster goes too
    try:
        server.start()
        result, details = asyncio.run(run(server.dsn, targets))
        version = asyncio.run(BenchServer(dsn=server.dsn, kind="").version())
    finally:
        if args.keep:
            server.stop()
        else:
            server.destroy()
            shutil.rmtree(args.data_dir, ignore_errors=True)
    meta = environment.describe(version, "embedded server (fsync off)")
    meta |= {
        "seconds": time.perf_counter() - started,
        "date": f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "host": platform.node(),
        "sizes": {"name": "huge", "targets": targets},
        **details,
    }
    console = Console(width=170)
    print_report([result], meta, console)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "results.json"
    write_json([result], meta, path)
    console.print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
