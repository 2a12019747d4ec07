"""Running sqlc with our plugin on a codegen case, and loading its golden package."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import asyncpg
import pytest

from betdb.testing import PostgresServer, run_sync

from .flavours import FLAVOURS, Flavour, open_flavour

HERE = Path(__file__).parent
CASES = HERE / "cases"
GOLDEN = HERE / "golden"
BIN = Path(sys.executable).parent
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def run_sqlc(case_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{BIN}:{os.environ.get('PATH', '')}", "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [str(BIN / "sqlc"), "generate"],
        cwd=case_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def generate(case: str, tmp_path: Path) -> dict[str, str]:
    """The files the plugin generates for a case, by name."""
    work = tmp_path / case
    shutil.copytree(CASES / case, work)
    result = run_sqlc(work)
    assert result.returncode == 0, result.stderr
    return {p.name: p.read_text() for p in sorted((work / "gen").glob("*.py"))}


def captured_request(case: str, tmp_path: Path) -> dict[str, Any]:
    """The GenerateRequest sqlc sends for a case, captured by a plugin that only copies it."""
    work = tmp_path / f"{case}-request"
    shutil.copytree(CASES / case, work)
    capture = work / "capture.sh"
    capture.write_text(f"#!/bin/sh\ncat > {work}/request.json\nprintf '{{\"files\":[]}}'\n")
    capture.chmod(0o755)
    config = (work / "sqlc.yaml").read_text().replace("sqlc-gen-asyncpg", str(capture))
    (work / "sqlc.yaml").write_text(config)
    result = run_sqlc(work)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads((work / "request.json").read_text())
    return data


def load(case: str) -> ModuleType:
    return importlib.import_module(f"codegen.golden.{case}")


async def connect_case(case: str, dsn: str) -> asyncpg.Connection:
    """A connection to a fresh database holding a case's schema, its codecs installed."""
    conn = await asyncpg.connect(dsn)
    await conn.execute((CASES / case / "schema.sql").read_text())
    await load(case).init_connection(conn)
    return conn


EMPTY_TABLES = """DO $$
DECLARE tables text;
BEGIN
    SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') INTO tables
    FROM pg_tables WHERE schemaname = 'public';
    IF tables IS NOT NULL THEN
        EXECUTE 'TRUNCATE ' || tables || ' RESTART IDENTITY CASCADE';
    END IF;
END $$"""


class CaseDatabases:
    """One database per case for the session, its schema applied once; each test starts by
    emptying its tables (identities restarted), ~10 ms where a fresh database costs ~300 ms."""

    def __init__(self, server: PostgresServer) -> None:
        self._server = server
        self._urls: dict[str, str] = {}

    def url(self, case: str) -> str:
        if case not in self._urls:
            dsn = self._server.create_database()
            run_sync(_apply_schema(case, dsn))
            self._urls[case] = dsn
        return self._urls[case]


async def _apply_schema(case: str, dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute((CASES / case / "schema.sql").read_text())
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def case_databases(postgres_server: PostgresServer) -> CaseDatabases:
    return CaseDatabases(postgres_server)


@contextlib.asynccontextmanager
async def emptied_case(case: str, databases: CaseDatabases) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the case's session database, its tables emptied, its codecs installed."""
    conn = await asyncpg.connect(databases.url(case))
    try:
        await conn.execute(EMPTY_TABLES)
        await load(case).init_connection(conn)
        yield conn
    finally:
        await conn.close()


@pytest.fixture
async def case_connection(case_databases: CaseDatabases) -> AsyncIterator[asyncpg.Connection]:
    """The everything case's schema and codecs, its tables empty."""
    async with emptied_case("everything", case_databases) as conn:
        yield conn


@pytest.fixture
def case_url(case_databases: CaseDatabases) -> str:
    """DSN of the everything case's database (the one case_connection is on)."""
    return case_databases.url("everything")


@pytest.fixture
async def records_connection(case_databases: CaseDatabases) -> AsyncIterator[asyncpg.Connection]:
    """The records case's schema (the everything case's) and codecs, its tables empty."""
    async with emptied_case("records", case_databases) as conn:
        yield conn


@pytest.fixture
def records_url(case_databases: CaseDatabases) -> str:
    return case_databases.url("records")


@pytest.fixture(params=FLAVOURS)
async def flavour(
    request: pytest.FixtureRequest, case_connection: asyncpg.Connection, case_url: str
) -> AsyncIterator[Flavour]:
    """The everything case's package in one flavour (async, then sync) on its database."""
    async with open_flavour(request.param, load("everything"), case_connection, case_url) as f:
        yield f


@pytest.fixture
def querier(flavour: Flavour) -> Any:
    """The everything case's Querier on asyncpg, then its SyncQuerier on psycopg, checked
    against the Querier on every read."""
    return flavour.querier


@pytest.fixture(params=FLAVOURS)
async def records_flavour(
    request: pytest.FixtureRequest, records_connection: asyncpg.Connection, records_url: str
) -> AsyncIterator[Flavour]:
    """The records case's package in one flavour (async, then sync) on its database."""
    async with open_flavour(request.param, load("records"), records_connection, records_url) as f:
        yield f


@pytest.fixture
async def joins_connection(empty_database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """The joins_and_types case's schema and codecs on a fresh database."""
    conn = await connect_case("joins_and_types", empty_database_url)
    yield conn
    await conn.close()
