"""The benchmark runner, end to end on tiny sizes: every benchmark reports positive numbers.

Tiny sizes prove nothing about speed; `make bench` is where the numbers come from.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from betdb.testing import PostgresServer

pytest.importorskip("sqlalchemy", reason="the bench extra is not installed (make bench does)")
pytest.importorskip("aiosql", reason="the bench extra is not installed (make bench does)")
pytest.importorskip("matplotlib", reason="the bench extra is not installed (make bench does)")

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = {"read", "point", "ingest", "stream", "scale", "concurrency", "export"}
BENCHMARKS |= {"sync_read", "sync_point", "sync_ingest"}  # issue 15: psycopg 3
# Every goal of issue 13 (and the streaming one) is a row of the table, met or not.
GOALS = {
    "read": [">= 0.75x", ">= 3.5x", ">= 0.95x"],  # models raised from 0.65x once reached
    "point": ["<= 1.1x", "<= 6 µs", "<= 1.1x"],
    "ingest": [">= 0.9x", ">= 3x"],
    "stream": ["< 100 MB"],
    "scale": ["<= 1.2x"] * 6,
    "concurrency": [">= 2.5x"],
    "export": ["<= 1.5x"],  # issue 18: flat memory whatever the season's size
    "sync_read": [">= 0.65x", ">= 3x", ">= 0.9x"],  # models, ORM, typed rows
    "sync_point": ["<= 1.1x", "<= 1.15x"],  # the second: through SyncDatabase
    "sync_ingest": [">= 0.9x"],
}


def test_every_benchmark_reports_positive_numbers_and_writes_json_and_chart(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--tiny", "--out", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": postgres_server.dsn},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    document = json.loads((tmp_path / "results.json").read_text())
    assert {b["name"] for b in document["benchmarks"]} == BENCHMARKS
    for benchmark in document["benchmarks"]:
        assert benchmark["measurements"], benchmark["name"]
        for measurement in benchmark["measurements"]:
            value = measurement["value"]
            assert value["low"] <= value["median"] <= value["high"], measurement["method"]
            if measurement["unit"] != "MB above idle":  # streaming may not grow at all
                assert value["median"] > 0, measurement["method"]
        goals = [goal for goal in benchmark["goals"] if goal["target"]]
        assert [goal["target"] for goal in goals] == GOALS[benchmark["name"]], benchmark["name"]
        for goal in goals:  # a number and a verdict, or "not available" and why
            assert (goal["ratio"] is None) == (goal["met"] is None), goal
            assert goal["ratio"] is not None or goal["note"], goal
    assert document["meta"]["versions"]["postgresql"]
    assert (tmp_path / "results.png").read_bytes().startswith(b"\x89PNG")
    assert "ratios and goals" in result.stdout
    assert f"CPython {sys.version.split()[0]}" in result.stdout
