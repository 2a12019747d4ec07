"""`betdb import sbr-archive|odds-api|sbd`: the real sources' files through the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from betdb.cli import app

REAL = Path(__file__).parents[1] / "data" / "real"


def test_an_sbr_season_imports_and_a_second_run_finds_every_game_unchanged(
    runner: CliRunner, tmp_path: Path
) -> None:
    first = runner.invoke(app, ["import", "sbr-archive", str(REAL / "sbr" / "mlb-odds-2021.xlsx")])
    assert first.exit_code == 0, first.output
    assert "read 2,462 · imported 2,462 · updated 0 · unchanged 0" in first.stdout
    assert "13 record(s) imported with a warning" in first.stdout
    again = runner.invoke(
        app, ["import", "sbr-archive", str(REAL / "sbr" / "mlb-odds-2021.xlsx"), "--json"]
    )
    report = json.loads(again.stdout)
    assert (report["read"], report["unchanged"], report["rejected"]) == (2462, 2462, [])


def test_an_sbr_sheet_whose_name_has_no_year_needs_the_season(
    runner: CliRunner, tmp_path: Path
) -> None:
    sheet = shutil.copy(REAL / "sbr" / "mlb-odds-2019.xlsx", tmp_path / "odds.xlsx")
    refused = runner.invoke(app, ["import", "sbr-archive", str(sheet)])
    assert refused.exit_code == 2
    assert "which season is it?" in refused.output
    assert "give --season YYYY" in refused.output
    given = runner.invoke(app, ["import", "sbr-archive", str(sheet), "--season", "2019", "--json"])
    assert given.exit_code == 0, given.output
    assert json.loads(given.stdout)["imported"] == 2464


def test_a_directory_of_odds_api_snapshots_imports_as_a_history(
    runner: CliRunner, tmp_path: Path
) -> None:
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    for path in (REAL / "the-odds-api").glob("*.json"):
        shutil.copy(path, snapshots / path.name)
    result = runner.invoke(app, ["import", "odds-api", str(snapshots)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if " · " in line]
    assert lines[0].startswith(
        "2022-09-17-baseball_mlb-american.json: read 1,017 · imported 507 · updated 0 ·"
        " unchanged 0 · duplicates 0 · skipped 255 · rejected 255"
    )
    assert lines[1].startswith(
        "2023-08-23-baseball_mlb-decimal.json: read 193 · imported 193 · updated 0 ·"
        " unchanged 0 · duplicates 0 · rejected 0"
    )
    assert "skipped 244: quoted at or after commence_time (live)" in result.stdout
    forced = runner.invoke(
        app, ["import", "odds-api", str(snapshots / DECIMAL_NAME), "--odds-format", "decimal"]
    )
    assert "duplicates 193" in forced.stdout


DECIMAL_NAME = "2023-08-23-baseball_mlb-decimal.json"


def test_an_sbd_snapshot_imports_its_odds_and_splits(runner: CliRunner) -> None:
    path = REAL / "sportsbettingdime" / "2025-06-13-mlb-odds-and-splits.json"
    result = runner.invoke(app, ["import", "sbd", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["read"], report["imported"], report["skipped"]) == (135, 101, 34)
    refused = runner.invoke(app, ["import", "sbd", str(path), "--observed-at", "noon"])
    assert refused.exit_code == 2
    assert "--observed-at 'noon' is not an ISO 8601 time" in refused.output
