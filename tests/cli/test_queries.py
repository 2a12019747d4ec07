"""`betdb games`, `odds latest|movement`, `signals`, `analyses` and `health` on a known day."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from typer.testing import CliRunner

from betdb.cli import app

from .conftest import Seeded


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_games_of_a_day_list_both_games_of_the_doubleheader(
    runner: CliRunner, seeded: Seeded
) -> None:
    output = run(runner, "games", "--date", "2026-04-04")
    assert "2 game(s)" in output
    rows = [line for line in output.splitlines() if "BOS @ NYY" in line]
    assert len(rows) == 2
    assert "776001" in rows[0]
    assert "04-04 17:05" in rows[0]
    assert "776002" in rows[1]
    assert "04-04 22:10" in rows[1]
    assert "776003" not in output


def test_games_of_a_team_accept_a_sportsbook_alias(runner: CliRunner, seeded: Seeded) -> None:
    games = json.loads(run(runner, "games", "--team", "ARI", "--json"))
    assert [(g["mlb_game_pk"], g["away_team"], g["home_team"]) for g in games] == [
        (776003, "AZ", "LAD")
    ]
    assert games[0]["official_date"] == "2026-04-05"
    assert games[0]["first_pitch_at"] == "2026-04-06T02:10:00Z"


def test_games_of_a_team_on_a_day_as_json(runner: CliRunner, seeded: Seeded) -> None:
    games = json.loads(run(runner, "games", "--team", "nyy", "--date", "2026-04-04", "--json"))
    assert [(g["game_id"], g["game_number"]) for g in games] == [
        (seeded.first_game, 1),
        (seeded.second_game, 2),
    ]
    assert all(g["status"] == "scheduled" for g in games)


def test_latest_odds_show_each_books_newest_price_with_its_implied_probability(
    runner: CliRunner, seeded: Seeded
) -> None:
    latest = json.loads(run(runner, "odds", "latest", "mlb:776001", "--json"))
    assert latest["game_id"] == seeded.first_game
    assert latest["game"] == "2026-04-04 BOS @ NYY"
    prices = {(p["market"], p["sportsbook"], p["side"]): p for p in latest["prices"]}
    assert set(prices) == {
        ("moneyline", "draftkings", "home"), ("moneyline", "draftkings", "away"),
        ("total", "draftkings", "over"), ("total", "draftkings", "under"),
        ("total", "fanduel", "over"), ("total", "fanduel", "under"),
    }  # fmt: skip
    home = prices[("moneyline", "draftkings", "home")]
    assert (home["price"], home["line"], home["implied_probability"]) == (-160, None, "0.6154")
    assert prices[("moneyline", "draftkings", "away")]["implied_probability"] == "0.4167"
    over = prices[("total", "draftkings", "over")]
    assert (over["line"], over["price"], over["observed_at"]) == (
        "9.00",
        -110,
        "2026-04-04T17:00:00Z",
    )
    assert prices[("total", "fanduel", "under")]["price"] == -112


def test_latest_odds_table_for_people_names_books_sides_and_percentages(
    runner: CliRunner, seeded: Seeded
) -> None:
    output = run(runner, "odds", "latest", str(seeded.first_game))
    assert "Latest odds per book: 2026-04-04 BOS @ NYY" in output
    row = next(line for line in output.splitlines() if "moneyline" in line and "home" in line)
    assert row.split() == ["moneyline", "draftkings", "home", "-160", "61.5%", "04-04", "16:00"]


def test_line_movement_shows_the_moves_and_marks_opening_and_closing(
    runner: CliRunner, seeded: Seeded
) -> None:
    movement = json.loads(
        run(runner, "odds", "movement", "mlb:776001", "--market", "total", "--book",
            "draftkings", "--json")
    )  # fmt: skip
    over = [
        (p["observed_at"][11:16], p["line"], p["price"], p["line_change"], p["price_change"],
         p["opening"], p["closing"])
        for p in movement["points"] if p["side"] == "over"
    ]  # fmt: skip
    # 13:00 repeated the opening price and is left out; --all shows it.
    assert over == [
        ("12:00", "8.50", -110, None, None, True, False),
        ("14:00", "9.00", -105, "0.50", 5, False, False),
        ("17:00", "9.00", -110, "0.00", -5, False, True),
    ]
    assert movement["first_pitch_at"] == "2026-04-04T17:05:00Z"
    every = json.loads(
        run(runner, "odds", "movement", "mlb:776001", "--book", "draftkings", "--all", "--json")
    )
    assert len(every["points"]) == 8


def test_line_movement_table_covers_every_book_of_the_market(
    runner: CliRunner, seeded: Seeded
) -> None:
    output = run(runner, "odds", "movement", "mlb:776001", "--market", "total")
    assert "total movement: 2026-04-04 BOS @ NYY" in output
    assert "first pitch: 2026-04-04 17:05 UTC" in output
    fanduel = [line for line in output.splitlines() if "fanduel" in line]
    assert len(fanduel) == 4
    assert any("15:00" in line and "+0.5" in line and "+4" in line for line in fanduel)
    assert "12 observations; 2 that changed nothing are not shown" in output


def test_a_price_crossing_even_money_changes_by_cents_not_by_200(
    runner: CliRunner, seeded: Seeded
) -> None:
    movement = json.loads(
        run(runner, "odds", "movement", "mlb:776002", "--market", "moneyline", "--json")
    )
    assert [(p["price"], p["price_change"]) for p in movement["points"]] == [
        (-105, None),
        (105, 10),
    ]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert header[12:16] == b"IHDR"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_line_movement_plot_is_a_1200_by_700_png(
    runner: CliRunner, seeded: Seeded, tmp_path: Path
) -> None:
    out = tmp_path / "charts" / "total.png"
    output = run(runner, "odds", "movement", "mlb:776001", "--plot", str(out))
    assert f"written to {out}" in output.replace("\n", "")
    assert png_size(out) == (1200, 700)
    assert out.stat().st_size > 20_000  # lines, markers, labels and legend, not a blank canvas
    assert list(out.parent.iterdir()) == [out]  # no temporary file left behind


def test_a_moneyline_plot_has_the_same_size_without_a_line_panel(
    runner: CliRunner, seeded: Seeded, tmp_path: Path
) -> None:
    out = tmp_path / "moneyline.png"
    run(runner, "odds", "movement", str(seeded.first_game), "--market", "moneyline",
        "--plot", str(out))  # fmt: skip
    assert png_size(out) == (1200, 700)


def test_strong_signals_leave_out_the_weak_one(runner: CliRunner, seeded: Seeded) -> None:
    signals = json.loads(run(runner, "signals", "--min-strength", "0.8", "--json"))
    assert [
        (s["game"], s["signal_type"], s["signal_strength"], s["sportsbook"]) for s in signals
    ] == [("2026-04-04 BOS @ NYY", "steam_move", "0.9200", "draftkings")]
    everything = json.loads(run(runner, "signals", "--min-strength", "0.5", "--json"))
    assert [s["signal_strength"] for s in everything] == ["0.9200", "0.5500"]
    table = run(runner, "signals")
    assert "1 signal(s) of strength ≥ 0.8" in table
    assert "steam_move" in table


def test_high_confidence_analyses(runner: CliRunner, seeded: Seeded) -> None:
    analyses = json.loads(run(runner, "analyses", "--min-confidence", "0.8", "--json"))
    assert [(a["strategy_name"], a["recommendation"], a["confidence_score"]) for a in analyses] == [
        ("follow_steam", "bet", "0.8600")
    ]
    assert "2 analysis(es)" in run(runner, "analyses", "--min-confidence", "0.5")


def test_health_reports_a_reachable_current_database(runner: CliRunner) -> None:
    report = json.loads(run(runner, "health", "--json"))
    assert report["reachable"] is True
    assert report["migrations_current"] is True
    assert report["server_version"].split(".")[0].isdigit()
    assert report["breaker"] == "closed"
    assert "Health: ok" in run(runner, "health")
