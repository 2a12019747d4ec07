"""The Stats API's per-game feed and MLB's legacy gd2 scoreboard: the recorded files imported
with exact counts and values, twice, and the rules of the formats on files built to them."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from typer.testing import CliRunner

from betdb import UnifiedRepository
from betdb.cli import app
from betdb.generated import init_connection
from betdb.importers import ImportStoppedError
from betdb.importers.game_feed import import_game_feed
from betdb.importers.gd2 import import_gd2_scoreboard

from .conftest import adds_up, count, write_json

REAL = Path(__file__).parents[1] / "data" / "real"
FEED = REAL / "mlb-feed-live" / "2024-07-01-744914-final.json"
SCOREBOARD = REAL / "mlb-gd2" / "2017-05-21-master-scoreboard.json"
UTC = dt.UTC


async def game(connection: asyncpg.Connection, game_pk: int) -> dict[str, Any]:
    row = await connection.fetchrow(
        """SELECT official_date, status::text, detailed_state, status_reason, scheduled_date,
                  first_pitch_at, game_number, doubleheader::text, home_team_id, away_team_id,
                  home_score, away_score, season, mlb_game_type, updated_at
           FROM games WHERE mlb_game_pk = $1""",
        game_pk,
    )
    assert row is not None, f"no game {game_pk}"
    return dict(row)


def counts(report: Any) -> tuple[int, ...]:
    assert adds_up(report)
    return (report.read, report.imported, report.updated, report.unchanged, report.duplicates,
            report.skipped, len(report.rejected))  # fmt: skip


def scoreboard() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SCOREBOARD.read_text())
    return document


def feed() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(FEED.read_text())
    return document


# -- feed/live -------------------------------------------------------------------------------


async def test_the_recorded_feed_stores_hou_at_tor_final_3_1_and_a_second_import_changes_nothing(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    assert counts(await import_game_feed(repo, FEED)) == (1, 1, 0, 0, 0, 0, 0)
    stored = await game(connection, 744914)
    first_updated = stored.pop("updated_at")
    assert stored == {
        "official_date": dt.date(2024, 7, 1), "status": "final", "detailed_state": "Final",
        "status_reason": None, "scheduled_date": None,
        "first_pitch_at": dt.datetime(2024, 7, 1, 19, 7, tzinfo=UTC), "game_number": 1,
        "doubleheader": None, "home_team_id": 141, "away_team_id": 117, "home_score": 1,
        "away_score": 3, "season": 2024, "mlb_game_type": "R",
    }  # fmt: skip
    assert counts(await import_game_feed(repo, FEED)) == (1, 0, 0, 1, 0, 0, 0)
    assert (await game(connection, 744914))["updated_at"] == first_updated
    assert await count(connection, "games") == 1


async def test_a_list_of_feeds_keeps_the_latest_moment_of_each_game(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    final = feed()
    live = copy.deepcopy(final)
    live["metaData"]["timeStamp"] = "20240701_200000"
    live["gameData"]["status"] = {"abstractGameState": "Live", "codedGameState": "I",
                                  "detailedState": "In Progress"}  # fmt: skip
    live["liveData"]["linescore"]["teams"] = {"home": {"runs": 1}, "away": {"runs": 0}}
    path = write_json(tmp_path / "feeds.json", [final, live])
    assert counts(await import_game_feed(repo, path)) == (2, 1, 0, 0, 1, 0, 0)
    stored = await game(connection, 744914)
    assert (stored["status"], stored["away_score"], stored["home_score"]) == ("final", 3, 1)


async def test_a_final_game_with_another_score_is_rejected_and_the_stored_score_kept(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    await import_game_feed(repo, FEED)
    other = feed()
    other["liveData"]["linescore"]["teams"]["home"]["runs"] = 4
    report = await import_game_feed(repo, write_json(tmp_path / "other.json", other))
    assert counts(report) == (1, 0, 0, 0, 0, 0, 1)
    assert report.rejected[0].reason == (
        "gamePk 744914 is final 3-1 (away-home) in the database, but this record says final "
        "3-4 (away-home): the stored game is kept"
    )
    assert report.rejects_path == tmp_path / "other.rejects.jsonl"
    stored = await game(connection, 744914)
    assert (stored["away_score"], stored["home_score"]) == (3, 1)


async def test_a_game_not_begun_stores_no_score_from_the_linescores_zeros(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    preview = feed()
    preview["gameData"]["status"] = {"abstractGameState": "Preview", "codedGameState": "S",
                                     "detailedState": "Scheduled"}  # fmt: skip
    preview["liveData"]["linescore"]["teams"] = {"home": {"runs": 0}, "away": {"runs": 0}}
    await import_game_feed(repo, write_json(tmp_path / "preview.json", preview))
    stored = await game(connection, 744914)
    assert (stored["status"], stored["home_score"], stored["away_score"]) == (
        "scheduled",
        None,
        None,
    )
    assert counts(await import_game_feed(repo, FEED)) == (1, 0, 1, 0, 0, 0, 0)
    assert (await game(connection, 744914))["status"] == "final"


async def test_feeds_without_their_parts_are_rejected_one_line_each(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    no_status = feed()
    del no_status["gameData"]["status"]
    unknown_club = feed()
    unknown_club["gameData"]["teams"]["home"]["id"] = 999
    path = write_json(tmp_path / "bad.json", [no_status, unknown_club, "text"])
    report = await import_game_feed(repo, path)
    assert counts(report) == (3, 0, 0, 0, 0, 0, 3)
    assert [str(r) for r in report.rejected] == [
        "[0]: gameData.status is missing",
        "[1]: teams.home.team.id 999 ('Toronto Blue Jays') is not one of the 30 MLB clubs",
        "[2]: the feed is missing",
    ]


# -- gd2 master scoreboard -------------------------------------------------------------------


async def test_the_recorded_scoreboard_stores_sixteen_games_and_a_second_import_changes_nothing(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    assert counts(await import_gd2_scoreboard(repo, SCOREBOARD)) == (16, 16, 0, 0, 0, 0, 0)
    assert await count(connection, "games") == 16
    cin = await game(connection, 490752)
    cin.pop("updated_at")
    assert cin == {
        "official_date": dt.date(2017, 5, 21), "status": "final", "detailed_state": "Final",
        "status_reason": None, "scheduled_date": None,
        "first_pitch_at": dt.datetime(2017, 5, 21, 17, 10, tzinfo=UTC),  # 1:10 PM ET
        "game_number": 1, "doubleheader": None, "home_team_id": 113, "away_team_id": 115,
        "home_score": 4, "away_score": 6, "season": 2017, "mlb_game_type": "R",
    }  # fmt: skip
    # 2:10 PM ET in Houston (1:10 local), and a Sunday night game that ends on Monday in UTC.
    assert (await game(connection, 490751))["first_pitch_at"] == dt.datetime(
        2017, 5, 21, 18, 10, tzinfo=UTC
    )
    assert (await game(connection, 490760))["first_pitch_at"] == dt.datetime(
        2017, 5, 22, 0, 5, tzinfo=UTC
    )
    first, second = await game(connection, 490753), await game(connection, 490738)
    assert (first["game_number"], first["doubleheader"], first["away_score"],
            first["home_score"]) == (1, "traditional", 6, 4)  # fmt: skip
    second_game = (second["game_number"], second["doubleheader"], second["first_pitch_at"],
                   second["away_score"], second["home_score"])  # fmt: skip
    assert second_game == (2, "traditional", None, 4, 8)  # gd2's 3:33 AM: no time yet
    finals = await connection.fetchval("SELECT count(*) FROM games WHERE status = 'final'")
    assert finals == 16

    assert counts(await import_gd2_scoreboard(repo, SCOREBOARD)) == (16, 0, 0, 16, 0, 0, 0)


async def test_a_day_of_one_game_is_an_object_not_a_list(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    document = scoreboard()
    document["data"]["games"]["game"] = document["data"]["games"]["game"][0]
    report = await import_gd2_scoreboard(repo, write_json(tmp_path / "one.json", document))
    assert counts(report) == (1, 1, 0, 0, 0, 0, 0)
    assert (await game(connection, 490752))["home_score"] == 4


async def test_postponed_and_preview_games_keep_the_reason_and_store_no_score(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    document = scoreboard()
    games = document["data"]["games"]["game"][:3]
    games[0]["status"].update(status="Postponed", ind="DR", reason="Rain")
    games[1]["status"].update(status="Preview", ind="S")
    games[2]["status"].update(status="Abandoned", ind="ZZ")
    games += [copy.deepcopy(document["data"]["games"]["game"][3])]
    games[3]["status"].update(status="Suspended", ind="U", reason="Rain")
    games[3]["resume_date"] = "2017/05/22"
    games[3]["linescore"]["r"] = {"home": "1", "away": "0"}
    document["data"]["games"]["game"] = games
    report = await import_gd2_scoreboard(repo, write_json(tmp_path / "day.json", document))
    assert counts(report) == (4, 3, 0, 0, 0, 0, 1)
    assert str(report.rejected[0]) == (
        "data.games.game[2]: status.status 'Abandoned' (ind 'ZZ') is not a state betdb knows"
    )
    postponed, preview = await game(connection, 490752), await game(connection, 490754)
    assert (postponed["status"], postponed["detailed_state"], postponed["status_reason"],
            postponed["home_score"]) == ("postponed", "Postponed", "Rain", None)  # fmt: skip
    assert (preview["status"], preview["detailed_state"], preview["home_score"],
            preview["first_pitch_at"]) == (
        "scheduled", "Preview", None, dt.datetime(2017, 5, 21, 17, 10, tzinfo=UTC)
    )  # fmt: skip


async def test_a_spring_game_against_a_college_is_skipped_and_an_unknown_club_rejected(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    document = scoreboard()
    college, unknown = document["data"]["games"]["game"][:2]
    college.update(game_type="S", away_team_id="2290", away_name_abbrev="UM")
    unknown.update(home_team_id="4444", home_name_abbrev="XYZ")
    document["data"]["games"]["game"] = [college, unknown]
    report = await import_gd2_scoreboard(repo, write_json(tmp_path / "day.json", document))
    assert counts(report) == (2, 0, 0, 0, 0, 1, 1)
    assert report.skip_reasons == {"not two MLB clubs (game_type S)": 1}
    assert str(report.rejected[0]) == (
        "data.games.game[1]: home_name_abbrev: unknown club code 'XYZ' (not a team alias)"
    )


async def test_a_game_another_source_created_gains_its_game_pk_by_date_clubs_and_number(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    await connection.execute(
        "INSERT INTO games (official_date, home_team_id, away_team_id, game_number, season,"
        " source) VALUES ('2017-05-21', 142, 118, 2, 2017, 'sbr')"
    )
    report = await import_gd2_scoreboard(repo, SCOREBOARD)
    assert counts(report) == (16, 15, 1, 0, 0, 0, 0)
    assert await count(connection, "games") == 16
    stored = await game(connection, 490738)
    assert (stored["game_number"], stored["home_score"]) == (2, 8)


async def test_clubs_by_code_when_ids_are_absent_and_a_final_score_never_overwritten(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    await import_gd2_scoreboard(repo, SCOREBOARD)
    document = scoreboard()
    one = document["data"]["games"]["game"][0]
    del one["home_team_id"], one["away_team_id"]
    one["linescore"]["r"] = {"home": "5", "away": "6"}
    document["data"]["games"]["game"] = [one]
    report = await import_gd2_scoreboard(repo, write_json(tmp_path / "fixed.json", document))
    assert counts(report) == (1, 0, 0, 0, 0, 0, 1)
    assert report.rejected[0].reason.startswith(
        "gamePk 490752 is final 6-4 (away-home) in the database, but this record says final "
        "6-5 (away-home)"
    )
    assert (await game(connection, 490752))["home_score"] == 4


@pytest.mark.parametrize(
    ("command", "wrong", "looks_like"),
    [
        ("game-feed", SCOREBOARD, "it looks like a gd2 master scoreboard"),
        ("gd2-scoreboard", FEED, "a JSON object with keys copyright, gameData, gamePk"),
        ("gd2-scoreboard", REAL / "mlb-stats-api" / "2021-09-19-final.json",
         "it looks like a Stats API schedule (betdb import schedule)"),
    ],
)  # fmt: skip
def test_a_file_of_another_format_gets_one_red_line_naming_what_it_looks_like(
    monkeypatch: pytest.MonkeyPatch, database_url: str, command: str, wrong: Path, looks_like: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "300")
    result = CliRunner().invoke(app, ["import", command, str(wrong)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: cannot import {wrong}: not a ")
    assert looks_like in lines[0]
    assert lines[0].endswith("; nothing was written")


def test_the_commands_report_as_json_with_the_same_accounting(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(app, ["import", "gd2-scoreboard", "--json", str(SCOREBOARD)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["read"], data["imported"], data["rejected_count"]) == (16, 16, 0)
    result = CliRunner().invoke(app, ["import", "game-feed", "--json", str(FEED)])
    data = json.loads(result.output)
    assert (data["read"], data["imported"], data["rejected_count"]) == (1, 1, 0)


async def test_a_database_gone_midway_writes_nothing_and_a_rerun_imports_the_day_whole(
    database_url: str, admin: asyncpg.Connection
) -> None:
    await admin.execute("""
        CREATE FUNCTION stop_import() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT count(*) FROM games) >= 5 THEN
                PERFORM pg_terminate_backend(pg_backend_pid());
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER stop_import AFTER INSERT ON games
            FOR EACH STATEMENT EXECUTE FUNCTION stop_import();
    """)
    connection = await asyncpg.connect(database_url)
    await init_connection(connection)
    with pytest.raises(ImportStoppedError) as stopped:
        await import_gd2_scoreboard(UnifiedRepository(connection), SCOREBOARD)
    assert str(stopped.value).startswith(
        f"{SCOREBOARD}: stopped at data.games.game[4]; nothing was written (the file is one "
        "transaction: a re-run imports it whole): "
    )
    assert await count(admin, "games") == 0
    assert not (SCOREBOARD.parent / f"{SCOREBOARD.stem}.rejects.jsonl").exists()
    await admin.execute("DROP TRIGGER stop_import ON games")
    connection = await asyncpg.connect(database_url)
    await init_connection(connection)
    try:
        report = await import_gd2_scoreboard(UnifiedRepository(connection), SCOREBOARD)
    finally:
        await connection.close()
    assert counts(report) == (16, 16, 0, 0, 0, 0, 0)


async def test_numbers_and_times_out_of_range_are_rejected_before_the_driver(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    huge_score, huge_pk = feed(), feed()
    huge_score["liveData"]["linescore"]["teams"]["home"]["runs"] = 2**40
    huge_pk["gamePk"] = 2**63
    report = await import_game_feed(repo, write_json(tmp_path / "f.json", [huge_score, huge_pk]))
    assert [str(r) for r in report.rejected] == [
        "[0]: the home score 1099511627776 is out of range (0 to 32,767)",
        "[1]: gamePk 9223372036854775808 is out of range",
    ]
    document = scoreboard()
    late = document["data"]["games"]["game"][0]
    late["time_date"] = "9999/12/31 11:00"
    document["data"]["games"]["game"] = [late]
    report = await import_gd2_scoreboard(repo, write_json(tmp_path / "g.json", document))
    assert [str(r) for r in report.rejected] == [
        "data.games.game[0]: time_date '9999/12/31 11:00' is out of range"
    ]
    assert await count(connection, "games") == 0


def test_one_rejects_path_for_several_files_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "300")
    days = tmp_path / "days"
    days.mkdir()
    for name in ("a.json", "b.json"):
        (days / name).write_bytes(SCOREBOARD.read_bytes())
    rejects = tmp_path / "rejects.jsonl"
    command = ["import", "gd2-scoreboard", str(days), "--rejects", str(rejects)]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2
    assert result.output.startswith("error: --rejects names one file but 2 files are imported")
    result = CliRunner().invoke(app, ["import", "gd2-scoreboard", str(days)])
    assert result.exit_code == 0, result.output
    first, second = result.output.splitlines()
    assert first.startswith("a.json: read 16 · imported 16 · updated 0 · unchanged 0 ·")
    assert second.startswith("b.json: read 16 · imported 0 · updated 0 · unchanged 16 ·")
