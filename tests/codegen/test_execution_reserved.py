"""The reserved case on a real PostgreSQL: Python keywords and pydantic.BaseModel's own names
as columns and a query name get PEP 8's trailing underscore and serialize under the column's
name; `rename` wins; unnamed columns are column_N; a void function's column is None."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from codegen.golden.reserved import models
from codegen.golden.reserved import query as q

from .conftest import CaseDatabases, emptied_case, load
from .flavours import FLAVOURS, Flavour, open_flavour

# advisory locks are the session's state: the same call on the async connection would wait
ADVISORY = frozenset({"lock", "unlock"})


@pytest.fixture(params=FLAVOURS)
async def reserved(
    request: pytest.FixtureRequest, case_databases: CaseDatabases
) -> AsyncIterator[Flavour]:
    dsn = case_databases.url("reserved")
    async with (
        emptied_case("reserved", case_databases) as conn,
        open_flavour(request.param, load("reserved"), conn, dsn, unchecked=ADVISORY) as flavour,
    ):
        yield flavour


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
    reserved: Flavour,
) -> None:
    querier = reserved.querier
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
    reserved: Flavour,
) -> None:
    querier = reserved.querier
    await querier.create_keyword(keyword(1, 10))
    await querier.create_keyword(keyword(2, None))
    assert [k.id for k in await querier.in_(ids=[2, 1, 3])] == [1, 2]
    async with reserved.transaction() as bound:  # a cursor streams inside a transaction
        assert [k.id async for k in bound.iter_in_(ids=[2])] == [2]
    copied = await querier.copy(from_=10)
    assert copied is not None
    assert (copied.return_, copied.def_, copied.from_) == ("r", "c", 10)
    assert copied.model_dump(by_alias=True) == {"return": "r", "def": "c", "from": 10}
    assert await querier.copy(from_=11) is None


async def test_unnamed_columns_are_column_n(reserved: Flavour) -> None:
    querier = reserved.querier
    unnamed = await querier.unnamed()
    assert unnamed is not None
    assert (unnamed.column_1, unnamed.column_2) == (1, "two")
    assert list(models.One.model_fields) == ["column_1"]
    await reserved.conn.execute("REFRESH MATERIALIZED VIEW ones")
    counted = await querier.count_ones()
    assert counted is not None
    assert counted.count == 1


async def test_a_void_function_returns_none(reserved: Flavour) -> None:
    querier = reserved.querier
    locked = await querier.lock(pg_advisory_lock=42)
    assert locked is not None
    assert locked.pg_advisory_lock is None
    held = await reserved.conn.fetchval(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 42"
    )
    assert held == 1
    unlocked = await querier.unlock(pg_advisory_unlock=42)
    assert unlocked is not None
    assert unlocked.pg_advisory_unlock is True
