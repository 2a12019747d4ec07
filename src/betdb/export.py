"""History out to Parquet: a season's odds, one file per month in hive-style folders.

Rows stream from a server-side cursor inside one read-only repeatable-read transaction (one
consistent snapshot, however long the export runs), a batch at a time, so memory stays flat
whatever the season's size. Columns keep their types: decimal lines, UTC timestamps, and the
enums and books dictionary-encoded. The export is written beside DIR and renamed into place,
manifest.json last, so a failed export leaves nothing under DIR.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
from pydantic import BaseModel

from betdb.errors import BetdbError

_ODDS = """-- name: ExportSeasonOdds :many
SELECT to_char(o.observed_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
    o.game_id, g.mlb_game_pk, g.official_date, o.sportsbook_id, s.key AS sportsbook,
    o.market::text, o.side::text, o.line, o.price, o.observed_at, o.is_opening, o.is_closing,
    o.bet_limit, o.source::text
FROM odds o
JOIN games g ON g.game_id = o.game_id
JOIN sportsbooks s ON s.sportsbook_id = o.sportsbook_id
WHERE g.season = $1 AND ($2::bigint[] IS NULL OR o.game_id = ANY ($2::bigint[]))
"""

_SEASON_OF_GAMES = """-- name: GetSeasonOfGames :many
SELECT game_id, season FROM games WHERE game_id = ANY ($1::bigint[])
"""

MANIFEST = "manifest.json"


class ExportError(BetdbError):
    """The export could not be written: pyarrow missing, the directory taken, a game unknown."""


class ExportedFile(BaseModel):
    path: str
    """Relative to the export directory: season=2025/month=2025-06/odds.parquet."""
    month: str
    rows: int
    bytes: int


class ExportManifest(BaseModel):
    table: str
    season: int
    game_ids: list[int] | None
    rows: int
    files: list[ExportedFile]
    columns: dict[str, str]
    """Column name -> Arrow type, as the files store them."""
    exported_at: dt.datetime
    seconds: float


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.compute
        import pyarrow.parquet
    except ImportError as error:
        raise ExportError("Parquet export needs pyarrow: pip install 'betdb[parquet]'") from error
    return pyarrow


def odds_schema() -> Any:
    """The Arrow schema of exported odds (without the month, which the folder carries)."""
    pa = _pyarrow()
    label = pa.dictionary(pa.int32(), pa.string())
    return pa.schema([
        ("game_id", pa.int64()),
        ("mlb_game_pk", pa.int64()),
        ("official_date", pa.date32()),
        ("sportsbook_id", pa.int32()),
        ("sportsbook", label),
        ("market", label),
        ("side", label),
        ("line", pa.decimal128(5, 2)),
        ("price", pa.int32()),
        ("observed_at", pa.timestamp("us", tz="UTC")),
        ("is_opening", pa.bool_()),
        ("is_closing", pa.bool_()),
        ("bet_limit", pa.decimal128(12, 2)),
        ("source", label),
    ])  # fmt: skip


def _batch_table(records: list[asyncpg.Record], schema: Any) -> tuple[list[str], Any]:
    """The batch's month of each row, and the batch as an Arrow table of the export schema."""
    pa = _pyarrow()
    columns = list(zip(*records, strict=True))
    arrays = []
    for values, field in zip(columns[1:], schema, strict=True):
        if pa.types.is_dictionary(field.type):
            arrays.append(pa.array(values, pa.string()).dictionary_encode())
        else:
            arrays.append(pa.array(values, field.type))
    return list(columns[0]), pa.Table.from_arrays(arrays, schema=schema)


def _prepare_target(out_dir: Path) -> Path:
    """A fresh directory beside out_dir to write into; out_dir must not hold anything yet."""
    out_dir = out_dir.resolve()
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise ExportError(f"{out_dir} exists and is not empty: export into a new directory")
    if not out_dir.parent.is_dir():
        raise ExportError(f"cannot write {out_dir}: no directory {out_dir.parent}")
    partial = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    return partial


def _publish(partial: Path, out_dir: Path, manifest: ExportManifest) -> None:
    (partial / MANIFEST).write_text(manifest.model_dump_json(indent=2) + "\n")
    out_dir = out_dir.resolve()
    if out_dir.exists():
        out_dir.rmdir()
    partial.rename(out_dir)


async def _check_games(connection: asyncpg.Connection, season: int, game_ids: list[int]) -> None:
    seasons = {
        r["game_id"]: r["season"] for r in await connection.fetch(_SEASON_OF_GAMES, game_ids)
    }
    for game_id in game_ids:
        if game_id not in seasons:
            raise ExportError(f"no game {game_id} in the database")
        if seasons[game_id] != season:
            raise ExportError(f"game {game_id} is of season {seasons[game_id]}, not {season}")


async def export_odds(
    connection: asyncpg.Connection,
    out_dir: Path,
    *,
    season: int,
    game_ids: Sequence[int] | None = None,
    batch_rows: int = 10_000,
    row_group_rows: int = 200_000,
) -> ExportManifest:
    """Write the odds of a season's games (or of some of its games) under out_dir as
    season=S/month=YYYY-MM/odds.parquet (months of observed_at in UTC) and manifest.json.

    batch_rows rows are fetched at a time (as Python objects, the costly form); each month's
    rows wait as Arrow columns until they make a row group of row_group_rows.
    """
    pa = _pyarrow()
    schema = odds_schema()
    games = sorted(set(game_ids)) if game_ids else None
    if games:
        await _check_games(connection, season, games)
    partial = _prepare_target(out_dir)
    started = time.perf_counter()
    writers: dict[str, Any] = {}
    counts: dict[str, int] = {}
    waiting: dict[str, list[Any]] = {}

    def flush(month: str) -> None:
        tables, waiting[month] = waiting[month], []
        if tables:
            group = pa.concat_tables(tables).unify_dictionaries().combine_chunks()
            writers[month].write_table(group, row_group_size=group.num_rows)

    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            cursor = await connection.cursor(_ODDS, season, games)
            while records := await cursor.fetch(batch_rows):
                months, table = _batch_table(records, schema)
                distinct = sorted(set(months))
                month_array = pa.array(months) if len(distinct) > 1 else None
                for month in distinct:
                    part = (
                        table
                        if month_array is None
                        else table.filter(pa.compute.equal(month_array, month))
                    )
                    if month not in writers:
                        folder = partial / f"season={season}" / f"month={month}"
                        folder.mkdir(parents=True)
                        writers[month] = pa.parquet.ParquetWriter(
                            folder / "odds.parquet", schema, compression="zstd"
                        )
                        counts[month] = 0
                        waiting[month] = []
                    waiting[month].append(part)
                    counts[month] += part.num_rows
                    if sum(t.num_rows for t in waiting[month]) >= row_group_rows:
                        flush(month)
        for month, writer in writers.items():
            flush(month)
            writer.close()
        files = [
            ExportedFile(
                path=f"season={season}/month={month}/odds.parquet",
                month=month,
                rows=counts[month],
                bytes=(partial / f"season={season}" / f"month={month}" / "odds.parquet")
                .stat()
                .st_size,
            )
            for month in sorted(counts)
        ]
        manifest = ExportManifest(
            table="odds",
            season=season,
            game_ids=games,
            rows=sum(counts.values()),
            files=files,
            columns={field.name: str(field.type) for field in schema},
            exported_at=dt.datetime.now(dt.UTC),
            seconds=round(time.perf_counter() - started, 3),
        )
        _publish(partial, out_dir, manifest)
    except BaseException:
        for writer in writers.values():
            writer.close()
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def read_manifest(out_dir: Path) -> ExportManifest:
    return ExportManifest.model_validate(json.loads((out_dir / MANIFEST).read_text()))
