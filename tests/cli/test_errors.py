"""Bad input and an unreachable database: one red line naming the problem, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from betdb.cli import app

from .conftest import Seeded


def one_error_line(runner: CliRunner, args: list[str], exit_code: int) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == exit_code, result.output
    assert isinstance(result.exception, SystemExit)  # raised by typer.Exit, not a crash
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert result.stdout == ""
    return lines[0]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["games", "--date", "2026-02-30"], "--date '2026-02-30' is not a date"),
        (["games", "--team", "XYZ"], "unknown team 'XYZ'"),
        (["games"], "give --date YYYY-MM-DD or --team CODE"),
        (["odds", "latest", "4242"], "no game '4242' in the database"),
        (["odds", "latest", "mlb:1"], "no game 'mlb:1' in the database"),
        (["odds", "latest", "espn:1"], "unknown source 'espn'"),
        (["odds", "movement", "mlb:x"], "mlb ids are whole numbers"),
        (["signals", "--min-strength", "80"], "a percentage? 80% is 0.8"),
        (["analyses", "--min-confidence", "high"], "'high' is not a number from 0 to 1"),
        (["sample", "generate", "--interval", "5x"], "--interval '5x'"),
    ],
)
def test_bad_input_is_named_in_one_line_with_exit_code_2(
    runner: CliRunner, args: list[str], named: str
) -> None:
    assert named in one_error_line(runner, args, 2)


def test_an_unknown_book_lists_the_books_there_are(runner: CliRunner, seeded: Seeded) -> None:
    line = one_error_line(runner, ["odds", "movement", "mlb:776001", "--book", "bookie"], 2)
    assert "unknown sportsbook 'bookie': the books are pinnacle, circa, draftkings" in line


def test_an_unreachable_database_is_one_line_and_exit_code_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/betdb")
    runner = CliRunner()
    for args in (["games", "--date", "2026-04-04"], ["health"], ["migrate", "status"]):
        line = one_error_line(runner, args, 1)
        assert "127.0.0.1:1" in line or "connection refused" in line.lower()
        assert "unreachable" in line or "dbmate status failed" in line


def test_invalid_settings_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BETDB_PORT", "not-a-port")
    line = one_error_line(CliRunner(), ["health"], 1)
    assert "invalid BETDB_* settings: port" in line


def test_the_plot_without_matplotlib_names_the_extra_to_install(
    runner: CliRunner, seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if betdb[plot] were not installed
    chart = tmp_path / "chart.png"
    line = one_error_line(runner, ["odds", "movement", "mlb:776001", "--plot", str(chart)], 1)
    assert "the line-movement plot needs matplotlib: pip install 'betdb[plot]'" in line
    assert not chart.exists()
