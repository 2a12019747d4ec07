"""The pytest plugin in betdb.testing: a real server per session, an isolated database per test."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import asyncpg
import pytest

from betdb.embedded import wait_until_stopped
from betdb.migrate import migration_versions
from betdb.testing import PostgresServer


async def _insert_alias(connection: asyncpg.Connection) -> int:
    await connection.execute("INSERT INTO team_aliases (alias, team_id) VALUES ('ZZZ', 147)")
    count = await connection.fetchval("SELECT count(*) FROM team_aliases WHERE alias = 'ZZZ'")
    return int(count)


async def test_first_writer_of_a_key_sees_only_its_own_row(
    db_connection: asyncpg.Connection,
) -> None:
    assert await _insert_alias(db_connection) == 1


async def test_second_writer_of_the_same_key_also_succeeds(
    db_connection: asyncpg.Connection,
) -> None:
    assert await _insert_alias(db_connection) == 1


async def test_each_test_database_has_every_migration_applied(
    db_connection: asyncpg.Connection,
) -> None:
    migrations = migration_versions()
    applied = [
        r["version"]
        for r in await db_connection.fetch("SELECT version FROM schema_migrations ORDER BY 1")
    ]
    assert applied == migrations
    assert await db_connection.fetchval("SELECT count(*) FROM teams") == 30


async def test_each_test_gets_a_database_of_its_own(
    database_url: str, postgres_server: PostgresServer
) -> None:
    connection = await asyncpg.connect(postgres_server.dsn)
    try:
        name = database_url.rsplit("/", 1)[1]
        assert (
            await connection.fetchval("SELECT count(*) FROM pg_database WHERE datname = $1", name)
            == 1
        )
    finally:
        await connection.close()


async def test_pool_fixture_serves_concurrent_queries(db_pool: asyncpg.Pool) -> None:
    results = await asyncio.gather(*(db_pool.fetchval("SELECT $1::int * 2", i) for i in range(20)))
    assert results == [i * 2 for i in range(20)]


_INNER_TEST = """
import json, os
from pathlib import Path

def test_records_its_server(postgres_server, database_url):
    Path(os.environ["BETDB_RECORD"]).write_text(json.dumps(
        {"kind": postgres_server.kind, "pid": postgres_server.pid,
         "data_dir": str(postgres_server.data_dir)}))
    {ending}
"""


def _server_lifetime(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ending: str
) -> dict[str, object]:
    record = pytester.path / "server.json"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BETDB_RECORD", str(record))
    pytester.makepyfile(test_inner=_INNER_TEST.replace("{ending}", ending))
    (pytester.path / "db").symlink_to(Path.cwd() / "db")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    recorded: dict[str, object] = json.loads(record.read_text())
    recorded["outcome"] = result.ret
    return recorded


@pytest.mark.parametrize(
    ("ending", "exit_code"),
    [("assert True", 0), ("assert False", 1), ("raise KeyboardInterrupt", 2)],
    ids=["passing", "failing", "interrupted"],
)
def test_embedded_server_is_gone_after_the_session(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ending: str, exit_code: int
) -> None:
    recorded = _server_lifetime(pytester, monkeypatch, ending)
    assert recorded["kind"] == "embedded"
    assert recorded["outcome"] == exit_code
    assert isinstance(recorded["pid"], int)
    assert wait_until_stopped(recorded["pid"], timeout=10), "the postmaster is still running"
    assert not Path(str(recorded["data_dir"])).exists()
