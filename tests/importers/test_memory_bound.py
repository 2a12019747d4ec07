"""Memory stays bounded whatever the file (issue 16, 11 and 12): files far larger than the
bound, imported in a subprocess whose peak resident size (VmHWM) is then read from /proc."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from .conftest import schedule, stats_api_game, write_json

GIB = 1 << 30
PEAK_BOUND_MIB = 200
"""What the importing process may peak at; holding the 1 GiB file whole would take over 1 GiB."""

IMPORT = """
import asyncio, json, sys
from pathlib import Path
import asyncpg
from betdb import UnifiedRepository
from betdb.generated import init_connection
from betdb.importers import import_odds, import_schedule, import_splits

async def main(dsn, kind, path):
    connection = await asyncpg.connect(dsn)
    await init_connection(connection)
    repo = UnifiedRepository(connection)
    importer = {"odds": import_odds, "splits": import_splits, "schedule": import_schedule}[kind]
    report = await importer(repo, Path(path))
    await connection.close()
    status = Path("/proc/self/status").read_text()
    peak = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    print(json.dumps({
        "read": report.read, "imported": report.imported, "rejected": len(report.rejected),
        "kept": len(report.rejected.kept),
        "reasons": sorted({r.reason for r in report.rejected}),
        "rejects_bytes": report.rejects_path.stat().st_size if report.rejects_path else 0,
        "peak_kib": int(peak.split()[1]),
    }))

asyncio.run(main(*sys.argv[1:]))
"""


def run_import(database_url: str, kind: str, path: Path, script: str = IMPORT) -> dict[str, Any]:
    """`script` run in a subprocess on the file; what it prints, as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", script, database_url, kind, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture
def game(database_url: str, tmp_path: Path) -> None:
    path = write_json(tmp_path / "schedule.json", schedule(stats_api_game(777706)))
    assert run_import(database_url, "schedule", path)["imported"] == 1


def sparse_file(path: Path, head: bytes, size: int) -> Path:
    """`head`, then NUL bytes to `size` without a line break: a hole, costing no disk."""
    with path.open("wb") as stream:
        stream.write(head)
        stream.truncate(size)
    return path


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("odds.csv", b"source,external_game_id,sportsbook,market,side,line,price,observed_at\n"),
        ("splits.jsonl", b'{"source": "sbr"}\n'),
    ],
)
def test_a_gigabyte_of_nul_bytes_after_the_header_is_one_rejected_record_in_bounded_memory(
    database_url: str, game: None, tmp_path: Path, name: str, head: bytes
) -> None:
    path = sparse_file(tmp_path / name, head, GIB)
    result = run_import(database_url, name.split(".")[0], path)
    records = 1 if name.endswith(".csv") else 2
    assert (result["read"], result["imported"], result["rejected"]) == (records, 0, records)
    assert (
        f"the record is {GIB - len(head):,} bytes long, over the limit of 1,048,576 bytes"
        in (result["reasons"])
    )
    assert result["rejects_bytes"] < 10_000
    print(f"peak {result['peak_kib'] // 1024} MiB")
    assert result["peak_kib"] < PEAK_BOUND_MIB * 1024, result


def test_a_stream_of_half_a_million_bad_lines_keeps_counts_not_rejections_in_memory(
    database_url: str, game: None, tmp_path: Path
) -> None:
    fifo = tmp_path / "odds.csv"
    os.mkfifo(fifo)
    bad = b"sbr,777706,draftkings,moneyline,home,,-150,\x00" + b"x" * 150 + b"\n"

    def write() -> None:
        with fifo.open("wb") as stream:
            stream.write(b"source,external_game_id,sportsbook,market,side,line,price,observed_at\n")
            for _ in range(300):
                stream.write(bad * 1000)

    writer = threading.Thread(target=write)
    writer.start()
    result = run_import(database_url, "odds", fifo)
    writer.join()
    assert (result["read"], result["rejected"], result["kept"]) == (300_000, 300_000, 100)
    assert result["reasons"] == ["contains NUL bytes (a UTF-16 file? save it as UTF-8)"]
    print(f"peak {result['peak_kib'] // 1024} MiB")
    assert result["peak_kib"] < PEAK_BOUND_MIB * 1024, result
