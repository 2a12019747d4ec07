"""Games: idempotent ingest from three sources, doubleheaders, lookups, partial updates."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import asyncpg
import pytest
from pydantic import ValidationError

from betdb import UnifiedRepository
from betdb.generated.games import UpdateGameParams
from betdb.generated.models import DataSource, GameStatus

from .conftest import count, game, refused

YANKEES, RED_SOX, DIAMONDBACKS, GIANTS = 147, 111, 109, 137


async def test_upsert_creates_a_game_with_clubs_resolved_from_their_codes(
    repo: UnifiedRepository,
) -> None:
    created = await repo.games.upsert_game(game())
    assert created is not None
    assert (created.home_team_id, created.away_team_id) == (YANKEES, RED_SOX)
    assert created.mlb_game_pk == 776001
    assert created.venue == {"id": 3313, "name": "Yankee Stadium"}
    assert await repo.games.get_game(game_id=created.game_id) == created


async def test_aliases_resolve_to_the_same_club(repo: UnifiedRepository) -> None:
    created = await repo.games.upsert_game(game(home_team="ARI", away_team="SFG"))
    assert created is not None
    assert (created.home_team_id, created.away_team_id) == (DIAMONDBACKS, GIANTS)


async def test_reingesting_the_same_game_updates_it_in_place(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    first = await repo.games.upsert_game(game())
    final = await repo.games.upsert_game(
        game(status=GameStatus.FINAL, home_score=5, away_score=3, venue=None)
    )
    assert first is not None
    assert final is not None
    assert final.game_id == first.game_id
    assert (final.status, final.home_score, final.away_score) == ("final", 5, 3)
    assert final.venue == first.venue  # not sent the second time: kept
    assert final.created_at == first.created_at
    assert await count(connection, "games") == 1


async def test_a_game_ingested_from_two_sources_under_different_ids_is_one_game(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    from_mlb = await repo.games.upsert_game(game(mlb_game_pk=776001))
    from_sbr = await repo.games.upsert_game(
        game(mlb_game_pk=None, sbr_game_id="sbr-4471", source=DataSource.SBR, venue=None)
    )
    from_action = await repo.games.upsert_game(
        game(mlb_game_pk=None, action_network_game_id=233114, source=DataSource.ACTION_NETWORK)
    )
    assert from_mlb is not None
    assert from_sbr is not None
    assert from_action is not None
    assert from_mlb.game_id == from_sbr.game_id == from_action.game_id
    assert (from_action.mlb_game_pk, from_action.sbr_game_id) == (776001, "sbr-4471")
    assert from_action.action_network_game_id == 233114
    assert await count(connection, "games") == 1
    for source, external_id in [
        ("mlb", "776001"),
        ("sbr", "sbr-4471"),
        ("action_network", "233114"),
    ]:
        found = await repo.games.find_game_by_external_id(
            source=DataSource(source), external_id=external_id
        )
        assert found is not None
        assert found.game_id == from_mlb.game_id


async def test_find_by_external_id_of_an_unknown_id_or_a_source_without_ids_finds_nothing(
    repo: UnifiedRepository,
) -> None:
    await repo.games.upsert_game(game())
    assert await repo.games.find_game_by_external_id(source=DataSource.MLB, external_id="1") is None
    # vsin has no id column; an sbr id that is numeric must not match the mlb id either
    for source in (DataSource.VSIN, DataSource.SBR, DataSource.ACTION_NETWORK):
        assert (
            await repo.games.find_game_by_external_id(source=source, external_id="776001") is None
        )


@pytest.mark.parametrize(
    "external_id", ["abc", " 776001 ", "0776001", "+776001", "0x1", "9" * 30, "-1", ""]
)
@pytest.mark.parametrize("source", [DataSource.MLB, DataSource.ACTION_NETWORK])
async def test_a_numeric_source_id_written_otherwise_finds_no_game_and_raises_nothing(
    repo: UnifiedRepository, source: DataSource, external_id: str
) -> None:
    await repo.games.upsert_game(game(action_network_game_id=776001))
    found = await repo.games.find_game_by_external_id(source=source, external_id=external_id)
    assert found is None


async def test_an_action_network_id_beyond_32_bits_finds_no_game(
    repo: UnifiedRepository,
) -> None:
    await repo.games.upsert_game(game(action_network_game_id=2147483647))
    largest = await repo.games.find_game_by_external_id(
        source=DataSource.ACTION_NETWORK, external_id="2147483647"
    )
    assert largest is not None
    beyond = await repo.games.find_game_by_external_id(
        source=DataSource.ACTION_NETWORK, external_id="2147483648"
    )
    assert beyond is None


async def test_a_rescheduled_game_keeps_its_row_when_its_source_id_is_known(
    repo: UnifiedRepository,
) -> None:
    original = await repo.games.upsert_game(game())
    moved = await repo.games.upsert_game(
        game(official_date=dt.date(2026, 6, 13), status=GameStatus.SCHEDULED)
    )
    assert original is not None
    assert moved is not None
    assert moved.game_id == original.game_id
    assert moved.official_date == dt.date(2026, 6, 13)


async def test_doubleheader_games_are_two_games_told_apart_by_game_number(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    opener = await repo.games.upsert_game(game(mlb_game_pk=776001, game_number=1))
    nightcap = await repo.games.upsert_game(
        game(
            mlb_game_pk=776002,
            game_number=2,
            first_pitch_at=dt.datetime(2026, 6, 13, 3, 10, tzinfo=dt.UTC),
        )
    )
    # SBR sends game 2 under its own id: it joins the nightcap, not the opener
    from_sbr = await repo.games.upsert_game(
        game(mlb_game_pk=None, sbr_game_id="sbr-dh-2", game_number=2, source=DataSource.SBR)
    )
    assert opener is not None
    assert nightcap is not None
    assert from_sbr is not None
    assert opener.game_id != nightcap.game_id
    assert from_sbr.game_id == nightcap.game_id
    assert await count(connection, "games") == 2
    day = await repo.games.find_games_by_date_range(
        start_date=dt.date(2026, 6, 12), end_date=dt.date(2026, 6, 12), status=None
    )
    assert [(g.game_number, g.mlb_game_pk, g.sbr_game_id) for g in day] == [
        (1, 776001, None),
        (2, 776002, "sbr-dh-2"),
    ]


async def test_update_changes_only_the_fields_given(repo: UnifiedRepository) -> None:
    created = await repo.games.upsert_game(game(weather={"temp": 71}))
    assert created is not None
    updated = await repo.games.update_game(
        UpdateGameParams(
            game_id=created.game_id,
            status=GameStatus.LIVE,
            home_score=1,
            away_score=0,
            first_pitch_at=None,
            venue=None,
            weather=None,
            probable_pitchers=None,
            data_quality=None,
        )
    )
    assert updated is not None
    assert (updated.status, updated.home_score, updated.away_score) == ("live", 1, 0)
    assert updated.weather == {"temp": 71}
    assert updated.first_pitch_at == created.first_pitch_at
    assert updated.venue == created.venue
    assert updated.updated_at > created.updated_at


async def test_delete_removes_the_game(repo: UnifiedRepository) -> None:
    created = await repo.games.upsert_game(game())
    assert created is not None
    assert await repo.games.delete_game(game_id=created.game_id) == 1
    assert await repo.games.get_game(game_id=created.game_id) is None
    assert await repo.games.delete_game(game_id=created.game_id) == 0


async def _season(repo: UnifiedRepository) -> None:
    """Five games on consecutive days, alternating Yankees home and away against others."""
    opponents = ["BOS", "TOR", "TB", "BAL", "KC"]
    for day, opponent in enumerate(opponents):
        home, away = ("NYY", opponent) if day % 2 == 0 else (opponent, "NYY")
        await repo.games.upsert_game(
            game(
                mlb_game_pk=780000 + day,
                official_date=dt.date(2026, 7, 1) + dt.timedelta(days=day),
                home_team=home,
                away_team=away,
                status=GameStatus.FINAL if day < 3 else GameStatus.SCHEDULED,
            )
        )
    await repo.games.upsert_game(game(mlb_game_pk=790000, home_team="LAD", away_team="SF"))


async def test_list_pages_through_games_in_date_order(repo: UnifiedRepository) -> None:
    await _season(repo)
    first = await repo.games.list_games(skip=0, max_results=2)
    second = await repo.games.list_games(skip=2, max_results=2)
    newest = await repo.games.list_games_newest_first(skip=0, max_results=2)
    assert [g.mlb_game_pk for g in first] == [790000, 780000]
    assert [g.mlb_game_pk for g in second] == [780001, 780002]
    assert [g.mlb_game_pk for g in newest] == [780004, 780003]


async def test_find_by_date_range_is_inclusive_and_filters_on_status(
    repo: UnifiedRepository,
) -> None:
    await _season(repo)
    everything = await repo.games.find_games_by_date_range(
        start_date=dt.date(2026, 7, 2), end_date=dt.date(2026, 7, 4), status=None
    )
    final = await repo.games.find_games_by_date_range(
        start_date=dt.date(2026, 7, 2), end_date=dt.date(2026, 7, 4), status=GameStatus.FINAL
    )
    assert [g.mlb_game_pk for g in everything] == [780001, 780002, 780003]
    assert [g.mlb_game_pk for g in final] == [780001, 780002]


async def test_find_by_team_finds_home_and_away_games_from_a_date(
    repo: UnifiedRepository,
) -> None:
    await _season(repo)
    all_games = await repo.games.find_games_by_team(team="NYY", since=None)
    since = await repo.games.find_games_by_team(team="nyy", since=dt.date(2026, 7, 4))
    rays = await repo.games.find_games_by_team(team="TBR", since=None)
    assert [g.mlb_game_pk for g in all_games] == [780000, 780001, 780002, 780003, 780004]
    assert [g.mlb_game_pk for g in since] == [780003, 780004]
    assert [g.mlb_game_pk for g in rays] == [780002]


async def test_todays_games_follow_the_given_time_zone(repo: UnifiedRepository) -> None:
    # Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart: never on the same date.
    now = dt.datetime.now(dt.UTC)

    def today(zone: str) -> dt.date:
        return now.astimezone(zoneinfo.ZoneInfo(zone)).date()

    ahead, behind = "Pacific/Kiritimati", "Pacific/Pago_Pago"
    await repo.games.upsert_game(game(mlb_game_pk=1, official_date=today(ahead)))
    await repo.games.upsert_game(game(mlb_game_pk=2, official_date=today(behind)))
    in_new_york = [
        pk for pk, zone in [(1, ahead), (2, behind)] if today(zone) == today("America/New_York")
    ]
    assert [g.mlb_game_pk for g in await repo.games.get_todays_games(time_zone=ahead)] == [1]
    assert [g.mlb_game_pk for g in await repo.games.get_todays_games(time_zone=behind)] == [2]
    by_default = await repo.games.get_todays_games(time_zone=None)
    assert [g.mlb_game_pk for g in by_default] == in_new_york


async def test_live_games_are_those_with_status_live(repo: UnifiedRepository) -> None:
    statuses = [GameStatus.LIVE, GameStatus.DELAYED, GameStatus.FINAL, GameStatus.LIVE]
    for n, status in enumerate(statuses):
        await repo.games.upsert_game(
            game(mlb_game_pk=800 + n, official_date=dt.date(2026, 8, 1 + n), status=status)
        )
    assert [g.mlb_game_pk for g in await repo.games.get_live_games()] == [800, 803]


async def test_there_is_no_in_progress_status(connection: asyncpg.Connection) -> None:
    # The original code filtered on an IN_PROGRESS status that no game ever had.
    with pytest.raises(ValueError, match="in_progress"):
        GameStatus("in_progress")
    with pytest.raises(asyncpg.InvalidTextRepresentationError):
        await connection.fetchval("SELECT 'in_progress'::game_status")
    column = await connection.fetchval(
        "SELECT count(*) FROM information_schema.columns"
        " WHERE table_name = 'games' AND column_name = 'status'"
    )
    assert column == 1


async def test_an_unknown_team_is_rejected_before_any_sql_runs(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    with pytest.raises(ValidationError) as caught:
        await repo.games.upsert_game(game(home_team="XYZ"))
    assert caught.value.errors()[0]["loc"] == ("home_team",)
    assert await count(connection, "games") == 0


async def test_a_club_cannot_play_itself(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    with refused(repo, asyncpg.CheckViolationError, match="games_teams_differ"):
        await repo.games.upsert_game(game(home_team="NYY", away_team="NYY"))
    assert await count(connection, "games") == 0


async def test_a_game_number_other_than_1_or_2_is_rejected(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    with refused(repo, asyncpg.CheckViolationError, match="game_number"):
        await repo.games.upsert_game(game(game_number=3))
    assert await count(connection, "games") == 0
