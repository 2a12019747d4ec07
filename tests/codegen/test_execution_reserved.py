"""The reserved case on a real PostgreSQL: Python keywords and pydantic.BaseModel's own names
as columns and a query name get PEP 8's trailing underscore and serialize under the column's
name; `rename` wins; unnamed columns are column_N; a void function's column is None."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from codegen.golden.reserved import models
from codegen.golden.reserved import query as q

from .conftest import connect_case


@pytest.fixture
async def reserved_connection(empty_database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect_case("reserved", empty_database_url)
    yield conn
    await conn.close()


def keyword(id: int, from_: int | None) -> q.CreateKeywordParams:
    return q.CreateKeywordParams(
        id=id,
        return_="r",
        class_="c",
        from_=from_,
        model_config_="m",
        schema_="s",
        copy_="cp",
        json_="j",
        dict_="d",
        is_valid=True,
        renamed_as="x",
    )


async def test_keyword_columns_round_trip_and_serialize_under_the_column_name(
    reserved_connection: asyncpg.Connection,
) -> None:
    querier = q.Querier(reserved_connection)
    created = await querier.create_keyword(keyword(1, 10))
    assert created is not None
    assert type(created) is models.Keyword
    assert (created.return_, created.class_, created.from_) == ("r", "c", 10)
    assert (created.model_config_, created.schema_, created.copy_) == ("m", "s", "cp")
    assert (created.json_, created.dict_) == ("j", "d")
    assert created.model_dump(by_alias=True) == {
        "id": 1,
        "return": "r",
        "class": "c",
        "from": 10,
        "model_config": "m",
        "schema": "s",
        "copy": "cp",
        "json": "j",
        "dict": "d",
        "is_valid": True,  # renamed: the rename is the name everywhere
        "renamed_as": "x",
    }
    assert created.model_dump()["return_"] == "r"


async def test_a_query_named_in_is_the_method_in_(
    reserved_connection: asyncpg.Connection,
) -> None:
    querier = q.Querier(reserved_connection)
    await querier.create_keyword(keyword(1, 10))
    await querier.create_keyword(keyword(2, None))
    assert [k.id for k in await querier.in_(ids=[2, 1, 3])] == [1, 2]
    async with reserved_connection.transaction():  # a cursor streams inside a transaction
        assert [k.id async for k in querier.iter_in_(ids=[2])] == [2]
    copied = await querier.copy(from_=10)
    assert copied is not None
    assert (copied.return_, copied.def_, copied.from_) == ("r", "c", 10)
    assert copied.model_dump(by_alias=True) == {"return": "r", "def": "c", "from": 10}
    assert await querier.copy(from_=11) is None


async def test_unnamed_columns_are_column_n(reserved_connection: asyncpg.Connection) -> None:
    querier = q.Querier(reserved_connection)
    unnamed = await querier.unnamed()
    assert unnamed is not None
    assert (unnamed.column_1, unnamed.column_2) == (1, "two")
    assert list(models.One.model_fields) == ["column_1"]
    await reserved_connection.execute("REFRESH MATERIALIZED VIEW ones")
    counted = await querier.count_ones()
    assert counted is not None
    assert counted.count == 1


async def test_a_void_function_returns_none(reserved_connection: asyncpg.Connection) -> None:
    querier = q.Querier(reserved_connection)
    locked = await querier.lock(pg_advisory_lock=42)
    assert locked is not None
    assert locked.pg_advisory_lock is None
    held = await reserved_connection.fetchval(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 42"
    )
    assert held == 1
    unlocked = await querier.unlock(pg_advisory_unlock=42)
    assert unlocked is not None
    assert unlocked.pg_advisory_unlock is True
