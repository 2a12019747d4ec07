"""Any value the database can hold prints: a stored infinity, -infinity or year-1 time in
games, odds or signals (written with SQL, as a bad import or a hand edit would leave it) is
shown as such by the query commands, in tables and in JSON, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import asyncpg
from typer.testing import CliRunner

from betdb.cli import app
from betdb.testing import run_sync

from .conftest import Seeded


async def _store_extremes(dsn: str, seeded: Seeded) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "UPDATE games SET first_pitch_at = '-infinity',"
            " source_updated_at = '0001-01-01 00:00:00+00' WHERE game_id = $1",
            seeded.first_game,
        )
        await connection.execute(
            "UPDATE games SET first_pitch_at = 'infinity' WHERE game_id = $1", seeded.second_game
        )
        await connection.execute(
            "UPDATE games SET official_date = 'infinity' WHERE game_id = $1", seeded.dodgers_game
        )
        await connection.execute(
            "UPDATE sharp_signals SET detected_at = '-infinity', expires_at = 'infinity'"
            " WHERE game_id = $1",
            seeded.first_game,
        )
        await connection.execute(
            "UPDATE sharp_signals SET detected_at = '0001-01-01 00:00:00+00' WHERE game_id = $1",
            seeded.dodgers_game,
        )
        # A price observed "at infinity" (lands in the default partition).
        await connection.execute(
            "INSERT INTO odds (game_id, sportsbook_id, market, side, line, price, observed_at,"
            " source) SELECT $1, sportsbook_id, 'moneyline', 'home', NULL, -999, 'infinity',"
            " 'sbr' FROM sportsbooks WHERE key = 'draftkings'",
            seeded.first_game,
        )
    finally:
        await connection.close()


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    assert result.exception is None
    return result.stdout


def test_games_with_infinite_and_year_one_times_print(
    runner: CliRunner, seeded: Seeded, database_url: str
) -> None:
    run_sync(_store_extremes(database_url, seeded))
    rows = [line.split() for line in run(runner, "games", "--date", "2026-04-04").splitlines()]
    by_pk = {row[1]: row for row in rows if row and row[0].isdigit()}
    assert by_pk["776001"][2:4] == ["2026-04-04", "-infinity"]
    assert by_pk["776002"][2:4] == ["2026-04-04", "infinity"]

    listed = json.loads(run(runner, "games", "--date", "2026-04-04", "--json"))
    assert [(g["mlb_game_pk"], g["first_pitch_at"]) for g in listed] == [
        (776001, "-infinity"),
        (776002, "infinity"),
    ]
    assert listed[0]["source_updated_at"] == "0001-01-01T00:00:00Z"

    dodgers = run(runner, "games", "--team", "LAD")
    assert any(
        line.split()[2:3] == ["infinity"] for line in dodgers.splitlines() if "776003" in line
    )
    (game,) = json.loads(run(runner, "games", "--team", "LAD", "--json"))
    assert game["official_date"] == "infinity"


def test_signals_with_infinite_and_year_one_times_print(
    runner: CliRunner, seeded: Seeded, database_url: str
) -> None:
    run_sync(_store_extremes(database_url, seeded))
    table = run(runner, "signals", "--min-strength", "0.5")
    assert "2 signal(s) of strength ≥ 0.5" in table
    steam = next(line for line in table.splitlines() if "0.92" in line)
    assert steam.split()[-1] == "-infinity"
    dodgers = next(line for line in table.splitlines() if "0.55" in line)
    assert dodgers.split()[-2:] == ["01-01", "00:00"]
    assert "infinity AZ @ LAD" in table  # the game's official date is infinity too

    signals = json.loads(run(runner, "signals", "--min-strength", "0.5", "--json"))
    assert [(s["detected_at"], s["expires_at"]) for s in signals] == [
        ("-infinity", "infinity"),
        ("0001-01-01T00:00:00Z", None),
    ]


def test_odds_of_a_game_whose_first_pitch_is_infinite_print(
    runner: CliRunner, seeded: Seeded, database_url: str, tmp_path: Path
) -> None:
    run_sync(_store_extremes(database_url, seeded))
    chart = tmp_path / "total.png"
    output = run(
        runner, "odds", "movement", "mlb:776001", "--market", "total", "--plot", str(chart)
    )
    assert chart.stat().st_size > 20_000  # drawn, without a first-pitch line
    # The window falls back to the official date, so the day's prices are all there.
    assert "12 observations; 2 that changed nothing are not shown" in output
    assert "first pitch: -infinity" in output
    movement = json.loads(run(runner, "odds", "movement", "mlb:776001", "--json"))
    assert movement["first_pitch_at"] == "-infinity"
    # The price observed at infinity is outside every game's window: not the latest forever.
    latest = json.loads(run(runner, "odds", "latest", "mlb:776001", "--json"))
    home = next(p for p in latest["prices"] if (p["market"], p["side"]) == ("moneyline", "home"))
    assert (home["price"], home["observed_at"]) == (-160, "2026-04-04T16:00:00Z")


async def _store_before_year_one(dsn: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        # 0001-01-01 00:00+05 is 0000-12-31 19:00 UTC: PostgreSQL holds it, Python cannot.
        await connection.execute("UPDATE sharp_signals SET detected_at = '0001-01-01 00:00:00+05'")
    finally:
        await connection.close()


def test_a_time_before_year_one_fails_in_one_line_naming_the_query(
    runner: CliRunner, seeded: Seeded, database_url: str
) -> None:
    # asyncpg's timestamptz decoder raises OverflowError for it; until the connection's codec
    # maps such values, the command cannot show the rows, and says so without a traceback.
    run_sync(_store_before_year_one(database_url))
    result = runner.invoke(app, ["signals", "--min-strength", "0.5"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: invalid value: OverflowError: date value out of range")
    assert "query=GetStrongSignals" in line
