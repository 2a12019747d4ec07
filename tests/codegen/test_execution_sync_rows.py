"""A SyncQuerier's lists of rows whose enums psycopg reads as text (SyncRows): the rows hold the
members, equal in type to the async side's, on any psycopg connection; the connection's own
loaders stay as they were; an unknown label is refused by name, as on the async side."""

from __future__ import annotations

from typing import Any

import asyncpg
import psycopg
import pytest

import codegen.golden.everything as g
from codegen.golden import records as rg
from codegen.golden.everything import models
from codegen.golden.everything import query as q
from codegen.golden.records import query as rq

from .conftest import connect_case
from .flavours import assert_same
from .test_execution import full_author
from .test_execution_records import author

Mood = models.Mood


async def _authors(querier: q.Querier, *moods: Any) -> None:
    for index, mood in enumerate(moods):
        created = await querier.create_author(full_author(name=f"A{index}", mood=mood))
        assert created is not None


@pytest.mark.parametrize("configured", [True, False], ids=["configured", "plain connection"])
async def test_model_rows_hold_the_members_on_any_connection_nulls_included(
    case_connection: asyncpg.Connection, case_url: str, configured: bool
) -> None:
    aq = q.Querier(case_connection)
    await _authors(aq, Mood.SO_SO, Mood.VALUE_1ST, Mood.HAPPY)
    expected = await aq.author_moods()
    assert [(r.mood, r.next_mood) for r in expected] == [
        (Mood.SO_SO, Mood.VALUE_1ST),
        (Mood.VALUE_1ST, Mood.HAPPY),
        (Mood.HAPPY, None),
    ]
    with psycopg.connect(case_url, autocommit=True) as conn:
        if configured:
            g.configure_sync_connection(conn)
        rows = q.SyncQuerier(conn).author_moods()
    assert_same(rows, expected)
    assert all(type(row.mood) is Mood for row in rows)


@pytest.mark.parametrize("configured", [True, False], ids=["configured", "plain connection"])
async def test_typed_rows_hold_the_members_on_any_connection(
    records_connection: asyncpg.Connection, records_url: str, configured: bool
) -> None:
    aq = rq.Querier(records_connection)
    ids = []
    for name, mood in [("Ann", rg.models.Mood.SAD), ("Bo", rg.models.Mood.VALUE_1ST)]:
        created = await aq.create_author(author(name, mood=mood))
        assert created is not None
        ids.append(created.id)
    expected = await aq.list_authors_by_ids(ids=ids)
    with psycopg.connect(records_url, autocommit=True) as conn:
        if configured:
            rg.configure_sync_connection(conn)
        rows = rq.SyncQuerier(conn).list_authors_by_ids(ids=ids)
    assert_same(rows, expected)
    assert [type(row[2]) for row in rows] == [rg.models.Mood, rg.models.Mood]
    assert [row.mood for row in rows] == [rg.models.Mood.SAD, rg.models.Mood.VALUE_1ST]


async def test_the_connection_keeps_its_own_loaders_after_a_list_read_as_text(
    case_connection: asyncpg.Connection, case_url: str
) -> None:
    await _authors(q.Querier(case_connection), Mood.SAD)
    with psycopg.connect(case_url, autocommit=True) as conn:
        g.configure_sync_connection(conn)
        assert [row.mood for row in q.SyncQuerier(conn).author_moods()] == [Mood.SAD]
        (mood,) = conn.execute("SELECT mood FROM authors").fetchone() or (None,)
        assert type(mood) is Mood  # the member, from the connection's loader, not the label
        one = q.SyncQuerier(conn).get_author(id=1)
        assert one is not None
        assert type(one.mood) is Mood


async def test_a_label_the_package_does_not_know_is_refused_in_a_list_naming_it(
    empty_database_url: str,
) -> None:
    conn = await connect_case("everything", empty_database_url)
    try:
        await conn.execute("ALTER TYPE mood ADD VALUE 'giddy'")
        await conn.execute("INSERT INTO authors (name, mood) VALUES ('Ursula', 'giddy')")
        with pytest.raises(g.UnknownLabelError, match="enum Mood has no member 'giddy'"):
            await q.Querier(conn).author_moods()
        with psycopg.connect(empty_database_url, autocommit=True) as sync_conn:
            g.configure_sync_connection(sync_conn)
            with pytest.raises(
                g.UnknownLabelError, match="enum Mood has no member 'giddy'"
            ) as raised:
                q.SyncQuerier(sync_conn).author_moods()
            assert (raised.value.enum, raised.value.label) == ("Mood", "giddy")
    finally:
        await conn.close()
