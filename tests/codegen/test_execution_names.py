"""The names case on a real PostgreSQL: columns and parameters named after every module the
generated code imports (uuid, datetime, decimal, ipaddress, enum, pydantic, json, asyncpg, gc,
operator, typing, collections, and the override's codegen) still read and write their values."""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from codegen.golden.names import models
from codegen.golden.names import query as q

from .conftest import CaseDatabases, emptied_case, load
from .flavours import FLAVOURS, Flavour, open_flavour

AT = datetime.datetime(2026, 4, 1, 19, 5, tzinfo=datetime.UTC)
KEY = uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.fixture(params=FLAVOURS)
async def names(
    request: pytest.FixtureRequest, case_databases: CaseDatabases
) -> AsyncIterator[Flavour]:
    async with (
        emptied_case("names", case_databases) as conn,
        open_flavour(request.param, load("names"), conn, case_databases.url("names")) as flavour,
    ):
        yield flavour


def params(key: uuid.UUID = KEY) -> q.CreateModulesParams:
    return q.CreateModulesParams(
        uuid=key,
        datetime=AT,
        decimal=decimal.Decimal("1.50"),
        ipaddress=ipaddress.IPv4Address("10.1.2.3"),
        enum=models.Enum.B,
        pydantic={"k": [1, None]},
        json_=[True, "x"],
        asyncpg="a",
        gc=7,
        operator="o",
        typing="t",
        collections="c",
        codegen=decimal.Decimal("2.25"),
    )


async def test_every_module_named_column_round_trips(names: Flavour) -> None:
    querier = names.querier
    created = await querier.create_modules(params())
    fetched = await querier.get_modules(uuid=KEY)
    assert fetched == created
    assert fetched is not None
    assert type(fetched) is models.Module
    assert fetched.uuid == KEY
    assert isinstance(fetched.uuid, uuid.UUID)
    assert fetched.datetime == AT
    assert type(fetched.datetime) is datetime.datetime
    assert fetched.decimal == decimal.Decimal("1.50")
    assert type(fetched.decimal) is decimal.Decimal
    assert fetched.ipaddress == ipaddress.IPv4Address("10.1.2.3")
    assert fetched.enum is models.Enum.B
    assert fetched.pydantic == {"k": [1, None]}
    assert fetched.json_ == [True, "x"]
    assert (fetched.asyncpg, fetched.gc, fetched.operator) == ("a", 7, "o")
    assert (fetched.typing, fetched.collections) == ("t", "c")
    assert fetched.codegen == decimal.Decimal("2.25")


async def test_parameters_named_after_modules_filter_and_count(
    names: Flavour,
) -> None:
    querier = names.querier
    other = uuid.UUID("22345678-1234-5678-1234-567812345678")
    await querier.create_modules(params())
    await querier.create_modules(params(other).model_copy(update={"decimal": decimal.Decimal(9)}))
    listed = await querier.list_modules(datetime=AT, decimal=decimal.Decimal(5))
    assert [m.uuid for m in listed] == [other]
    async with names.transaction() as bound:
        streamed = [
            m async for m in bound.iter_list_modules(datetime=AT, decimal=decimal.Decimal(5))
        ]
    assert streamed == listed
    counted = await querier.count_modules(enum=models.Enum.B)
    assert counted is not None
    assert counted.asyncpg == 2
    none = await querier.count_modules(enum=models.Enum.A)
    assert none is not None
    assert none.asyncpg == 0
    assert await querier.get_modules(uuid=uuid.UUID(int=0)) is None


async def test_a_record_row_keeps_module_named_columns(
    names: Flavour,
) -> None:
    querier = names.querier
    await querier.create_modules(params())
    record = await querier.get_modules_record(uuid=KEY)
    assert record is not None
    if names.name == "async":
        assert isinstance(record, asyncpg.Record)
    else:  # psycopg builds no asyncpg Records: the sync side's typed tuple row
        assert type(record) is q.SyncGetModulesRecordRecord
    assert type(record.to_model()) is q.GetModulesRecordRow
    assert record.uuid == KEY
    assert record.decimal == decimal.Decimal("1.50")
    assert (record.gc, record.operator, record.json_) == (7, "o", [True, "x"])
    assert record.codegen == decimal.Decimal("2.25")
