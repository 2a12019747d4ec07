"""History out to Parquet: a season's odds, one file per month in hive-style folders.

Rows stream from a server-side cursor inside one read-only repeatable-read transaction (one
consistent snapshot, however long the export runs), a batch at a time, so memory stays flat
whatever the season's size. Columns keep their types: decimal lines, UTC timestamps, and the
enums and books dictionary-encoded. The export is written into a staging directory betdb makes
for itself beside DIR and renamed into place in one step, _manifest.json last, so a failed or
interrupted export leaves nothing under DIR, and of two exports into one DIR at once the first to
finish lands whole while the other is refused (what lands always matches its manifest).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import tempfile
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

# A leading underscore: pyarrow, Polars, DuckDB and Spark skip it when reading DIR as a dataset.
MANIFEST = "_manifest.json"
FIRST_SEASON, LAST_SEASON = 1876, 2200


class ExportError(BetdbError):
    """The export could not be written: pyarrow missing, the directory taken, a game unknown."""


class ExportRequestError(ExportError):
    """What was asked for cannot be exported: a season out of range, a game of another season."""


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
    """A fresh staging directory of betdb's own beside out_dir; out_dir must not hold anything."""
    out_dir = Path(os.path.abspath(out_dir))
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise ExportError(f"{out_dir} exists and is not a directory: export into a new directory")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise ExportError(f"{out_dir} exists and is not empty: export into a new directory")
    if not out_dir.parent.is_dir():
        raise ExportError(f"cannot write {out_dir}: no directory {out_dir.parent}")
    try:
        return Path(tempfile.mkdtemp(prefix=f".{out_dir.name[:200]}.", dir=out_dir.parent))
    except OSError as error:
        raise ExportError(f"cannot write beside {out_dir}: {error.strerror}") from error


def _publish(staging: Path, out_dir: Path, manifest: ExportManifest) -> None:
    """Rename the finished staging directory to out_dir in one step: over an empty directory
    or none, never over one that another export filled meanwhile."""
    (staging / MANIFEST).write_text(manifest.model_dump_json(indent=2) + "\n")
    os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 is for staging only
    out_dir = Path(os.path.abspath(out_dir))
    try:
        os.rename(staging, out_dir)
    except OSError as error:
        if error.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
            raise ExportError(
                f"{out_dir} was filled by another export while this one ran: this export was "
                "discarded and the other kept"
            ) from error
        raise ExportError(f"cannot write {out_dir}: {error.strerror}") from error


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_season(season: int) -> None:
    if not FIRST_SEASON <= season <= LAST_SEASON:
        raise ExportRequestError(
            f"season {season} is out of range: seasons run from {FIRST_SEASON} to {LAST_SEASON}"
        )


async def _check_games(connection: asyncpg.Connection, season: int, game_ids: list[int]) -> None:
    seasons = {
        r["game_id"]: r["season"] for r in await connection.fetch(_SEASON_OF_GAMES, game_ids)
    }
    for game_id in game_ids:
        if game_id not in seasons:
            raise ExportRequestError(f"no game {game_id} in the database")
        if seasons[game_id] != season:
            raise ExportRequestError(
                f"game {game_id} is of season {seasons[game_id]}, not {season}"
            )


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
    season=S/month=YYYY-MM/odds.parquet (months of observed_at in UTC) and _manifest.json.
    A request that matches no odds is refused (ExportError) and writes nothing: an export
    always holds at least one file, so every reader opens it.

    batch_rows rows are fetched at a time (as Python objects, the costly form); each month's
    rows wait as Arrow columns until they make a row group of row_group_rows.
    """
    check_season(season)
    pa = _pyarrow()
    schema = odds_schema()
    games = sorted(set(game_ids)) if game_ids else None
    if games:
        await _check_games(connection, season, games)
    staging = _prepare_target(out_dir)
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
                        folder = staging / f"season={season}" / f"month={month}"
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
        if not counts:
            asked = f"of games {', '.join(map(str, games))} " if games else ""
            raise ExportError(
                f"no odds {asked}of season {season} in the database: nothing was exported"
            )
        files = [
            ExportedFile(
                path=f"season={season}/month={month}/odds.parquet",
                month=month,
                rows=counts[month],
                bytes=(staging / f"season={season}" / f"month={month}" / "odds.parquet")
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
        _publish(staging, out_dir, manifest)
    except BaseException:
        for writer in writers.values():
            writer.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def read_manifest(out_dir: Path) -> ExportManifest:
    """The manifest of an export (manifest.json in exports made before it was renamed)."""
    path = out_dir / MANIFEST
    if not path.exists() and (out_dir / "manifest.json").exists():
        path = out_dir / "manifest.json"
    return ExportManifest.model_validate(json.loads(path.read_text()))
