"""The extensions case on a real PostgreSQL: hstore (its codec registered by init_connection
in the extension's schema, wherever that is) and ltree/lquery (text), NULL and arrays
included, on both flavours (the SyncQuerier decodes what the Querier decodes, class included);
a database without the extension still connects."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import psycopg
import pytest

from codegen.golden import extensions as g
from codegen.golden.extensions import models
from codegen.golden.extensions import query as q

from .conftest import CASES, Flavours, assert_decoded_alike


async def connect(dsn: str, schema: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(dsn)
    await conn.execute(schema)
    await g.init_connection(conn)
    return conn


@pytest.fixture
async def extensions_connection(empty_database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect(empty_database_url, (CASES / "extensions" / "schema.sql").read_text())
    yield conn
    await conn.close()


ATTRS = {"team": "NYY", "note": None}


async def test_hstore_and_ltree_round_trip(extensions_flavours: Flavours) -> None:
    querier = extensions_flavours.querier
    params = q.CreateLabelParams(
        id=1, attrs=ATTRS, path="mlb.al.east", attrs_list=[{"a": "1"}, None], paths=["a.b", None]
    )
    created = await querier.create_label(params)
    fetched = await querier.get_label(id=1)
    assert fetched == created
    assert type(fetched) is models.Label
    assert fetched.attrs == ATTRS
    assert type(fetched.attrs) is dict
    assert fetched.path == "mlb.al.east"
    assert type(fetched.path) is str
    assert fetched.attrs_list == [{"a": "1"}, None]
    assert fetched.paths == ["a.b", None]
    await querier.create_label(
        q.CreateLabelParams(id=2, attrs=None, path=None, attrs_list=None, paths=None)
    )
    blank = await querier.get_label(id=2)
    assert blank is not None
    assert (blank.attrs, blank.path, blank.attrs_list, blank.paths) == (None, None, None, None)
    for label_id in (1, 2):
        assert_decoded_alike(
            extensions_flavours.sync_querier.get_label(id=label_id),
            await extensions_flavours.async_querier.get_label(id=label_id),
        )


async def test_hstore_text_that_needs_quoting_round_trips(extensions_flavours: Flavours) -> None:
    awkward = {'say "hi"': "back\\slash", "": "", "=>": None, "sp ace": "NULL"}
    params = q.CreateLabelParams(
        id=3, attrs=awkward, path="a", attrs_list=[awkward, {}], paths=["a", "b.c"]
    )
    created = await extensions_flavours.querier.create_label(params)
    assert created is not None
    assert created.attrs == awkward
    assert created.attrs_list == [awkward, {}]
    assert_decoded_alike(
        extensions_flavours.sync_querier.get_label(id=3),
        await extensions_flavours.async_querier.get_label(id=3),
    )


async def test_operators_of_the_extensions_filter_on_the_server(
    extensions_flavours: Flavours,
) -> None:
    querier = extensions_flavours.querier
    await querier.create_label(
        q.CreateLabelParams(id=1, attrs=ATTRS, path="mlb.al.east", attrs_list=None, paths=None)
    )
    await querier.create_label(
        q.CreateLabelParams(id=2, attrs={"x": "y"}, path="mlb.nl.west", attrs_list=None, paths=None)
    )
    assert await querier.labels_under(pattern="mlb.al.*") == [1]
    assert await querier.labels_under(pattern="mlb.*") == [1, 2]
    rows = await querier.labels_with_key(key="team")
    assert [(r.id, r.value) for r in rows] == [(1, "NYY")]
    assert_decoded_alike(
        extensions_flavours.sync_querier.labels_with_key(key="team"),
        await extensions_flavours.async_querier.labels_with_key(key="team"),
    )


async def test_the_codec_is_found_in_the_extensions_own_schema(empty_database_url: str) -> None:
    schema = (
        "CREATE SCHEMA ext;"
        " CREATE EXTENSION hstore SCHEMA ext;"
        " CREATE TABLE kv (id int PRIMARY KEY, attrs ext.hstore)"
    )
    conn = await connect(empty_database_url, schema)
    try:
        await conn.execute("INSERT INTO kv VALUES (1, 'a=>1, b=>NULL')")
        assert await conn.fetchval("SELECT attrs FROM kv") == {"a": "1", "b": None}
        with sync_connection(empty_database_url) as sync:
            found = sync.execute("SELECT attrs, ARRAY[attrs] FROM kv").fetchone()
            assert found == ({"a": "1", "b": None}, [{"a": "1", "b": None}])
    finally:
        await conn.close()


def sync_connection(dsn: str) -> psycopg.Connection[Any]:
    conn = psycopg.connect(dsn, autocommit=True)
    g.configure_sync_connection(conn)
    return conn


async def test_a_database_without_the_extensions_still_connects(empty_database_url: str) -> None:
    conn = await connect(empty_database_url, "SELECT 1")
    try:
        assert await conn.fetchval("SELECT 41 + 1") == 42
        with sync_connection(empty_database_url) as sync:
            assert sync.execute("SELECT 41 + 1").fetchone() == (42,)
    finally:
        await conn.close()
