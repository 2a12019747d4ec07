"""SBR's odds archive as published: whole seasons, every game matched or created, untimed lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import asyncpg
import pytest
from python_calamine import CalamineWorkbook

from betdb import UnifiedRepository
from betdb.generated.models import Market
from betdb.importers import import_schedule
from betdb.importers.documents import Clubs
from betdb.importers.fields import FieldError
from betdb.importers.sbr_archive import (
    ArchiveRow,
    Columns,
    SeasonUnknownError,
    import_sbr_archive,
    pair_rows,
    read_pair,
    season_of,
)
from betdb.odds import closing_line_value

from .conftest import adds_up, count

REAL = Path(__file__).parents[1] / "data" / "real"
SEASON_2019 = REAL / "sbr" / "mlb-odds-2019.xlsx"
SEASON_2021 = REAL / "sbr" / "mlb-odds-2021.xlsx"
FINALS_2021 = REAL / "mlb-stats-api" / "2021-09-19-final.json"

HEADER_2021 = ["Date", "Rot", "VH", "Team", "Pitcher", "1st", "2nd", "3rd", "4th", "5th", "6th",
               "7th", "8th", "9th", "Final", "Open", "Close", "RunLine", "", "OpenOU", "",
               "CloseOU", ""]  # fmt: skip


async def lines_of(connection: asyncpg.Connection, game_id: int) -> list[tuple[object, ...]]:
    rows = await connection.fetch(
        "SELECT market::text, side::text, moment::text, line, price FROM untimed_lines"
        " WHERE game_id = $1 ORDER BY market, side, moment",
        game_id,
    )
    return [tuple(r) for r in rows]


async def test_the_2019_season_imports_whole_with_every_game_created(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    report = await import_sbr_archive(repo, SEASON_2019)
    assert (report.read, report.imported, report.rejected, report.warnings) == (2464, 2464, [], [])
    assert adds_up(report)
    assert await count(connection, "games") == 2464
    assert await count(connection, "games WHERE game_number = 2") == 32  # doubleheaders
    # Five lines a row (moneyline open and close, run line, total open and close), less
    # the ten opening moneylines the archive marks NL.
    assert await count(connection, "untimed_lines") == 5 * 4928 - 10
    # Opening day in Tokyo (VH N, the Athletics second: at home), its lines and score.
    game = await connection.fetchrow(
        "SELECT * FROM games WHERE official_date = '2019-03-20' AND home_team_id = 133"
    )
    assert (game["away_team_id"], game["away_score"], game["home_score"]) == (136, 9, 7)
    assert (game["status"], game["mlb_game_pk"], game["source"]) == ("final", None, "sbr")
    assert await lines_of(connection, game["game_id"]) == [
        ("moneyline", "away", "closing", None, 120),
        ("moneyline", "away", "opening", None, 107),
        ("moneyline", "home", "closing", None, -130),
        ("moneyline", "home", "opening", None, -127),
        ("run_line", "away", "closing", Decimal("1.50"), -160),
        ("run_line", "home", "closing", Decimal("-1.50"), 140),
        ("total", "over", "closing", Decimal("8.50"), -120),
        ("total", "over", "opening", Decimal("8.50"), -110),
        ("total", "under", "closing", Decimal("8.50"), 100),
        ("total", "under", "opening", Decimal("8.50"), -110),
    ]


async def test_the_2021_season_imports_whole_and_a_second_import_changes_nothing(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    report = await import_sbr_archive(repo, SEASON_2021)
    assert (report.read, report.imported, report.rejected) == (2462, 2462, [])
    # Thirteen games carry a mistyped total price (-6, -35, ...) or a run line without its
    # price: imported without that line, each reported with the cell named.
    assert len(report.warnings) == 13
    assert report.warnings[0].reason == (
        "imported without the line(s) of row 930 CloseOU price: -6.0 is not an American price"
        " (-100 or below, 100 up); row 931 CloseOU price: -14.0 is not an American price"
        " (-100 or below, 100 up)"
    )
    lines = await count(connection, "untimed_lines")
    games = await connection.fetch("SELECT * FROM games ORDER BY game_id")
    again = await import_sbr_archive(repo, SEASON_2021)
    assert (again.read, again.unchanged, again.imported, again.updated) == (2462, 2462, 0, 0)
    assert await connection.fetch("SELECT * FROM games ORDER BY game_id") == games
    assert await count(connection, "untimed_lines") == lines


async def test_a_later_stats_api_import_attaches_its_game_pks_to_the_archive_games(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    await import_sbr_archive(repo, SEASON_2021)
    report = await import_schedule(repo, FINALS_2021)
    assert (report.read, report.imported, report.updated, report.rejected) == (15, 0, 15, [])
    assert await count(connection, "games") == 2462
    cle = await connection.fetchrow("SELECT * FROM games WHERE mlb_game_pk = 632380")
    assert (cle["official_date"], cle["away_team_id"], cle["home_team_id"]) == (
        dt.date(2021, 9, 19), 114, 147,
    )  # fmt: skip
    assert await count(connection, f"untimed_lines WHERE game_id = {cle['game_id']}") == 10


async def test_an_archive_imported_after_the_schedule_finds_the_stats_api_games(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    await import_schedule(repo, FINALS_2021)
    report = await import_sbr_archive(repo, SEASON_2021)
    assert (report.read, report.imported, report.rejected) == (2462, 2462, [])
    assert await count(connection, "games") == 2462
    assert await count(connection, "games WHERE mlb_game_pk IS NOT NULL") == 15


async def test_a_pair_whose_score_contradicts_the_stored_game_is_rejected_and_its_lines_not_written(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    await import_schedule(repo, FINALS_2021)
    await connection.execute("UPDATE games SET away_score = 99 WHERE mlb_game_pk = 632380")
    game_id = await connection.fetchval("SELECT game_id FROM games WHERE mlb_game_pk = 632380")
    report = await import_sbr_archive(repo, SEASON_2021)
    assert adds_up(report)
    contradicted = [r for r in report.rejected if "contradicts the stored" in r.reason]
    assert len(contradicted) == 1
    home = await connection.fetchval("SELECT home_score FROM games WHERE game_id = $1", game_id)
    assert f"the stored 99-{home} of game {game_id}" in contradicted[0].reason
    assert (
        await connection.fetchval("SELECT away_score FROM games WHERE mlb_game_pk = 632380") == 99
    )
    assert await lines_of(connection, game_id) == []
    assert report.rejects_path is not None
    assert "contradicts the stored" in report.rejects_path.read_text()


async def test_closing_and_opening_lines_of_any_time_include_the_untimed_ones(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    await import_sbr_archive(repo, SEASON_2019)
    game_id = await connection.fetchval(
        "SELECT game_id FROM games WHERE official_date = '2019-03-20' AND home_team_id = 133"
    )
    closing = await repo.lines.get_closing_lines_any_time(game_id=game_id, market=Market.MONEYLINE)
    assert [(c.side, c.price, c.observed_at) for c in closing] == [
        ("home", -130, None),
        ("away", 120, None),
    ]
    opening = await repo.lines.get_opening_lines_any_time(game_id=game_id, market=Market.TOTAL)
    assert [(o.side, o.line, o.price) for o in opening] == [
        ("over", Decimal("8.50"), -110), ("under", Decimal("8.50"), -110),
    ]  # fmt: skip
    # CLV against the untimed close: +130 on Seattle beat a +120 / -130 close.
    away, home = (c for c in sorted(closing, key=lambda c: c.side != "away"))
    value = closing_line_value(130, away.price, home.price)
    assert value > 0
    assert abs(value - (Decimal(230) / 100 * implied_share(120, -130) - 1)) < Decimal("1e-20")
    # Nothing that orders odds by time sees them: they are not odds observations.
    assert await count(connection, "odds") == 0
    assert await repo.odds.get_closing_lines(game_id=game_id, market=Market.MONEYLINE) == []


def implied_share(price: int, other: int) -> Decimal:
    """The no-vig probability of `price` against `other`, by the textbook formula."""

    def implied(p: int) -> Decimal:
        return Decimal(100) / (p + 100) if p > 0 else Decimal(-p) / (-p + 100)

    return implied(price) / (implied(price) + implied(other))


def test_the_season_comes_from_the_option_else_the_file_name_else_the_import_is_refused() -> None:
    assert season_of(Path("mlb-odds-2019.xlsx"), None) == 2019
    assert season_of(Path("mlb-odds-2019.xlsx"), 2020) == 2020
    with pytest.raises(SeasonUnknownError, match="give --season YYYY"):
        season_of(Path("mlb-odds.xlsx"), None)


async def test_cells_that_say_no_line_halves_and_mistypes_are_read_or_named(
    repo: UnifiedRepository,
) -> None:
    clubs = await Clubs.load(repo)
    columns = Columns.of(Path("x.xlsx"), HEADER_2021)

    def pair(away: dict[int, object], home: dict[int, object]) -> tuple[ArchiveRow, ArchiveRow]:
        base = [401, 961, "V", "PIT", "CKUHL", 0, 0, 0, 0, 0, 0, 0, 0, "x", 5, 183, 190, 1.5,
                -120, 7, -110, 6.5, -115]  # fmt: skip
        rows = (list(base), list(base))
        rows[1][2:5] = ["H", "CUB", "KHENDRICK"]
        for row, changes in zip(rows, (away, home), strict=True):
            for i, value in changes.items():
                row[i] = value
        return ArchiveRow(2, rows[0]), ArchiveRow(3, rows[1])

    game = read_pair(
        *pair({15: "NL", 19: "8½"}, {19: "8½", 21: ""}), columns, HEADER_2021, 2021, clubs
    )
    assert (game.official_date, game.away_team_id, game.home_team_id) == (
        dt.date(2021, 4, 1),
        134,
        112,
    )
    assert ("moneyline", "away", "opening") not in game.lines
    assert game.lines[("total", "over", "opening")] == (Decimal("8.5"), -110)
    assert ("total", "under", "closing") not in game.lines  # no line: nothing offered
    assert game.unreadable == []
    mistyped = read_pair(*pair({16: "1O5"}, {}), columns, HEADER_2021, 2021, clubs)
    assert mistyped.unreadable == ["row 2 Close: '1O5' is not a number, NL or empty"]
    with pytest.raises(FieldError, match="row 3 Team: unknown club code 'XYZ'"):
        read_pair(*pair({}, {3: "XYZ"}), columns, HEADER_2021, 2021, clubs)
    with pytest.raises(FieldError, match="row 2 Date: 1301 is not a date as MMDD in 2021"):
        read_pair(*pair({0: 1301}, {0: 1301}), columns, HEADER_2021, 2021, clubs)


async def test_a_database_failure_midway_leaves_nothing_written_and_a_rerun_imports_whole(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    # The server refuses the second batch of lines, as a full disk or a lost primary would.
    await connection.execute(
        """
        CREATE FUNCTION refuse_after_1000() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT count(*) FROM untimed_lines) >= 1000 THEN
                RAISE EXCEPTION 'disk full';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER refuse BEFORE INSERT ON untimed_lines
            FOR EACH ROW EXECUTE FUNCTION refuse_after_1000();
        """
    )
    with pytest.raises(Exception, match="disk full"):
        await import_sbr_archive(repo, SEASON_2021)
    assert (await count(connection, "games"), await count(connection, "untimed_lines")) == (0, 0)
    await connection.execute("DROP TRIGGER refuse ON untimed_lines")
    rerun = await import_sbr_archive(repo, SEASON_2021)
    assert (rerun.read, rerun.imported) == (2462, 2462)


async def test_a_doubleheader_listed_out_of_order_is_matched_by_the_stored_scores(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    # SBR lists Seattle at Baltimore's game 2 of 13 April 2021 (6-7) before game 1 (4-3).
    await import_schedule(repo, REAL / "mlb-stats-api" / "2021-04-13-doubleheaders.json")
    report = await import_sbr_archive(repo, SEASON_2021)
    assert [w for w in report.warnings if "disagrees" in w.reason] == []
    assert await count(connection, "games") == 2462
    rows = await connection.fetch(
        "SELECT g.mlb_game_pk, u.price FROM games g JOIN untimed_lines u USING (game_id)"
        " WHERE g.mlb_game_pk IN (632213, 632224) AND u.market = 'moneyline'"
        " AND u.side = 'away' AND u.moment = 'closing' ORDER BY g.mlb_game_pk"
    )
    sheet = CalamineWorkbook.from_path(str(SEASON_2021)).get_sheet_by_index(0).to_python()
    # Sheet rows 304 (game 2, Seattle scored 6) and 320 (game 1, Seattle scored 4).
    game_two, game_one = sheet[303], sheet[319]
    assert (game_two[14], game_one[14]) == (6.0, 4.0)
    assert [tuple(r) for r in rows] == [(632213, int(game_one[16])), (632224, int(game_two[16]))]


def test_rows_pair_visitor_then_home_and_a_row_without_its_partner_stands_alone() -> None:
    columns = Columns.of(Path("x.xlsx"), HEADER_2021)
    marks = ["V", "H", "H", "N", "N", "V"]
    rows = iter([ArchiveRow(n + 2, [401, 0, mark]) for n, mark in enumerate(marks)])
    pairs = [(a.line, b.line if b else None) for a, b in pair_rows(rows, columns)]
    assert pairs == [(2, 3), (4, None), (5, 6), (7, None)]
