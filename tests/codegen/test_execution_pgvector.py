"""The pgvector case: vector as list[float] through the codec init_connection registers where
the extension exists, NULL and arrays included (skipped on a server that ships no pgvector);
the codec's text form is checked against the server's float8[] parser, and a database
without the extension still connects, on both flavours (the SyncQuerier's loader and untyped
parameter text are checked the same way)."""

from __future__ import annotations

import asyncpg
import psycopg
import pytest

from codegen.golden import pgvector as g
from codegen.golden.pgvector import db, sync_db, sync_types
from codegen.golden.pgvector import query as q

from .conftest import CASES, assert_decoded_alike
from .test_server_agreement import has_pgvector


async def test_a_database_without_pgvector_still_connects(empty_database_url: str) -> None:
    conn = await asyncpg.connect(empty_database_url)
    try:
        await g.init_connection(conn)
        assert await conn.fetchval("SELECT 41 + 1") == 42
    finally:
        await conn.close()
    with psycopg.connect(empty_database_url, autocommit=True) as sync:
        g.configure_sync_connection(sync)
        assert sync.execute("SELECT 41 + 1").fetchone() == (42,)


def test_the_sync_vector_text_and_loader_agree_with_the_async_codec() -> None:
    values = [1, 2.5, -3e-7]
    untyped = sync_types._UntypedDumper(sync_db.Untyped)
    assert untyped.dump(sync_db.Untyped(values, "vector")) == db._encode_vector(values).encode()
    assert untyped.dump(sync_db.Untyped([values, None], "vector[]")) == (
        b'{"[1.0,2.5,-3e-07]",NULL}'
    )
    loader = sync_types._VectorLoader(0)
    for text in ("[1.0,2.5,-3e-07]", "[]", "[1,2]"):
        assert_decoded_alike(loader.load(text.encode()), db._decode_vector(text), text)


async def test_the_vector_text_form_is_a_list_of_floats(empty_database_url: str) -> None:
    text = db._encode_vector([1, 2.5, -3e-7])
    assert text == "[1.0,2.5,-3e-07]"
    assert db._decode_vector(text) == [1.0, 2.5, -3e-07]
    assert db._decode_vector("[]") == []
    conn = await asyncpg.connect(empty_database_url)
    try:  # the server parses the same digits: vector's input is float4 text in brackets
        parsed = await conn.fetchval("SELECT translate($1, '[]', '{}')::float8[]", text)
        assert parsed == [1.0, 2.5, -3e-07]
    finally:
        await conn.close()


async def test_vector_round_trips_where_pgvector_is_installed(empty_database_url: str) -> None:
    conn = await asyncpg.connect(empty_database_url)
    try:
        if not await has_pgvector(conn):
            pytest.skip("the embedded server ships no pgvector (the vector extension)")
        await conn.execute((CASES / "pgvector" / "schema.sql").read_text())
        await g.init_connection(conn)
        querier = q.Querier(conn)
        created = await querier.create_embedding(id=1, v=[0.5, 1.0, -2.0], maybe=None, many=None)
        assert created == await querier.get_embedding(id=1)
        assert created is not None
        assert created.v == [0.5, 1.0, -2.0]
        assert type(created.v) is list
        assert type(created.v[0]) is float
        assert created.maybe is None
        assert created.many is None
        # asyncpg sends a list of lists as a 2-D array: an array of vectors is written in SQL
        await conn.execute("UPDATE embeddings SET many = ARRAY['[1,2]'::vector, NULL]")
        fetched = await querier.get_embedding(id=1)
        assert fetched is not None
        assert fetched.many == [[1.0, 2.0], None]
        with psycopg.connect(empty_database_url, autocommit=True) as sync:
            g.configure_sync_connection(sync)
            sync_querier = q.SyncQuerier(sync)
            assert_decoded_alike(sync_querier.get_embedding(id=1), fetched)
            written = sync_querier.create_embedding(
                id=2, v=[0.5, 1.0, -2.0], maybe=[1e-3, 4.0], many=[[1.0, 2.0], None]
            )
            assert_decoded_alike(written, await querier.get_embedding(id=2))
    finally:
        await conn.close()


async def test_halfvec_is_a_list_of_floats_at_half_precision(empty_database_url: str) -> None:
    conn = await asyncpg.connect(empty_database_url)
    try:
        if not await has_pgvector(conn):
            pytest.skip("the embedded server ships no pgvector (the vector extension)")
        await conn.execute((CASES / "pgvector" / "schema.sql").read_text())
        await g.init_connection(conn)
        querier = q.Querier(conn)
        created = await querier.create_half_embedding(id=1, h=[0.5, 1.0, 0.1], many=None)
        assert created is not None
        # 0.1 has no half-precision form: the server keeps the nearest, 0.0999755859375
        assert created.h == [0.5, 1.0, 0.099975586]
        assert type(created.h[0]) is float
        await conn.execute("UPDATE half_embeddings SET many = ARRAY['[1,2]'::halfvec, NULL]")
        fetched = await querier.get_half_embedding(id=1)
        assert fetched is not None
        assert fetched.many == [[1.0, 2.0], None]
        with psycopg.connect(empty_database_url, autocommit=True) as sync:
            g.configure_sync_connection(sync)
            sync_querier = q.SyncQuerier(sync)
            assert_decoded_alike(sync_querier.get_half_embedding(id=1), fetched)
            written = sync_querier.create_half_embedding(
                id=2, h=[1.5, -2.0, 3.25], many=[[1.0, 2.0], None]
            )
            assert written is not None
            assert written.h == [1.5, -2.0, 3.25]
            assert_decoded_alike(written, await querier.get_half_embedding(id=2))
    finally:
        await conn.close()
