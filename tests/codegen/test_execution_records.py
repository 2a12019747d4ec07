"""The records case (row_type: record) on a real PostgreSQL: every annotation that returns
rows hands back typed asyncpg Records built by the driver, with the same values and Python
types as the pydantic models of the everything case, and to_model() gives those models.
The SyncQuerier (psycopg builds no asyncpg Records) hands back its typed tuple rows, named Sync
and the record class: the same typed read-only columns over the same values, the same
to_model(), and equal to the Records as tuples."""

from __future__ import annotations

import datetime
import decimal
import ipaddress

import asyncpg
import pydantic
import pytest

import codegen.golden.records as g
from betdb import BetdbSettings, Database, SyncDatabase
from betdb._executor import PoolExecutor, TransactionExecutor
from betdb._sync_executor import SyncPoolExecutor, SyncTransactionExecutor
from codegen.golden.records import models
from codegen.golden.records import query as q

from .flavours import Flavour, assert_same

BORN = datetime.datetime(1970, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


def row_class(flavour: Flavour, record: type[asyncpg.Record]) -> type[object]:
    """The record class on the async side; on sync, its typed tuple row class."""
    if flavour.name == "async":
        return record
    sync_row: type[object] = getattr(q, f"Sync{record.__name__}")
    assert issubclass(sync_row, tuple)
    return sync_row


def author(name: str, mood: models.Mood = models.Mood.SO_SO) -> q.CreateAuthorParams:
    return q.CreateAuthorParams(
        name=name,
        mood=mood,
        moods=[models.Mood.HAPPY, None],
        tags=["sf"],
        data={"books": [1, 2]},
        price=decimal.Decimal("12.34"),
        born=BORN,
        ip=ipaddress.IPv4Address("10.0.0.1"),
        matrix=[[1, 2], [3, None]],
    )


async def test_one_returns_a_typed_record_with_the_python_type_of_each_column(
    records_flavour: Flavour,
) -> None:
    querier = records_flavour.querier
    created = await querier.create_author(author("Ursula"))
    assert type(created) is row_class(records_flavour, q.AuthorRecord)
    fetched = await querier.get_author(id=created.id)
    assert type(fetched) is row_class(records_flavour, q.AuthorRecord)
    assert fetched.name == "Ursula"
    assert fetched.mood is models.Mood.SO_SO  # the enum's own member, from the C-level codec
    assert fetched.moods == [models.Mood.HAPPY, None]
    assert type(fetched.moods[0]) is models.Mood
    assert fetched.tags == ["sf"]
    assert fetched.data == {"books": [1, 2]}
    assert fetched.price == decimal.Decimal("12.34")
    assert type(fetched.price) is decimal.Decimal
    assert fetched.born == BORN
    assert fetched.ip == ipaddress.IPv4Address("10.0.0.1")
    assert fetched.matrix == [[1, 2], [3, None]]
    assert fetched.bio is None
    assert fetched.lambda_ is None  # the rename option names the property too
    assert await querier.get_author(id=404) is None
    assert fetched[1] == "Ursula"  # still a Record or a tuple: by index
    if records_flavour.name == "async":
        assert fetched["name"] == "Ursula"  # a Record by column name too


async def test_a_record_is_read_only_and_to_model_gives_the_pydantic_model(
    records_flavour: Flavour,
) -> None:
    created = await records_flavour.querier.create_author(author("Ursula"))
    assert created is not None
    with pytest.raises(AttributeError):
        created.name = "Changed"
    if records_flavour.name == "sync":
        with pytest.raises(AttributeError):
            created.nickname = "new"  # __slots__ = (): a sync row holds its items alone
    model = created.to_model()
    assert type(model) is models.Author
    assert model.name == "Ursula"
    assert model.mood is models.Mood.SO_SO
    assert model.model_dump()["mood"] == "so-so"
    assert models.Author.model_validate(model.model_dump()) == model
    assert model.model_fields_set == set(models.Author.model_fields)


async def test_the_sync_row_equals_the_async_record_and_gives_the_same_model(
    records_flavour: Flavour,
) -> None:
    created = await records_flavour.querier.create_author(author("Ursula"))
    assert created is not None
    model = created.to_model()
    assert type(model) is models.Author
    model.name = "Changed"  # a model, unlike a record, is mutable
    assert model.name == "Changed"
    assert created.name == "Ursula"
    async_row = await q.Querier(records_flavour.conn).get_author(id=created.id)
    assert async_row is not None
    assert created == async_row  # a Record, or a tuple, of the same items
    assert created.to_model() == async_row.to_model()
    if records_flavour.name == "sync":
        assert isinstance(created, tuple)
        assert_same(created, async_row)  # column by column, types included


async def test_many_and_streaming_return_records_with_the_same_rows(
    records_flavour: Flavour,
) -> None:
    querier = records_flavour.querier
    author_row = row_class(records_flavour, q.AuthorRecord)
    for name, mood in (("a", models.Mood.SAD), ("b", models.Mood.HAPPY), ("c", models.Mood.SAD)):
        await querier.create_author(author(name, mood))
    sad = await querier.list_authors_by_mood(mood=models.Mood.SAD)
    assert [(type(r), r.name, r.mood) for r in sad] == [
        (author_row, "a", models.Mood.SAD),
        (author_row, "c", models.Mood.SAD),
    ]
    rows = await querier.list_authors_by_ids(ids=[sad[1].id, 999, sad[0].id])
    by_ids_row = row_class(records_flavour, q.ListAuthorsByIdsRecord)
    assert [(type(r), r.id, r.name, r.mood) for r in rows] == [
        (by_ids_row, sad[0].id, "a", models.Mood.SAD),
        (by_ids_row, sad[1].id, "c", models.Mood.SAD),
    ]
    model = rows[0].to_model()
    assert type(model) is q.ListAuthorsByIdsRow
    assert model == q.ListAuthorsByIdsRow(id=sad[0].id, name="a", mood="sad")  # type: ignore[arg-type]
    async with records_flavour.transaction() as bound:
        streamed = [r async for r in bound.iter_list_authors_by_mood(mood=models.Mood.SAD)]
    assert [(type(r), r.name) for r in streamed] == [(author_row, "a"), (author_row, "c")]
    with pytest.raises(g.TransactionRequiredError, match="iter_list_authors_by_mood reads"):
        async for _ in querier.iter_list_authors_by_mood(mood=models.Mood.SAD):
            pass
    # a computed column and a scalar: the record holds it, the scalar stays a scalar
    count = await querier.count_authors_unsure()
    assert type(count) is row_class(records_flavour, q.CountAuthorsUnsureRecord)
    assert count.total == 3
    assert await querier.author_names() == ["a", "b", "c"]


async def test_batches_return_records_per_parameter_set(records_flavour: Flavour) -> None:
    querier = records_flavour.querier
    book_row = row_class(records_flavour, q.BookRecord)
    a = await querier.create_author(author("A"))
    b = await querier.create_author(author("B"))
    assert a is not None
    assert b is not None
    await querier.copy_books(
        [(a.id, "a1", 1), (a.id, "a2", decimal.Decimal("2.5")), (b.id, "b1", 3)]
    )
    groups = await querier.books_of_authors(
        [(a.id,), q.BooksOfAuthorsParams(author_id=404), (b.id,)]
    )
    assert [[(type(book), book.title, book.cost) for book in group] for group in groups] == [
        [
            (book_row, "a1", decimal.Decimal(1)),
            (book_row, "a2", decimal.Decimal("2.5")),
        ],
        [],
        [(book_row, "b1", decimal.Decimal(3))],
    ]
    assert all(type(book.cost) is decimal.Decimal for group in groups for book in group)
    ids = [book.id for group in groups for book in group]
    found = await querier.book_by_id([(ids[2],), (12345,), (ids[0],)])
    assert [(type(book), book.title) if book else None for book in found] == [
        (book_row, "b1"),
        None,
        (book_row, "a1"),
    ]
    assert found[0] is not None
    model = found[0].to_model()
    assert model == models.Book(id=ids[2], author_id=b.id, title="b1", cost=3)


async def test_an_override_column_of_a_record_is_converted_like_the_models(
    records_flavour: Flavour,
) -> None:
    # Money (ge=0) is checked on read, in the record's property as in the model's decoder
    querier = records_flavour.querier
    a = await querier.create_author(author("A"))
    assert a is not None
    await records_flavour.conn.execute(
        "INSERT INTO books (author_id, title, cost) VALUES ($1, 'Debt', -5)", a.id
    )
    # on both flavours the row comes back, and its cost is refused when read (the sync side
    # is checked against the async one: both must refuse it alike)
    (group,) = await querier.books_of_authors([(a.id,)])
    (debt,) = group
    assert debt.title == "Debt"
    assert debt[3] == decimal.Decimal(-5)  # the item itself, as stored
    with pytest.raises(pydantic.ValidationError, match="greater than or equal to 0"):
        _ = debt.cost
    with pytest.raises(pydantic.ValidationError, match="greater than or equal to 0"):
        debt.to_model()


async def test_row_types_keeps_models_for_the_queries_it_names(records_flavour: Flavour) -> None:
    querier = records_flavour.querier
    a = await querier.create_author(author("A"))
    assert a is not None
    await querier.copy_books([(a.id, "cheap", 1), (a.id, "dear", 50)])
    cheap = await querier.cheap_books(cost=10)
    assert [(type(book), book.title) for book in cheap] == [(models.Book, "cheap")]


async def test_records_come_through_betdbs_executors_too(
    records_connection: asyncpg.Connection, records_url: str
) -> None:
    seeded = q.Querier(records_connection)
    a = await seeded.create_author(author("Pooled"))
    assert a is not None
    await seeded.copy_books([(a.id, "one", 1)])
    settings = BetdbSettings(dsn=records_url, pool_min_size=1, pool_max_size=2)  # type: ignore[arg-type]
    async with Database(settings, connection_init=g.init_connection) as database:
        pooled = q.Querier(PoolExecutor(database.runtime, database.pool))
        fetched = await pooled.get_author(id=a.id)  # fetchrow
        listed = await pooled.list_authors_by_mood(mood=models.Mood.SO_SO)  # fetch
        (book,) = await pooled.book_by_id([(1,)])  # fetchmany
        async with PoolExecutor(database.runtime, database.pool).transaction() as executor:
            assert isinstance(executor, TransactionExecutor)
            streamed = [
                r
                async for r in q.Querier(executor).iter_list_authors_by_mood(mood=models.Mood.SO_SO)
            ]  # cursor
    assert type(fetched) is q.AuthorRecord
    assert fetched.name == "Pooled"
    assert [(type(r), r.name) for r in listed] == [(q.AuthorRecord, "Pooled")]
    assert type(book) is q.BookRecord
    assert book.title == "one"
    assert [(type(r), r.mood) for r in streamed] == [(q.AuthorRecord, models.Mood.SO_SO)]


async def test_sync_rows_come_through_betdbs_sync_executors_as_records_do_through_async_ones(
    records_connection: asyncpg.Connection, records_url: str
) -> None:
    seeded = q.Querier(records_connection)
    a = await seeded.create_author(author("Pooled"))
    assert a is not None
    await seeded.copy_books([(a.id, "one", 1)])
    settings = BetdbSettings(dsn=records_url, pool_min_size=1, pool_max_size=2)  # type: ignore[arg-type]
    with SyncDatabase(settings, configure=g.configure_sync_connection) as database:
        pooled = q.SyncQuerier(SyncPoolExecutor(database.runtime, database.pool))
        fetched = pooled.get_author(id=a.id)  # fetchrow
        listed = pooled.list_authors_by_mood(mood=models.Mood.SO_SO)  # fetch
        (book,) = pooled.book_by_id([(1,)])  # fetchmany
        with SyncPoolExecutor(database.runtime, database.pool).transaction() as executor:
            assert isinstance(executor, SyncTransactionExecutor)
            bound = q.SyncQuerier(executor)
            streamed = list(bound.iter_list_authors_by_mood(mood=models.Mood.SO_SO))
    assert type(fetched) is q.SyncAuthorRecord
    assert_same(fetched, a)
    assert_same(listed, [a])
    assert type(book) is q.SyncBookRecord
    assert_same(book, (await seeded.book_by_id([(1,)]))[0])
    assert_same(streamed, [a])
