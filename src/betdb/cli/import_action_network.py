"""`betdb import action-network`: Action Network scoreboards, one file or a directory of
snapshots as a history, through run_import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from betdb.cli.connection import DataDir
from betdb.cli.import_sources import snapshot_files
from betdb.cli.imports import Importer, Json, Rejects, run_import
from betdb.cli.output import CommandError, UsageError, reports_errors
from betdb.importers.action_network import import_action_network
from betdb.importers.action_network_books import BOOKS_ENV, book_map
from betdb.importers.report import ImportFileError


@reports_errors
def action_network_command(
    paths: Annotated[list[Path], typer.Argument(metavar="FILE.json|DIR...", show_default=False)],
    books: Annotated[
        Path | None,
        typer.Option(
            "--books",
            envvar=BOOKS_ENV,
            help="a CSV (book_id,sportsbook_key[,sportsbook_name,kind]) that adds Action"
            " Network book ids to the shipped mapping or remaps them",
            show_default=False,
        ),
    ] = None,
    include_live: Annotated[
        bool, typer.Option("--include-live", help="keep prices observed after first pitch")
    ] = False,
    rejects: Rejects = None,
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Import saved Action Network MLB scoreboards (/web/v1 or v2 scoreboard/mlb): the games,
    each book's moneyline, run line and total at the time it was recorded, and the public
    betting splits as fractions; a directory of snapshots imports as a history, oldest file
    name first."""
    files = snapshot_files(paths)
    if rejects is not None and len(files) > 1:
        raise UsageError("--rejects names one file: give it with one snapshot, not several")
    if books is not None:
        try:
            book_map(books)
        except ImportFileError as error:
            raise CommandError(f"cannot use the book mapping {error}") from None

    def importer(file: Path) -> Importer:
        return lambda repository, progress, _report: import_action_network(
            repository,
            file,
            books=books,
            include_live=include_live,
            rejects=rejects,
            on_progress=progress,
        )

    for file in files:
        run_import(file, data_dir, json_output, importer(file))


def register(import_app: typer.Typer) -> None:
    """Add this command to `betdb import`."""
    import_app.command("action-network")(action_network_command)
