"""`betdb sample load|generate` and `betdb demo`: the shipped week, synthetic volumes, the tour."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from betdb.cli import app
from betdb.sample import SAMPLE_DATE, SAMPLE_GAME_PK

from .test_queries import png_size


def test_loading_the_sample_twice_adds_nothing_the_second_time(runner: CliRunner) -> None:
    first = runner.invoke(app, ["sample", "load", "--json"])
    assert first.exit_code == 0, first.output
    reports = json.loads(first.stdout)
    assert list(reports) == ["schedule", "odds", "splits", "analyses", "signals"]
    assert all(r["rejected"] == [] for r in reports.values())
    assert all(r["imported"] == r["read"] > 0 for r in reports.values())
    second = json.loads(runner.invoke(app, ["sample", "load", "--json"]).stdout)
    assert all(r["imported"] == 0 for r in second.values())
    assert second["schedule"]["unchanged"] == reports["schedule"]["read"]
    assert second["odds"]["duplicates"] == reports["odds"]["read"]
    day = json.loads(
        runner.invoke(app, ["games", "--date", SAMPLE_DATE.isoformat(), "--json"]).stdout
    )
    assert SAMPLE_GAME_PK in {game["mlb_game_pk"] for game in day}


def test_generated_synthetic_files_import_without_a_rejection(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "synthetic"
    generated = runner.invoke(
        app, ["sample", "generate", "--games", "3", "--books", "2", "--interval", "30m",
              "--out", str(out), "--seed", "7"],
    )  # fmt: skip
    assert generated.exit_code == 0, generated.output
    odds_lines = (out / "odds.csv").read_text().splitlines()
    assert f"({len(odds_lines) - 1:,} observations" in generated.stdout
    schedule = json.loads(runner.invoke(app, ["import", "schedule", str(out / "schedule.json"),
                                              "--json"]).stdout)  # fmt: skip
    assert (schedule["read"], schedule["imported"]) == (3, 3)
    odds = json.loads(
        runner.invoke(app, ["import", "odds", str(out / "odds.csv"), "--json"]).stdout
    )
    assert odds["rejected"] == []
    assert odds["imported"] == len(odds_lines) - 1
    again = runner.invoke(app, ["sample", "generate", "--games", "3", "--books", "2",
                                "--interval", "30m", "--out", str(tmp_path / "again"),
                                "--seed", "7"])  # fmt: skip
    assert again.exit_code == 0
    assert (tmp_path / "again" / "odds.csv").read_bytes() == (out / "odds.csv").read_bytes()


def test_the_demo_shows_every_command_and_a_second_run_prints_the_same(
    runner: CliRunner, tmp_path: Path
) -> None:
    first = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert first.exit_code == 0, first.output
    for heading in (
        f"$ betdb games --date {SAMPLE_DATE.isoformat()}",
        f"$ betdb odds latest mlb:{SAMPLE_GAME_PK}",
        f"$ betdb odds movement mlb:{SAMPLE_GAME_PK}",
        "$ betdb signals --min-strength 0.8",
        "$ betdb analyses --min-confidence 0.8",
        "$ betdb health",
    ):
        assert heading in first.stdout
    assert "Health: ok" in first.stdout
    chart = tmp_path / "demo" / "line-movement.png"
    assert f"written to {chart}" in first.stdout
    assert png_size(chart) == (1200, 700)
    second = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert second.exit_code == 0, second.output

    def without_latency(output: str) -> list[str]:
        return [line for line in output.splitlines() if "latency" not in line]

    assert without_latency(second.stdout) == without_latency(first.stdout)
