"""The pgtypes case on a real PostgreSQL: ranges, multiranges, bit strings, geometry, the
oid-like counters, reg* names and the text-decoded types round trip with the annotated Python
type, NULL and arrays included, on both flavours: what the SyncQuerier (psycopg) decodes equals
what the Querier (asyncpg) decodes, class included. xml needs a server built with libxml:
written as NULL here."""

from __future__ import annotations

import datetime
import decimal
import ipaddress
from typing import Any

import pytest
from asyncpg import BitString, Box, Circle, Line, LineSegment, Path, Point, Polygon, Range

from codegen.golden.pgtypes import models
from codegen.golden.pgtypes import query as q

from .conftest import Flavours, assert_decoded_alike

DAY = datetime.date(2026, 4, 1)
AT = datetime.datetime(2026, 4, 1, 19, 5)
AT_UTC = AT.replace(tzinfo=datetime.UTC)


VALUES: dict[str, Any] = {
    "i4": Range(1, 5),
    "i8": Range(2**40, None),
    "num": Range(decimal.Decimal("1.5"), decimal.Decimal("2.5"), upper_inc=True),
    "day": Range(DAY, DAY + datetime.timedelta(days=7)),
    "ts": Range(AT, None, lower_inc=False),
    "tstz": Range(empty=True),
    "i4s": [Range(1, 3), Range(5, 7)],
    "i8s": [],
    "nums": [Range(decimal.Decimal(1), decimal.Decimal(2))],
    "days": [Range(DAY, DAY + datetime.timedelta(days=1))],
    "tss": [Range(AT, AT + datetime.timedelta(hours=1))],
    "tstzs": [Range(AT_UTC, AT_UTC + datetime.timedelta(hours=1))],
    "flags": BitString("101"),
    "bits": BitString("10"),
    "pt": Point(1.5, -2),
    "ln": Line(1, -1, 0),
    "seg": LineSegment((0, 0), (1, 1)),
    "bx": Box((3, 4), (1, 2)),
    "pth": Path((0, 0), (1, 1), (2, 0), is_closed=True),
    "poly": Polygon((0, 0), (1, 1), (2, 0)),
    "circ": Circle((1, 2), 3),
    "o": 4294967295,
    "rel": "pg_class",
    "typ": "integer",
    "x": 12345,
    "x8": 2**40,
    "c": 7,
    "lsn": 0x16B3748,
    "cash": "$12.50",
    "mac": "08:00:2b:01:02:03",
    "mac8": "08:00:2b:01:02:03:04:05",
    "doc": "'a' 'b'",
    "search": "'a' & 'b'",
    "i4_list": [Range(1, 2), None],
    "bits_list": [BitString("1"), None],
    "pt_list": [Point(0, 0), None],
    "circ_list": [Circle((0, 0), 1), None],
    "rel_list": ["pg_type", None],
    "lsn_list": [0, None],
    "mac_list": ["08:00:2b:01:02:03", None],
    "span": datetime.timedelta(days=428, seconds=14706, microseconds=500000),
    "addr": ipaddress.ip_address("10.0.0.1"),
    "net": ipaddress.ip_network("10.0.0.0/8"),
    "nets": [ipaddress.ip_network("10.1.0.0/16"), ipaddress.ip_network("::/0"), None],
}

# The class asyncpg hands back for each non-null scalar: exactly the annotated one.
TYPES: dict[str, type] = {
    "flags": BitString,
    "bits": BitString,
    "pt": Point,
    "ln": Line,
    "seg": LineSegment,
    "bx": Box,
    "pth": Path,
    "poly": Polygon,
    "circ": Circle,
    **{k: Range for k in ("i4", "i8", "num", "day", "ts", "tstz")},
    **{k: int for k in ("o", "x", "x8", "c", "lsn")},
    **{k: str for k in ("rel", "typ", "cash", "mac", "mac8", "doc", "search")},
    "span": datetime.timedelta,
    "addr": ipaddress.IPv4Address,
    "net": ipaddress.IPv4Network,
}


async def test_every_type_round_trips_with_its_python_type(
    pgtypes_flavours: Flavours,
) -> None:
    querier = pgtypes_flavours.querier
    created = await querier.create_shape(q.CreateShapeParams(id=1, **VALUES))
    fetched = await querier.get_shape(id=1)
    assert fetched == created
    assert type(fetched) is models.Shape
    for name, value in VALUES.items():
        assert getattr(fetched, name) == value, name
    for name, cls in TYPES.items():
        assert type(getattr(fetched, name)) is cls, name
    assert type(fetched.i4s[0]) is Range  # a multirange: a list of ranges
    assert type(fetched.pt_list[0]) is Point  # array elements decode as the scalars do
    assert fetched.page is None
    await assert_both_flavours_read_alike(pgtypes_flavours, 1)


async def assert_both_flavours_read_alike(flavours: Flavours, shape_id: int) -> None:
    sync_row = flavours.sync_querier.get_shape(id=shape_id)
    assert sync_row is not None
    assert_decoded_alike(sync_row, await flavours.async_querier.get_shape(id=shape_id))


EDGES: dict[str, Any] = {
    **{name: None for name in VALUES},
    "i4": Range(None, None),
    "num": Range(decimal.Decimal("-0.001"), None, lower_inc=False),
    "tstz": Range(AT_UTC, AT_UTC + datetime.timedelta(microseconds=1), upper_inc=True),
    "i4s": [Range(None, 0), Range(10, None)],
    "flags": BitString("000"),
    "bits": BitString(""),
    "pt": Point(float("inf"), -1e-300),
    "ln": Line(0.1, 0.2, 0.30000000000000004),
    "pth": Path((0, 0), (1.25, -1), is_closed=False),
    "poly": Polygon((0, 0), (0, 1), (1, 1), (1, 0)),
    "circ": Circle((-1.5, 2.5), 0.1),
    "o": 0,
    "x8": 2**63 - 1,
    "lsn": 2**63 - 1,  # asyncpg sends pg_lsn as a signed int8
    "cash": "-$0.01",
    "rel_list": [None, "pg_class", None],
    "lsn_list": [0xFFFFFFFF, 2**32],
    "bits_list": [BitString("1" * 17)],
    "span": datetime.timedelta(days=-1, microseconds=1),
    "addr": ipaddress.ip_interface("2001:db8::1/64"),  # an address with its network
    "net": ipaddress.ip_network("2001:db8::/32"),
}


async def test_edge_values_round_trip_alike_on_both_flavours(
    pgtypes_flavours: Flavours,
) -> None:
    querier = pgtypes_flavours.querier
    created = await querier.create_shape(q.CreateShapeParams(id=3, **EDGES))
    assert created is not None
    for name, value in EDGES.items():
        assert getattr(created, name) == value, name
    assert created.pth is not None
    assert not created.pth.is_closed
    await assert_both_flavours_read_alike(pgtypes_flavours, 3)


async def test_every_type_reads_null(pgtypes_flavours: Flavours) -> None:
    querier = pgtypes_flavours.querier
    await querier.create_blank_shape(id=2)
    blank = await querier.get_shape(id=2)
    assert blank is not None
    assert all(getattr(blank, name) is None for name in [*VALUES, "page"])
    await assert_both_flavours_read_alike(pgtypes_flavours, 2)


async def test_a_range_parameter_filters_on_the_server(pgtypes_flavours: Flavours) -> None:
    querier = pgtypes_flavours.querier
    await querier.create_shape(q.CreateShapeParams(id=1, **VALUES))
    assert await querier.shapes_overlapping(span=Range(4, 10)) == [1]
    assert await querier.shapes_overlapping(span=Range(5, 10)) == []


async def test_a_wrong_class_is_refused_before_the_server(pgtypes_flavours: Flavours) -> None:
    querier = pgtypes_flavours.querier
    with pytest.raises(Exception, match="span"):
        await querier.shapes_overlapping(span=(4, 10))  # type: ignore[arg-type]


async def test_a_batch_sends_each_set_with_its_types(pgtypes_flavours: Flavours) -> None:
    sets = [
        q.CreatePlacedShapesParams(id=10, pt=Point(1, 2), lsn=2**40, i4s=[Range(1, 2)]),
        (11, None, 0, []),
    ]
    await pgtypes_flavours.querier.create_placed_shapes(sets)
    placed = await pgtypes_flavours.async_querier.get_shape(id=10)
    assert placed is not None
    assert (placed.pt, placed.lsn, placed.i4s) == (Point(1, 2), 2**40, [Range(1, 2)])
    for shape_id in (10, 11):
        await assert_both_flavours_read_alike(pgtypes_flavours, shape_id)
