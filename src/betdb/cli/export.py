"""`betdb export odds --season 2025 [--game ...] DIR`: history out to Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from betdb import Database
from betdb.cli.connection import DataDir, with_database
from betdb.cli.lookup import GAME_REFERENCE_HELP, resolve_game
from betdb.cli.output import (
    INTERRUPTED,
    CommandError,
    UsageError,
    console,
    fail,
    print_json,
    reports_errors,
)
from betdb.export import (
    FIRST_SEASON,
    LAST_SEASON,
    MANIFEST,
    ExportError,
    ExportManifest,
    ExportRequestError,
    export_odds,
)

export_app = typer.Typer(help="History out to Parquet for the engines analysts use.")


@export_app.command("odds")
@reports_errors
def odds_command(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="a new (or empty) directory for the export")
    ],
    season: Annotated[
        int,
        typer.Option(
            "--season", min=FIRST_SEASON, max=LAST_SEASON, help="the season whose odds to export"
        ),
    ],
    game: Annotated[
        list[str] | None,
        typer.Option("--game", help=f"only this game (repeatable): {GAME_REFERENCE_HELP}"),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="print the manifest as JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """Write a season's odds as Parquet, one file per month of observation
    (DIR/season=S/month=YYYY-MM/odds.parquet), typed columns, and DIR/_manifest.json. A season
    (or games) without odds is refused and writes nothing."""

    async def work(database: Database) -> ExportManifest:
        repository = database.repository()
        game_ids = [(await resolve_game(repository, ref)).game_id for ref in game or []]
        async with database.connection() as connection:
            return await export_odds(connection, directory, season=season, game_ids=game_ids)

    try:
        manifest = with_database(data_dir, work)
    except KeyboardInterrupt:
        fail(f"export interrupted: nothing was written under {directory}", exit_code=INTERRUPTED)
    except ExportRequestError as error:
        raise UsageError(error.message) from error
    except ExportError as error:
        raise CommandError(error.message) from error
    if json_output:
        print_json(manifest)
        return
    for file in manifest.files:
        console.print(f"{file.path}: {file.rows:,} rows, {file.bytes / 1e6:,.1f} MB")
    rate = manifest.rows / manifest.seconds if manifest.seconds else 0
    console.print(
        f"exported {manifest.rows:,} odds of season {manifest.season} into {directory} in "
        f"{manifest.seconds:.1f} s ({rate:,.0f} rows/s); manifest: {directory / MANIFEST}",
        soft_wrap=True,
    )
