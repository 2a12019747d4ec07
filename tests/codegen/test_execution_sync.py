"""The SyncQuerier (emit_sync) of the everything case on a real PostgreSQL: every annotation,
and every value it decodes equal, type included, to what the async Querier decodes."""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from typing import Any

import asyncpg
import psycopg
import pytest

import codegen.golden.everything as g
from betdb.errors import ValidationError
from codegen.golden.everything import models
from codegen.golden.everything import query as q

from .conftest import connect_case
from .flavours import assert_same
from .test_execution import full_author


@pytest.fixture
def sync_connection(
    case_connection: asyncpg.Connection, case_url: str
) -> Iterator[psycopg.Connection[Any]]:
    """A psycopg connection (autocommit) to the case's database, configured by the package."""
    del case_connection  # it has emptied the tables already
    conn = psycopg.connect(case_url, autocommit=True)
    g.configure_sync_connection(conn)
    yield conn
    conn.close()


@pytest.fixture
def sync_querier(sync_connection: psycopg.Connection[Any]) -> q.SyncQuerier:
    return q.SyncQuerier(sync_connection)


async def test_one_and_many_decode_every_type_as_the_async_side(
    case_connection: asyncpg.Connection, sync_querier: q.SyncQuerier
) -> None:
    aq = q.Querier(case_connection)
    created = sync_querier.create_author(full_author())
    assert created is not None
    assert created.mood is models.Mood.SO_SO
    assert created.data == {"books": [1, 2], "nested": {"ok": True}}
    async_created = await aq.get_author(id=created.id)
    assert_same(created, async_created)
    assert_same(sync_querier.get_author(id=created.id), async_created)
    plain = await aq.create_author(full_author(name="Plain", data=None, moods=None, price=None))
    assert plain is not None
    assert_same(sync_querier.get_author(id=plain.id), plain)
    assert_same(
        sync_querier.list_authors_by_mood(mood=models.Mood.SO_SO),
        await aq.list_authors_by_mood(mood=models.Mood.SO_SO),
    )
    assert_same(sync_querier.author_names(), await aq.author_names())
    ids = [created.id, plain.id]
    assert_same(sync_querier.list_authors_by_ids(ids=ids), await aq.list_authors_by_ids(ids=ids))
    moods = [models.Mood.SO_SO, models.Mood.HAPPY]
    assert_same(sync_querier.authors_in_moods(moods=moods), await aq.authors_in_moods(moods=moods))
    assert_same(sync_querier.count_authors(), await aq.count_authors())
    assert sync_querier.get_author(id=-1) is None


async def test_embeds_decode_as_the_async_side_nullable_included(
    case_connection: asyncpg.Connection, sync_querier: q.SyncQuerier
) -> None:
    aq = q.Querier(case_connection)
    author = await aq.create_author(full_author())
    lonely = await aq.create_author(full_author(name="Lonely"))
    assert author is not None
    assert lonely is not None
    sync_querier.copy_books([(author.id, "A", decimal.Decimal("1.50"))])
    rows = sync_querier.authors_with_books()
    assert_same(rows, await aq.authors_with_books())
    assert [row.book is None for row in rows] == [False, True]
    assert_same(sync_querier.books_with_authors(), await aq.books_with_authors())


async def test_writes_counts_copy_and_batches(
    case_connection: asyncpg.Connection, sync_querier: q.SyncQuerier
) -> None:
    aq = q.Querier(case_connection)
    author = sync_querier.create_author(full_author())
    assert author is not None
    copied = sync_querier.copy_books(
        [(author.id, "One", decimal.Decimal("1.00")), (author.id, "Two", decimal.Decimal("2.25"))]
    )
    assert copied == 2
    books = await aq.books_of_authors([(author.id,), (-1,)])
    assert [[b.title for b in found] for found in books] == [["One", "Two"], []]
    assert_same(sync_querier.books_of_authors([(author.id,), (-1,)]), books)
    ids = [b.id for b in books[0]]
    sync_querier.retitle_books([("Uno", ids[0]), ("Dos", ids[1])])
    one = sync_querier.book_by_id([(ids[1],), (-5,), (ids[0],)])
    assert [b.title if b else None for b in one] == ["Dos", None, "Uno"]
    assert_same(one, await aq.book_by_id([(ids[1],), (-5,), (ids[0],)]))
    sync_querier.rename_author(name="Renamed", id=author.id)
    assert (await aq.get_author(id=author.id)).name == "Renamed"  # type: ignore[union-attr]
    assert sync_querier.touch_books(author_id=author.id) == await aq.touch_books(
        author_id=author.id
    )
    assert sync_querier.delete_books_of(author_id=author.id) == 2
    assert sync_querier.delete_books_of(author_id=author.id) == 0


def test_arguments_are_refused_by_the_same_validation(sync_querier: q.SyncQuerier) -> None:
    with pytest.raises(g.InvalidArgumentsError) as refused:
        sync_querier.get_author(id="seven")  # type: ignore[arg-type]
    assert refused.value.query == "GetAuthor"
    assert not isinstance(refused.value, ValidationError)  # this case keeps its own class


async def test_streaming_needs_a_transaction_and_yields_the_same_rows(
    case_connection: asyncpg.Connection,
    sync_connection: psycopg.Connection[Any],
    sync_querier: q.SyncQuerier,
) -> None:
    aq = q.Querier(case_connection)
    for name in ("A", "B", "C"):
        await aq.create_author(full_author(name=name))
    with pytest.raises(g.TransactionRequiredError):
        next(iter(sync_querier.iter_list_authors_by_mood(mood=models.Mood.SO_SO)))
    with sync_connection.transaction():
        streamed = list(sync_querier.iter_list_authors_by_mood(mood=models.Mood.SO_SO, prefetch=2))
    assert_same(streamed, await aq.list_authors_by_mood(mood=models.Mood.SO_SO))
    assert len(streamed) == 3


async def test_record_rows_come_back_as_typed_tuple_rows_equal_to_the_async_records(
    records_connection: asyncpg.Connection, records_url: str
) -> None:
    from codegen.golden import records as rg
    from codegen.golden.records import query as rq

    from .test_execution_records import author

    aq = rq.Querier(records_connection)
    created = await aq.create_author(author("Ann"))
    assert created is not None
    with psycopg.connect(records_url, autocommit=True) as conn:
        rg.configure_sync_connection(conn)
        sq = rq.SyncQuerier(conn)
        one = sq.get_author(id=created.id)
        assert type(one) is rq.SyncAuthorRecord
        assert one == created  # a tuple of the same items as the Record
        assert_same(one, created)
        assert_same(one.to_model(), created.to_model())
        assert_same(sq.list_authors_by_mood(mood=rg.models.Mood.SO_SO), [created])
        assert_same(sq.author_names(), await aq.author_names())
        assert sq.copy_books([(created.id, "B", decimal.Decimal("3.50"))]) == 1
        batches = await aq.books_of_authors([(created.id,), (-1,)])
        synced = sq.books_of_authors([(created.id,), (-1,)])
        assert_same(synced, batches)
        assert [[book.cost for book in found] for found in synced] == [
            [decimal.Decimal("3.50")],
            [],
        ]
        with conn.transaction():
            streamed = list(sq.iter_author_names())
        assert_same(streamed, sq.author_names())


@pytest.mark.parametrize("data", [[1, "two", None], "just text", 3.5, True, {"a": [None]}])
async def test_json_of_every_shape_goes_in_and_comes_out_as_it_went_in_either_flavour(
    querier: Any, data: Any
) -> None:
    written = await querier.create_author(full_author(data=data))
    assert written is not None
    assert written.data == data
    assert type(written.data) is type(data)
    fetched = await querier.get_author(id=written.id)  # on sync, checked against async's too
    assert fetched == written


@pytest.mark.parametrize(
    ("sync_value", "async_value"),
    [
        (1, True),
        (decimal.Decimal("1.5"), 1.5),
        ("1", 1),
        ([1, 2], (1, 2)),
        ({"a": 1}, {"a": 1.0}),
        (
            models.Book.model_construct(id=1, author_id=None, title="t", cost=1),
            models.Book.model_construct(id=1, author_id=None, title="t", cost=decimal.Decimal(1)),
        ),
    ],
)
def test_the_cross_flavour_check_tells_equal_values_of_other_types_apart(
    sync_value: Any, async_value: Any
) -> None:
    with pytest.raises(AssertionError):
        assert_same(sync_value, async_value)


async def test_a_label_the_package_does_not_know_is_refused_on_read_naming_it(
    empty_database_url: str,
) -> None:
    # a migration added a label after the code was generated
    conn = await connect_case("everything", empty_database_url)
    try:
        await conn.execute("ALTER TYPE mood ADD VALUE 'giddy'")
        await conn.execute("INSERT INTO authors (name, mood) VALUES ('Ursula', 'giddy')")
        expected = "enum Mood has no member 'giddy'"
        with pytest.raises(g.UnknownLabelError, match=expected) as plain:
            await q.Querier(conn).get_author(id=1)  # asyncpg alone
        assert (plain.value.enum, plain.value.label) == ("Mood", "giddy")
        with psycopg.connect(empty_database_url, autocommit=True) as sync_conn:
            g.configure_sync_connection(sync_conn)
            with pytest.raises(g.UnknownLabelError, match=expected):
                sync_conn.execute(q.GET_AUTHOR, (1,)).fetchall()  # psycopg alone
            assert sync_conn.execute(q.AUTHOR_NAMES).fetchall() == [("Ursula",)]  # still whole
        assert await q.Querier(conn).author_names() == ["Ursula"]
    finally:
        await conn.close()
