"""4. Streaming: peak memory above idle of the generated `iter_find_odds_by_game` (a server-side
cursor) against `find_odds_by_game` (:many) on a game with millions of rows, each run in a
fresh process. Streaming is also run on the 200,000-row game: flat means the same peak."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bench.fixtures import MainData
from bench.measure import Spread
from bench.results import BenchResult, Goal, Measurement
from bench.sizes import Sizes

ROOT = Path(__file__).resolve().parent.parent


async def _child(dsn: str, game: int, warmup_game: int, mode: str) -> dict[str, float]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.stream_child", dsn, str(game), str(warmup_game), mode,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"stream_child {mode} failed: {err.decode().strip()}")
    result: dict[str, float] = json.loads(out)
    return result


async def run(data: MainData, sizes: Sizes) -> BenchResult:
    runs = {
        f"iter_find_odds_by_game, {data.stream_rows:,} rows": (data.stream_game, "iter"),
        f"iter_find_odds_by_game, {data.read_rows:,} rows": (data.read_game, "iter"),
        f"find_odds_by_game (:many), {data.stream_rows:,} rows": (data.stream_game, "many"),
    }
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
    for _ in range(sizes.stream_repeats):
        for name, (game, mode) in runs.items():
            samples[name].append(await _child(data.dsn, game, data.plain_games.start, mode))

    measurements = []
    for name, results in samples.items():
        # The kernel's RSS counters are approximate to some kB: a flat run may read just below 0.
        above_idle = Spread.of([max(0.0, r["peak_mb"] - r["idle_mb"]) for r in results])
        measurements.append(
            Measurement(
                name,
                above_idle,
                "MB above idle",
                higher_is_better=False,
                extra={
                    "idle_mb": results[0]["idle_mb"],
                    "rows": results[0]["rows"],
                    "rows_per_s": Spread.of([r["seconds"] for r in results])
                    .rate(results[0]["rows"])
                    .median,
                    "memory": "VmHWM (kernel peak RSS, reset after warm-up) minus VmRSS at idle",
                },
            )
        )
    big_iter, small_iter, many = (m.value.median for m in measurements)
    return BenchResult(
        name="stream",
        title=f"streaming {data.stream_rows:,} rows: peak RSS above idle",
        measurements=measurements,
        goals=[
            Goal("streaming: peak above idle", big_iter, "< 100 MB", big_iter < 100, "MB"),
            Goal.informational(
                f"streaming: peak growth from {data.read_rows:,} to {data.stream_rows:,} rows",
                big_iter - small_iter,
                "MB",
            ),
            Goal.informational(":many: peak above idle", many, "MB"),
        ],
    )
