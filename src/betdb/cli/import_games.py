"""`betdb import game-feed|gd2-scoreboard`: one game's Stats API feed, or a legacy scoreboard
day, into games, through run_import."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import typer

from betdb.cli.connection import DataDir
from betdb.cli.import_sources import snapshot_files
from betdb.cli.imports import Importer, Json, Rejects, run_import
from betdb.cli.output import UsageError, reports_errors
from betdb.importers.game_feed import import_game_feed
from betdb.importers.gd2 import import_gd2_scoreboard
from betdb.importers.report import ImportReport

GameImport = Callable[..., Awaitable[ImportReport]]


def _importer(game_import: GameImport, file: Path, rejects: Path | None) -> Importer:
    return lambda repository, _progress, _report: game_import(repository, file, rejects=rejects)


def _files(paths: list[Path], rejects: Path | None) -> list[Path]:
    """The files to import, one at a time; one --rejects path cannot serve several."""
    files = snapshot_files(paths)
    if rejects is not None and len(files) > 1:
        raise UsageError(
            f"--rejects names one file but {len(files)} files are imported: leave it out "
            "(each file's rejects go beside it, FILE.rejects.jsonl) or import one file"
        )
    return files


Files = Annotated[list[Path], typer.Argument(metavar="FILE.json|DIR...", show_default=False)]


@reports_errors
def game_feed_command(
    paths: Files, rejects: Rejects = None, json_output: Json = False, data_dir: DataDir = None
) -> None:
    """Update (or create) games from saved Stats API feed/live responses (a file holds one,
    or a JSON list of them; a directory stands for its .json files): state with its reason,
    final score, first pitch, doubleheader. A game stored as final with another score is
    rejected with both scores, never overwritten."""
    for file in _files(paths, rejects):
        run_import(
            file,
            data_dir,
            json_output,
            _importer(import_game_feed, file, rejects),
        )


@reports_errors
def gd2_scoreboard_command(
    paths: Files, rejects: Rejects = None, json_output: Json = False, data_dir: DataDir = None
) -> None:
    """Update (or create) games from MLB's legacy gd2 master_scoreboard.json, one day a file (a
    directory stands for its .json files): clubs by MLB id or code, first pitch from the local
    time and its zone, doubleheaders, state with its reason, runs of games begun."""
    for file in _files(paths, rejects):
        run_import(
            file,
            data_dir,
            json_output,
            _importer(import_gd2_scoreboard, file, rejects),
        )


def register(import_app: typer.Typer) -> None:
    """Add these commands to `betdb import`."""
    import_app.command("game-feed")(game_feed_command)
    import_app.command("gd2-scoreboard")(gd2_scoreboard_command)
