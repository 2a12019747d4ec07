"""Migrations that cannot hurt: reversible, serialised, and atomic when they fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from betdb.embedded import bin_dir
from betdb.migrate import MigrationError, migrate_up, migrations_dir, run_dbmate
from betdb.testing import PostgresServer

PROJECT_MIGRATIONS = migrations_dir()


def _dump(dsn: str, tmp: Path) -> str:
    out = tmp / "dump.sql"
    run_dbmate(
        dsn,
        "dump",
        migrations=tmp,
        extra_env={"PATH": f"{bin_dir()}{os.pathsep}{os.environ['PATH']}"},
        dbmate_options=["--schema-file", str(out)],
    )
    return "\n".join(line for line in out.read_text().splitlines() if not line.startswith("\\"))


def test_every_migration_round_trips_up_down_up(empty_database_url: str, tmp_path: Path) -> None:
    """For each migration in order: up, then down (back to the previous dump), then up again
    (identical to the first up)."""
    applied = tmp_path / "migrations"
    applied.mkdir()
    previous = None
    for migration in sorted(PROJECT_MIGRATIONS.glob("*.sql")):
        shutil.copy(migration, applied / migration.name)
        migrate_up(empty_database_url, migrations=applied)
        after_up = _dump(empty_database_url, applied)
        run_dbmate(empty_database_url, "rollback", migrations=applied,
                   dbmate_options=["--no-dump-schema"])  # fmt: skip
        if previous is not None:
            assert _dump(empty_database_url, applied) == previous, f"{migration.name} down"
        migrate_up(empty_database_url, migrations=applied)
        assert _dump(empty_database_url, applied) == after_up, f"{migration.name} up again"
        previous = after_up


def test_two_migrate_processes_at_once_apply_each_migration_exactly_once(
    empty_database_url: str,
) -> None:
    env = {**os.environ, "DATABASE_URL": empty_database_url}
    command = [sys.executable, "-m", "betdb.cli", "migrate", "up"]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0].decode() for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs

    async def versions() -> list[str]:
        connection = await asyncpg.connect(empty_database_url)
        try:
            rows = await connection.fetch("SELECT version FROM schema_migrations ORDER BY 1")
        finally:
            await connection.close()
        return [r[0] for r in rows]

    from betdb.testing import run_sync

    expected = sorted(p.name.split("_")[0] for p in PROJECT_MIGRATIONS.glob("*.sql"))
    assert run_sync(versions()) == expected
    applied_lines = sum(out.count("Applied:") for out in outputs)
    assert applied_lines == len(expected)


def test_a_failing_migration_leaves_the_previous_version_and_names_file_and_statement(
    empty_database_url: str, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    first = sorted(PROJECT_MIGRATIONS.glob("*.sql"))[0]
    shutil.copy(first, tmp_path / first.name)
    (tmp_path / "29990101000000_half_broken.sql").write_text(
        "-- migrate:up\n"
        "CREATE TABLE half_done (id integer PRIMARY KEY);\n"
        "INSERT INTO half_done VALUES (1);\n"
        "ALTER TABLE no_such_table ADD COLUMN x integer;\n"
        "-- migrate:down\n"
        "DROP TABLE half_done;\n"
    )
    with pytest.raises(MigrationError) as raised:
        migrate_up(empty_database_url, migrations=tmp_path)
    message = str(raised.value)
    assert "29990101000000_half_broken.sql" in message
    assert "line 4" in message
    assert "ALTER TABLE no_such_table" in message

    async def state() -> tuple[list[str], object]:
        connection = await asyncpg.connect(empty_database_url)
        try:
            versions = [
                r[0] for r in await connection.fetch("SELECT version FROM schema_migrations")
            ]
            return versions, await connection.fetchval("SELECT to_regclass('half_done')")
        finally:
            await connection.close()

    from betdb.testing import run_sync

    versions, half_done = run_sync(state())
    assert versions == [first.name.split("_")[0]]
    assert half_done is None
