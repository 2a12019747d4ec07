"""Types a schema defines itself, on a real PostgreSQL and both flavours: its own range types
and their multiranges as asyncpg.Range of their subtype, enums and composites outside public,
domains and arrays of them as their base type, tid as (block, offset), a non-ASCII column
name, and an extension type overridden to the application's own class (PostGIS's geometry,
here a stand-in base type of that name) with the codec, loader and dumper the user registers.
Every read is checked against the other flavour's."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import psycopg
import pydantic
import pytest
from psycopg.adapt import Dumper, Loader
from psycopg.types import TypeInfo

from codegen.golden import usertypes as g
from codegen.golden.usertypes import models
from codegen.golden.usertypes import query as q

from .conftest import AwaitedSync, assert_decoded_alike, connect_case
from .shapes import Shape


class _ShapeLoader(Loader):
    def load(self, data: Any) -> Shape:
        return Shape.from_text(bytes(data).decode())


class _ShapeDumper(Dumper):
    oid = 0  # text of no type: the server reads it as the column's geometry

    def dump(self, obj: Any) -> bytes:
        shape: Shape = obj
        return shape.to_text().encode()


async def register_shape_codec(conn: asyncpg.Connection) -> None:
    """The application's own asyncpg codec, registered after init_connection."""
    await conn.set_type_codec(
        "geometry",
        schema="public",
        encoder=Shape.to_text,
        decoder=Shape.from_text,
        format="text",
    )


def register_shape_adapters(conn: psycopg.Connection[Any]) -> None:
    """The application's own psycopg loader and dumper, after configure_sync_connection."""
    info = TypeInfo.fetch(conn, "geometry")
    assert info is not None
    info.register(conn)
    conn.adapters.register_loader("geometry", _ShapeLoader)
    conn.adapters.register_dumper(Shape, _ShapeDumper)


class Both:
    def __init__(self, flavour: str, querier: Any, sync_querier: Any) -> None:
        self.async_querier = querier
        self.sync_querier = sync_querier
        self.querier = querier if flavour == "async" else AwaitedSync(sync_querier)


@pytest.fixture(params=["async", "sync"])
async def both(request: pytest.FixtureRequest, empty_database_url: str) -> AsyncIterator[Both]:
    conn = await connect_case("usertypes", empty_database_url)
    try:
        await register_shape_codec(conn)
        with psycopg.connect(empty_database_url, autocommit=True) as sync_conn:
            g.configure_sync_connection(sync_conn)
            register_shape_adapters(sync_conn)
            sync_querier = q.SyncQuerier(sync_conn)
            yield Both(request.param, q.Querier(conn), sync_querier)
    finally:
        await conn.close()


NINE, NOON, ONE, FIVE = (datetime.time(h) for h in (9, 12, 13, 17))


def reading(id: int, **values: Any) -> q.CreateReadingParams:
    fields: dict[str, Any] = dict.fromkeys(q.CreateReadingParams.model_fields)
    return q.CreateReadingParams.model_validate({**fields, "id": id, **values})


async def test_a_schemas_own_ranges_are_ranges_of_their_subtype(both: Both) -> None:
    band = asyncpg.Range(1.5, 2.5)
    bands = [asyncpg.Range(0.0, 1.0), asyncpg.Range(2.0, 3.0, upper_inc=True)]
    shift = asyncpg.Range(NINE, FIVE)
    shifts = [asyncpg.Range(NINE, NOON), asyncpg.Range(ONE, FIVE)]
    await both.querier.create_reading(
        reading(1, band=band, bands=bands, shift=shift, shifts=shifts)
    )
    await both.querier.create_reading(reading(2, band=asyncpg.Range(empty=True)))
    await both.querier.create_reading(reading(3, band=asyncpg.Range(None, 0.5)))
    got = await both.querier.get_reading(id=1)
    assert got is not None
    assert (got.band, got.bands, got.shift, got.shifts) == (band, bands, shift, shifts)
    assert type(got.band) is asyncpg.Range
    assert type(got.band.lower) is float
    assert type(got.shifts[0].upper) is datetime.time
    empty = await both.querier.get_reading(id=2)
    assert empty is not None
    assert empty.band == asyncpg.Range(empty=True)
    assert await both.querier.readings_overlapping(band=asyncpg.Range(2.0, 3.0)) == [1]
    assert await both.querier.readings_overlapping(band=asyncpg.Range(None, 2.0)) == [1, 3]
    for id in (1, 2, 3):
        assert_decoded_alike(
            both.sync_querier.get_reading(id=id), await both.async_querier.get_reading(id=id)
        )


async def test_domains_and_arrays_of_domains_are_their_base_type(both: Both) -> None:
    await both.querier.create_reading(reading(1, count=3, counts=[1, None, 2], smalls=[5, 6]))
    got = await both.querier.get_reading(id=1)
    assert got is not None
    assert (got.count, got.counts, got.smalls) == (3, [1, None, 2], [5, 6])
    assert type(got.count) is int
    assert type(got.counts[0]) is int
    assert type(got.smalls[0]) is int  # a domain over a domain
    assert_decoded_alike(both.sync_querier.get_reading(id=1), got)
    # each driver raises its own error: the sync querier runs on psycopg's connection itself
    with pytest.raises((asyncpg.CheckViolationError, psycopg.errors.CheckViolation)):
        await both.querier.create_reading(reading(2, count=0))


async def test_tid_is_block_and_offset(both: Both) -> None:
    await both.querier.create_reading(reading(1, location=(7, 42)))
    got = await both.querier.get_reading(id=1)
    assert got is not None
    assert got.location == (7, 42)
    assert type(got.location) is tuple
    assert_decoded_alike(both.sync_querier.get_reading(id=1), got)


async def test_non_ascii_column_names_are_kept(both: Both) -> None:
    await both.querier.create_reading(reading(1, café="au lait", crème="fraîche"))
    got = await both.querier.get_reading(id=1)
    assert got is not None
    assert (got.café, got.crème) == ("au lait", "fraîche")
    assert {"café", "crème"} <= set(models.Reading.model_fields)
    assert_decoded_alike(both.sync_querier.get_reading(id=1), got)


async def test_an_override_to_the_applications_class_round_trips(both: Both) -> None:
    await both.querier.create_reading(reading(1, site=Shape("POINT(1 2)")))
    got = await both.querier.get_reading(id=1)
    assert got is not None
    assert got.site == Shape("POINT(1 2)")
    assert type(got.site) is Shape
    assert_decoded_alike(both.sync_querier.get_reading(id=1), got)
    with pytest.raises(pydantic.ValidationError, match="instance of Shape"):  # not converted
        reading(2, site="POINT(1 2)")


async def test_enums_and_composites_outside_public(both: Both) -> None:
    await both.querier.create_team(
        q.CreateTeamParams(
            id=1,
            tier=models.LeagueTier.MAJOR,
            tiers=[models.LeagueTier.MINOR, models.LeagueTier.MAJOR],
            last_score=(3, 2),
            nickname="Tigers",
        )
    )
    team = await both.querier.get_team(id=1)
    assert team is not None
    assert team.tier is models.LeagueTier.MAJOR
    assert team.tiers == [models.LeagueTier.MINOR, models.LeagueTier.MAJOR]
    assert team.last_score is not None
    assert (team.last_score["home"], team.last_score["away"]) == (3, 2)
    assert team.nickname == "Tigers"
    assert_decoded_alike(both.sync_querier.get_team(id=1), await both.async_querier.get_team(id=1))
    rows = await both.querier.teams_of_tier(tier=models.LeagueTier.MAJOR)
    assert [(r.id, r.nickname) for r in rows] == [(1, "Tigers")]
    assert await both.querier.teams_of_tier(tier=models.LeagueTier.MINOR) == []
