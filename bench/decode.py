"""Decoding speed of generated queries against raw asyncpg and the pydantic alternatives.

Run as `.venv/bin/python bench/decode.py`: it generates the querier for bench/benchcase with
sqlc and the plugin, starts a scratch PostgreSQL, loads 200,000 rows of an 8-column table
(bigint, text, enum, numeric, integer, timestamptz, jsonb) and prints rows/s side by side.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg

from betdb.embedded import scratch_server

HERE = Path(__file__).parent
ROWS = 200_000
ONE_CALLS = 5_000


def generate(work: Path) -> Any:
    shutil.copytree(HERE / "benchcase", work / "benchgen_src")
    (work / "benchgen_src" / "sqlc.yaml").write_text(
        'version: "2"\nplugins:\n  - name: py\n    process:\n      cmd: sqlc-gen-asyncpg\n'
        "      format: json\nsql:\n  - engine: postgresql\n    schema: schema.sql\n"
        "    queries: query.sql\n    codegen:\n      - plugin: py\n        out: ../benchgen\n"
        "        options:\n          package: benchgen\n"
    )
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "sqlc"), "generate"],
        cwd=work / "benchgen_src",
        env={"PATH": f"{bin_dir}:{os.environ.get('PATH', '')}"},
        check=True,
    )
    sys.path.insert(0, str(work))
    return importlib.import_module("benchgen")


async def best(repeat: int, run: Callable[[], Awaitable[object]]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        await run()
        times.append(time.perf_counter() - start)
    return min(times)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, scratch_server() as server:
        gen = generate(Path(tmp))
        queries = importlib.import_module("benchgen.query")
        models = importlib.import_module("benchgen.models")
        conn = await asyncpg.connect(server.dsn)
        await conn.execute((HERE / "benchcase" / "schema.sql").read_text())
        await conn.execute(
            f"""INSERT INTO observations
            SELECT g, g / 20, 'book' || (g % 12),
                   (ARRAY['moneyline', 'spread', 'total'])[g % 3 + 1]::market,
                   CASE WHEN g % 3 = 0 THEN NULL ELSE (g % 20) * 0.5 - 5 END, -110 + g % 40,
                   now() - g * interval '1 second', jsonb_build_object('src', 'sbr', 'n', g % 7)
            FROM generate_series(1, {ROWS}) g"""
        )
        await gen.init_connection(conn)
        querier = queries.Querier(conn)
        sql = queries.LIST_OBSERVATIONS
        model = models.Observation

        many: dict[str, float] = {}
        many["raw asyncpg fetch"] = await best(5, lambda: conn.fetch(sql))
        many["generated :many"] = await best(5, querier.list_observations)

        async def validate() -> object:
            return [model.model_validate(dict(r)) for r in await conn.fetch(sql)]

        async def construct() -> object:
            return [model.model_construct(**dict(r)) for r in await conn.fetch(sql)]

        many["model_validate"] = await best(3, validate)
        many["model_construct"] = await best(3, construct)

        rows = await querier.list_observations()
        assert len(rows) == ROWS
        assert rows[0] == model.model_validate(rows[0].model_dump())
        del rows
        gc.collect()  # the :one runs should not pay for collecting the big results above

        one_sql = queries.GET_OBSERVATION

        async def raw_one() -> None:
            for i in range(1, ONE_CALLS + 1):
                await conn.fetchrow(one_sql, i)

        async def gen_one() -> None:
            for i in range(1, ONE_CALLS + 1):
                await querier.get_observation(id=i)

        one_raw, one_gen = [], []
        for _ in range(5):  # interleaved, so drift of the machine hits both alike
            one_raw.append(await best(1, raw_one))
            one_gen.append(await best(1, gen_one))
        await conn.close()

    base = ROWS / many["raw asyncpg fetch"]
    print(f"{ROWS:,} rows x 8 columns (:many), best of several runs")
    print(f"{'method':<20}{'rows/s':>14}{'vs raw fetch':>15}")
    for name, seconds in many.items():
        rate = ROWS / seconds
        print(f"{name:<20}{rate:>14,.0f}{rate / base:>14.2f}x")
    raw_us = statistics.median(one_raw) / ONE_CALLS * 1e6
    gen_us = statistics.median(one_gen) / ONE_CALLS * 1e6
    print(f"\n:one, {ONE_CALLS:,} calls, median of 5 runs")
    print(f"{'raw asyncpg fetchrow':<28}{raw_us:>8.1f} us/call")
    print(f"{'generated :one':<28}{gen_us:>8.1f} us/call  ({gen_us / raw_us - 1:+.1%})")


if __name__ == "__main__":
    asyncio.run(main())
