"""Which database a command talks to: the configured one, else the local embedded server."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import SecretStr
from pydantic import ValidationError as SettingsError

from betdb import BetdbSettings, Database
from betdb._redact import redact_secrets
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


class _OneLineFormatter(logging.Formatter):
    """A record as one line: no traceback, secrets masked."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{record.levelname.lower()}: {record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            line += f" ({type(error).__name__}: {error})"
        return redact_secrets(" ".join(line.split()))


def route_library_logs() -> None:
    """Keep library log records off the terminal unless BETDB_LOG_LEVEL asks for them.

    Without a handler, logging's last resort prints asyncpg's warnings (such as its attempts to
    restore the pool's floor while the server is down) with their tracebacks before the
    command's own red line says what failed. With BETDB_LOG_LEVEL=INFO (or DEBUG, WARNING...),
    records at that level and above are shown, one line each.
    """
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_betdb_cli", False):
            root.removeHandler(existing)
    wanted = os.environ.get("BETDB_LOG_LEVEL", "").strip().upper()
    handler: logging.Handler
    if wanted:
        level = logging.getLevelName(wanted)
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_OneLineFormatter())
        root.setLevel(level if isinstance(level, int) else logging.WARNING)
    else:
        handler = logging.NullHandler()
    setattr(handler, "_betdb_cli", True)  # noqa: B010 (marks the handler this function owns)
    root.addHandler(handler)


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
        if lacks_betdb_types(error):
            raise CommandError(
                f"{settings.redacted_dsn()} is not migrated (no betdb schema): "
                "run `betdb migrate up`"
            ) from error
        raise


def lacks_betdb_types(error: BaseException) -> bool:
    """The server answered, but a connection could not register betdb's enum types: the
    database holds no betdb schema (a fresh one, or another application's)."""
    cause = error.__cause__
    return isinstance(cause, ValueError) and str(cause).startswith("unknown type: public.")
