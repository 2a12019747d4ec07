"""The `betdb` command: one Typer app with every command registered on it.

    betdb demo                                   the whole of betdb on the sample week
    betdb server start|stop|status               the local embedded PostgreSQL
    betdb migrate up|down|status                 dbmate, with the shipped migrations
    betdb partitions ensure                      the monthly odds partitions ahead
    betdb import schedule|odds|splits|analyses|signals FILE
    betdb sample load|generate                   the sample week; synthetic volumes
    betdb games --date|--team                    the games of a day or of a club
    betdb odds latest|movement GAME              each book's price now, and how it moved
    betdb signals | betdb analyses               what detectors and strategies found
    betdb health                                 reachable, migrated, breaker closed?

Each command function carries @reports_errors where it is defined (its expected failures
become one red line), so registering it here is one plain line.
"""

from __future__ import annotations

import os
import sys

import typer

from betdb.cli.backup import backup_command, restore_command
from betdb.cli.connection import route_library_logs
from betdb.cli.demo import demo_command
from betdb.cli.export import export_app
from betdb.cli.findings import analyses_command, signals_command
from betdb.cli.games import games_command
from betdb.cli.health import health_command
from betdb.cli.import_action_network import register as register_action_network_import
from betdb.cli.import_games import register as register_game_imports
from betdb.cli.import_sources import register as register_source_imports
from betdb.cli.imports import import_app
from betdb.cli.migrations import migrate_app, partitions_app
from betdb.cli.odds import odds_app
from betdb.cli.report import report_app
from betdb.cli.sample import sample_app
from betdb.cli.server import server_app
from betdb.cli.stats import stats_app

app = typer.Typer(
    help="betdb: the typed data layer of an MLB betting analytics system. Commands use "
    "DATABASE_URL or BETDB_* settings when set, else the local server (`betdb server`).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command("demo")(demo_command)
app.add_typer(server_app, name="server")
app.add_typer(migrate_app, name="migrate")
register_source_imports(import_app)
register_game_imports(import_app)
register_action_network_import(import_app)
app.add_typer(import_app, name="import")
app.add_typer(sample_app, name="sample")
app.command("games")(games_command)
app.command("signals")(signals_command)
app.command("analyses")(analyses_command)
app.add_typer(odds_app, name="odds")
app.command("health")(health_command)
app.add_typer(partitions_app, name="partitions")
app.add_typer(report_app, name="report")
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.add_typer(stats_app, name="stats")
app.add_typer(export_app, name="export")


def main() -> None:
    # Piped or captured output (make, CI, a log) has no terminal width: Rich would assume 80
    # columns and crop the wider tables.
    if not sys.stdout.isatty() and "COLUMNS" not in os.environ:
        os.environ["COLUMNS"] = "120"
    route_library_logs()
    app()
