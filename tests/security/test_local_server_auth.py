"""The local embedded server lets in only who holds its password, which no printed DSN carries."""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from typer.testing import CliRunner

from betdb.cli import app
from betdb.embedded import SUPERUSER, EmbeddedPostgres


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedPostgres]:
    root = Path(tempfile.mkdtemp(prefix="betdb-auth-"))
    server = EmbeddedPostgres(root / "data", scratch=True)
    try:
        server.start()
        yield server
    finally:
        server.destroy()
        shutil.rmtree(root, ignore_errors=True)


async def _whoami(dsn: str) -> str:
    connection = await asyncpg.connect(dsn)
    try:
        return str(await connection.fetchval("SELECT current_user"))
    finally:
        await connection.close()


def test_a_connection_without_the_password_is_refused(server: EmbeddedPostgres) -> None:
    with pytest.raises(asyncpg.InvalidPasswordError):
        asyncio.run(_whoami(f"postgresql://{SUPERUSER}@127.0.0.1:{server.port}/postgres"))
    with pytest.raises(asyncpg.InvalidPasswordError):
        asyncio.run(_whoami(f"postgresql://{SUPERUSER}:postgres@127.0.0.1:{server.port}/postgres"))


def test_the_password_file_is_readable_by_its_owner_alone(server: EmbeddedPostgres) -> None:
    mode = stat.S_IMODE(server.passfile.stat().st_mode)
    assert mode == 0o600
    password = server.password
    assert password is not None
    assert len(password) >= 24


def test_the_printed_dsn_names_the_password_file_and_connects(server: EmbeddedPostgres) -> None:
    printed = server.public_dsn_for("postgres")
    assert server.password is not None
    assert server.password not in printed
    assert printed.endswith(f"&passfile={server.passfile}")
    assert asyncio.run(_whoami(printed)) == SUPERUSER


def test_every_hba_rule_asks_for_scram(server: EmbeddedPostgres) -> None:
    async def methods() -> set[str]:
        connection = await asyncpg.connect(server.dsn)
        try:
            rows = await connection.fetch("SELECT auth_method FROM pg_hba_file_rules")
            return {row["auth_method"] for row in rows}
        finally:
            await connection.close()

    assert asyncio.run(methods()) == {"scram-sha-256"}


def test_cli_server_start_and_status_print_no_secret() -> None:
    root = Path(tempfile.mkdtemp(prefix="betdb-auth-cli-"))
    data_dir = root / "pgdata"
    runner = CliRunner()
    try:
        started = runner.invoke(app, ["server", "start", "--data-dir", str(data_dir)])
        status = runner.invoke(app, ["server", "status", "--data-dir", str(data_dir)])
        password = EmbeddedPostgres(data_dir).password
        assert started.exit_code == 0, started.output
        assert password is not None
        assert password not in started.output
        assert password not in status.output
        assert f"password is in {data_dir / 'betdb.pgpass'}" in " ".join(started.output.split())
    finally:
        runner.invoke(app, ["server", "stop", "--data-dir", str(data_dir)])
        EmbeddedPostgres(data_dir).destroy()
        shutil.rmtree(root, ignore_errors=True)


def test_a_cluster_made_with_trust_gets_a_password_when_it_next_starts() -> None:
    root = Path(tempfile.mkdtemp(prefix="betdb-auth-legacy-"))
    server = EmbeddedPostgres(root / "data", scratch=True)
    try:
        server.start()
        server.stop()
        # What an older betdb left: trust for everyone, no password file.
        (server.storage / "pg_hba.conf").write_text("host all all 127.0.0.1/32 trust\n")
        server.passfile.unlink()
        restarted = EmbeddedPostgres(root / "data", scratch=True)
        restarted.start()
        with pytest.raises(asyncpg.InvalidPasswordError):
            asyncio.run(_whoami(f"postgresql://{SUPERUSER}@127.0.0.1:{restarted.port}/postgres"))
        assert asyncio.run(_whoami(restarted.dsn)) == SUPERUSER
        assert os.stat(restarted.passfile).st_mode & 0o077 == 0
    finally:
        server.destroy()
        shutil.rmtree(root, ignore_errors=True)
