"""`betdb stats tables` and `partitions ensure` as a pipe or a log sees them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from betdb.cli import app


def _piped(dsn: str, *args: str) -> str:
    """The command's stdout through a pipe, as `main()` sizes it (no COLUMNS set)."""
    environment = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    program = (
        f"import sys; sys.argv = ['betdb', *{list(args)!r}]; from betdb.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        env={**environment, "DATABASE_URL": dsn},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_stats_tables_through_a_pipe_shows_every_value_whole(sample_url: str) -> None:
    output = _piped(sample_url, "stats", "tables")
    assert "…" not in output
    tables = output[: output.index("never used")]  # that last line is one line for grep
    assert max(len(line) for line in tables.splitlines()) <= 120
    odds_line = next(line for line in output.splitlines() if "odds_y2026m06" in line)
    assert " kB" in odds_line or " MB" in odds_line


def test_partitions_ensure_says_one_month_in_the_singular(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(app, ["partitions", "ensure", "--months", "1"])
    assert result.exit_code == 0, result.output
    assert "1 month from this one is covered" in result.output
    result = CliRunner().invoke(app, ["partitions", "ensure", "--months", "3"])
    assert "3 months from this one are covered" in result.output
