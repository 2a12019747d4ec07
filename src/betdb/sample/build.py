"""Writes the shipped sample: ``python -m betdb.sample.build [DIR]`` (default: the package's).

Deterministic: seeded generators and no clock, so a run rewrites the files byte for byte.
The week and its games come from betdb.sample.week, prices from betdb.sample.market; odds,
splits, analyses and signals are written for the games of SAMPLE_DATE.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from betdb.sample.market import BOOKS, FairPath, Quote, Steam, TotalDrop, book_quotes, fair_path
from betdb.sample.synthetic import ODDS_COLUMNS
from betdb.sample.week import (
    RLM_GAME,
    SAMPLE_DATE,
    STEAM_GAME,
    SampleGame,
    build_week,
    game_by,
    schedule_document,
)

SEED = 20250621
ODDS_SOURCE = "sbr"  # the prices as scraped from SportsBookReview's odds pages
SPLITS_SOURCE = "action_network"
STEAM_BEFORE_FIRST_PITCH = dt.timedelta(hours=3, minutes=24)
STEAM_SHIFT = -0.035
RLM_OPENING_TOTAL = 9.5
RLM_DROP = 0.7
SPLIT_CAPTURES = (dt.timedelta(hours=26), dt.timedelta(hours=8), dt.timedelta(hours=2))


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class GameMarket:
    game: SampleGame
    path: FairPath
    quotes: list[Quote]

    def price(self, book: str, market: str, side: str, before: dt.datetime) -> Quote:
        """The book's quote of a side as it stood just before a time."""
        return [
            q
            for q in self.quotes
            if q.book == book and q.market == market and q.side == side and q.observed_at < before
        ][-1]


def build_markets(games: list[SampleGame], rng: random.Random) -> list[GameMarket]:
    markets = []
    for game in games:
        if game.official_date != SAMPLE_DATE or game.status == "postponed":
            continue
        opens = game.first_pitch - dt.timedelta(hours=46, minutes=rng.randrange(0, 120, 10))
        steam = total_drop = opening_total = None
        if game.matchup == STEAM_GAME:
            steam = Steam(game.first_pitch - STEAM_BEFORE_FIRST_PITCH, STEAM_SHIFT)
        if game.matchup == RLM_GAME:
            opening_total = RLM_OPENING_TOTAL
            total_drop = TotalDrop(game.first_pitch - dt.timedelta(hours=6), RLM_DROP, 4)
        path = fair_path(
            game.home,
            game.away,
            opens,
            game.first_pitch,
            rng,
            steam=steam,
            total_drop=total_drop,
            opening_total=opening_total,
        )
        markets.append(GameMarket(game, path, book_quotes(path, game.first_pitch)))
    return markets


def odds_rows(markets: list[GameMarket]) -> list[list[str]]:
    rows = []
    for market in markets:
        for q in market.quotes:
            rows.append([
                ODDS_SOURCE, "mlb", str(market.game.game_pk), q.book, q.market, q.side,
                "" if q.line is None else str(q.line), f"{q.price:+d}", _iso(q.observed_at),
                "true" if q.is_opening else "", "true" if q.is_closing else "",
            ])  # fmt: skip
    rows.sort(key=lambda row: (row[8], row[2], row[3], row[4], row[5]))
    return rows


def _share(value: float) -> float:
    return round(min(max(value, 0.03), 0.97), 2)


def split_records(markets: list[GameMarket], rng: random.Random) -> list[dict[str, Any]]:
    records = []
    for market in markets:
        game = market.game
        home_win = market.path.home_win[0]
        for n, before in enumerate(SPLIT_CAPTURES):
            captured = game.first_pitch - before
            count = 900 + n * 2300 + rng.randrange(0, 400)
            home_bets = _share(0.5 + 1.5 * (home_win - 0.5) + rng.gauss(0, 0.05))
            home_money = _share(home_bets + rng.gauss(0, 0.07))
            over_bets = _share(0.56 + rng.gauss(0, 0.05))
            over_money = _share(over_bets + rng.gauss(0, 0.06))
            if game.matchup == STEAM_GAME:  # the public on the home favourite, the money not
                home_bets, home_money = _share(0.66 + 0.02 * n), _share(0.55 - 0.06 * n)
            if game.matchup == RLM_GAME:  # the public on the over while the total drops
                over_bets, over_money = _share(0.72 + 0.02 * n), _share(0.47 - 0.02 * n)
            total_line = market.price("pinnacle", "total", "over", captured).line
            for kind, side, bets, money, line in (
                ("moneyline", "home", home_bets, home_money, None),
                ("moneyline", "away", 1 - home_bets, 1 - home_money, None),
                ("total", "over", over_bets, over_money, total_line),
                ("total", "under", 1 - over_bets, 1 - over_money, total_line),
            ):
                records.append({
                    "source": SPLITS_SOURCE, "game_source": "mlb",
                    "external_game_id": str(game.game_pk), "market": kind, "side": side,
                    "line": None if line is None else float(line), "bet_pct": round(bets, 2),
                    "money_pct": round(money, 2), "bet_count": round(count * bets),
                    "captured_at": _iso(captured),
                })  # fmt: skip
    return records


def _book_conflict(markets: list[GameMarket]) -> tuple[GameMarket, Quote]:
    """The first DraftKings total posted on another line than Pinnacle's at the time."""
    for market in markets:
        for quote in market.quotes:
            if quote.book == "draftkings" and quote.market == "total" and quote.side == "over":
                moment = quote.observed_at + dt.timedelta(seconds=1)
                if market.price("pinnacle", "total", "over", moment).line != quote.line:
                    return market, quote
    raise AssertionError("no book conflict in the sample's totals")


def judgments(markets: list[GameMarket]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A few analyses and signals that say what the odds and splits show."""
    steam = next(m for m in markets if m.game.matchup == STEAM_GAME)
    rlm = next(m for m in markets if m.game.matchup == RLM_GAME)
    others = sorted((m for m in markets if m not in (steam, rlm)), key=lambda m: m.game.game_pk)
    assert steam.path.steam is not None
    moved_at = steam.path.steam.at
    last_book = max(BOOKS, key=lambda b: b.steam_delay)
    detected = moved_at + last_book.steam_delay
    before = {b.key: steam.price(b.key, "moneyline", "away", moved_at).price for b in BOOKS}
    after = {
        b.key: steam.price(b.key, "moneyline", "away", detected + dt.timedelta(minutes=1)).price
        for b in BOOKS
    }
    opening = rlm.price("pinnacle", "total", "under", rlm.game.first_pitch - dt.timedelta(hours=40))
    closing = rlm.price("pinnacle", "total", "under", rlm.game.first_pitch)

    conflict, conflict_at = _book_conflict(others)

    def game(market: GameMarket) -> dict[str, str]:
        return {"game_source": "mlb", "external_game_id": str(market.game.game_pk)}

    def at(moment: dt.datetime) -> str:
        return _iso(moment)

    signals: list[dict[str, Any]] = [
        {**game(steam), "signal_type": "steam_move", "detector_name": "steam_detector",
         "detector_version": "1.2.0", "market": "moneyline", "side": "away", "sportsbook": None,
         "signal_strength": 0.93, "confidence_score": 0.88,
         "features": {"books_moved": len(BOOKS), "window_minutes": 5,
                      "away_price_before": before, "away_price_after": after},
         "detected_at": at(detected)},
        {**game(steam), "signal_type": "steam_move", "detector_name": "steam_detector",
         "detector_version": "1.2.0", "market": "moneyline", "side": "away",
         "sportsbook": "pinnacle", "signal_strength": 0.84, "confidence_score": 0.81,
         "features": {"leading_book": "pinnacle", "followers": len(BOOKS) - 1},
         "detected_at": at(moved_at + BOOKS[0].steam_delay)},
        {**game(rlm), "signal_type": "reverse_line_movement", "detector_name": "rlm_detector",
         "detector_version": "0.9.1", "market": "total", "side": "under", "sportsbook": None,
         "signal_strength": 0.86, "confidence_score": 0.83,
         "features": {"public_bet_pct_over": 0.76, "money_pct_over": 0.43,
                      "opening_line": str(opening.line), "closing_line": str(closing.line)},
         "detected_at": at(rlm.game.first_pitch - dt.timedelta(hours=2))},
        {**game(steam), "signal_type": "sharp_money", "detector_name": "money_vs_tickets",
         "detector_version": "2.0.0", "market": "moneyline", "side": "away", "sportsbook": None,
         "signal_strength": 0.79, "confidence_score": 0.74,
         "features": {"bet_pct": 0.30, "money_pct": 0.57},
         "detected_at": at(steam.game.first_pitch - dt.timedelta(hours=2))},
        {**game(conflict), "signal_type": "book_conflict", "detector_name": "book_spread",
         "detector_version": "1.0.0", "market": "total", "side": "over",
         "sportsbook": "draftkings", "signal_strength": 0.61, "confidence_score": 0.58,
         "features": {"draftkings_line": str(conflict_at.line),
                      "pinnacle_line": str(conflict.price("pinnacle", "total", "over",
                                                          conflict_at.observed_at
                                                          + dt.timedelta(seconds=1)).line)},
         "detected_at": at(conflict_at.observed_at)},
    ]  # fmt: skip
    analyses: list[dict[str, Any]] = [
        {**game(steam), "analysis_type": "steam_move", "strategy_name": "follow_the_steam",
         "strategy_version": "2.1", "market": "moneyline", "side": "away",
         "signals_detected": ["steam_move", "sharp_money"], "confidence_score": 0.91,
         "recommendation": "bet", "risk_level": "medium",
         "features": {"books_moved": len(BOOKS), "pinnacle_before": before["pinnacle"],
                      "pinnacle_after": after["pinnacle"]}},
        {**game(rlm), "analysis_type": "reverse_line_movement", "strategy_name": "fade_the_public",
         "strategy_version": "1.4", "market": "total", "side": "under",
         "signals_detected": ["reverse_line_movement"], "confidence_score": 0.86,
         "recommendation": "bet", "risk_level": "medium",
         "features": {"opening_line": str(opening.line), "closing_line": str(closing.line)}},
        {**game(steam), "analysis_type": "sharp_action", "strategy_name": "sharp_consensus",
         "strategy_version": "3.0", "market": "run_line", "side": "away",
         "signals_detected": ["steam_move"], "confidence_score": 0.82, "recommendation": "lean",
         "risk_level": "medium", "features": {}},
        {**game(others[1]), "analysis_type": "model", "strategy_name": "poisson_runs",
         "strategy_version": "0.9", "market": "total", "side": "over", "signals_detected": [],
         "confidence_score": 0.68, "recommendation": "lean", "risk_level": "low",
         "features": {"expected_runs": 9.4}},
        {**game(others[2]), "analysis_type": "line_value", "strategy_name": "closing_line_value",
         "strategy_version": "1.0", "market": "moneyline", "side": "home",
         "signals_detected": [], "confidence_score": 0.55, "recommendation": "pass",
         "risk_level": "high", "features": {}},
    ]  # fmt: skip
    return analyses, signals


def schedule_text(document: dict[str, Any]) -> str:
    """The schedule with one game a line: readable in a diff, a fraction of indented JSON."""
    head = {key: value for key, value in document.items() if key != "dates"}
    dates = []
    for day in document["dates"]:
        fields = {key: value for key, value in day.items() if key != "games"}
        games = ",\n".join(json.dumps(game) for game in day["games"])
        dates.append(f'{json.dumps(fields)[:-1]}, "games": [\n{games}\n]}}')
    return f'{json.dumps(head)[:-1]}, "dates": [\n' + ",\n".join(dates) + "\n]}\n"


def _jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        for record in records:
            stream.write(json.dumps(record) + "\n")


def write_sample(out_dir: Path) -> dict[str, Path]:
    """Write schedule.json, odds.csv, splits.jsonl, analyses.jsonl and signals.jsonl."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    games = build_week()
    markets = build_markets(games, rng)
    files = {
        name: out_dir / name
        for name in ("schedule.json", "odds.csv", "splits.jsonl", "analyses.jsonl", "signals.jsonl")
    }
    files["schedule.json"].write_text(schedule_text(schedule_document(games)), encoding="utf-8")
    with files["odds.csv"].open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(ODDS_COLUMNS)
        writer.writerows(odds_rows(markets))
    _jsonl(files["splits.jsonl"], split_records(markets, rng))
    analyses, signals = judgments(markets)
    _jsonl(files["analyses.jsonl"], analyses)
    _jsonl(files["signals.jsonl"], signals)
    return files


def main() -> None:
    from betdb.sample import SAMPLE_GAME_PK, sample_dir

    steam_game = game_by(build_week(), STEAM_GAME, SAMPLE_DATE)
    if steam_game.game_pk != SAMPLE_GAME_PK:
        sys.exit(f"SAMPLE_GAME_PK is {SAMPLE_GAME_PK} but the steam game is {steam_game.game_pk}")
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else sample_dir()
    for name, path in write_sample(out_dir).items():
        print(f"{path}: {path.stat().st_size:,} bytes ({name})")


if __name__ == "__main__":
    main()
