"""Running sqlc with our plugin on a codegen case, and loading its golden package."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import asyncpg
import psycopg
import pydantic
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


class AwaitedSync:
    """A SyncQuerier behind the Querier's async interface, so one test body runs both flavours:
    each method runs synchronously and its result is awaited; iter_ methods become async."""

    def __init__(self, sync_querier: Any) -> None:
        self._sync = sync_querier

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._sync, name)
        if name.startswith("iter_"):

            async def stream(*args: Any, **kwargs: Any) -> Any:
                for item in method(*args, **kwargs):
                    yield item

            return stream

        async def call(*args: Any, **kwargs: Any) -> Any:
            return method(*args, **kwargs)

        return call


# The cases pgtypes, extensions, pgvector and joins_and_types on both flavours: their
# Querier on asyncpg and SyncQuerier on psycopg side by side on one database, and the
# comparison of what each decodes (composites: asyncpg.Record against the sync CompositeValue).


class Flavours:
    """A case's Querier (asyncpg) and SyncQuerier (psycopg, autocommit) on the same database;
    `querier` is the one under test (the sync one behind AwaitedSync), `sync_connection` the
    configured psycopg connection."""

    def __init__(self, flavour: str, querier: Any, sync_querier: Any, sync_connection: Any):
        self.flavour = flavour
        self.async_querier = querier
        self.sync_querier = sync_querier
        self.sync_connection = sync_connection
        self.querier = querier if flavour == "async" else AwaitedSync(sync_querier)


def flavours_of(case: str) -> Any:
    """A fixture running each test on both flavours of `case`, its schema on a fresh database."""

    @pytest.fixture(params=["async", "sync"])
    async def fixture(
        request: pytest.FixtureRequest, empty_database_url: str
    ) -> AsyncIterator[Flavours]:
        package = load(case)
        queries = importlib.import_module(f"codegen.golden.{case}.query")
        conn = await connect_case(case, empty_database_url)
        try:
            with psycopg.connect(empty_database_url, autocommit=True) as sync_conn:
                package.configure_sync_connection(sync_conn)
                sync_querier = queries.SyncQuerier(sync_conn)
                querier = queries.Querier(conn)
                yield Flavours(request.param, querier, sync_querier, sync_conn)
        finally:
            await conn.close()

    return fixture


pgtypes_flavours = flavours_of("pgtypes")
extensions_flavours = flavours_of("extensions")
joins_flavours = flavours_of("joins_and_types")


def assert_decoded_alike(sync_value: Any, async_value: Any, where: str = "value") -> None:
    """The sync flavour's value equals the async one's and is of the same class all the way
    down (models field by field, lists, tuples and asyncpg's Path point by point); where asyncpg
    gives a Record (a composite), the sync side's CompositeValue holds the same fields."""
    if isinstance(async_value, asyncpg.Record):
        assert type(sync_value).__name__ != "tuple", f"{where}: a bare tuple"
        assert list(sync_value.keys()) == list(async_value.keys()), where
        for key, value in async_value.items():  # a Record iterates over its values
            assert_decoded_alike(sync_value[key], value, f"{where}[{key!r}]")
        assert sync_value == async_value, where
        return
    async_type = uuid.UUID if isinstance(async_value, uuid.UUID) else type(async_value)
    assert type(sync_value) is async_type, f"{where}: {type(sync_value)} != {async_type}"
    if isinstance(async_value, pydantic.BaseModel):
        for name in type(async_value).model_fields:
            value = getattr(sync_value, name)
            assert_decoded_alike(value, getattr(async_value, name), f"{where}.{name}")
        return
    if isinstance(async_value, asyncpg.Path):
        assert sync_value.is_closed == async_value.is_closed, where
        async_value, sync_value = async_value.points, sync_value.points
    if isinstance(async_value, asyncpg.Range):
        for bound in ("lower", "upper"):
            s, a = getattr(sync_value, bound), getattr(async_value, bound)
            assert_decoded_alike(s, a, f"{where}.{bound}")
    if isinstance(async_value, list | tuple):
        assert len(sync_value) == len(async_value), where
        for i, (s, a) in enumerate(zip(sync_value, async_value, strict=True)):
            assert_decoded_alike(s, a, f"{where}[{i}]")
    elif isinstance(async_value, dict):
        assert sorted(sync_value) == sorted(async_value), where
        for key in async_value:
            assert_decoded_alike(sync_value[key], async_value[key], f"{where}[{key!r}]")
    assert sync_value == async_value, where
