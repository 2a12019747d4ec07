"""Parquet export: rows/s of `export_odds` for one season at two sizes (scale_small and
scale_large odds rows: 1M and 10M; quick 100k and 1M), and its peak memory above idle, each run
in a fresh process. Streaming from a server-side cursor means the same peak at both sizes.

`python -m bench.export DSN SEASON OUT_DIR` is the child: it prints JSON (rows, seconds, MB).
"""

from __future__ import annotations

import asyncio
import datetime
import gc
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import asyncpg

from bench import dataset
from bench.measure import Spread
from bench.results import BenchResult, Goal, Measurement
from bench.server import BenchServer
from bench.sizes import Sizes
from bench.stream_child import peak_rss_mb, reset_peak
from betdb.export import export_odds

ROOT = Path(__file__).resolve().parent.parent
FIRST_DAY = datetime.date(2025, 3, 27)
SEASON = 2025
MAX_DAYS = 180  # one season: every game in 2025
FLAT_MEMORY = 1.5  # peak above idle at the large size over the small one


async def _load(dsn: str, rows: int) -> int:
    days = max(
        1, min(MAX_DAYS, rows // (dataset.GAMES_PER_DAY * dataset.ROWS_PER_OBSERVATION * 10))
    )
    observations = -(-rows // (days * dataset.GAMES_PER_DAY * dataset.ROWS_PER_OBSERVATION))
    conn = await asyncpg.connect(dsn)
    try:
        await dataset.bulk_session(conn)
        await dataset.ensure_partitions(conn, FIRST_DAY, days)
        games = await dataset.add_schedule(conn, FIRST_DAY, 0, days)
        added = await dataset.add_odds(conn, games, observations)
        await dataset.analyze(conn)
    finally:
        await conn.close()
    return added


async def _child(dsn: str) -> dict[str, float]:
    out = Path(tempfile.mkdtemp(prefix="betdb-bench-export-"))
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.export", dsn, str(SEASON), str(out / "odds"),
            cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        stdout, stderr = await process.communicate()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if process.returncode != 0:
        raise RuntimeError(f"bench.export child failed: {stderr.decode().strip()}")
    result: dict[str, float] = json.loads(stdout)
    return result


async def run(server: BenchServer, sizes: Sizes) -> BenchResult:
    measurements = []
    peaks: dict[str, float] = {}
    for label, wanted in (("small", sizes.scale_small), ("large", sizes.scale_large)):
        dsn = await server.database(f"export_{label}")
        rows = await _load(dsn, wanted)
        runs = [await _child(dsn) for _ in range(sizes.stream_repeats)]
        assert all(r["rows"] == rows for r in runs), (rows, runs)
        seconds = Spread.of([r["seconds"] for r in runs])
        memory = Spread.of([max(0.0, r["peak_mb"] - r["idle_mb"]) for r in runs])
        peaks[label] = memory.median
        extra = {"rows": rows, "files": runs[0]["files"], "parquet_mb": runs[0]["parquet_mb"]}
        measurements.append(
            Measurement(f"export_odds, {rows:,} rows", seconds.rate(rows), "rows/s", True, extra)
        )
        measurements.append(
            Measurement(
                f"export_odds memory, {rows:,} rows",
                memory,
                "MB above idle",
                higher_is_better=False,
                extra={**extra, "memory": "VmHWM minus VmRSS after imports and connect"},
            )
        )
    ratio = peaks["large"] / peaks["small"] if peaks["small"] else 1.0
    return BenchResult(
        name="export",
        title="Parquet export of one season (server-side cursor, one file per month)",
        measurements=measurements,
        goals=[
            Goal.at_most("peak memory above idle, large / small season", ratio, FLAT_MEMORY),
            Goal.informational(
                "export rows/s, large / small",
                measurements[2].value.median / measurements[0].value.median,
            ),
        ],
    )


async def _export(dsn: str, season: int, out: Path) -> dict[str, float]:
    connection = await asyncpg.connect(dsn)
    try:
        import pyarrow.parquet  # noqa: F401  # imported before the idle figure

        gc.collect()
        reset_peak()
        idle = peak_rss_mb()
        started = time.perf_counter()
        manifest = await export_odds(connection, out, season=season)
        seconds = time.perf_counter() - started
    finally:
        await connection.close()
    return {
        "rows": manifest.rows,
        "seconds": seconds,
        "idle_mb": idle,
        "peak_mb": peak_rss_mb(),
        "files": len(manifest.files),
        "parquet_mb": sum(f.bytes for f in manifest.files) / 1e6,
    }


if __name__ == "__main__":
    dsn, season, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    print(json.dumps(asyncio.run(_export(dsn, season, out))))
