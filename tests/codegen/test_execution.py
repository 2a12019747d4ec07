"""Every generated method of the everything case, run on a real PostgreSQL."""

from __future__ import annotations

import datetime
import decimal
import gc
import ipaddress
import uuid
from typing import Any

import asyncpg
import pydantic
import pytest

import codegen.golden.everything as g
from betdb import BetdbSettings, Database, SyncDatabase
from betdb._executor import PoolExecutor, TransactionExecutor
from betdb._sync_executor import SyncPoolExecutor, SyncTransactionExecutor
from codegen.golden.everything import models
from codegen.golden.everything import query as q

from .flavours import Flavour, assert_same

BORN = datetime.datetime(1970, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))


def sync_settings(dsn: str) -> BetdbSettings:
    return BetdbSettings(dsn=dsn, pool_min_size=1, pool_max_size=2)  # type: ignore[arg-type]


def full_author(**changes: Any) -> Any:
    values: dict[str, Any] = {
        "name": "Ursula",
        "bio": None,
        "mood": models.Mood.SO_SO,
        "moods": [models.Mood.HAPPY, None],
        "tags": ["sf", "fantasy"],
        "data": {"books": [1, 2], "nested": {"ok": True}},
        "price": decimal.Decimal("12.34"),
        "born": BORN,
        "birthday": datetime.date(1929, 10, 21),
        "uid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "score": 7,
        "ip": ipaddress.IPv4Address("10.0.0.1"),
        "net": ipaddress.IPv4Network("10.0.0.0/8"),
        "nick": "UKL",
        "code": "abc",
        "handle": "ukl",
        "wakes": datetime.time(6, 30),
        "wakes_tz": datetime.time(6, 30, tzinfo=datetime.UTC),
        "local_ts": datetime.datetime(2020, 1, 1, 12, 0),
        "nap": datetime.timedelta(minutes=20),
        "avatar": b"\x00\x01",
        "ratio": 0.5,
        "weight": 61.25,
        "rank": 3,
        "flag": True,
        "matrix": [[1, 2], [3, None]],
    }
    values.update(changes)
    return q.CreateAuthorParams(**values)


async def test_one_round_trips_every_type_with_its_python_type(
    querier: Any,
) -> None:
    created = await querier.create_author(full_author())
    assert created is not None
    fetched = await querier.get_author(id=created.id)
    assert fetched == created
    assert isinstance(fetched, models.Author)
    assert fetched.bio is None
    assert fetched.mood is models.Mood.SO_SO
    assert fetched.moods == [models.Mood.HAPPY, None]
    assert isinstance(fetched.moods[0], models.Mood)
    assert fetched.data == {"books": [1, 2], "nested": {"ok": True}}
    assert isinstance(fetched.data, dict)
    assert fetched.price == decimal.Decimal("12.34")
    assert isinstance(fetched.price, decimal.Decimal)
    assert fetched.born == BORN
    assert fetched.born is not None
    assert fetched.born.tzinfo is not None
    assert fetched.local_ts == datetime.datetime(2020, 1, 1, 12, 0)
    assert fetched.uid == uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert fetched.nap == datetime.timedelta(minutes=20)
    assert fetched.matrix == [[1, 2], [3, None]]
    assert fetched.tags == ["sf", "fantasy"]
    assert fetched.net == ipaddress.IPv4Network("10.0.0.0/8")
    assert fetched.avatar == b"\x00\x01"
    assert fetched.score == 7
    assert fetched.code == "abc"


async def test_decoded_rows_are_working_pydantic_models(
    querier: Any,
) -> None:
    created = await querier.create_author(full_author())
    assert created is not None
    dumped = created.model_dump()
    assert dumped["mood"] == "so-so"
    assert dumped["data"]["nested"] == {"ok": True}
    assert models.Author.model_validate(dumped) == created
    assert created.model_fields_set == set(models.Author.model_fields)
    renamed = created.model_copy(update={"name": "Le Guin"})
    assert renamed.name == "Le Guin"
    assert created.name == "Ursula"
    created.name = "Changed"
    assert created.name == "Changed"
    other = await querier.get_author(id=created.id)
    assert other is not None
    assert other.name == "Ursula"
    assert '"mood":"so-so"' in created.model_dump_json()


async def test_one_returns_none_without_a_row(querier: Any) -> None:
    assert await querier.get_author(id=404) is None


async def test_parameters_are_validated_before_reaching_the_server(
    querier: Any,
) -> None:
    with pytest.raises(g.InvalidArgumentsError) as rejected:
        await querier.list_authors_by_mood(mood="furious")  # type: ignore[arg-type]
    assert rejected.value.query == "ListAuthorsByMood"
    assert str(rejected.value).startswith("ListAuthorsByMood: mood: Input should be 'happy'")
    with pytest.raises(pydantic.ValidationError):
        q.CreateAuthorParams(name="x", mood="happy", tags="not a list")  # type: ignore[call-arg]
    with pytest.raises(g.InvalidArgumentsError, match="CopyBooks: "):
        await querier.copy_books([(None, "Negative", decimal.Decimal("-1"))])
    created = await querier.create_author(full_author())
    assert created is not None
    assert [a.id for a in await querier.list_authors_by_mood(mood="so-so")] == [created.id]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reason"),
    [("nul\x00inside", "NUL \\(0x00\\)"), ("lone \ud800 surrogate", "lone surrogate")],
)
async def test_text_postgresql_cannot_store_is_refused_before_reaching_the_server(
    flavour: Flavour, text: str, reason: str
) -> None:
    created = await flavour.querier.create_author(full_author())
    assert created is not None
    with pytest.raises(
        g.InvalidArgumentsError, match=f"RenameAuthor: name: .*{reason}"
    ) as rejected:
        await flavour.querier.rename_author(name=text, id=created.id)
    assert rejected.value.errors[0]["loc"] == (0,)
    stored = await flavour.conn.fetchval("SELECT name FROM authors WHERE id = $1", created.id)
    assert stored == created.name


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("name", "nul\x00inside", "NUL"),
        ("tags", ["fine", "lone \udc80"], "lone surrogate"),
        ("data", {"books": [{"title": "x\x00y"}]}, "NUL"),
    ],
)
def test_a_params_model_refuses_text_postgresql_cannot_store_when_built(
    field: str, value: object, reason: str
) -> None:
    with pytest.raises(pydantic.ValidationError, match=reason) as rejected:
        full_author(**{field: value})
    assert [error["loc"][0] for error in rejected.value.errors()] == [field]


async def test_many_scalar_and_computed_columns(querier: Any) -> None:
    assert await querier.count_authors() == 0
    first = await querier.create_author(full_author(name="A", mood=models.Mood.HAPPY))
    second = await querier.create_author(full_author(name="B", mood=models.Mood.SAD))
    assert first is not None
    assert second is not None
    assert await querier.count_authors() == 2
    unsure = await querier.count_authors_unsure()
    assert unsure is not None
    assert unsure.total == 2
    assert await querier.author_names() == ["A", "B"]
    assert await querier.authors_in_moods(moods=[models.Mood.SAD, None]) == [second.id]
    rows = await querier.list_authors_by_ids(ids=[second.id, 999])
    assert [(r.id, r.name) for r in rows] == [(second.id, "B")]
    assert await querier.list_authors_by_ids(ids=[]) == []


async def test_exec_execrows_execresult(querier: Any) -> None:
    author = await querier.create_author(full_author())
    assert author is not None
    await querier.rename_author(name="Renamed", id=author.id)
    renamed = await querier.get_author(id=author.id)
    assert renamed is not None
    assert renamed.name == "Renamed"
    copied = await querier.copy_books(
        [
            q.CopyBooksParams(author_id=author.id, title="Earthsea", cost=decimal.Decimal("9.5")),
            (author.id, "Lathe", decimal.Decimal(0)),
            (None, "Orphan", 1),
        ]
    )
    assert copied == 3
    assert await querier.touch_books(author_id=author.id) == "UPDATE 2"
    assert await querier.delete_books_of(author_id=author.id) == 2
    assert await querier.delete_books_of(author_id=author.id) == 0


async def test_batches_send_many_parameter_sets_and_answer_per_set(
    querier: Any,
) -> None:
    a = await querier.create_author(full_author(name="A"))
    b = await querier.create_author(full_author(name="B"))
    assert a is not None
    assert b is not None
    await querier.copy_books([(a.id, "a1", 1), (a.id, "a2", 2), (b.id, "b1", 3)])
    sets = [(a.id,), q.BooksOfAuthorsParams(author_id=404), (b.id,)]
    books = await querier.books_of_authors(sets)
    assert [[book.title for book in group] for group in books] == [["a1", "a2"], [], ["b1"]]
    assert all(isinstance(book.cost, decimal.Decimal) for group in books for book in group)
    ids = [book.id for group in books for book in group]
    await querier.retitle_books([("A1", ids[0]), q.RetitleBooksParams(title="B1", id=ids[2])])
    found = await querier.book_by_id([(ids[2],), (12345,), (ids[0],)])
    assert [book.title if book else None for book in found] == ["B1", None, "A1"]


async def test_embed_is_none_on_the_nullable_side_of_a_left_join(
    querier: Any,
) -> None:
    a = await querier.create_author(full_author(name="With"))
    b = await querier.create_author(full_author(name="Without"))
    assert a is not None
    assert b is not None
    await querier.copy_books([(a.id, "Only", 5)])
    rows = await querier.authors_with_books()
    assert [(r.author.name, r.book.title if r.book else None) for r in rows] == [
        ("With", "Only"),
        ("Without", None),
    ]
    assert isinstance(rows[0].author, models.Author)
    assert isinstance(rows[0].book, models.Book)
    inner = await querier.books_with_authors()
    assert [(r.book.title, r.author.name) for r in inner] == [("Only", "With")]


async def test_params_model_above_the_parameter_limit(querier: Any) -> None:
    a = await querier.create_author(full_author())
    assert a is not None
    await querier.copy_books([(a.id, "x", 1), (a.id, "y", 2), (a.id, "z", 3)])
    params = q.SearchBooksParams(title=None, min_cost=2, max_cost=3, after_id=0, before_id=100)
    rows = await querier.search_books(params)
    assert [(r.title, r.cost) for r in rows] == [("y", 2), ("z", 3)]
    assert all(isinstance(r.cost, decimal.Decimal) for r in rows)


async def test_streaming_needs_a_transaction_and_then_yields_every_row(flavour: Flavour) -> None:
    for name in ("a", "b", "c"):
        await flavour.querier.create_author(full_author(name=name))
    with pytest.raises(g.TransactionRequiredError, match="transaction"):
        async for _ in flavour.querier.iter_author_names():
            pass
    async with flavour.transaction() as querier:
        names = [name async for name in querier.iter_author_names(prefetch=2)]
        authors = [a async for a in querier.iter_list_authors_by_mood(mood=models.Mood.SO_SO)]
        embeds = [row async for row in querier.iter_authors_with_books()]
        searched = [
            row
            async for row in querier.iter_search_books(
                q.SearchBooksParams(title=None, min_cost=0, max_cost=9, after_id=0, before_id=9)
            )
        ]
    assert names == ["a", "b", "c"]
    assert [a.name for a in authors] == ["a", "b", "c"]
    assert [(row.author.name, row.book) for row in embeds] == [(n, None) for n in "abc"]
    assert searched == []


async def test_querier_runs_on_a_pool_too(
    case_connection: asyncpg.Connection, case_url: str
) -> None:
    await q.Querier(case_connection).create_author(full_author(name="Pooled"))
    pool = await asyncpg.create_pool(case_url, min_size=1, max_size=2, init=g.init_connection)
    try:
        assert await q.Querier(pool).author_names() == ["Pooled"]
    finally:
        await pool.close()


async def test_sync_querier_runs_on_a_sync_database_pool_too(
    case_connection: asyncpg.Connection, case_url: str
) -> None:
    created = await q.Querier(case_connection).create_author(full_author(name="Pooled"))
    with SyncDatabase(sync_settings(case_url), configure=g.configure_sync_connection) as database:
        pooled = q.SyncQuerier(SyncPoolExecutor(database.runtime, database.pool))
        assert pooled.author_names() == ["Pooled"]
        assert_same(pooled.get_author(id=1), created)


async def test_streaming_on_a_pool_says_a_transaction_on_one_connection_is_needed(
    case_url: str,
) -> None:
    pool = await asyncpg.create_pool(case_url, min_size=1, max_size=2)
    try:
        with pytest.raises(g.TransactionRequiredError) as raised:
            async for _ in q.Querier(pool).iter_author_names():
                pass
    finally:
        await pool.close()
    message = str(raised.value)
    assert message.startswith("iter_author_names reads through a server-side cursor")
    assert "got a Pool outside one" in message
    assert "async with pool.acquire() as conn, conn.transaction()" in message


def test_sync_streaming_on_a_pool_says_a_transaction_on_one_connection_is_needed(
    case_url: str,
) -> None:
    with SyncDatabase(sync_settings(case_url), configure=g.configure_sync_connection) as database:
        pooled = q.SyncQuerier(SyncPoolExecutor(database.runtime, database.pool))
        with pytest.raises(g.TransactionRequiredError) as raised:
            next(pooled.iter_author_names())
    message = str(raised.value)
    assert message.startswith("iter_author_names reads through a server-side cursor")
    assert "got a SyncPoolExecutor outside one" in message
    assert message.endswith("Use: with pool.connection() as conn, conn.transaction(): ...")


async def test_streaming_works_on_a_pooled_connection_inside_a_transaction(
    case_connection: asyncpg.Connection, case_url: str
) -> None:
    # async only: asyncpg's pool hands out a PoolConnectionProxy (the sync twin: the next test)
    for name in ("p", "q", "r"):
        await q.Querier(case_connection).create_author(full_author(name=name))
    pool = await asyncpg.create_pool(case_url, min_size=1, max_size=2, init=g.init_connection)
    try:
        async with pool.acquire() as pooled:
            assert type(pooled).__name__ == "PoolConnectionProxy"
            querier = q.Querier(pooled)
            with pytest.raises(g.TransactionRequiredError, match="got a PoolConnectionProxy"):
                async for _ in querier.iter_author_names():
                    pass
            async with pooled.transaction():
                names = [name async for name in querier.iter_author_names(prefetch=2)]
                authors = [
                    a async for a in querier.iter_list_authors_by_mood(mood=models.Mood.SO_SO)
                ]
    finally:
        await pool.close()
    assert names == ["p", "q", "r"]
    assert [a.name for a in authors] == ["p", "q", "r"]
    assert all(a.mood is models.Mood.SO_SO for a in authors)


async def test_streaming_works_on_a_betdb_transaction_executor(
    case_connection: asyncpg.Connection, case_url: str
) -> None:
    for name in ("x", "y"):
        await q.Querier(case_connection).create_author(full_author(name=name))
    settings = BetdbSettings(dsn=case_url, pool_min_size=1, pool_max_size=2)  # type: ignore[arg-type]
    async with Database(settings, connection_init=g.init_connection) as database:
        outside = PoolExecutor(database.runtime, database.pool)
        with pytest.raises(g.TransactionRequiredError, match="got a PoolExecutor"):
            async for _ in q.Querier(outside).iter_author_names():
                pass
        async with outside.transaction() as executor:
            assert isinstance(executor, TransactionExecutor)
            querier = q.Querier(executor)
            names = [name async for name in querier.iter_author_names(prefetch=1)]
            ids = [row.id async for row in querier.iter_list_authors_by_ids(ids=[1, 2, 3])]
    assert names == ["x", "y"]
    assert len(ids) == 2


async def test_sync_streaming_works_on_a_betdb_sync_transaction_executor(
    case_connection: asyncpg.Connection, case_url: str
) -> None:
    for name in ("x", "y"):
        await q.Querier(case_connection).create_author(full_author(name=name))
    with SyncDatabase(sync_settings(case_url), configure=g.configure_sync_connection) as database:
        outside = SyncPoolExecutor(database.runtime, database.pool)
        with pytest.raises(g.TransactionRequiredError, match="got a SyncPoolExecutor"):
            next(q.SyncQuerier(outside).iter_author_names())
        with outside.transaction() as executor:
            assert isinstance(executor, SyncTransactionExecutor)
            querier = q.SyncQuerier(executor)
            names = list(querier.iter_author_names(prefetch=1))
            rows = list(querier.iter_list_authors_by_ids(ids=[1, 2, 3]))
    assert names == ["x", "y"]
    assert_same(rows, await q.Querier(case_connection).list_authors_by_ids(ids=[1, 2, 3]))


@pytest.mark.parametrize("collecting", [True, False])
async def test_decoding_many_rows_leaves_the_collector_as_it_found_it(
    querier: Any, collecting: bool
) -> None:
    for name in ("a", "b"):
        await querier.create_author(full_author(name=name, mood=models.Mood.SAD))
    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        authors = await querier.list_authors_by_mood(mood=models.Mood.SAD)
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()
    assert [a.name for a in authors] == ["a", "b"]
    assert all(type(a) is models.Author and a.mood is models.Mood.SAD for a in authors)


async def test_a_row_failing_its_override_still_turns_the_collector_back_on(
    flavour: Flavour,
) -> None:
    # Money (ge=0) is checked on read: a negative cost written past the plugin fails the decode.
    author = await flavour.querier.create_author(full_author())
    assert author is not None
    await flavour.conn.execute(
        "INSERT INTO books (author_id, title, cost) VALUES ($1, 'Debt', -5)", author.id
    )
    assert gc.isenabled()
    with pytest.raises(pydantic.ValidationError, match="greater than or equal to 0"):
        await flavour.querier.books_of_authors([(author.id,)])
    assert gc.isenabled()


async def test_streaming_keeps_the_collector_running_between_rows(flavour: Flavour) -> None:
    for name in ("a", "b", "c"):
        await flavour.querier.create_author(full_author(name=name))
    seen: list[bool] = []
    async with flavour.transaction() as querier:
        async for author in querier.iter_list_authors_by_mood(mood=models.Mood.SO_SO, prefetch=1):
            assert type(author) is models.Author
            seen.append(gc.isenabled())
    assert seen == [True, True, True]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        # every value of its exact type: the fast path, then Money's own validator refuses
        ((None, "Debt", decimal.Decimal(-1)), "CopyBooks: cost: Input should be greater than"),
        # an int where a Decimal goes: the full check, with the same words
        ((None, "Debt", -1), "CopyBooks: cost: Input should be greater than"),
        ((None, "Void", decimal.Decimal("NaN")), "CopyBooks: cost: Input should be a finite"),
        ((None, "Nul\x00", decimal.Decimal(1)), "CopyBooks: title: text cannot contain NUL"),
        (("1", "Text id", decimal.Decimal(1)), None),  # converted by pydantic, as before
    ],
)
async def test_arguments_of_their_exact_type_are_checked_as_strictly_as_any_other(
    flavour: Flavour, values: tuple[Any, ...], message: str | None
) -> None:
    querier, case_connection = flavour.querier, flavour.conn
    await querier.create_author(full_author())  # author 1, for the text id
    if message is None:
        assert await querier.copy_books([values]) == 1
        stored = await case_connection.fetchrow("SELECT author_id, title, cost FROM books")
        assert tuple(stored) == (1, values[1], values[2])
        return
    with pytest.raises(g.InvalidArgumentsError) as rejected:
        await querier.copy_books([values])
    assert str(rejected.value).startswith(message)
    assert rejected.value.query == "CopyBooks"
    assert await case_connection.fetchval("SELECT count(*) FROM books") == 0


async def test_arguments_of_their_exact_type_reach_the_server_as_given(
    querier: Any,
) -> None:
    author = await querier.create_author(full_author(name="Le Guín"))  # not ASCII: full check
    assert author is not None
    await querier.copy_books([(author.id, "Tehanu", decimal.Decimal("7.25"))])
    await querier.rename_author(name="Ursula K. Le Guín", id=author.id)
    renamed = await querier.get_author(id=author.id)
    assert renamed is not None
    assert renamed.name == "Ursula K. Le Guín"
    (books,) = await querier.books_of_authors([(author.id,)])
    assert [(b.title, b.cost) for b in books] == [("Tehanu", decimal.Decimal("7.25"))]
    assert type(books[0].cost) is decimal.Decimal
    assert [a.id for a in await querier.list_authors_by_mood(mood=models.Mood.SO_SO)] == [author.id]
