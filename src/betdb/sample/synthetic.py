"""Large generated schedules and odds for benchmarks, written as they are generated.

Games are laid out fifteen a day from `start` (every club once a day), all scheduled; each
book posts every side of the moneyline, run line and total every `interval` over the `hours`
before first pitch, so the odds file holds games x books x 6 x (hours / interval) rows.
The same arguments always give the same files.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from pathlib import Path

from betdb.sample.clubs import CLUBS
from betdb.sample.market import american
from betdb.sample.week import stats_api_game

from .week import SampleGame

ODDS_COLUMNS = (
    "source", "game_source", "external_game_id", "sportsbook", "market", "side", "line", "price",
    "observed_at", "is_opening", "is_closing",
)  # fmt: skip
# The books the migrations seed, sharpest first.
BOOK_KEYS = (
    "pinnacle", "circa", "draftkings", "fanduel", "betmgm", "caesars", "bet365", "betrivers",
    "espnbet", "fanatics",
)  # fmt: skip
GAMES_PER_DAY = 15
FIRST_GAME_PK = 900_001


def _synthetic_games(games: int, start: dt.date, rng: random.Random) -> list[SampleGame]:
    clubs = list(CLUBS.values())
    schedule: list[SampleGame] = []
    for day_index in range(math.ceil(games / GAMES_PER_DAY)):
        day = start + dt.timedelta(days=day_index)
        rng.shuffle(clubs)
        for n in range(min(GAMES_PER_DAY, games - len(schedule))):
            away, home = clubs[2 * n], clubs[2 * n + 1]
            local = dt.time(rng.choice((13, 16, 18, 19)), rng.choice((5, 10, 35, 40)))
            first_pitch = dt.datetime.combine(day, local, home.clock).astimezone(dt.UTC)
            schedule.append(SampleGame(FIRST_GAME_PK + len(schedule), day, away, home, first_pitch))
    return schedule


def _write_schedule(path: Path, games: list[SampleGame]) -> None:
    with path.open("w", encoding="utf-8") as stream:
        stream.write(f'{{"totalItems": {len(games)}, "totalGames": {len(games)}, "dates": [')
        days = sorted({game.official_date for game in games})
        by_day: dict[dt.date, list[SampleGame]] = {day: [] for day in days}
        for game in games:
            by_day[game.official_date].append(game)
        for i, day in enumerate(days):
            stream.write(("," if i else "") + f'\n{{"date": "{day.isoformat()}", "games": [')
            for j, game in enumerate(by_day[day]):
                stream.write(("," if j else "") + "\n" + json.dumps(stats_api_game(game)))
            stream.write("]}")
        stream.write("\n]}\n")


def write_synthetic(
    out_dir: Path,
    *,
    games: int,
    books: int,
    interval: dt.timedelta,
    start: dt.date = dt.date(2026, 4, 1),
    seed: int = 0,
    hours: float = 6.0,
) -> tuple[Path, Path]:
    """Write ``schedule.json`` and ``odds.csv`` into `out_dir`; returns their paths."""
    if games < 1:
        raise ValueError(f"games must be at least 1, got {games}")
    if not 1 <= books <= len(BOOK_KEYS):
        raise ValueError(f"books must be 1 to {len(BOOK_KEYS)} (the seeded books), got {books}")
    if interval <= dt.timedelta(0):
        raise ValueError(f"interval must be positive, got {interval}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    schedule = _synthetic_games(games, start, rng)
    schedule_path, odds_path = out_dir / "schedule.json", out_dir / "odds.csv"
    _write_schedule(schedule_path, schedule)
    steps = math.ceil(dt.timedelta(hours=hours) / interval)
    keys = BOOK_KEYS[:books]
    with odds_path.open("w", encoding="utf-8", newline="") as stream:
        stream.write(",".join(ODDS_COLUMNS) + "\n")
        for game in schedule:
            home_win = rng.uniform(0.38, 0.64)
            total = round(rng.uniform(7.0, 10.5) * 2) / 2
            prefix = f"sbr,mlb,{game.game_pk},"
            favourite = "-1.5" if home_win >= 0.5 else "1.5"
            underdog = "1.5" if home_win >= 0.5 else "-1.5"
            for step in range(steps):
                observed = game.first_pitch - (steps - step) * interval
                stamp = observed.strftime("%Y-%m-%dT%H:%M:%SZ")
                home_win = min(max(home_win + rng.gauss(0, 0.003), 0.25), 0.75)
                flags = "true," if step == 0 else (",true" if step == steps - 1 else ",")
                for n, key in enumerate(keys):
                    margin = 1.02 + 0.004 * n
                    covers = home_win - 0.155 if home_win >= 0.5 else home_win + 0.155
                    over = 0.5 + rng.gauss(0, 0.01)
                    stream.write(
                        f"{prefix}{key},moneyline,home,,{american(home_win * margin):+d},"
                        f"{stamp},{flags}\n"
                        f"{prefix}{key},moneyline,away,,{american((1 - home_win) * margin):+d},"
                        f"{stamp},{flags}\n"
                        f"{prefix}{key},run_line,home,{favourite},{american(covers * margin):+d},"
                        f"{stamp},{flags}\n"
                        f"{prefix}{key},run_line,away,{underdog},"
                        f"{american((1 - covers) * margin):+d},{stamp},{flags}\n"
                        f"{prefix}{key},total,over,{total},{american(over * margin):+d},"
                        f"{stamp},{flags}\n"
                        f"{prefix}{key},total,under,{total},{american((1 - over) * margin):+d},"
                        f"{stamp},{flags}\n"
                    )
    return schedule_path, odds_path
