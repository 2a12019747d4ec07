"""`betdb import sbr-archive|odds-api|sbd`: the real sources' own formats, through run_import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from betdb.cli.connection import DataDir
from betdb.cli.imports import Importer, InputFile, Json, Rejects, run_import
from betdb.cli.output import CommandError, UsageError, errors, reports_errors
from betdb.importers.checks import FIRST_SEASON, LAST_SEASON, SeasonRangeError
from betdb.importers.fields import FieldError
from betdb.importers.odds_api import OddsFormat, import_odds_api, instant
from betdb.importers.odds_api_v3 import ApiVersion
from betdb.importers.sbd import import_sbd
from betdb.importers.sbr_archive import (
    EXTRA_HINT,
    SeasonUnknownError,
    import_sbr_archive,
    season_of,
)
from betdb.importers.sheets import MAX_COLUMNS, MAX_ROWS, MAX_SHEET_BYTES, SheetLimits


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
            help=f"the season the sheet is, {FIRST_SEASON} to {LAST_SEASON} (default: the year"
            " in the file name)",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="import a file that contradicts the stored season wholesale (most games not"
            " stored, or most scores disagreeing)",
        ),
    ] = False,
    max_rows: Annotated[
        int, typer.Option("--max-rows", min=1, help="rows the sheet may reach")
    ] = MAX_ROWS,
    max_columns: Annotated[
        int, typer.Option("--max-columns", min=1, help="columns the sheet may reach")
    ] = MAX_COLUMNS,
    max_sheet_bytes: Annotated[
        int,
        typer.Option("--max-sheet-bytes", min=1, help="uncompressed XML bytes the sheet may have"),
    ] = MAX_SHEET_BYTES,
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
    except (SeasonUnknownError, SeasonRangeError) as error:
        raise UsageError(str(error)) from None
    if not _calamine_installed():
        raise CommandError(EXTRA_HINT)
    limits = SheetLimits(max_rows, max_columns, max_sheet_bytes)
    run_import(
        file,
        data_dir,
        json_output,
        lambda repository, progress, report: import_sbr_archive(
            repository,
            file,
            season=year,
            rejects=rejects,
            on_progress=progress,
            force=force,
            limits=limits,
            report=report,
        ),
        rejects=rejects,
    )


def snapshot_files(paths: list[Path]) -> list[Path]:
    """The files named, a directory standing for its regular .json files, oldest name first;
    its other .json entries (a subdirectory, a FIFO, a broken link) are named and skipped
    before anything is imported."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            regular = [entry for entry in found if entry.is_file()]
            for entry in found:
                if not entry.is_file():
                    errors.print(f"skipped {entry}: not a regular file", style="yellow")
            if not regular:
                raise UsageError(f"{path} holds no .json snapshots")
            files += regular
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"cannot read {path}: no such file or directory")
    return files


@reports_errors
def odds_api_command(
    paths: Annotated[list[Path], typer.Argument(metavar="FILE.json|DIR...", show_default=False)],
    odds_format: Annotated[
        OddsFormat | None,
        typer.Option("--odds-format", help="the prices' format (default: detected per file)"),
    ] = None,
    add_books: Annotated[
        bool,
        typer.Option("--add-books", help="add bookmakers betdb does not know as sportsbooks"),
    ] = False,
    include_live: Annotated[
        bool,
        typer.Option("--include-live", help="keep prices quoted after commence_time"),
    ] = False,
    api_version: Annotated[
        ApiVersion | None,
        typer.Option(
            "--api-version", help="the responses' API version (default: detected per file)"
        ),
    ] = None,
    rejects: Rejects = None,
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Import saved responses of The Odds API v4 or v3 (/sports/baseball_mlb/odds): h2h,
    spreads and totals as moneyline, run line and total observations; a directory of snapshots
    (v3 and v4 mixed) imports as a history, oldest file name first."""

    def importer(file: Path) -> Importer:
        return lambda repository, progress, report: import_odds_api(
            repository,
            file,
            odds_format=odds_format,
            add_books=add_books,
            include_live=include_live,
            rejects=rejects,
            on_progress=progress,
            api_version=api_version,
            report=report,
        )

    files = snapshot_files(paths)
    if rejects is not None and len(files) > 1:
        raise UsageError("--rejects names one file: give it with one snapshot, not several")
    for file in files:
        run_import(file, data_dir, json_output, importer(file), rejects=rejects)


@reports_errors
def sbd_command(
    file: InputFile,
    observed_at: Annotated[
        str | None,
        typer.Option(
            "--observed-at",
            help="when the odds were current, ISO 8601 with offset (default: the latest"
            " `updated` time in the file)",
            show_default=False,
        ),
    ] = None,
    include_live: Annotated[
        bool, typer.Option("--include-live", help="keep odds of games already started")
    ] = False,
    rejects: Rejects = None,
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Import SportsBettingDime's MLB odds and betting splits JSON: each book's moneyline, run
    line and total, and the splits (betsPercentage/stakePercentage) as fractions; books with
    only empty entries are skipped."""
    seen_at = None
    if observed_at is not None:
        try:
            seen_at = instant(observed_at, "--observed-at")
        except FieldError as error:
            raise UsageError(str(error)) from None
    run_import(
        file,
        data_dir,
        json_output,
        lambda repository, progress, report: import_sbd(
            repository,
            file,
            observed_at=seen_at,
            include_live=include_live,
            rejects=rejects,
            on_progress=progress,
            report=report,
        ),
        rejects=rejects,
    )


def register(import_app: typer.Typer) -> None:
    """Add these commands to `betdb import`."""
    import_app.command("sbr-archive")(sbr_archive_command)
    import_app.command("odds-api")(odds_api_command)
    import_app.command("sbd")(sbd_command)
