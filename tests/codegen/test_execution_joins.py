"""The joins_and_types case on a real PostgreSQL: outer and self joins, a domain, a composite,
on both flavours: what the SyncQuerier (psycopg) decodes equals what the Querier (asyncpg)
decodes, class included; a composite, an asyncpg.Record on the async side, is a CompositeValue
(a tuple of the same fields, answering by name) on the sync side."""

from __future__ import annotations

from typing import Any

import asyncpg
import psycopg
import pytest

from codegen.golden.joins_and_types import models, sync_types

from .conftest import Flavours, assert_decoded_alike


async def league(flavours: Flavours) -> Any:
    """Teams Red (1), Blue (2) and Empty (3); Ann plays for Red and mentors Bob (Blue) and
    Cid, who has no team: written by the flavour under test."""
    querier = flavours.querier
    for team_id, name in ((1, "Red"), (2, "Blue"), (3, "Empty")):
        await querier.create_team(id=team_id, name=name)
    await querier.create_player(
        id=1, team_id=1, mentor_id=None, name="Ann", contact="ann@x.org", home=(1.5, 2.0)
    )
    await querier.create_player(
        id=2, team_id=2, mentor_id=1, name="Bob", contact="bob@x.org", home=None
    )
    await querier.create_player(
        id=3, team_id=None, mentor_id=1, name="Cid", contact=None, home=None
    )
    return querier


async def assert_alike(flavours: Flavours, method: str, **arguments: Any) -> None:
    """`method` reads the same on both flavours, class included."""
    sync_value = getattr(flavours.sync_querier, method)(**arguments)
    async_value = await getattr(flavours.async_querier, method)(**arguments)
    assert_decoded_alike(sync_value, async_value, method)


def check_violation(flavours: Flavours) -> type[Exception]:
    """Each driver's own error on its own connection."""
    if flavours.flavour == "async":
        return asyncpg.CheckViolationError
    return psycopg.errors.CheckViolation


async def test_right_join_embeds_the_left_table_as_optional(joins_flavours: Flavours) -> None:
    rows = await (await league(joins_flavours)).players_right_join_teams()
    assert [(r.player.name if r.player else None, r.team.name) for r in rows] == [
        ("Ann", "Red"),
        ("Bob", "Blue"),
        (None, "Empty"),
    ]
    assert isinstance(rows[0].player, models.Player)
    assert isinstance(rows[2].team, models.Team)
    await assert_alike(joins_flavours, "players_right_join_teams")


async def test_full_join_embeds_both_tables_as_optional(joins_flavours: Flavours) -> None:
    rows = await (await league(joins_flavours)).players_full_join_teams()
    assert [
        (r.player.name if r.player else None, r.team.name if r.team else None) for r in rows
    ] == [("Cid", None), ("Ann", "Red"), ("Bob", "Blue"), (None, "Empty")]
    assert rows[0].player is not None
    assert rows[0].player.team_id is None
    await assert_alike(joins_flavours, "players_full_join_teams")


async def test_self_join_embeds_the_same_table_twice_under_its_aliases(
    joins_flavours: Flavours,
) -> None:
    querier = await league(joins_flavours)
    rows = await querier.players_with_mentors()
    assert [(r.p.name, r.m.name if r.m else None) for r in rows] == [
        ("Ann", None),
        ("Bob", "Ann"),
        ("Cid", "Ann"),
    ]
    mentees = await querier.mentees_of(mentor_id=1)
    assert [(r.mentor.name, r.mentee.name) for r in mentees] == [("Ann", "Bob"), ("Ann", "Cid")]
    assert mentees[0].mentor == rows[0].p
    await assert_alike(joins_flavours, "players_with_mentors")
    await assert_alike(joins_flavours, "mentees_of", mentor_id=1)
    sync_connection = joins_flavours.sync_connection
    with sync_connection.transaction():
        streamed = list(joins_flavours.sync_querier.iter_mentees_of(mentor_id=1, prefetch=1))
    assert_decoded_alike(streamed, await joins_flavours.async_querier.mentees_of(mentor_id=1))


async def test_domain_values_are_their_base_type_and_the_server_checks_them(
    joins_flavours: Flavours,
) -> None:
    querier = await league(joins_flavours)
    ann = await querier.contact_of(id=1)
    assert ann is not None
    assert ann.contact == "ann@x.org"
    cid = await querier.contact_of(id=3)
    assert cid is not None
    assert cid.contact is None
    assert await querier.contact_of(id=99) is None
    assert await querier.players_by_contact(contacts=["bob@x.org", "ann@x.org", None]) == [1, 2]
    await assert_alike(joins_flavours, "contact_of", id=1)
    await assert_alike(joins_flavours, "players_by_contact", contacts=["bob@x.org", None])
    with pytest.raises(check_violation(joins_flavours)):
        await querier.create_player(
            id=4, team_id=None, mentor_id=None, name="Dee", contact="no-at-sign", home=None
        )
    with pytest.raises(check_violation(joins_flavours)):
        await querier.players_by_contact(contacts=["no-at-sign"])


async def test_composite_values_arrive_as_records_and_go_as_tuples(
    joins_flavours: Flavours,
) -> None:
    querier = await league(joins_flavours)
    ann = await querier.home_of(id=1)
    assert ann is not None
    record_class = (
        asyncpg.Record if joins_flavours.flavour == "async" else sync_types.CompositeValue
    )
    assert isinstance(ann.home, record_class)
    assert (ann.home["x"], ann.home["y"]) == (1.5, 2.0)
    assert await querier.move_home(home=(3.0, -4.25), id=3) == 1
    assert await querier.move_home(home=(0.0, 0.0), id=99) == 0
    cid = await querier.home_of(id=3)
    assert cid is not None
    assert cid.home is not None
    assert tuple(cid.home) == (3.0, -4.25)
    bob = await querier.home_of(id=2)
    assert bob is not None
    assert bob.home is None
    for player_id in (1, 2, 3):
        await assert_alike(joins_flavours, "home_of", id=player_id)


async def test_the_sync_composite_answers_by_name_like_a_record(joins_flavours: Flavours) -> None:
    await league(joins_flavours)
    sync_home = joins_flavours.sync_querier.home_of(id=1).home
    async_home = (await joins_flavours.async_querier.home_of(id=1)).home
    assert sync_home == async_home == (1.5, 2.0)
    assert list(sync_home.keys()) == list(async_home.keys()) == ["x", "y"]
    assert list(sync_home.values()) == list(async_home.values())
    assert list(sync_home.items()) == list(async_home.items())
    assert sync_home.get("y") == async_home.get("y") == 2.0
    assert sync_home.get("z") is async_home.get("z") is None
    assert sync_home[0] == async_home[0] == 1.5
    with pytest.raises(KeyError):
        sync_home["z"]
    # a value read back goes as a parameter as it is
    assert joins_flavours.sync_querier.move_home(home=sync_home, id=2) == 1
    assert tuple((await joins_flavours.async_querier.home_of(id=2)).home) == (1.5, 2.0)
