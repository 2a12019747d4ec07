"""`betdb backup FILE` and `betdb restore FILE`: logical backups in pg_dump's custom format."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit, urlunsplit

import typer

from betdb._redact import redact_dsn
from betdb.backup import (
    BackupError,
    BackupInterruptedError,
    backup_database,
    connect,
    restore_database,
)
from betdb.cli.connection import DataDir, database_settings
from betdb.cli.output import INTERRUPTED, CommandError, console, errors, fail, reports_errors

BackupFile = Annotated[
    Path, typer.Argument(metavar="FILE", help="the backup archive (pg_dump -Fc)")
]


async def _create_if_missing(dsn: str) -> None:
    """The local server's betdb database, made empty on first restore."""
    parts = urlsplit(dsn)
    name = parts.path.lstrip("/")
    admin = await connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


@reports_errors
def backup_command(
    file: BackupFile,
    force: Annotated[
        bool, typer.Option("--force", help="replace FILE if it exists (a symlink is replaced)")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Back the whole database up into FILE (pg_dump custom format, restorable with
    `betdb restore` or pg_restore). An existing FILE is refused unless --force."""
    settings, _ = database_settings(data_dir)
    try:
        result = asyncio.run(backup_database(settings.primary_dsn(), file, force=force))
    except KeyboardInterrupt:
        fail(f"backup interrupted: nothing was written to {file}", exit_code=INTERRUPTED)
    except BackupInterruptedError as error:
        fail(error.message, exit_code=INTERRUPTED)
    except BackupError as error:
        raise CommandError(error.message) from error
    console.print(
        f"backed up {redact_dsn(settings.primary_dsn())} (PostgreSQL {result.server_version}, "
        f"migration {result.migration_version}) into {result.file}: "
        f"{result.bytes / 1e6:,.1f} MB in {result.seconds:.1f} s",
        soft_wrap=True,
    )


@reports_errors
def restore_command(file: BackupFile, data_dir: DataDir = None) -> None:
    """Restore FILE into the database, which must be empty (one transaction: all or nothing),
    then ANALYZE it."""
    settings, local = database_settings(data_dir)
    dsn = settings.primary_dsn()
    if local:
        asyncio.run(_create_if_missing(dsn))
    try:
        result = asyncio.run(restore_database(dsn, file))
    except KeyboardInterrupt:
        # Before pg_restore ran: pg_restore and ANALYZE report their own interruption.
        fail("restore interrupted: nothing was restored", exit_code=INTERRUPTED)
    except BackupInterruptedError as error:
        fail(error.message, exit_code=INTERRUPTED)
    except BackupError as error:
        raise CommandError(error.message) from error
    console.print(
        f"restored {result.file} into {redact_dsn(dsn)}: {result.tables} tables, migration "
        f"{result.migration_version}, in {result.seconds:.1f} s (+ ANALYZE "
        f"{result.analyze_seconds:.1f} s)",
        soft_wrap=True,
    )
    if result.migration_version is None:
        errors.print(
            f"warning: {file} is not a betdb database (no schema_migrations table): betdb's "
            "commands will find no schema in it",
            style="yellow",
            soft_wrap=True,
        )
