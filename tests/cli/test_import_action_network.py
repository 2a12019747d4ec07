"""`betdb import action-network` and the v3 side of `betdb import odds-api` from the command line,
and Action Network's books beside the others in `betdb odds latest|movement`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from betdb.cli import app
from importers.action_network_payloads import an_game, book, consensus, scoreboard

REAL = Path(__file__).parents[1] / "data" / "real"
V3_NAME = "2020-08-03-v3-baseball_mlb-decimal.json"
V4_NAME = "2023-08-23-baseball_mlb-decimal.json"


def write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def draftkings_event() -> list[dict[str, Any]]:
    """The Odds API v4's view of the same game (Boston at the Yankees, 21 June 2025)."""
    return [{
        "id": "ev-bos-nyy", "sport_key": "baseball_mlb", "commence_time": "2025-06-21T23:05:00Z",
        "home_team": "New York Yankees", "away_team": "Boston Red Sox",
        "bookmakers": [{"key": "draftkings", "title": "DraftKings",
                        "last_update": "2025-06-21T20:00:00Z",
                        "markets": [{"key": "h2h", "outcomes": [
                            {"name": "Boston Red Sox", "price": 128},
                            {"name": "New York Yankees", "price": -148}]}]}],
    }]  # fmt: skip


def test_a_directory_of_snapshots_imports_oldest_first_and_its_books_show_beside_the_others(
    runner: CliRunner, tmp_path: Path
) -> None:
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    write(snapshots / "2025-06-21T2130.json", scoreboard(an_game(odds=[
        book(3, "2025-06-21T21:30:00Z", ml_home=-155, ml_away=135)])))  # fmt: skip
    write(snapshots / "2025-06-21T1500.json", scoreboard(an_game(odds=[
        book(3, "2025-06-21T15:00:00Z", ml_home=-140, ml_away=120),
        consensus("2025-06-21T15:00:00Z")])))  # fmt: skip
    result = runner.invoke(app, ["import", "action-network", str(snapshots)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if " · " in line]
    assert [line.split(" in ")[0] for line in lines] == [
        "2025-06-21T1500.json: read 11 · imported 10 · updated 0 · unchanged 0 · duplicates 0 ·"
        " skipped 1 · rejected 0",
        "2025-06-21T2130.json: read 5 · imported 3 · updated 0 · unchanged 1 · duplicates 0 ·"
        " skipped 1 · rejected 0",
    ]
    v4 = write(tmp_path / "v4.json", draftkings_event())
    odds_api = runner.invoke(app, ["import", "odds-api", str(v4)])
    assert odds_api.exit_code == 0, odds_api.output
    latest = runner.invoke(app, ["odds", "latest", "action_network:228001", "--json"])
    assert latest.exit_code == 0, latest.output
    moneylines = {
        (row["sportsbook"], row["side"]): row["price"]
        for row in json.loads(latest.stdout)["prices"]
        if row["market"] == "moneyline"
    }
    assert moneylines == {
        ("an_consensus", "home"): -150, ("an_consensus", "away"): 130,
        ("draftkings", "home"): -148, ("draftkings", "away"): 128,
        ("pinnacle", "home"): -155, ("pinnacle", "away"): 135,
    }  # fmt: skip
    movement = runner.invoke(
        app, ["odds", "movement", "action_network:228001", "--market", "moneyline", "--json"]
    )
    assert movement.exit_code == 0, movement.output
    points = json.loads(movement.stdout)["points"]
    pinnacle_home = [
        p["price"] for p in points if p["sportsbook"] == "pinnacle" and p["side"] == "home"
    ]
    assert pinnacle_home == [-140, -155]
    assert {p["sportsbook"] for p in points} == {"pinnacle", "an_consensus", "draftkings"}


def test_a_file_that_is_not_a_scoreboard_is_one_red_line(runner: CliRunner, tmp_path: Path) -> None:
    path = shutil.copy(REAL / "the-odds-api-v3" / V3_NAME, tmp_path / "odds.json")
    result = runner.invoke(app, ["import", "action-network", str(path)])
    assert result.exit_code == 1
    assert "it looks like an Odds API v3 response (betdb import odds-api)" in result.output
    assert "Traceback" not in result.output


def test_the_book_mapping_extends_through_the_environment(
    runner: CliRunner, tmp_path: Path, monkeypatch: Any
) -> None:
    path = write(tmp_path / "board.json", scoreboard(an_game(odds=[book(424242)])))
    unmapped = runner.invoke(app, ["import", "action-network", str(path), "--json"])
    report = json.loads(unmapped.stdout)
    assert report["rejected_count"] == 3
    assert "Action Network book id 424242 is not mapped" in report["rejected"][0]["reason"]
    mapping = write(tmp_path / "x", "")
    mapping.write_text("book_id,sportsbook_key,sportsbook_name\n424242,newbook,New Book\n")
    monkeypatch.setenv("BETDB_ACTION_NETWORK_BOOKS", str(mapping))
    mapped = runner.invoke(app, ["import", "action-network", str(path), "--json"])
    assert (json.loads(mapped.stdout)["imported"], json.loads(mapped.stdout)["rejected_count"]) == (
        3,
        0,
    )
    mapping.write_text("book_id,key\n1,x\n")
    refused = runner.invoke(app, ["import", "action-network", str(path)])
    assert refused.exit_code == 1
    assert "needs the columns book_id and sportsbook_key" in refused.output


def test_a_directory_may_mix_v3_and_v4_snapshots(runner: CliRunner, tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    shutil.copy(REAL / "the-odds-api-v3" / V3_NAME, snapshots / V3_NAME)
    shutil.copy(REAL / "the-odds-api" / V4_NAME, snapshots / V4_NAME)
    result = runner.invoke(app, ["import", "odds-api", str(snapshots), "--add-books"])
    assert result.exit_code == 0, result.output
    lines = [line.split(" in ")[0] for line in result.stdout.splitlines() if " · " in line]
    # Unibet (v3's 'unibet', titled as betdb's unibet_us is named) cannot be added under that
    # name; Betfair and Intertops are.
    assert lines == [
        f"{V3_NAME}: read 116 · imported 98 · updated 0 · unchanged 0 · duplicates 0 · skipped 9"
        " · rejected 9 · games created 9",
        f"{V4_NAME}: read 193 · imported 193 · updated 0 · unchanged 0 · duplicates 0 · rejected 0"
        " · games created 13",
    ]
    forced = runner.invoke(
        app, ["import", "odds-api", str(snapshots / V3_NAME), "--api-version", "v4", "--json"]
    )
    report = json.loads(forced.stdout)
    assert report["rejected"][0]["reason"] == "[0].id is missing"
