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
