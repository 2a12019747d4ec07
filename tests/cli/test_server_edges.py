"""The local server's edge cases: odd data directory names, stale pid files, its port kept."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from typer.testing import CliRunner

from betdb.cli import app
from betdb.embedded import EmbeddedPostgres, EmbeddedPostgresError


@pytest.fixture
def root() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="betdb-edges-"))
    try:
        yield root
    finally:
        for data_dir in root.iterdir():
            EmbeddedPostgres(data_dir).destroy()
        shutil.rmtree(root, ignore_errors=True)


async def _answer(dsn: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        return int(await connection.fetchval("SELECT 42"))
    finally:
        await connection.close()


@pytest.mark.parametrize("name", ["with space", "it's", 'say "hi"', "$(touch pwned)", "a;b&c"])
def test_a_data_directory_with_shell_characters_in_its_name_works(root: Path, name: str) -> None:
    server = EmbeddedPostgres(root / name, scratch=True)
    server.start()
    try:
        assert asyncio.run(_answer(server.dsn)) == 42
        assert not (Path("/") / "pwned").exists()
    finally:
        server.stop("immediate")
    assert not server.status().running


def test_a_failed_start_says_why_in_its_first_line(root: Path) -> None:
    server = EmbeddedPostgres(root / "data", scratch=True, settings=("shared_buffers=bogus",))
    with pytest.raises(EmbeddedPostgresError) as raised:
        server.start()
    first_line = str(raised.value).splitlines()[0]
    assert first_line == (
        'the server did not start: FATAL: invalid value for parameter "shared_buffers": "bogus"'
    )


def test_cli_start_failure_shows_the_logs_reason(root: Path) -> None:
    data_dir = root / "data"
    EmbeddedPostgres(data_dir).init()
    with (EmbeddedPostgres(data_dir).storage / "postgresql.conf").open("a") as conf:
        conf.write("\nmax_connections = -5\n")
    result = CliRunner().invoke(app, ["server", "start", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert "max_connections" in result.output, result.output
    assert "Traceback" not in result.output


def _stale_pid_file(server: EmbeddedPostgres, content: str) -> None:
    (server.storage / "postmaster.pid").write_text(content)


@pytest.mark.parametrize(
    "content",
    ["", "garbage\n", "\n\n\n\n", f"{os.getpid()}\n/elsewhere\n1\n5432\n"],
    ids=["empty", "garbage", "blank-lines", "a-live-unrelated-process"],
)
def test_a_stale_pid_file_is_neither_running_nor_in_the_way(root: Path, content: str) -> None:
    server = EmbeddedPostgres(root / "data", scratch=True)
    server.start()
    server.stop()
    _stale_pid_file(server, content)
    runner = CliRunner()
    status = runner.invoke(app, ["server", "status", "--data-dir", str(server.data_dir)])
    assert (status.exit_code, status.output.split(":")[0]) == (3, "stopped"), status.output
    server.start()
    try:
        assert asyncio.run(_answer(server.dsn)) == 42
        assert server.status().running
    finally:
        server.stop("immediate")


def test_the_server_keeps_its_port_across_restarts(root: Path) -> None:
    data_dir = root / "data"
    runner = CliRunner()
    first = runner.invoke(app, ["server", "start", "--data-dir", str(data_dir)])
    assert first.exit_code == 0, first.output
    port = EmbeddedPostgres(data_dir).status().port
    runner.invoke(app, ["server", "stop", "--data-dir", str(data_dir)])
    again = runner.invoke(app, ["server", "start", "--data-dir", str(data_dir)])
    try:
        assert again.exit_code == 0, again.output
        assert EmbeddedPostgres(data_dir).status().port == port
        assert f"port {port}" in again.output
    finally:
        runner.invoke(app, ["server", "stop", "--data-dir", str(data_dir)])


def test_a_taken_port_is_replaced_and_remembered(root: Path) -> None:
    server = EmbeddedPostgres(root / "data", scratch=True)
    server.start()
    old_port = server.port
    assert old_port is not None
    server.stop()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", old_port))
        squatter.listen()
        restarted = EmbeddedPostgres(root / "data", scratch=True)
        restarted.start()
        assert restarted.port != old_port
        assert asyncio.run(_answer(restarted.dsn)) == 42
        restarted.stop()
    third = EmbeddedPostgres(root / "data", scratch=True)
    third.start()
    try:
        assert third.port == restarted.port
    finally:
        third.stop()
