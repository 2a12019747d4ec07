"""`betdb server start|status|stop` on a data directory of the test's own."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from typer.testing import CliRunner

from betdb.cli import app
from betdb.embedded import EmbeddedPostgres


@pytest.fixture
def data_dir() -> Iterator[str]:
    # Not tmp_path: other pytest sessions on the machine may prune old pytest-of-<user> trees.
    root = Path(tempfile.mkdtemp(prefix="betdb-cli-server-"))
    try:
        yield str(root / "pgdata")  # as root, kept where the server's user can reach it
    finally:
        EmbeddedPostgres(root / "pgdata").destroy()
        shutil.rmtree(root, ignore_errors=True)


def test_a_server_starts_reports_its_dsn_and_stops(data_dir: str) -> None:
    runner = CliRunner()
    stopped = runner.invoke(app, ["server", "status", "--data-dir", data_dir])
    assert stopped.exit_code == 3
    assert "stopped" in stopped.stdout
    started = runner.invoke(app, ["server", "start", "--data-dir", data_dir])
    try:
        assert started.exit_code == 0, started.output
        assert "server started" in started.stdout
        dsn = next(line for line in started.stdout.splitlines() if line.startswith("postgresql://"))
        passfile = Path(data_dir) / "betdb.pgpass"
        assert dsn.endswith(f"/betdb?sslmode=disable&passfile={passfile}")

        async def answer() -> int:
            connection = await asyncpg.connect(dsn.replace("/betdb?", "/postgres?"))
            try:
                return int(await connection.fetchval("SELECT 42"))
            finally:
                await connection.close()

        assert asyncio.run(answer()) == 42
        again = runner.invoke(app, ["server", "start", "--data-dir", data_dir])
        assert "server already running" in again.stdout
        status = runner.invoke(app, ["server", "status", "--data-dir", data_dir])
        assert status.exit_code == 0
        assert status.stdout.startswith("running: pid ")
        assert dsn in status.stdout
    finally:
        stop = runner.invoke(app, ["server", "stop", "--data-dir", data_dir])
    assert stop.exit_code == 0, stop.output
    assert "stopped the server" in stop.stdout
    assert runner.invoke(app, ["server", "status", "--data-dir", data_dir]).exit_code == 3
