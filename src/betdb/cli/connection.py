"""Which database a command talks to: the configured one, else the local embedded server."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import SecretStr
from pydantic import ValidationError as SettingsError

from betdb import BetdbSettings, Database
from betdb.cli.output import CommandError
from betdb.embedded import EmbeddedPostgres, EmbeddedPostgresError, default_data_dir
from betdb.errors import DatabaseUnavailableError

T = TypeVar("T")

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="BETDB_DATA_DIR",
        help="where the local embedded server keeps its data (used when no DATABASE_URL or "
        "BETDB_* connection settings are set)",
        show_default=False,
    ),
]

# Settings that name a server; any of them set means "not the local embedded one".
_CONNECTION_FIELDS = frozenset({"dsn", "host", "port", "user", "password", "database"})


def configured_settings() -> BetdbSettings | None:
    """BetdbSettings when DATABASE_URL or a BETDB_* connection setting is given, else None."""
    try:
        settings = BetdbSettings()
    except SettingsError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'settings'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise CommandError(f"invalid BETDB_* settings: {problems}") from error
    given = settings.model_fields_set & _CONNECTION_FIELDS
    if settings.dsn is None:
        given -= {"dsn"}  # DATABASE_URL="" is unset, as CI systems export it
    return settings if given else None


def local_server_dsn(data_dir: Path | None = None) -> str:
    """The DSN of the local embedded server's betdb database, starting the server if needed."""
    server = EmbeddedPostgres(data_dir or default_data_dir())
    try:
        server.start()
    except EmbeddedPostgresError as error:
        first_line = str(error).strip().splitlines()[0]
        raise CommandError(
            f"cannot start the local server in {server.data_dir}: {first_line}"
        ) from error
    return server.dsn_for("betdb") + "?sslmode=disable"  # carries the password: never printed


def database_settings(data_dir: Path | None = None) -> tuple[BetdbSettings, bool]:
    """The settings to connect with, and whether they name the local embedded server."""
    configured = configured_settings()
    if configured is not None:
        return configured, False
    return BetdbSettings(dsn=SecretStr(local_server_dsn(data_dir))), True


def local_dsn(data_dir: Path | None = None) -> str:
    """The DSN dbmate gets: the configured database's, else the local server's."""
    settings, _ = database_settings(data_dir)  # validates DATABASE_URL too
    if os.environ.get("DATABASE_URL", "").strip():
        return os.environ["DATABASE_URL"]
    return settings.primary_dsn()


def with_database(data_dir: Path | None, work: Callable[[Database], Awaitable[T]]) -> T:
    """Open the database, run work on it and close it."""
    settings, local = database_settings(data_dir)

    async def run() -> T:
        async with Database(settings) as database:
            return await work(database)

    try:
        return asyncio.run(run())
    except DatabaseUnavailableError as error:
        if local and error.sqlstate == "3D000":  # invalid_catalog_name: no such database
            raise CommandError(
                "the local server has no betdb database yet: run `betdb migrate up` first"
            ) from error
        raise
