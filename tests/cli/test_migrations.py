"""`betdb migrate up|down|status` and `betdb partitions ensure` against a real server."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from betdb.cli import app


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, database_url: str) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


def test_migrate_status_lists_every_migration_as_applied(runner: CliRunner) -> None:
    result = runner.invoke(app, ["migrate", "status"])
    assert result.exit_code == 0, result.output
    assert "Pending: 0" in result.output
    assert "[X] 20260101000000_create_teams.sql" in result.output


def test_migrate_down_rolls_back_the_newest_and_up_reapplies_it(runner: CliRunner) -> None:
    down = runner.invoke(app, ["migrate", "down"])
    assert down.exit_code == 0, down.output
    assert "Rolled back" in down.output
    assert "Pending: 1" in runner.invoke(app, ["migrate", "status"]).output
    up = runner.invoke(app, ["migrate", "up"])
    assert up.exit_code == 0, up.output
    assert "Applied:" in up.output


def test_partitions_ensure_creates_the_months_ahead_once(runner: CliRunner) -> None:
    first = runner.invoke(app, ["partitions", "ensure", "--months", "36"])
    assert first.exit_code == 0, first.output
    assert "36 months from this one are covered" in first.output
    again = runner.invoke(app, ["partitions", "ensure", "--months", "36"])
    assert "0 partition(s) created" in again.output
