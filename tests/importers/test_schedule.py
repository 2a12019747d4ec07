"""Importing Stats API schedules: upserts by gamePk, rejections per game, refused files."""

from __future__ import annotations

import json
from pathlib import Path

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.generated.models import GameStatus, GameType, SeasonType
from betdb.importers import ImportFileError, import_schedule
from betdb.importers.schedule import game_status, read_game
from betdb.sample import sample_dir

from .conftest import adds_up, clubs, count, schedule, stats_api_game, write_json

FINAL = {"abstractGameState": "Final", "codedGameState": "F", "detailedState": "Final"}


async def test_reimporting_the_same_schedule_changes_nothing(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    first = await import_schedule(repo, sample_dir() / "schedule.json")
    assert (first.read, first.imported, first.rejected) == (95, 95, [])
    stamps = await connection.fetch("SELECT * FROM games ORDER BY game_id")
    second = await import_schedule(repo, sample_dir() / "schedule.json")
    assert (second.read, second.imported, second.updated, second.unchanged) == (95, 0, 0, 95)
    assert await connection.fetch("SELECT * FROM games ORDER BY game_id") == stamps


async def test_a_later_schedule_updates_status_and_scores(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    later = stats_api_game(777707, gameDate="2025-06-21T17:05:00Z", teams=clubs(137, 119))
    early = schedule(stats_api_game(777706), later)
    await import_schedule(repo, write_json(tmp_path / "early.json", early))
    created = await connection.fetchval("SELECT updated_at FROM games WHERE mlb_game_pk = 777707")
    final = stats_api_game(777706, status=FINAL, teams=clubs(111, 147, 7, 2))
    report = await import_schedule(repo, write_json(tmp_path / "late.json", schedule(final, later)))
    assert (report.read, report.imported, report.updated, report.unchanged) == (2, 0, 1, 1)
    row = await connection.fetchrow(
        "SELECT status::text, away_score, home_score FROM games WHERE mlb_game_pk = 777706"
    )
    assert tuple(row) == ("final", 7, 2)
    untouched = await connection.fetchval("SELECT updated_at FROM games WHERE mlb_game_pk = 777707")
    assert untouched == created


async def test_bad_games_are_rejected_with_their_reason_and_the_good_ones_imported(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    games = [
        stats_api_game(777701),
        stats_api_game(777702, teams=clubs(999, 147)),
        {k: v for k, v in stats_api_game(777703).items() if k != "gamePk"},
        stats_api_game(777704, officialDate="2025-06-31"),
        stats_api_game(777705, gameDate="2025-06-21 19:05"),
        stats_api_game(777706, gameNumber=3),
        stats_api_game(777707, status={"codedGameState": "Z", "detailedState": "Rained on"}),
        stats_api_game(777708, gameType="X"),
        stats_api_game(777709, teams=clubs(111, 147, away_score=3)),
        stats_api_game(777710, teams=clubs(137, 119)),
    ]
    report = await import_schedule(repo, write_json(tmp_path / "bad.json", schedule(*games)))
    assert (report.read, report.imported, len(report.rejected)) == (10, 2, 8)
    assert adds_up(report)
    reasons = {r.where: r.reason for r in report.rejected}
    assert reasons == {
        "dates[0].games[1]": "teams.away.team.id 999 is not one of the 30 MLB clubs",
        "dates[0].games[2]": "gamePk is missing",
        "dates[0].games[3]": "officialDate '2025-06-31' is not a date (YYYY-MM-DD)",
        "dates[0].games[4]": "gameDate '2025-06-21 19:05' has no UTC offset",
        "dates[0].games[5]": "gameNumber 3 is not 1 or 2",
        "dates[0].games[6]": "status: unknown codedGameState 'Z' / detailedState 'Rained on'",
        "dates[0].games[7]": "gameType 'X' is not one of R, S, E, A, F, D, L, W, P",
        "dates[0].games[8]": "only one of teams.home.score and teams.away.score is given",
    }
    assert json.loads(report.rejected[0].raw)["gamePk"] == 777702
    stored = await connection.fetch("SELECT mlb_game_pk FROM games ORDER BY 1")
    assert [r[0] for r in stored] == [777701, 777710]


async def test_two_games_claiming_one_slot_keep_the_first_and_reject_the_second(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    report = await import_schedule(
        repo, write_json(tmp_path / "s.json", schedule(stats_api_game(1), stats_api_game(2)))
    )
    assert (report.imported, [r.reason for r in report.rejected]) == (
        1,
        ["same date, clubs and game number as gamePk 1 in this file"],
    )
    stored = await import_schedule(
        repo, write_json(tmp_path / "t.json", schedule(stats_api_game(3)))
    )
    assert stored.imported == 0
    assert "games_natural_key" in stored.rejected[0].reason
    assert await count(connection, "games") == 1


async def test_a_game_listed_again_on_its_makeup_date_is_stored_once_as_made_up(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    postponed = stats_api_game(777706, status={"codedGameState": "D", "detailedState": "Postponed"})
    made_up = stats_api_game(777706, officialDate="2025-06-22", gameDate="2025-06-22T17:35:00Z")
    document = {"dates": [{"games": [postponed]}, {"games": [made_up]}]}
    report = await import_schedule(repo, write_json(tmp_path / "s.json", document))
    assert (report.read, report.imported, report.duplicates) == (2, 1, 1)
    row = await connection.fetchrow("SELECT official_date::text, status::text FROM games")
    assert tuple(row) == ("2025-06-22", "scheduled")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"dates": [{"games": [{"gamePk": 1,', " at line 1, column 36: not valid JSON"),
        (
            '{"dates": [{"games": [{"venue": "Estadio Alfredo Harp Hel\u00fa"}]}]}'.encode(
                "latin-1"
            ),
            " at line 1, column 58: not UTF-8: byte 0xFA",
        ),
        ('{"dates": []}'.encode("utf-16"), " at line 1: the file is UTF-16 (byte order mark)"),
        (b'[{"gamePk": 1}]', ': not a Stats API schedule: no top-level "dates" list'),
        (b'{"dates": [{"date": "2025-06-21"}]}', ': dates[0] has no "games" list'),
    ],
)
async def test_a_file_that_is_not_a_utf8_schedule_is_refused_and_nothing_written(
    repo: UnifiedRepository,
    connection: asyncpg.Connection,
    tmp_path: Path,
    content: bytes,
    problem: str,
) -> None:
    path = tmp_path / "schedule.json"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as refused:
        await import_schedule(repo, path)
    assert str(refused.value).startswith(f"{path}{problem}")
    assert await count(connection, "games") == 0


def test_statuses_map_from_the_detailed_state_first_then_the_code() -> None:
    def status(code: str, detailed: str) -> GameStatus:
        return game_status({"codedGameState": code, "detailedState": detailed})

    assert status("P", "Delayed Start") == GameStatus.DELAYED
    assert status("I", "Delayed") == GameStatus.DELAYED
    assert status("D", "Postponed") == GameStatus.POSTPONED
    assert status("C", "Cancelled") == GameStatus.CANCELLED
    assert status("T", "Suspended: Rain") == GameStatus.SUSPENDED
    assert status("P", "Warmup") == GameStatus.PRE_GAME
    assert status("P", "Pre-Game") == GameStatus.PRE_GAME
    assert status("I", "In Progress") == GameStatus.LIVE
    assert status("M", "Manager challenge") == GameStatus.LIVE
    assert status("O", "Game Over") == GameStatus.FINAL
    assert status("F", "Completed Early: Rain") == GameStatus.FINAL
    assert status("S", "Scheduled") == GameStatus.SCHEDULED
    assert status("I", "Something new") == GameStatus.LIVE


@pytest.mark.parametrize(
    ("code", "game_type", "season_type"),
    [
        ("R", GameType.REGULAR, SeasonType.REGULAR),
        ("S", GameType.SPRING, SeasonType.PRESEASON),
        ("E", GameType.EXHIBITION, SeasonType.PRESEASON),
        ("A", GameType.ALL_STAR, SeasonType.REGULAR),
        ("F", GameType.POSTSEASON, SeasonType.POSTSEASON),
        ("D", GameType.POSTSEASON, SeasonType.POSTSEASON),
        ("L", GameType.POSTSEASON, SeasonType.POSTSEASON),
        ("W", GameType.POSTSEASON, SeasonType.POSTSEASON),
        ("P", GameType.POSTSEASON, SeasonType.POSTSEASON),
    ],
)
def test_game_types_map_to_a_game_type_and_a_season_type(
    code: str, game_type: GameType, season_type: SeasonType
) -> None:
    game = read_game(stats_api_game(1, gameType=code), frozenset({111, 147}))
    assert (game.game_type, game.season_type) == (game_type, season_type)


def test_an_unfamiliar_detailed_state_and_code_fall_back_on_the_abstract_state() -> None:
    def status(abstract: str) -> GameStatus:
        return game_status(
            {"abstractGameState": abstract, "codedGameState": "Z", "detailedState": "Brand new"}
        )

    assert status("Preview") == GameStatus.SCHEDULED
    assert status("Live") == GameStatus.LIVE
    assert status("Final") == GameStatus.FINAL


async def test_games_whose_clubs_are_not_known_yet_are_skipped_with_the_reason(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    undecided = {
        "away": {"team": {"name": "AL Wild Card 1"}},
        "home": {"team": {"id": 147, "name": "New York Yankees"}},
    }
    placeholder = {
        "away": {"team": {"id": 4978, "name": "ALWC Winner"}},
        "home": {"team": {"id": 147, "name": "New York Yankees"}},
    }
    unknown = {
        "away": {"team": {"id": 4001, "name": "Mexico City Diablos"}},
        "home": {"team": {"id": 147, "name": "New York Yankees"}},
    }
    games = [
        stats_api_game(1, gameType="D", teams=undecided),
        stats_api_game(2, gameType="D", teams=placeholder),
        stats_api_game(3, teams=unknown),
        stats_api_game(4),
    ]
    report = await import_schedule(repo, write_json(tmp_path / "s.json", schedule(*games)))
    assert (report.read, report.imported, report.skipped, len(report.rejected)) == (4, 1, 2, 1)
    assert report.skip_reasons == {
        "clubs not known yet: teams.away.team has no id ('AL Wild Card 1')": 1,
        "clubs not known yet: teams.away.team is 'ALWC Winner'": 1,
    }
    assert report.rejected[0].reason == (
        "teams.away.team.id 4001 ('Mexico City Diablos') is not one of the 30 MLB clubs"
    )
    assert adds_up(report)
    assert report.rejects_path == tmp_path / "s.rejects.jsonl"
    rejected = json.loads(report.rejects_path.read_text().splitlines()[0])
    assert (rejected["where"], rejected["record"]["gamePk"]) == ("dates[0].games[2]", 3)
    assert await count(connection, "games") == 1


async def test_a_split_doubleheader_and_a_suspended_game_keep_what_follows_them(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    suspended = {
        "abstractGameState": "Final",
        "codedGameState": "T",
        "detailedState": "Suspended: Rain",
    }
    games = [
        stats_api_game(1, doubleHeader="S", gameNumber=1, gameDate="2025-06-21T17:05:00Z"),
        stats_api_game(2, doubleHeader="S", gameNumber=2, gameDate="2025-06-21T23:05:00Z"),
        stats_api_game(
            3, teams=clubs(137, 119), status=suspended, resumeGameDate="2025-06-22",
            resumeDate="2025-06-22T20:10:00Z",
        ),
    ]  # fmt: skip
    report = await import_schedule(repo, write_json(tmp_path / "s.json", schedule(*games)))
    assert (report.imported, report.rejected) == (3, [])
    rows = await connection.fetch(
        "SELECT mlb_game_pk, game_number, doubleheader::text, status::text, detailed_state,"
        " resumed_on::text FROM games ORDER BY mlb_game_pk"
    )
    assert [tuple(r) for r in rows] == [
        (1, 1, "split", "scheduled", "Scheduled", None),
        (2, 2, "split", "scheduled", "Scheduled", None),
        (3, 1, None, "suspended", "Suspended: Rain", "2025-06-22"),
    ]


@pytest.mark.parametrize(
    ("code", "detailed", "expected"),
    [
        ("Q", "Forfeit: Willful rule violation", GameStatus.FINAL),
        ("R", "Forfeit", GameStatus.FINAL),
        ("I", "Instant Replay", GameStatus.LIVE),
        ("N", "Umpire review: Home run", GameStatus.LIVE),
        ("P", "Delayed Start: COVID-19", GameStatus.DELAYED),
        ("U", "Suspended: About to Resume", GameStatus.SUSPENDED),
        ("O", "Game Over: Tie, decision by tiebreaker", GameStatus.FINAL),
        ("F", "Final: Tied", GameStatus.FINAL),
        ("D", "Postponed: Inclement Weather", GameStatus.POSTPONED),
        ("C", "Cancelled: Air Quality", GameStatus.CANCELLED),
    ],
)
def test_the_states_the_api_lists_each_map_to_a_status(
    code: str, detailed: str, expected: GameStatus
) -> None:
    assert game_status({"codedGameState": code, "detailedState": detailed}) == expected
