"""configure_sync_connection costs one round trip per new connection, however many enums,
composites and extension types the package registers (betdb has 16 enums), and none where it
registers only built-in types; counted on the wire, from libpq's own protocol trace."""

from __future__ import annotations

import contextlib
import tempfile
import types
from collections.abc import Callable, Iterator
from typing import Any

import asyncpg
import psycopg
import pytest
from psycopg.adapt import PyFormat
from psycopg.pq import Trace, TransactionStatus

import betdb.generated as betdb_generated
from betdb.generated import models as betdb_models
from codegen.golden import extensions, joins_and_types, pgtypes

from .conftest import CASES


@contextlib.contextmanager
def wire(conn: psycopg.Connection[Any]) -> Iterator[list[str]]:
    """The protocol messages exchanged on `conn` meanwhile, one a line (F: sent, B: received),
    filled in when the block ends."""
    messages: list[str] = []
    with tempfile.TemporaryFile("w+") as trace:
        conn.pgconn.trace(trace.fileno())
        conn.pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS)
        try:
            yield messages
        finally:
            conn.pgconn.untrace()
            trace.seek(0)
            messages.extend(trace.read().splitlines())


def round_trips(messages: list[str]) -> int:
    """Exchanges completed: the server ends each one with ReadyForQuery."""
    return sum(1 for m in messages if m.startswith("B\t") and "\tReadyForQuery" in m)


def configured(dsn: str, configure: Callable[[Any], None], *, autocommit: bool) -> list[str]:
    with psycopg.connect(dsn, autocommit=autocommit) as conn:
        with wire(conn) as messages:
            configure(conn)
        assert conn.info.transaction_status == TransactionStatus.IDLE  # as a pool needs it
    return messages


@pytest.mark.parametrize("autocommit", [True, False])
def test_betdb_registers_its_sixteen_enums_in_one_round_trip(
    database_url: str, autocommit: bool
) -> None:
    assert len(betdb_generated.sync_db._ENUMS) == 16
    messages = configured(
        database_url, betdb_generated.configure_sync_connection, autocommit=autocommit
    )
    assert round_trips(messages) == 1
    assert sum(1 for m in messages if m.startswith("F\t") and "\tParse\t" in m) == 1
    with psycopg.connect(database_url, autocommit=True) as conn:
        betdb_generated.configure_sync_connection(conn)
        for members in betdb_generated.sync_db._ENUMS.values():
            for member in members:  # every enum loads as its members and dumps as its label
                assert conn.execute("SELECT $1", [member]).fetchone() == (member,)


def test_enums_dump_their_labels_through_a_c_level_lookup(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        betdb_generated.configure_sync_connection(conn)
        for members in betdb_generated.sync_db._ENUMS.values():
            for format_ in (PyFormat.TEXT, PyFormat.BINARY):
                dumper = conn.adapters.get_dumper(members, format_)(members, conn)
                assert isinstance(dumper.dump, types.BuiltinFunctionType)  # no frame a value
                labels = [bytes(dumper.dump(member)) for member in members]
                assert labels == [member.value.encode() for member in members]
        conn.execute("CREATE TEMP TABLE copied (market market, sides side[])")
        with conn.cursor() as cursor:
            with cursor.copy("COPY copied FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["market", "side[]"])
                copy.write_row((betdb_models.Market.TOTAL, [betdb_models.Side.OVER, None]))
            stored = cursor.execute("SELECT market::text, sides::text[] FROM copied").fetchall()
    assert stored == [("total", ["over", None])]


async def test_extension_types_and_composites_are_found_in_one_round_trip(
    empty_database_url: str,
) -> None:
    conn = await asyncpg.connect(empty_database_url)
    try:
        await conn.execute((CASES / "extensions" / "schema.sql").read_text())
        await conn.execute((CASES / "joins_and_types" / "schema.sql").read_text())
    finally:
        await conn.close()
    for package in (extensions, joins_and_types):
        messages = configured(
            empty_database_url, package.configure_sync_connection, autocommit=False
        )
        assert round_trips(messages) == 1, package.__name__


def test_built_in_types_alone_need_no_round_trip(empty_database_url: str) -> None:
    messages = configured(empty_database_url, pgtypes.configure_sync_connection, autocommit=True)
    assert messages == []


def test_a_missing_type_is_skipped_and_the_rest_registered(empty_database_url: str) -> None:
    with psycopg.connect(empty_database_url, autocommit=True) as conn:
        conn.execute("CREATE TYPE game_status AS ENUM ('scheduled', 'final')")
        betdb_generated.configure_sync_connection(conn)
        status = conn.execute("SELECT 'final'::game_status").fetchone()
    assert status == (betdb_models.GameStatus.FINAL,)
