"""The runner: `python -m bench [--quick] [--out DIR] [--only NAME ...]`.

Exit status 0 whatever the numbers are; non-zero only when something crashed.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from bench import (
    concurrency,
    environment,
    export,
    fixtures,
    ingest,
    point,
    read,
    scale,
    stream,
    sync_ingest,
    sync_point,
    sync_read,
)
from bench.report import print_report, write_chart, write_json
from bench.results import BenchResult
from bench.server import bench_server
from bench.sizes import FULL, QUICK, TINY, Sizes

BENCHMARKS = (
    "read", "sync_read", "point", "sync_point", "ingest", "sync_ingest",
    "stream", "scale", "concurrency", "export",
)  # fmt: skip
NEEDS_MAIN_DATA = {"read", "sync_read", "point", "sync_point", "stream", "concurrency"}
# The sync flavour (psycopg 3) blocks: it runs here between awaits, with nothing else running.
SYNC_ON_MAIN_DATA = {"sync_read": sync_read.run, "sync_point": sync_point.run}


async def run_all(
    sizes: Sizes, only: Sequence[str], console: Console
) -> tuple[list[BenchResult], dict[str, Any]]:
    started = time.perf_counter()
    results: list[BenchResult] = []
    with bench_server() as server:
        try:
            await server.migrate_template()
            meta = environment.describe(await server.version(), server.kind)
            data = None
            if NEEDS_MAIN_DATA & set(only):
                console.print(f"[dim]loading the shared data set ({sizes.name} sizes)...[/dim]")
                data = await fixtures.main_data(
                    server,
                    read_rows=sizes.read_rows,
                    stream_rows=sizes.stream_rows if "stream" in only else 0,
                )
            for name in BENCHMARKS:
                if name not in only:
                    continue
                console.print(f"[dim]running {name}...[/dim]")
                began = time.perf_counter()
                if name in SYNC_ON_MAIN_DATA:
                    assert data is not None
                    result = SYNC_ON_MAIN_DATA[name](data, sizes)
                elif name in {"ingest", "sync_ingest", "scale", "export"}:
                    result = await {
                        "ingest": ingest.run,
                        "sync_ingest": sync_ingest.run,
                        "scale": scale.run,
                        "export": export.run,
                    }[name](server, sizes)
                else:
                    assert data is not None
                    runner = {
                        "read": read.run,
                        "point": point.run,
                        "stream": stream.run,
                        "concurrency": concurrency.run,
                    }[name]
                    result = await runner(data, sizes)
                result.seconds = time.perf_counter() - began
                results.append(result)
        finally:
            await server.drop_all()
    meta["sizes"] = dataclasses.asdict(sizes)
    meta["seconds"] = time.perf_counter() - started
    return results, meta


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes: minutes, not tens")
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # smoke test
    parser.add_argument("--out", type=Path, default=Path("build/bench"), help="output directory")
    parser.add_argument(
        "--only", action="append", choices=BENCHMARKS, help="run only this benchmark (repeatable)"
    )
    args = parser.parse_args(argv)
    sizes = TINY if args.tiny else QUICK if args.quick else FULL
    only = args.only or list(BENCHMARKS)
    console = Console(width=150)
    results, meta = asyncio.run(run_all(sizes, only, console))
    args.out.mkdir(parents=True, exist_ok=True)
    print_report(results, meta, console)
    json_path, chart_path = args.out / "results.json", args.out / "results.png"
    write_json(results, meta, json_path)
    write_chart(results, meta, chart_path)
    console.print(f"wrote {json_path} and {chart_path}")
    return 0
