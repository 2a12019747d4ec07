"""The joins_and_types case on a real PostgreSQL: outer and self joins, a domain, a composite."""

from __future__ import annotations

import asyncpg
import pytest

from codegen.golden.joins_and_types import models
from codegen.golden.joins_and_types import query as q


async def league(conn: asyncpg.Connection) -> q.Querier:
    """Teams Red (1), Blue (2) and Empty (3); Ann plays for Red and mentors Bob (Blue) and
    Cid, who has no team."""
    querier = q.Querier(conn)
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


async def test_right_join_embeds_the_left_table_as_optional(
    joins_connection: asyncpg.Connection,
) -> None:
    rows = await (await league(joins_connection)).players_right_join_teams()
    assert [(r.player.name if r.player else None, r.team.name) for r in rows] == [
        ("Ann", "Red"),
        ("Bob", "Blue"),
        (None, "Empty"),
    ]
    assert isinstance(rows[0].player, models.Player)
    assert isinstance(rows[2].team, models.Team)


async def test_full_join_embeds_both_tables_as_optional(
    joins_connection: asyncpg.Connection,
) -> None:
    rows = await (await league(joins_connection)).players_full_join_teams()
    assert [
        (r.player.name if r.player else None, r.team.name if r.team else None) for r in rows
    ] == [("Cid", None), ("Ann", "Red"), ("Bob", "Blue"), (None, "Empty")]
    assert rows[0].player is not None
    assert rows[0].player.team_id is None


async def test_self_join_embeds_the_same_table_twice_under_its_aliases(
    joins_connection: asyncpg.Connection,
) -> None:
    querier = await league(joins_connection)
    rows = await querier.players_with_mentors()
    assert [(r.p.name, r.m.name if r.m else None) for r in rows] == [
        ("Ann", None),
        ("Bob", "Ann"),
        ("Cid", "Ann"),
    ]
    mentees = await querier.mentees_of(mentor_id=1)
    assert [(r.mentor.name, r.mentee.name) for r in mentees] == [("Ann", "Bob"), ("Ann", "Cid")]
    assert mentees[0].mentor == rows[0].p
    async with joins_connection.transaction():
        streamed = [r async for r in querier.iter_mentees_of(mentor_id=1, prefetch=1)]
    assert streamed == mentees


async def test_domain_values_are_their_base_type_and_the_server_checks_them(
    joins_connection: asyncpg.Connection,
) -> None:
    querier = await league(joins_connection)
    ann = await querier.contact_of(id=1)
    assert ann is not None
    assert ann.contact == "ann@x.org"
    cid = await querier.contact_of(id=3)
    assert cid is not None
    assert cid.contact is None
    assert await querier.contact_of(id=99) is None
    assert await querier.players_by_contact(contacts=["bob@x.org", "ann@x.org", None]) == [1, 2]
    with pytest.raises(asyncpg.CheckViolationError):
        await querier.create_player(
            id=4, team_id=None, mentor_id=None, name="Dee", contact="no-at-sign", home=None
        )
    with pytest.raises(asyncpg.CheckViolationError):
        await querier.players_by_contact(contacts=["no-at-sign"])


async def test_composite_values_arrive_as_records_and_go_as_tuples(
    joins_connection: asyncpg.Connection,
) -> None:
    querier = await league(joins_connection)
    ann = await querier.home_of(id=1)
    assert ann is not None
    assert isinstance(ann.home, asyncpg.Record)
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
