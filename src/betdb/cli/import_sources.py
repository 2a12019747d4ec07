"""`betdb import sbr-archive|odds-api|sbd`: the real sources' own formats, through run_import."""

from __future__ import annotations

from typing import Annotated

import typer

from betdb.cli.connection import DataDir
from betdb.cli.imports import InputFile, Json, Rejects, run_import
from betdb.cli.output import CommandError, UsageError, reports_errors
from betdb.importers.sbr_archive import (
    EXTRA_HINT,
    SeasonUnknownError,
    import_sbr_archive,
    season_of,
)


def _calamine_installed() -> bool:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


@reports_errors
def sbr_archive_command(
    file: InputFile,
    season: Annotated[
        int | None,
        typer.Option(
            "--season",
            min=1876,
            max=2200,
            help="the season the sheet is (default: the year in the file name)",
        ),
    ] = None,
    rejects: Rejects = None,
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Import one season of SportsBookReview's MLB odds archive (.xlsx): each visitor/home
    pair a game, found by date, clubs and game number or created, with its opening and
    closing moneyline and total and its run line stored as untimed lines of the SBR archive
    book. Needs the sbr extra."""
    try:
        year = season_of(file, season)
    except SeasonUnknownError as error:
        raise UsageError(str(error)) from None
    if not _calamine_installed():
        raise CommandError(EXTRA_HINT)
    run_import(
        file,
        data_dir,
        json_output,
        lambda repository, progress: import_sbr_archive(
            repository, file, season=year, rejects=rejects, on_progress=progress
        ),
    )


def register(import_app: typer.Typer) -> None:
    """Add these commands to `betdb import`."""
    import_app.command("sbr-archive")(sbr_archive_command)
