"""`betdb import schedule|odds|splits`: every record accounted for, bad ones named and kept."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from betdb.cli import app

HEADER = "source,game_source,external_game_id,sportsbook,market,side,line,price,observed_at\n"


def stats_api_game(
    pk: int, away: int, home: int, *, state: str = "S", score: bool = False
) -> dict[str, Any]:
    """A game as the MLB Stats API schedule endpoint writes it (the fields betdb reads)."""
    detailed = {"S": "Scheduled", "F": "Final"}[state]
    return {
        "gamePk": pk, "gameType": "R", "season": "2025", "gameDate": "2025-06-21T23:15:00Z",
        "officialDate": "2025-06-21",
        "status": {"codedGameState": state, "detailedState": detailed},
        "teams": {
            "away": {"team": {"id": away}, **({"score": 7} if score else {})},
            "home": {"team": {"id": home}, **({"score": 2} if score else {})},
        },
        "venue": {"id": 3313, "name": "Yankee Stadium"},
        "doubleHeader": "N", "gameNumber": 1,
    }  # fmt: skip


def write_schedule(path: Path, *games: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"dates": [{"date": "2025-06-21", "games": list(games)}]}))
    return path


def test_a_schedule_imports_once_and_a_later_file_updates_the_score(
    runner: CliRunner, tmp_path: Path
) -> None:
    schedule = write_schedule(tmp_path / "schedule.json", stats_api_game(777706, 111, 147))
    first = runner.invoke(app, ["import", "schedule", str(schedule)])
    assert first.exit_code == 0, first.output
    assert "read 1 · imported 1 · updated 0 · unchanged 0" in first.stdout
    again = runner.invoke(app, ["import", "schedule", str(schedule), "--json"])
    assert json.loads(again.stdout)["unchanged"] == 1
    final = write_schedule(
        tmp_path / "final.json", stats_api_game(777706, 111, 147, state="F", score=True)
    )
    report = json.loads(runner.invoke(app, ["import", "schedule", str(final), "--json"]).stdout)
    assert (report["read"], report["updated"]) == (1, 1)
    games = json.loads(runner.invoke(app, ["games", "--team", "BOS", "--json"]).stdout)
    assert [(g["status"], g["away_score"], g["home_score"]) for g in games] == [("final", 7, 2)]


def test_odds_with_bad_rows_import_the_good_ones_and_report_each_bad_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    runner.invoke(app, ["import", "schedule", str(write_schedule(
        tmp_path / "schedule.json", stats_api_game(777706, 111, 147)))])  # fmt: skip
    odds = tmp_path / "odds.csv"
    odds.write_text(
        HEADER
        + "sbr,mlb,777706,draftkings,moneyline,home,,-165,2025-06-21T19:00:00Z\n"  # line 2
        + "sbr,mlb,777706,draftkings,moneyline,away,,+50,2025-06-21T19:00:00Z\n"  # 3: bad price
        + "sbr,mlb,999999,draftkings,moneyline,home,,-150,2025-06-21T19:00:00Z\n"  # 4: no game
        + "sbr,mlb,777706,draftkings,total,over,8.5,-110,2025-06-21T19:00:00Z\n"  # line 5
        + "sbr,mlb,777706,nobook,total,under,8.5,-110,2025-06-21T19:00:00Z\n"  # 6: no book
        + "sbr,mlb,777706,draftkings,total,under,8.5,-110,yesterday\n"  # 7: not a time
        + "sbr,mlb,777706,draftkings,total,over,8.5,-110,2025-06-21T19:00:00Z\n"  # 8: repeats 5
    )
    rejects = tmp_path / "bad.csv"
    result = runner.invoke(app, ["import", "odds", str(odds), "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "read 7 · imported 2 · updated 0 · unchanged 0 · duplicates 1 · rejected 4" in out
    assert "4 record(s) rejected" in out
    rejected = [line.strip() for line in out.splitlines() if line.strip().startswith("line ")]
    assert [line.split(":")[0] for line in rejected] == ["line 3", "line 4", "line 6", "line 7"]
    assert "price" in rejected[0]
    assert "999999" in rejected[1]
    assert "nobook" in rejected[2]
    assert "observed_at" in rejected[3]
    assert f"written to {rejects}" in out.replace("\n", "")
    assert "the whole file was read and every other record imported" in out
    with rejects.open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(row["external_game_id"], row["sportsbook"], row["price"]) for row in rows] == [
        ("777706", "draftkings", "+50"),
        ("999999", "draftkings", "-150"),
        ("777706", "nobook", "-110"),
        ("777706", "draftkings", "-110"),
    ]
    assert all(row["reason"] for row in rows)
    latest = json.loads(runner.invoke(app, ["odds", "latest", "mlb:777706", "--json"]).stdout)
    assert sorted((p["market"], p["side"], p["price"]) for p in latest["prices"]) == [
        ("moneyline", "home", -165),
        ("total", "over", -110),
    ]


def test_an_unreadable_odds_file_is_fatal_and_writes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    missing = runner.invoke(app, ["import", "odds", str(tmp_path / "nowhere.csv")])
    assert missing.exit_code == 1
    assert "cannot read" in missing.stderr
    assert "nowhere.csv" in missing.stderr
    assert "Traceback" not in missing.output
    wide = tmp_path / "odds.csv"
    wide.write_text(HEADER + "sbr,1,draftkings,moneyline,home,,-110,2025-06-21T19:00:00Z\n",
                    encoding="utf-16")  # fmt: skip
    result = runner.invoke(app, ["import", "odds", str(wide)])
    assert result.exit_code == 1
    assert "UTF-16" in result.stderr
    assert "nothing was written" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_splits_import_from_jsonl(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["import", "schedule", str(write_schedule(
        tmp_path / "schedule.json", stats_api_game(777706, 111, 147)))])  # fmt: skip
    splits = tmp_path / "splits.jsonl"
    record = {"source": "action_network", "game_source": "mlb", "external_game_id": "777706",
              "market": "moneyline", "side": "away", "bet_pct": 0.72, "money_pct": 0.41,
              "captured_at": "2025-06-21T18:00:00Z"}  # fmt: skip
    splits.write_text(json.dumps(record) + "\n" + json.dumps({**record, "bet_pct": 72}) + "\n")
    result = runner.invoke(app, ["import", "splits", str(splits), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["read"], report["imported"]) == (2, 1)
    assert [r["line"] for r in report["rejected"]] == [2]
    assert "bet_pct" in report["rejected"][0]["reason"]
    assert report["rejects_path"] == str(tmp_path / "splits.rejects.jsonl")


def test_a_rejection_reason_is_printed_as_it_is_even_when_it_looks_like_markup(
    runner: CliRunner, tmp_path: Path
) -> None:
    runner.invoke(app, ["import", "schedule", str(write_schedule(
        tmp_path / "schedule.json", stats_api_game(777706, 111, 147)))])  # fmt: skip
    odds = tmp_path / "odds.csv"
    odds.write_text(HEADER + "sbr,mlb,777706,[/bold],moneyline,home,,-110,2025-06-21T19:00:00Z\n")
    result = runner.invoke(app, ["import", "odds", str(odds)])
    assert result.exit_code == 0, result.output
    rejected = next(line for line in result.stdout.splitlines() if "line 2:" in line)
    assert "'[/bold]'" in rejected


def test_rejects_path_equal_to_input_is_refused_by_the_command(
    runner: CliRunner, tmp_path: Path
) -> None:
    odds = tmp_path / "odds.csv"
    content = HEADER + "sbr,mlb,777706,draftkings,moneyline,away,,+50,2025-06-21T19:00:00Z\n"
    odds.write_text(content)
    alias = tmp_path / "alias.csv"
    alias.symlink_to(odds)
    result = runner.invoke(app, ["import", "odds", str(odds), "--rejects", str(alias)])
    # A usage error, as every import command's refused --rejects: before anything is read.
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "error: --rejects: the rejects path" in result.stderr
    assert "is the file being imported" in result.stderr
    assert odds.read_text() == content


def test_json_report_counts_every_rejection_and_lists_only_the_first_hundred(
    runner: CliRunner, tmp_path: Path
) -> None:
    runner.invoke(app, ["import", "schedule", str(write_schedule(
        tmp_path / "schedule.json", stats_api_game(777706, 111, 147)))])  # fmt: skip
    odds = tmp_path / "odds.csv"
    odds.write_text(HEADER + "sbr,mlb,777706,nobook,moneyline,home,,-110,2025-06-21T19:00:00Z\n"
                    * 250)  # fmt: skip
    result = runner.invoke(app, ["import", "odds", str(odds), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["read"], report["rejected_count"], len(report["rejected"])) == (250, 250, 100)
    assert report["rejected"][0]["line"] == 2
