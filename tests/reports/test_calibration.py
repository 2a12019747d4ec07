"""Calibration of closing moneylines: the arithmetic by hand, and the shipped 2021 season."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import asyncpg
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from betdb import UnifiedRepository
from betdb.cli import app
from betdb.generated import init_connection
from betdb.generated.reports import GetClosingMoneylinesRow
from betdb.importers.sbr_archive import import_sbr_archive
from betdb.reports import calibrate, closing_calibration

SEASON_2021 = Path(__file__).parents[1] / "data" / "real" / "sbr" / "mlb-odds-2021.xlsx"


@pytest.fixture
async def repo(database_url: str) -> AsyncIterator[UnifiedRepository]:
    connection = await asyncpg.connect(database_url)
    await init_connection(connection)
    try:
        yield UnifiedRepository(connection)
    finally:
        await connection.close()


def row(game_id: int, home: int, away: int, home_won: bool) -> GetClosingMoneylinesRow:
    return GetClosingMoneylinesRow(
        game_id=game_id, sportsbook_id=1, home_price=home, away_price=away, home_won=home_won
    )


def implied(price: int) -> Fraction:
    return Fraction(-price, -price + 100) if price < 0 else Fraction(100, price + 100)


def test_each_game_counts_its_favourite_at_the_no_vig_probability() -> None:
    rows = [row(1, -150, 130, True), row(2, 120, -140, True), row(3, -110, -110, False)]
    calibration = calibrate(2021, rows)
    # Home -150 / away +130: the home side at 0.6 / (0.6 + 100/230), and it won.
    first = implied(-150) / (implied(-150) + implied(130))
    # Home +120 / away -140: the away side is the favourite, and lost.
    second = implied(-140) / (implied(-140) + implied(120))
    assert (calibration.games, calibration.pick_ems, calibration.favourites_won) == (2, 1, 1)
    assert [(b.low, b.high, b.games) for b in calibration.buckets] == [
        (Decimal("0.55"), Decimal("0.6"), 2)
    ]
    bucket = calibration.buckets[0]
    assert bucket.win_rate == Decimal("0.5")
    assert abs(bucket.mean_probability - Decimal(float((first + second) / 2))) < Decimal("1e-12")
    brier = ((1 - first) ** 2 + second**2) / 2
    assert abs(calibration.brier_score - Decimal(float(brier))) < Decimal("1e-12")
    # A unit at -150 wins 2/3 of a unit; a unit at -140 is lost.
    assert abs(calibration.favourite_return - Decimal(float((Fraction(2, 3) - 1) / 2))) < Decimal(
        "1e-12"
    )


def spreadsheet_favourites() -> tuple[int, int, float]:
    """Games, favourites' wins and Brier score straight from the sheet's Close and Final."""
    rows = CalamineWorkbook.from_path(str(SEASON_2021)).get_sheet_by_index(0).to_python()[1:]
    games = won = 0
    squared = 0.0
    for away, home in zip(rows[::2], rows[1::2], strict=True):
        prices, finals = (away[16], home[16]), (away[14], home[14])
        if not all(isinstance(p, float) for p in prices) or finals[0] == finals[1]:
            continue
        a, h = (float(implied(int(p))) for p in prices)
        p_home = h / (a + h)
        if p_home == 0.5:
            continue
        favourite_won = (p_home > 0.5) == (finals[1] > finals[0])
        games += 1
        won += favourite_won
        squared += (max(p_home, 1 - p_home) - favourite_won) ** 2
    return games, won, squared / games


async def test_the_2021_season_calibration_agrees_with_the_spreadsheet(
    repo: UnifiedRepository,
) -> None:
    await import_sbr_archive(repo, SEASON_2021)
    calibration = await closing_calibration(repo, 2021)
    games, won, brier = spreadsheet_favourites()
    assert (calibration.games, calibration.favourites_won) == (games, won)
    assert abs(float(calibration.brier_score) - brier) < 1e-9
    assert sum(b.games for b in calibration.buckets) == calibration.games
    # Backing every closing favourite loses a little: the vig.
    assert calibration.buckets[0].low == Decimal("0.5")
    assert Decimal("-0.05") < calibration.favourite_return < Decimal(0)


def test_the_command_prints_the_table_and_writes_the_reliability_diagram(
    runner_with_2021: CliRunner, tmp_path: Path
) -> None:
    plot = tmp_path / "reliability.png"
    result = runner_with_2021.invoke(
        app, ["report", "calibration", "--season", "2021", "--plot", str(plot)]
    )
    assert result.exit_code == 0, result.output
    assert "50.0%-55.0%" in result.stdout
    assert "Brier score 0.2387" in result.stdout
    assert plot.read_bytes().startswith(b"\x89PNG")
    empty = runner_with_2021.invoke(app, ["report", "calibration", "--season", "2019", "--json"])
    assert empty.exit_code == 0, empty.output
    assert '"games": 0' in empty.stdout


@pytest.fixture
def runner_with_2021(monkeypatch: pytest.MonkeyPatch, database_url: str) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    imported = runner.invoke(app, ["import", "sbr-archive", str(SEASON_2021), "--json"])
    assert imported.exit_code == 0, imported.output
    return runner
