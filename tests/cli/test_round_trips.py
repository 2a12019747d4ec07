"""`betdb odds movement` and `odds latest` read their data in one round trip: every
statement a command runs is a record of betdb's query log (logger `betdb.query`, one per
statement, named after the query), counted here by name."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from betdb.cli import app
from betdb.generated import odds

from .conftest import Seeded

# Every query of odds.sql, by name: the queries that read (or write) odds.
ODDS_QUERIES = frozenset(
    value.split()[2]
    for value in vars(odds).values()
    if isinstance(value, str) and value.startswith("-- name: ")
)


def statements_run(runner: CliRunner, caplog: pytest.LogCaptureFixture, *args: str) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="betdb.query"):
        result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return [
        str(record.query)
        for record in caplog.records
        if record.name == "betdb.query" and hasattr(record, "query")
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("odds", "movement", "mlb:776001", "--market", "total"),
        ("odds", "movement", "mlb:776001", "--book", "fanduel", "--json"),
        ("odds", "movement", "mlb:776001", "--all", "--json"),
    ],
)
def test_odds_movement_reads_its_data_in_one_round_trip(
    runner: CliRunner, seeded: Seeded, caplog: pytest.LogCaptureFixture, args: tuple[str, ...]
) -> None:
    ran = statements_run(runner, caplog, *args)
    print(f"betdb {' '.join(args)}: {len(ran)} statements {ran}")
    assert [name for name in ran if name in ODDS_QUERIES] == ["GetMarketMovement"]
    # The rest: book and team names, and the game the reference names.
    assert sorted(ran) == ["FindGameByExternalId", "GetMarketMovement", "ListSportsbooks",
                           "ListTeams"]  # fmt: skip


def test_the_movement_chart_is_drawn_from_the_same_single_query(
    runner: CliRunner, seeded: Seeded, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    chart = tmp_path / "chart.png"
    ran = statements_run(runner, caplog, "odds", "movement", "mlb:776001", "--plot", str(chart))
    assert [name for name in ran if name in ODDS_QUERIES] == ["GetMarketMovement"]
    assert chart.stat().st_size > 20_000


def test_odds_latest_reads_every_market_in_one_round_trip(
    runner: CliRunner, seeded: Seeded, caplog: pytest.LogCaptureFixture
) -> None:
    ran = statements_run(runner, caplog, "odds", "latest", "mlb:776001", "--json")
    assert [name for name in ran if name in ODDS_QUERIES] == ["GetGameLatestOdds"]
    assert len(ran) == 4
