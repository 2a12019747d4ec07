"""One streaming-memory measurement in a process of its own, so peaks never mix.

`python -m bench.stream_child DSN GAME WARMUP_GAME iter|many` prints JSON: idle and peak RSS.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from pathlib import Path

import asyncpg

from betdb.generated import init_connection
from betdb.generated.odds import Querier


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # reported in kB
    raise RuntimeError(f"/proc/self/status has no {field}")


def peak_rss_mb() -> float:
    # VmHWM: the kernel's high-water mark of resident memory, so no peak is missed between
    # samples. (getrusage's ru_maxrss would not do: it counts the parent's RSS at fork.)
    return _status_mb("VmHWM")


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # sets VmHWM back to the current RSS


async def measure(dsn: str, game: int, warmup_game: int, mode: str) -> dict[str, float]:
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    querier = Querier(conn)
    # Warm-up on a small game: statements prepared, codecs and models in use.
    async with conn.transaction():
        async for _ in querier.iter_find_odds_by_game(
            game_id=warmup_game, market=None, sportsbook_id=None
        ):
            pass
    await querier.find_odds_by_game(game_id=warmup_game, market=None, sportsbook_id=None)
    gc.collect()
    reset_peak()
    idle = peak_rss_mb()
    started = time.perf_counter()
    rows = 0
    if mode == "iter":
        async with conn.transaction():
            async for _ in querier.iter_find_odds_by_game(
                game_id=game, market=None, sportsbook_id=None
            ):
                rows += 1
    else:
        rows = len(await querier.find_odds_by_game(game_id=game, market=None, sportsbook_id=None))
    seconds = time.perf_counter() - started
    await conn.close()
    return {"idle_mb": idle, "peak_mb": peak_rss_mb(), "rows": rows, "seconds": seconds}


if __name__ == "__main__":
    dsn, game, warmup_game, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if mode not in {"iter", "many"}:
        sys.exit(f"mode must be iter or many, not {mode!r}")
    print(json.dumps(asyncio.run(measure(dsn, game, warmup_game, mode))))
