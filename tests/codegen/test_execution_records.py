"""The records case (row_type: record) on a real PostgreSQL: every annotation that returns
rows hands back typed asyncpg Records built by the driver, with the same values and Python
types as the pydantic models of the everything case, and to_model() gives those models."""

from __future__ import annotations

import datetime
import decimal
import ipaddress

import asyncpg
import pydantic
import pytest

import codegen.golden.records as g
from betdb import BetdbSettings, Database
from betdb._executor import PoolExecutor, TransactionExecutor
from codegen.golden.records import models
from codegen.golden.records import query as q

BORN = datetime.datetime(1970, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


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
    records_connection: asyncpg.Connection,
) -> None:
    querier = q.Querier(records_connection)
    created = await querier.create_author(author("Ursula"))
    assert type(created) is q.AuthorRecord
    fetched = await querier.get_author(id=created.id)
    assert type(fetched) is q.AuthorRecord
    assert isinstance(fetched, asyncpg.Record)
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
    assert fetched["name"] == "Ursula"  # still a Record: by column name and by index
    assert fetched[1] == "Ursula"
    assert await querier.get_author(id=404) is None


async def test_a_record_is_read_only_and_to_model_gives_the_pydantic_model(
    records_connection: asyncpg.Connection,
) -> None:
    created = await q.Querier(records_connection).create_author(author("Ursula"))
    assert created is not None
    with pytest.raises(AttributeError):
        created.name = "Changed"  # type: ignore[misc]
    model = created.to_model()
    assert type(model) is models.Author
    assert model.name == "Ursula"
    assert model.mood is models.Mood.SO_SO
    assert model.model_dump()["mood"] == "so-so"
    assert models.Author.model_validate(model.model_dump()) == model
    assert model.model_fields_set == set(models.Author.model_fields)


async def test_many_and_streaming_return_records_with_the_same_rows(
    records_connection: asyncpg.Connection,
) -> None:
    querier = q.Querier(records_connection)
    for name, mood in (("a", models.Mood.SAD), ("b", models.Mood.HAPPY), ("c", models.Mood.SAD)):
        await querier.create_author(author(name, mood))
    sad = await querier.list_authors_by_mood(mood=models.Mood.SAD)
    assert [(type(r), r.name, r.mood) for r in sad] == [
        (q.AuthorRecord, "a", models.Mood.SAD),
        (q.AuthorRecord, "c", models.Mood.SAD),
    ]
    rows = await querier.list_authors_by_ids(ids=[sad[1].id, 999, sad[0].id])
    assert [(type(r), r.id, r.name, r.mood) for r in rows] == [
        (q.ListAuthorsByIdsRecord, sad[0].id, "a", models.Mood.SAD),
        (q.ListAuthorsByIdsRecord, sad[1].id, "c", models.Mood.SAD),
    ]
    assert type(rows[0].to_model()) is q.ListAuthorsByIdsRow
    assert rows[0].to_model() == q.ListAuthorsByIdsRow(id=sad[0].id, name="a", mood="sad")  # type: ignore[arg-type]
    async with records_connection.transaction():
        streamed = [r async for r in querier.iter_list_authors_by_mood(mood=models.Mood.SAD)]
    assert [(type(r), r.name) for r in streamed] == [(q.AuthorRecord, "a"), (q.AuthorRecord, "c")]
    with pytest.raises(g.TransactionRequiredError, match="iter_list_authors_by_mood reads"):
        async for _ in querier.iter_list_authors_by_mood(mood=models.Mood.SAD):
            pass
    # a computed column and a scalar: the record holds it, the scalar stays a scalar
    count = await querier.count_authors_unsure()
    assert type(count) is q.CountAuthorsUnsureRecord
    assert count.total == 3
    assert await querier.author_names() == ["a", "b", "c"]


async def test_batches_return_records_per_parameter_set(
    records_connection: asyncpg.Connection,
) -> None:
    querier = q.Querier(records_connection)
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
            (q.BookRecord, "a1", decimal.Decimal(1)),
            (q.BookRecord, "a2", decimal.Decimal("2.5")),
        ],
        [],
        [(q.BookRecord, "b1", decimal.Decimal(3))],
    ]
    assert all(type(book.cost) is decimal.Decimal for group in groups for book in group)
    ids = [book.id for group in groups for book in group]
    found = await querier.book_by_id([(ids[2],), (12345,), (ids[0],)])
    assert [(type(book), book.title) if book else None for book in found] == [
        (q.BookRecord, "b1"),
        None,
        (q.BookRecord, "a1"),
    ]
    assert found[0] is not None
    assert found[0].to_model() == models.Book(id=ids[2], author_id=b.id, title="b1", cost=3)


async def test_an_override_column_of_a_record_is_converted_like_the_models(
    records_connection: asyncpg.Connection,
) -> None:
    # Money (ge=0) is checked on read, in the record's property as in the model's decoder
    querier = q.Querier(records_connection)
    a = await querier.create_author(author("A"))
    assert a is not None
    await records_connection.execute(
        "INSERT INTO books (author_id, title, cost) VALUES ($1, 'Debt', -5)", a.id
    )
    (group,) = await querier.books_of_authors([(a.id,)])
    (debt,) = group
    assert debt.title == "Debt"
    with pytest.raises(pydantic.ValidationError, match="greater than or equal to 0"):
        _ = debt.cost


async def test_row_types_keeps_models_for_the_queries_it_names(
    records_connection: asyncpg.Connection,
) -> None:
    querier = q.Querier(records_connection)
    a = await querier.create_author(author("A"))
    assert a is not None
    await querier.copy_books([(a.id, "cheap", 1), (a.id, "dear", 50)])
    cheap = await querier.cheap_books(cost=10)
    assert [(type(book), book.title) for book in cheap] == [(models.Book, "cheap")]


async def test_records_come_through_betdbs_executors_too(
    records_connection: asyncpg.Connection, empty_database_url: str
) -> None:
    seeded = q.Querier(records_connection)
    a = await seeded.create_author(author("Pooled"))
    assert a is not None
    await seeded.copy_books([(a.id, "one", 1)])
    settings = BetdbSettings(dsn=empty_database_url, pool_min_size=1, pool_max_size=2)  # type: ignore[arg-type]
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
