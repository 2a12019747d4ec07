"""The server the benchmarks run on, and databases cloned from one migrated template.

DATABASE_URL if set (its role needs CREATEDB), else a scratch embedded PostgreSQL that is
deleted afterwards. Every benchmark gets a database of its own so their data never mix.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from betdb.embedded import scratch_server
from betdb.migrate import migrate_up


def with_database(dsn: str, database: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


@dataclass
class BenchServer:
    dsn: str  # the maintenance database
    kind: str
    prefix: str = field(default_factory=lambda: f"betdb_bench_{uuid.uuid4().hex[:8]}")
    _created: list[str] = field(default_factory=list)

    @property
    def template(self) -> str:
        return f"{self.prefix}_template"

    async def _execute(self, statement: str) -> None:
        connection = await asyncpg.connect(self.dsn)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    async def migrate_template(self) -> None:
        await self._execute(f'CREATE DATABASE "{self.template}"')
        self._created.append(self.template)
        migrate_up(with_database(self.dsn, self.template))

    async def database(self, purpose: str) -> str:
        """A fresh migrated database for one benchmark; its DSN."""
        name = f"{self.prefix}_{purpose}"
        await self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self._created.append(name)
        return with_database(self.dsn, name)

    async def drop_all(self) -> None:
        for name in reversed(self._created):
            await self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.clear()

    async def version(self) -> str:
        connection = await asyncpg.connect(self.dsn)
        try:
            return str(await connection.fetchval("SHOW server_version"))
        finally:
            await connection.close()


@contextlib.contextmanager
def bench_server() -> Iterator[BenchServer]:
    url = os.environ.get("DATABASE_URL")
    if url:
        yield BenchServer(dsn=url, kind="DATABASE_URL")
        return
    with scratch_server() as server:
        yield BenchServer(dsn=server.dsn, kind="embedded scratch server (fsync off)")
