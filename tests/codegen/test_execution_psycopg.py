"""The SyncQuerier on what a psycopg user has, with nothing of betdb: a plain psycopg
Connection and a psycopg_pool ConnectionPool, each set up by the package's own
configure_sync_connection. Values are checked against the async Querier on asyncpg, type
included; errors are each driver's own, as on the async side's bare asyncpg objects."""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from typing import Any

import asyncpg
import psycopg
import pytest
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

import codegen.golden.everything as g
from codegen.golden.everything import models
from codegen.golden.everything import query as q

from .flavours import assert_same
from .test_execution import full_author

SO_SO = models.Mood.SO_SO


@pytest.fixture(params=["connection", "pool"])
def psycopg_object(
    request: pytest.FixtureRequest, case_connection: asyncpg.Connection, case_url: str
) -> Iterator[Any]:
    """A configured psycopg Connection (autocommit), or a ConnectionPool of two."""
    del case_connection  # it has emptied the tables already
    if request.param == "connection":
        with psycopg.connect(case_url, autocommit=True) as conn:
            g.configure_sync_connection(conn)
            yield conn
        return
    with ConnectionPool(
        case_url, min_size=1, max_size=2, configure=g.configure_sync_connection, open=True
    ) as pool:
        yield pool


async def test_every_kind_of_statement_runs_and_decodes_as_the_async_side(
    case_connection: asyncpg.Connection, psycopg_object: Any
) -> None:
    aq, sq = q.Querier(case_connection), q.SyncQuerier(psycopg_object)
    created = sq.create_author(full_author())
    assert created is not None
    assert created.mood is SO_SO
    assert_same(created, await aq.get_author(id=created.id))  # committed, seen by asyncpg
    assert_same(sq.get_author(id=created.id), await aq.get_author(id=created.id))
    assert sq.get_author(id=-1) is None
    assert_same(sq.list_authors_by_mood(mood=SO_SO), await aq.list_authors_by_mood(mood=SO_SO))
    assert_same(sq.author_names(), ["Ursula"])
    assert (
        sq.copy_books(
            [
                (created.id, "One", decimal.Decimal("1.00")),
                (created.id, "Two", decimal.Decimal("2.25")),
            ]
        )
        == 2
    )
    books = sq.books_of_authors([(created.id,), (-1,)])
    assert [[b.title for b in found] for found in books] == [["One", "Two"], []]
    assert_same(books, await aq.books_of_authors([(created.id,), (-1,)]))
    ids = [b.id for b in books[0]]
    sq.retitle_books([("Uno", ids[0]), ("Dos", ids[1])])
    assert [b.title if b else None for b in sq.book_by_id([(ids[1],), (-5,)])] == ["Dos", None]
    sq.rename_author(name="Renamed", id=created.id)
    assert (await aq.get_author(id=created.id)).name == "Renamed"  # type: ignore[union-attr]
    assert sq.touch_books(author_id=created.id) == "UPDATE 2"
    assert sq.delete_books_of(author_id=created.id) == 2
    assert sq.delete_books_of(author_id=created.id) == 0


async def test_the_server_refusing_a_row_raises_psycopgs_own_error_and_keeps_nothing(
    case_connection: asyncpg.Connection, psycopg_object: Any
) -> None:
    sq = q.SyncQuerier(psycopg_object)
    with pytest.raises(psycopg.errors.CheckViolation, match="positive_int"):
        sq.create_author(full_author(score=-1))  # the domain's CHECK, on the server
    with pytest.raises(asyncpg.CheckViolationError, match="positive_int"):
        await q.Querier(case_connection).create_author(full_author(score=-1))
    assert await q.Querier(case_connection).count_authors() == 0
    assert sq.count_authors() == 0  # and the connection (or the pool) still works


def test_arguments_are_refused_before_anything_is_sent(psycopg_object: Any) -> None:
    with pytest.raises(g.InvalidArgumentsError) as refused:
        q.SyncQuerier(psycopg_object).get_author(id="seven")  # type: ignore[arg-type]
    assert refused.value.query == "GetAuthor"


async def test_a_connection_streams_inside_its_transaction_and_refuses_outside_one(
    case_connection: asyncpg.Connection, case_url: str
) -> None:
    aq = q.Querier(case_connection)
    for name in ("A", "B", "C"):
        await aq.create_author(full_author(name=name))
    with psycopg.connect(case_url, autocommit=True) as conn:
        g.configure_sync_connection(conn)
        sq = q.SyncQuerier(conn)
        with pytest.raises(g.TransactionRequiredError, match="got a Connection outside one"):
            next(sq.iter_list_authors_by_mood(mood=SO_SO))
        with conn.transaction():
            streamed = list(sq.iter_list_authors_by_mood(mood=SO_SO, prefetch=2))
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert [a.name for a in streamed] == ["A", "B", "C"]
    assert_same(streamed, await aq.list_authors_by_mood(mood=SO_SO))


async def test_a_pool_never_streams_but_its_connection_in_a_transaction_does(
    case_connection: asyncpg.Connection, case_url: str
) -> None:
    await q.Querier(case_connection).create_author(full_author(name="A"))
    with ConnectionPool(
        case_url, min_size=1, max_size=1, configure=g.configure_sync_connection
    ) as pool:
        expected = (
            "iter_author_names reads through a server-side cursor, which needs one connection"
            " inside a transaction; got a ConnectionPool outside one. Use: with"
            " pool.connection() as conn, conn.transaction(): ..."
        )
        with pytest.raises(g.TransactionRequiredError) as refused:
            next(q.SyncQuerier(pool).iter_author_names())
        assert str(refused.value) == expected
        with pool.connection() as conn, conn.transaction():
            assert list(q.SyncQuerier(conn).iter_author_names(prefetch=1)) == ["A"]


def test_rows_are_tuples_whatever_the_connections_row_factory(
    case_connection: asyncpg.Connection, case_url: str
) -> None:
    del case_connection  # it has emptied the tables
    with psycopg.connect(case_url, autocommit=True, row_factory=dict_row) as conn:
        g.configure_sync_connection(conn)
        sq = q.SyncQuerier(conn)
        created = sq.create_author(full_author())
        assert created is not None
        assert sq.get_author(id=created.id) == created
        assert sq.author_names() == ["Ursula"]


def test_a_connection_outside_autocommit_runs_in_its_own_transaction(
    case_connection: asyncpg.Connection, case_url: str
) -> None:
    del case_connection  # it has emptied the tables
    with psycopg.connect(case_url) as conn:
        g.configure_sync_connection(conn)
        sq = q.SyncQuerier(conn)
        sq.create_author(full_author())
        assert sq.author_names() == ["Ursula"]  # psycopg opened a transaction: it streams too
        assert list(sq.iter_author_names()) == ["Ursula"]
        conn.rollback()
        assert sq.author_names() == []


async def test_an_async_object_is_refused_naming_what_it_was(
    case_connection: asyncpg.Connection,
) -> None:
    expected = (
        "a SyncQuerier runs on a psycopg Connection, a psycopg_pool ConnectionPool or a sync"
        " executor, not on a Connection"
    )
    with pytest.raises(TypeError) as refused:
        q.SyncQuerier(case_connection)  # type: ignore[arg-type]
    assert str(refused.value) == expected
    with pytest.raises(TypeError, match="not on a str"):
        q.SyncQuerier("postgresql://")  # type: ignore[arg-type]
