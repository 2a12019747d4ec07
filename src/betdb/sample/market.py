"""A believable betting market for one game: a fair price that drifts, and books that quote it.

The fair chance of a home win and the fair total drift in 20-minute steps from about two days
before first pitch. Each book quotes them with its own margin and rounding, polls every
quarter hour, and posts a new price only when its quote moved by more than its threshold (or its
total moved a half run), so sharp books move often and retail books in steps. Events bend the
path: a steam move (the fair price jumps and the books follow within minutes, sharpest first)
and sharp under money that drops a total while the public bets the over.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from betdb.sample.clubs import Club

HOME_EDGE = 0.035
STEP = dt.timedelta(minutes=20)
POLL = dt.timedelta(minutes=15)
CLOSE_BEFORE = dt.timedelta(minutes=1)
ONE_RUN_GAMES = 0.155  # about how often the favourite wins by exactly one run


@dataclass(frozen=True)
class BookStyle:
    key: str
    overround: float
    rounding: int
    threshold: float
    """Change in implied probability below which the book leaves its price alone."""
    opens_after: dt.timedelta
    poll_offset: dt.timedelta
    steam_delay: dt.timedelta
    """How long after the sharp money this book follows a steam move."""


def _minutes(n: int) -> dt.timedelta:
    return dt.timedelta(minutes=n)


BOOKS = (
    BookStyle("pinnacle", 0.022, 1, 0.010, _minutes(0), _minutes(0), _minutes(1)),
    BookStyle("circa", 0.030, 1, 0.012, _minutes(35), _minutes(2), _minutes(2)),
    BookStyle("draftkings", 0.045, 5, 0.016, _minutes(290), _minutes(4), _minutes(3)),
    BookStyle("fanduel", 0.045, 2, 0.016, _minutes(260), _minutes(6), _minutes(4)),
    BookStyle("betmgm", 0.050, 5, 0.018, _minutes(380), _minutes(8), _minutes(5)),
    BookStyle("caesars", 0.050, 5, 0.018, _minutes(410), _minutes(5), _minutes(6)),
)


def american(probability: float, rounding: int = 1) -> int:
    """The American price of an implied probability, rounded to the book's increment."""
    probability = min(max(probability, 0.02), 0.98)
    if probability >= 0.5:
        magnitude = 100 * probability / (1 - probability)
        return -max(100, rounding * round(magnitude / rounding))
    magnitude = 100 * (1 - probability) / probability
    return max(100, rounding * round(magnitude / rounding))


def implied(price: int) -> float:
    return -price / (100 - price) if price < 0 else 100 / (100 + price)


def two_way(fair: float, book: BookStyle) -> tuple[int, int]:
    """Prices of both sides of a two-way market whose first side wins with chance `fair`."""
    scale = 1 + book.overround
    return american(fair * scale, book.rounding), american((1 - fair) * scale, book.rounding)


def half_run(total: float) -> Decimal:
    return Decimal(round(total * 2)) / 2


@dataclass(frozen=True)
class Steam:
    at: dt.datetime
    home_shift: float
    """Change of the fair home-win chance when the sharp money lands (negative: to the away)."""


@dataclass(frozen=True)
class TotalDrop:
    start: dt.datetime
    runs: float
    steps: int


@dataclass
class FairPath:
    opens: dt.datetime
    home_win: list[float]
    total: list[float]
    steam: Steam | None = None

    def at(self, moment: dt.datetime, steam_delay: dt.timedelta) -> tuple[float, float]:
        index = min(int((moment - self.opens) / STEP), len(self.home_win) - 1)
        home_win = self.home_win[max(index, 0)]
        if self.steam is not None and moment >= self.steam.at + steam_delay:
            home_win += self.steam.home_shift
        return home_win, self.total[max(index, 0)]


def fair_path(
    home: Club,
    away: Club,
    opens: dt.datetime,
    first_pitch: dt.datetime,
    rng: random.Random,
    *,
    steam: Steam | None = None,
    total_drop: TotalDrop | None = None,
    opening_total: float | None = None,
) -> FairPath:
    log5 = home.strength * (1 - away.strength)
    home_win = log5 / (log5 + away.strength * (1 - home.strength)) + HOME_EDGE
    home_win = min(max(home_win + rng.gauss(0, 0.035), 0.3), 0.72)
    total = opening_total if opening_total is not None else home.park_runs + rng.gauss(0, 0.35)
    steps = math.ceil((first_pitch - opens) / STEP)
    path = FairPath(opens, [], [], steam)
    for n in range(steps):
        moment = opens + n * STEP
        home_win = min(max(home_win + rng.gauss(0, 0.0018), 0.25), 0.78)
        total += rng.gauss(0, 0.02)
        if total_drop is not None and 0 <= (moment - total_drop.start) / STEP < total_drop.steps:
            total -= total_drop.runs / total_drop.steps
        path.home_win.append(home_win)
        path.total.append(total)
    return path


@dataclass(frozen=True)
class Quote:
    observed_at: dt.datetime
    book: str
    market: str
    side: str
    line: Decimal | None
    price: int
    is_opening: bool = False
    is_closing: bool = False


@dataclass
class BookQuotes:
    """One book's quotes of one game, posted when they move enough."""

    book: BookStyle
    home_is_favourite: bool
    posted: dict[str, tuple[Decimal | None, int, int]] = field(default_factory=dict)
    total_line: Decimal | None = None

    def quotes(self, home_win: float, total: float) -> dict[str, tuple[Decimal | None, int, int]]:
        home, away = two_way(home_win, self.book)
        favourite_covers = (home_win if self.home_is_favourite else 1 - home_win) - ONE_RUN_GAMES
        home_covers = favourite_covers if self.home_is_favourite else 1 - favourite_covers
        home_rl, away_rl = two_way(home_covers, self.book)
        if self.total_line is None or abs(total - float(self.total_line)) > 0.3:
            self.total_line = half_run(total)
        over = 0.5 + 0.09 * (total - float(self.total_line))
        over_price, under_price = two_way(over, self.book)
        run_line = Decimal("-1.5") if self.home_is_favourite else Decimal("1.5")
        return {
            "moneyline": (None, home, away),
            "run_line": (run_line, home_rl, away_rl),
            "total": (self.total_line, over_price, under_price),
        }

    def moved(self, market: str, quote: tuple[Decimal | None, int, int]) -> bool:
        before = self.posted.get(market)
        if before is None or before[0] != quote[0]:
            return True
        return any(
            abs(implied(a) - implied(b)) >= self.book.threshold
            for a, b in zip(before[1:], quote[1:], strict=True)
        )


SIDES = {"moneyline": ("home", "away"), "run_line": ("home", "away"), "total": ("over", "under")}


def _sides(
    moment: dt.datetime,
    book: str,
    market: str,
    quote: tuple[Decimal | None, int, int],
    **flags: bool,
) -> Iterator[Quote]:
    line, first, second = quote
    first_side, second_side = SIDES[market]
    first_line = line
    second_line = -line if market == "run_line" and line is not None else line
    yield Quote(moment, book, market, first_side, first_line, first, **flags)
    yield Quote(moment, book, market, second_side, second_line, second, **flags)


def book_quotes(
    path: FairPath, first_pitch: dt.datetime, books: tuple[BookStyle, ...] = BOOKS
) -> list[Quote]:
    """Every book's posted quotes from its opening to the closing quote a minute before the
    first pitch, in time order."""
    home_is_favourite = path.home_win[0] >= 0.5
    quotes: list[Quote] = []
    closes = first_pitch - CLOSE_BEFORE
    for book in books:
        state = BookQuotes(book, home_is_favourite)
        moments = []
        moment = path.opens + book.opens_after + book.poll_offset
        while moment < closes:
            moments.append(moment)
            moment += POLL
        if path.steam is not None:
            moments.append(path.steam.at + book.steam_delay)
        for moment in sorted(set(moments)):
            for market, quote in state.quotes(*path.at(moment, book.steam_delay)).items():
                if state.moved(market, quote):
                    opening = market not in state.posted
                    state.posted[market] = quote
                    quotes.extend(_sides(moment, book.key, market, quote, is_opening=opening))
        for market, quote in state.posted.items():
            quotes.extend(_sides(closes, book.key, market, quote, is_closing=True))
    quotes.sort(key=lambda q: (q.observed_at, q.book, q.market, q.side))
    return quotes
