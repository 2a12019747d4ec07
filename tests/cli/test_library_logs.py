"""A server that dies under the CLI leaves one red line, not asyncpg's log tracebacks."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from betdb.cli import main
from betdb.cli.connection import route_library_logs

# The real asyncpg warning: a pool keeping a floor of one connection loses it when the server
# stops, and its maintenance task fails to reconnect ("Failed to restore the pool connection
# floor; retrying", with a traceback) through logging's last-resort handler.
_SERVER_DIES_UNDER_A_POOL = """
import asyncio, sys
import asyncpg
from betdb.cli.connection import route_library_logs
from betdb.embedded import scratch_server

if sys.argv[1] == "cli":
    route_library_logs()

async def main(server):
    pool = await asyncpg.create_pool(server.dsn, min_size=1, max_size=1)
    assert await pool.fetchval("SELECT 1") == 1
    server.stop("immediate")
    await asyncio.sleep(1.5)
    pool.terminate()

with scratch_server() as server:
    asyncio.run(main(server))
print("done")
"""


def _run(mode: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _SERVER_DIES_UNDER_A_POOL, mode],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def restored_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_without_routing_asyncpg_prints_its_traceback() -> None:
    result = _run("plain")
    assert result.stdout.strip() == "done", result.stderr
    assert "Failed to restore the pool connection floor" in result.stderr
    assert "Traceback" in result.stderr


def test_the_cli_keeps_library_logs_off_the_terminal() -> None:
    result = _run("cli", BETDB_LOG_LEVEL="")
    assert result.stdout.strip() == "done", result.stderr
    assert result.stderr == ""


def test_betdb_log_level_shows_library_records_one_line_each() -> None:
    result = _run("cli", BETDB_LOG_LEVEL="warning")
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines, "no record was shown"
    assert all(line.startswith("warning: asyncpg.pool: Failed to restore") for line in lines)


def test_the_cli_entry_point_routes_library_logs(
    monkeypatch: pytest.MonkeyPatch, restored_root_logger: None
) -> None:
    monkeypatch.setattr(sys, "argv", ["betdb", "--help"])
    with pytest.raises(SystemExit):
        main()
    routed = [h for h in logging.getLogger().handlers if getattr(h, "_betdb_cli", False)]
    assert [type(h) for h in routed] == [logging.NullHandler]
    route_library_logs()  # twice leaves one
    assert len([h for h in logging.getLogger().handlers if getattr(h, "_betdb_cli", False)]) == 1
