"""`betdb export odds`: Parquet read back with pyarrow and DuckDB, row for row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from betdb.cli import app
from betdb.export import export_odds, read_manifest
from betdb.sample import SAMPLE_GAME_PK
from betdb.testing import run_sync

_DB_ROWS = """
SELECT o.game_id, g.mlb_game_pk, g.official_date, o.sportsbook_id, s.key AS sportsbook,
    o.market::text, o.side::text, o.line, o.price, o.observed_at, o.is_opening, o.is_closing,
    o.bet_limit, o.source::text
FROM odds o JOIN games g USING (game_id) JOIN sportsbooks s USING (sportsbook_id)
WHERE g.season = $1 AND ($2::bigint IS NULL OR g.mlb_game_pk = $2)
"""


def canonical(row: dict[str, Any]) -> str:
    def text(value: Any) -> str:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).isoformat()
        if isinstance(value, Decimal | dt.date):
            return str(value)
        return repr(value)

    return "|".join(f"{key}={text(row[key])}" for key in sorted(row))


def checksum(rows: list[dict[str, Any]]) -> str:
    return hashlib.sha256("\n".join(sorted(canonical(r) for r in rows)).encode()).hexdigest()


async def _database_rows(dsn: str, season: int, game_pk: int | None = None) -> list[dict[str, Any]]:
    connection = await asyncpg.connect(dsn)
    try:
        return [dict(r) for r in await connection.fetch(_DB_ROWS, season, game_pk)]
    finally:
        await connection.close()


def parquet_rows(directory: Path) -> list[dict[str, Any]]:
    manifest = read_manifest(directory)
    rows: list[dict[str, Any]] = []
    for file in manifest.files:
        rows += pq.read_table(directory / file.path).to_pylist()
    return rows


def export(monkeypatch: pytest.MonkeyPatch, dsn: str, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", dsn)
    monkeypatch.setenv("COLUMNS", "300")
    result = CliRunner().invoke(app, ["export", "odds", *args])
    return result.exit_code, result.output


def test_a_season_exports_one_typed_file_per_month_with_every_row(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "odds-2025"
    code, output = export(monkeypatch, sample_url, "--season", "2025", str(out))
    assert code == 0, output
    manifest = read_manifest(out)
    assert [f.path for f in manifest.files] == [
        "season=2025/month=2025-06/odds.parquet",  # the sample week
        "season=2025/month=2026-06/odds.parquet",  # the same odds observed a year later
    ]
    assert [f.rows for f in manifest.files] == [2588, 2588]
    assert manifest.rows == 5176
    assert all(f.bytes == (out / f.path).stat().st_size for f in manifest.files)

    schema = pq.read_schema(out / manifest.files[0].path)
    assert schema.field("line").type == pa.decimal128(5, 2)
    assert schema.field("bet_limit").type == pa.decimal128(12, 2)
    assert schema.field("observed_at").type == pa.timestamp("us", tz="UTC")
    for label in ("market", "side", "sportsbook", "source"):
        assert schema.field(label).type == pa.dictionary(pa.int32(), pa.string()), label
    assert manifest.columns["line"] == "decimal128(5, 2)"

    expected = run_sync(_database_rows(sample_url, 2025))
    exported = parquet_rows(out)
    assert len(exported) == len(expected) == 5176
    assert checksum(exported) == checksum(expected)
    months = {row["observed_at"].strftime("%Y-%m") for row in expected}
    assert months == {"2025-06", "2026-06"}


def test_duckdb_reads_the_hive_folders_and_agrees_with_the_database(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "odds-2025"
    assert export(monkeypatch, sample_url, "--season", "2025", str(out))[0] == 0
    expected = run_sync(_database_rows(sample_url, 2025))
    found = duckdb.sql(
        f"SELECT month, count(*), sum(price), sum(line) FROM read_parquet("
        f"'{out}/**/*.parquet', hive_partitioning = true) GROUP BY month ORDER BY month"
    ).fetchall()
    by_month: dict[str, list[dict[str, Any]]] = {}
    for row in expected:
        by_month.setdefault(row["observed_at"].strftime("%Y-%m"), []).append(row)
    assert found == [
        (
            month,
            len(rows),
            sum(r["price"] for r in rows),
            sum(r["line"] for r in rows if r["line"] is not None),
        )
        for month, rows in sorted(by_month.items())
    ]


async def _export_in_small_batches(dsn: str, out: Path) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await export_odds(connection, out, season=2025, batch_rows=700, row_group_rows=1000)
    finally:
        await connection.close()


def test_small_batches_that_span_months_give_the_same_files(
    sample_url: str, tmp_path: Path
) -> None:
    run_sync(_export_in_small_batches(sample_url, tmp_path / "small"))
    manifest = read_manifest(tmp_path / "small")
    assert [f.rows for f in manifest.files] == [2588, 2588]
    groups = pq.ParquetFile(tmp_path / "small" / manifest.files[0].path).metadata
    sizes = [groups.row_group(i).num_rows for i in range(groups.num_row_groups)]
    assert sum(sizes) == 2588
    assert len(sizes) > 1
    assert all(size >= 1000 for size in sizes[:-1])  # batches wait to make a whole group
    assert checksum(parquet_rows(tmp_path / "small")) == checksum(
        run_sync(_database_rows(sample_url, 2025))
    )


def test_one_game_exports_only_its_odds(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "one-game"
    code, output = export(
        monkeypatch, sample_url, "--season", "2025", "--game", f"mlb:{SAMPLE_GAME_PK}", "--json",
        str(out),
    )  # fmt: skip
    assert code == 0, output
    manifest = json.loads(output)
    expected = run_sync(_database_rows(sample_url, 2025, SAMPLE_GAME_PK))
    assert manifest["rows"] == len(expected) > 0
    assert checksum(parquet_rows(out)) == checksum(expected)
    assert {row["mlb_game_pk"] for row in parquet_rows(out)} == {SAMPLE_GAME_PK}


def test_bad_requests_are_named_and_write_nothing(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, tmp_path: Path
) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    code, output = export(monkeypatch, sample_url, "--season", "2025", str(taken))
    assert code == 1
    assert "exists and is not empty" in output
    assert [p.name for p in taken.iterdir()] == ["notes.txt"]

    out = tmp_path / "wrong-season"
    code, output = export(
        monkeypatch, sample_url, "--season", "2026", "--game", f"mlb:{SAMPLE_GAME_PK}", str(out)
    )
    assert code == 2
    assert "is of season 2025, not 2026" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]

    code, output = export(monkeypatch, sample_url, "--season", "2019", str(tmp_path / "empty"))
    assert code == 1
    assert "no odds of season 2019 in the database: nothing was exported" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_without_pyarrow_the_command_names_the_extra_in_one_line(
    database_url: str, tmp_path: Path
) -> None:
    program = (
        "import sys; sys.modules['pyarrow'] = None; sys.argv = ['betdb', 'export', 'odds',"
        f" '--season', '2025', {str(tmp_path / 'out')!r}]; from betdb.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: Parquet export needs pyarrow: pip install 'betdb[parquet]'"
    )
    assert not (tmp_path / "out").exists()
