"""The Stats API schedule as the real service sent it: three recorded responses, imported with
exact counts and values, and imported again with nothing changed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import asyncpg

from betdb import UnifiedRepository
from betdb.importers import import_schedule

from .conftest import adds_up, count, write_json

REAL = Path(__file__).parents[1] / "data" / "real" / "mlb-stats-api"
OPENING_DAY = REAL / "2022-04-07-postponed.json"
DOUBLEHEADERS = REAL / "2021-04-13-doubleheaders.json"
FINALS = REAL / "2021-09-19-final.json"


async def games(connection: asyncpg.Connection, where: str = "true") -> list[dict[str, Any]]:
    rows = await connection.fetch(
        f"""SELECT mlb_game_pk, official_date, status::text, detailed_state, status_reason,
                   scheduled_date, first_pitch_at, game_number, doubleheader::text,
                   home_team_id, away_team_id, home_score, away_score, mlb_game_type
            FROM games WHERE {where} ORDER BY mlb_game_pk"""
    )
    return [dict(row) for row in rows]


async def test_opening_day_2022_has_nine_games_two_postponed_to_the_next_day(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    assert OPENING_DAY.read_bytes().startswith(b"\xef\xbb\xbf")
    report = await import_schedule(repo, OPENING_DAY)
    assert (report.read, report.imported, report.skipped, report.rejected) == (9, 9, 0, [])
    postponed = await games(connection, "status = 'postponed'")
    assert [(g["mlb_game_pk"], g["official_date"], g["scheduled_date"]) for g in postponed] == [
        (661333, dt.date(2022, 4, 8), dt.date(2022, 4, 7)),
        (661750, dt.date(2022, 4, 8), dt.date(2022, 4, 7)),
    ]
    assert [(g["detailed_state"], g["status_reason"]) for g in postponed] == [
        ("Postponed", "Inclement Weather")
    ] * 2
    # The first pitch is the rescheduled one, not the original time of the rained-out day.
    assert [g["first_pitch_at"] for g in postponed] == [
        dt.datetime(2022, 4, 8, 17, 5, tzinfo=dt.UTC),
        dt.datetime(2022, 4, 8, 20, 10, tzinfo=dt.UTC),
    ]
    assert await count(connection, "games WHERE official_date = '2022-04-07'") == 7
    assert await count(connection, "games WHERE status = 'final'") == 7
    # Guardians at Royals, a day game under the Guardians' new name (id 114 all along).
    cle = (await games(connection, "mlb_game_pk = 662766"))[0]
    assert (cle["away_team_id"], cle["home_team_id"], cle["status"]) == (114, 118, "final")


async def test_the_2021_doubleheader_day_has_seventeen_games_and_two_doubleheaders(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    report = await import_schedule(repo, DOUBLEHEADERS)
    assert (report.read, report.imported, report.rejected) == (17, 17, [])
    doubled = await games(connection, "doubleheader IS NOT NULL")
    assert [
        (g["mlb_game_pk"], g["away_team_id"], g["home_team_id"], g["game_number"]) for g in doubled
    ] == [
        (632189, 143, 121, 1),
        (632213, 136, 110, 1),
        (632224, 136, 110, 2),
        (632226, 143, 121, 2),
    ]
    assert {g["doubleheader"] for g in doubled} == {"traditional"}
    # Game 2 of each is "start time TBD": no first pitch rather than the placeholder time.
    by_pk = {g["mlb_game_pk"]: g for g in doubled}
    assert by_pk[632224]["first_pitch_at"] is None
    assert by_pk[632226]["first_pitch_at"] is None
    assert by_pk[632213]["first_pitch_at"] == dt.datetime(2021, 4, 13, 20, 5, tzinfo=dt.UTC)
    # Both game 2s are the games rained out the day before, made up here.
    assert (by_pk[632224]["scheduled_date"], by_pk[632226]["scheduled_date"]) == (
        dt.date(2021, 4, 12),
        dt.date(2021, 4, 12),
    )
    assert await count(connection, "games WHERE official_date = '2021-04-13'") == 17


async def test_the_2021_final_day_stores_fifteen_finals_with_cleveland_by_its_id(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    report = await import_schedule(repo, FINALS)
    assert (report.read, report.imported, report.rejected) == (15, 15, [])
    finals = await games(connection, "status = 'final' AND home_score IS NOT NULL")
    assert len(finals) == 15
    cle = (await games(connection, "mlb_game_pk = 632380"))[0]
    assert (cle["away_team_id"], cle["home_team_id"]) == (114, 147)
    assert (cle["away_score"], cle["home_score"], cle["mlb_game_type"]) == (
        json.loads(FINALS.read_text())["dates"][0]["games"][1]["teams"]["away"]["score"],
        json.loads(FINALS.read_text())["dates"][0]["games"][1]["teams"]["home"]["score"],
        "R",
    )


async def test_each_real_file_imported_twice_changes_nothing_the_second_time(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    for path in (OPENING_DAY, DOUBLEHEADERS, FINALS):
        await import_schedule(repo, path)
    before = await connection.fetch("SELECT * FROM games ORDER BY game_id")
    for path, read in ((OPENING_DAY, 9), (DOUBLEHEADERS, 17), (FINALS, 15)):
        again = await import_schedule(repo, path)
        assert (again.read, again.unchanged, again.imported, again.updated) == (read, read, 0, 0)
        assert adds_up(again)
    assert await connection.fetch("SELECT * FROM games ORDER BY game_id") == before


async def test_a_response_without_official_dates_takes_the_date_each_game_is_listed_under(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    document = json.loads(DOUBLEHEADERS.read_text(encoding="utf-8-sig"))
    for game in document["dates"][0]["games"]:
        del game["officialDate"]
    report = await import_schedule(repo, write_json(tmp_path / "2018-style.json", document))
    assert (report.read, report.imported, report.rejected) == (17, 17, [])
    # Five night games start after midnight UTC (gameDate 2021-04-14): still 13 April games.
    assert await count(connection, "games WHERE official_date = '2021-04-13'") == 17
    late = await count(connection, "games WHERE first_pitch_at >= '2021-04-14 00:00+00'")
    assert late == 5


async def test_a_postponed_game_moves_to_its_makeup_date_when_a_later_file_lists_it_played(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    await import_schedule(repo, OPENING_DAY)
    document = json.loads(OPENING_DAY.read_text(encoding="utf-8-sig"))
    played = next(g for g in document["dates"][0]["games"] if g["gamePk"] == 661333)
    for key in ("rescheduleDate", "rescheduleGameDate"):
        played.pop(key, None)
    played.update(
        gameDate="2022-04-08T17:05:00Z",
        officialDate="2022-04-08",
        rescheduledFrom="2022-04-07T17:05:00Z",
        rescheduledFromDate="2022-04-07",
        status={"abstractGameState": "Final", "codedGameState": "F", "detailedState": "Final"},
    )
    played["teams"]["away"]["score"], played["teams"]["home"]["score"] = 0, 6
    later = {"dates": [{"date": "2022-04-08", "games": [played]}]}
    report = await import_schedule(repo, write_json(tmp_path / "2022-04-08.json", later))
    assert (report.read, report.updated) == (1, 1)
    moved = await games(connection, "mlb_game_pk = 661333")
    assert [(g["official_date"], g["scheduled_date"], g["status"]) for g in moved] == [
        (dt.date(2022, 4, 8), dt.date(2022, 4, 7), "final")
    ]
    assert (moved[0]["away_score"], moved[0]["home_score"]) == (0, 6)
    assert await count(connection, "games") == 9
