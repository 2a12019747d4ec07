"""What every `betdb import` command shares: the same options, a refused --rejects path a
usage error naming that path, seasons and times out of range usage errors, snapshots that are
not regular files named and skipped, and an interrupted import that says where it stopped."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from betdb.cli import app

REAL = Path(__file__).parents[1] / "data" / "real"
SBR_2019 = REAL / "sbr" / "mlb-odds-2019.xlsx"
SCHEDULE = REAL / "mlb-stats-api" / "2021-09-19-final.json"
SBD = REAL / "sportsbettingdime" / "2025-06-13-mlb-odds-and-splits.json"
DECIMAL = REAL / "the-odds-api" / "2023-08-23-baseball_mlb-decimal.json"
FEED = REAL / "mlb-feed-live" / "2024-07-01-744914-final.json"
GD2 = REAL / "mlb-gd2" / "2017-05-21-master-scoreboard.json"
# Every command under `betdb import`, read from the CLI itself: a new one is held to the rules.
COMMANDS = sorted(typer.main.get_command(app).commands["import"].commands)  # type: ignore[attr-defined]


def test_the_import_commands_include_every_source() -> None:
    assert COMMANDS == [
        "action-network", "analyses", "game-feed", "gd2-scoreboard", "odds", "odds-api", "sbd",
        "sbr-archive", "schedule", "signals", "splits",
    ]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_every_import_command_takes_rejects_json_and_data_dir(command: str) -> None:
    result = CliRunner().invoke(app, ["import", command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--rejects", "--json", "--data-dir"):
        assert option in result.stdout, (command, option)


@pytest.mark.parametrize(
    ("command", "source"),
    [
        ("sbr-archive", SBR_2019), ("schedule", SCHEDULE), ("sbd", SBD), ("odds-api", DECIMAL),
        ("game-feed", FEED), ("gd2-scoreboard", GD2),
    ],
)  # fmt: skip
def test_rejects_naming_the_input_or_a_link_to_it_is_a_usage_error_and_the_input_stays(
    runner: CliRunner, tmp_path: Path, command: str, source: Path
) -> None:
    path = Path(shutil.copy(source, tmp_path / source.name))
    link = tmp_path / "link"
    link.symlink_to(path)
    before = path.read_bytes()
    for rejects in (path, link):
        result = runner.invoke(app, ["import", command, str(path), "--rejects", str(rejects)])
        assert result.exit_code == 2, result.output
        assert result.stderr.strip().splitlines() == [
            f"error: --rejects: the rejects path {rejects} is the file being imported: writing"
            " rejects there would destroy it; give --rejects another file"
        ]
    assert path.read_bytes() == before


def test_rejects_naming_a_directory_blames_that_directory(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(
        app, ["import", "sbr-archive", str(SBR_2019), "--rejects", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"error: --rejects: the rejects path {tmp_path} is a directory: give --rejects a file name"
    )


@pytest.mark.parametrize("season", ["1875", "2100", "2150", "99999999999"])
def test_a_season_out_of_the_one_range_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, season: str
) -> None:
    result = runner.invoke(app, ["import", "sbr-archive", str(SBR_2019), "--season", season])
    assert result.exit_code == 2, result.output
    assert "seasons 1876 to 2099 only" in result.stderr


def test_a_year_out_of_range_in_the_file_name_is_a_usage_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = shutil.copy(SBR_2019, tmp_path / "mlb-odds-2199.xlsx")
    result = runner.invoke(app, ["import", "sbr-archive", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        "error: mlb-odds-2199.xlsx: the season in the file name, 2199 is out of range:"
        " seasons 1876 to 2099 only"
    )


def test_an_observed_at_in_year_one_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["import", "sbd", str(SBD), "--observed-at", "0001-01-01T00:00:00Z"]
    )
    assert result.exit_code == 2, result.output
    assert "--observed-at '0001-01-01T00:00:00Z' is out of range" in result.stderr


def test_snapshot_entries_that_are_not_regular_files_are_named_and_skipped(
    runner: CliRunner, tmp_path: Path
) -> None:
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    (snapshots / "a-dir.json").mkdir()
    os.mkfifo(snapshots / "b-fifo.json")
    (snapshots / "c-broken.json").symlink_to(tmp_path / "nowhere")
    (snapshots / "d-loop.json").symlink_to(snapshots / "d-loop.json")
    shutil.copy(DECIMAL, snapshots / "z.json")
    result = runner.invoke(app, ["import", "odds-api", str(snapshots), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"] == 193
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert [line.split("/")[-1] for line in skipped] == [
        "a-dir.json: not a regular file",
        "b-fifo.json: not a regular file",
        "c-broken.json: not a regular file",
        "d-loop.json: not a regular file",
    ]


def test_a_decimal_price_of_1e300_is_rejected_naming_the_bounds(
    runner: CliRunner, tmp_path: Path
) -> None:
    document = json.loads(DECIMAL.read_text())
    document[0]["bookmakers"][0]["markets"][0]["outcomes"][0]["price"] = 1e300
    path = tmp_path / "odds.json"
    path.write_text(json.dumps(document))
    result = runner.invoke(
        app, ["import", "odds-api", str(path), "--odds-format", "decimal", "--json"]
    )
    assert result.exit_code == 0, result.output
    reasons = [r["reason"] for r in json.loads(result.stdout)["rejected"]]
    assert len(reasons) == 1
    assert reasons[0].endswith("decimal price 1e+300 is out of range (1.001 to 1,001)")


def test_the_json_report_counts_the_games_an_import_created(runner: CliRunner) -> None:
    result = runner.invoke(app, ["import", "odds-api", str(DECIMAL), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["games_created"] == len({g["id"] for g in json.loads(DECIMAL.read_text())})


def test_action_network_refuses_rejects_naming_its_input(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "scoreboard.json"
    path.write_text('{"league": {"id": 8}, "games": []}')
    result = runner.invoke(app, ["import", "action-network", str(path), "--rejects", str(path)])
    assert result.exit_code == 2, result.output
    assert "is the file being imported" in result.stderr
    assert path.read_text() == '{"league": {"id": 8}, "games": []}'
