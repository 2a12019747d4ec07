"""The fallback case on a real PostgreSQL, both flavours: what sqlc cannot type is `object`,
the driver's value passed through, any value accepted as a parameter; a type no driver has a
codec for (PostGIS's geometry, here a stand-in base type of that name) is the server's text;
information_schema's domains are their base types."""

from __future__ import annotations

from decimal import Decimal

from codegen.golden.fallback import models

from .conftest import Flavours, assert_decoded_alike, flavours_of

fallback_flavours = flavours_of("fallback")

# a point as PostGIS writes it: hex EWKB, which is what both drivers hand out as text
POINT = "0101000000000000000000F03F0000000000000040"


async def test_an_untyped_column_passes_the_drivers_value_through(
    fallback_flavours: Flavours,
) -> None:
    querier = fallback_flavours.querier
    await querier.create_station(id=1, name="Baguio", geom=POINT, rainfall=Decimal("12.5"))
    await querier.create_station(id=2, name="Davao", geom=None, rainfall=None)
    total = await querier.rainfall_or_zero(id=1)
    assert total is not None
    assert total.total == Decimal("12.5")
    assert type(total.total) is Decimal
    missing = await querier.rainfall_or_zero(id=2)
    assert missing is not None
    assert missing.total == 0
    assert_decoded_alike(
        fallback_flavours.sync_querier.rainfall_or_zero(id=1),
        await fallback_flavours.async_querier.rainfall_or_zero(id=1),
    )


async def test_an_untyped_parameter_takes_any_value_the_server_accepts(
    fallback_flavours: Flavours,
) -> None:
    querier = fallback_flavours.querier
    await querier.create_station(id=1, name="Baguio", geom=None, rainfall=Decimal("3"))
    await querier.create_station(id=2, name="Davao", geom=None, rainfall=Decimal("0"))
    assert await querier.stations_matching(wet=True) == [1]
    assert await querier.stations_matching(wet=False) == [1, 2]
    assert await querier.stations_matching(wet=None) == [1, 2]


async def test_a_type_without_codec_is_the_servers_text_both_ways(
    fallback_flavours: Flavours,
) -> None:
    querier = fallback_flavours.querier
    await querier.create_station(id=1, name="Baguio", geom=POINT, rainfall=None)
    station = await querier.get_station(id=1)
    assert station == models.Station(id=1, name="Baguio", geom=POINT, rainfall=None)
    assert type(station.geom) is str
    assert_decoded_alike(
        fallback_flavours.sync_querier.get_station(id=1),
        await fallback_flavours.async_querier.get_station(id=1),
    )


async def test_information_schema_domains_are_their_base_types(
    fallback_flavours: Flavours,
) -> None:
    columns = await fallback_flavours.querier.columns_of(table_name="stations")
    assert [(c.column_name, c.ordinal_position, c.is_nullable) for c in columns] == [
        ("id", 1, "NO"),
        ("name", 2, "NO"),
        ("geom", 3, "YES"),
        ("rainfall", 4, "YES"),
    ]
    assert type(columns[1].ordinal_position) is int
    assert_decoded_alike(
        fallback_flavours.sync_querier.columns_of(table_name="stations"),
        await fallback_flavours.async_querier.columns_of(table_name="stations"),
    )
