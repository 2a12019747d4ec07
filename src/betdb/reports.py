"""Are closing prices calibrated? The favourite's closing no-vig probability against how often
favourites won, over a season, with the Brier score and the return of backing every favourite.

The closing moneylines come from one named query (GetClosingMoneylines): per decided game, both
sides' closing price at one book (observed or untimed, e.g. SBR's archive). The arithmetic
(vig removal, buckets, Brier score, return) is exact on Fractions until the final Decimals.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from betdb._flavours import finish
from betdb._repository import UnifiedRepository
from betdb.generated.reports import GetClosingMoneylinesRow
from betdb.odds import american_to_decimal, no_vig_probabilities
from betdb.plot import PlotUnavailableError

if TYPE_CHECKING:  # the sync repository loads psycopg, which async callers never need
    from betdb._sync_repository import SyncUnifiedRepository

BUCKET_WIDTH = Fraction(1, 20)  # 5 points of probability: 50-55%, 55-60%, ...


@dataclass(frozen=True)
class CalibrationBucket:
    """Games whose favourite's closing no-vig probability lies in [low, high)."""

    low: Decimal
    high: Decimal
    games: int
    mean_probability: Decimal
    """The mean no-vig probability of the bucket's favourites."""
    win_rate: Decimal
    """How often they won."""


@dataclass(frozen=True)
class Calibration:
    season: int
    sportsbook_ids: frozenset[int]
    games: int
    """Decided games with both closing prices; pick'ems (no favourite) are left out."""
    pick_ems: int
    favourites_won: int
    buckets: tuple[CalibrationBucket, ...]
    brier_score: Decimal
    """Mean squared error of the favourite's probability against its result (0 is perfect;
    always saying 50% scores 0.25)."""
    favourite_return: Decimal
    """Profit per unit staked of a unit on every closing favourite at its closing price."""

    @property
    def favourite_win_rate(self) -> Decimal:
        return Decimal(self.favourites_won) / Decimal(self.games) if self.games else Decimal(0)


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def calibrate(season: int, rows: Sequence[GetClosingMoneylinesRow]) -> Calibration:
    """The calibration of the given games' closing moneylines."""
    per_bucket: dict[int, list[tuple[Fraction, bool]]] = {}
    squared_error = Fraction(0)
    profit = Fraction(0)
    pick_ems = won = games = 0
    for row in rows:
        if row.home_won is None:
            continue
        home, away = no_vig_probabilities(row.home_price, row.away_price)
        if home == away:
            pick_ems += 1
            continue
        home_favoured = home > away
        probability = Fraction(max(home, away))
        price = row.home_price if home_favoured else row.away_price
        favourite_won = row.home_won == home_favoured
        games += 1
        won += favourite_won
        squared_error += (probability - int(favourite_won)) ** 2
        profit += Fraction(american_to_decimal(price)) - 1 if favourite_won else -1
        index = min(int((probability - Fraction(1, 2)) / BUCKET_WIDTH), 9)
        per_bucket.setdefault(index, []).append((probability, favourite_won))
    buckets = tuple(
        CalibrationBucket(
            low=_decimal(Fraction(1, 2) + index * BUCKET_WIDTH),
            high=_decimal(Fraction(1, 2) + (index + 1) * BUCKET_WIDTH),
            games=len(entries),
            mean_probability=_decimal(sum((p for p, _ in entries), Fraction(0)) / len(entries)),
            win_rate=_decimal(Fraction(sum(w for _, w in entries), len(entries))),
        )
        for index, entries in sorted(per_bucket.items())
    )
    return Calibration(
        season=season,
        sportsbook_ids=frozenset(row.sportsbook_id for row in rows),
        games=games,
        pick_ems=pick_ems,
        favourites_won=won,
        buckets=buckets,
        brier_score=_decimal(squared_error / games) if games else Decimal(0),
        favourite_return=_decimal(profit / games) if games else Decimal(0),
    )


@overload
def closing_calibration(
    repository: UnifiedRepository, season: int, *, sportsbook_id: int | None = None
) -> Coroutine[Any, Any, Calibration]: ...
@overload
def closing_calibration(
    repository: SyncUnifiedRepository, season: int, *, sportsbook_id: int | None = None
) -> Calibration: ...
def closing_calibration(
    repository: UnifiedRepository | SyncUnifiedRepository,
    season: int,
    *,
    sportsbook_id: int | None = None,
) -> Coroutine[Any, Any, Calibration] | Calibration:
    """The calibration of a season's closing moneylines at one book (default: per game, the
    lowest-numbered book that closed both sides); awaited on a UnifiedRepository, at once on
    a SyncUnifiedRepository."""
    rows = repository.reports.get_closing_moneylines(season=season, sportsbook_id=sportsbook_id)
    return finish(repository, rows, functools.partial(calibrate, season))


def write_reliability_png(calibration: Calibration, out: Path) -> Path:
    """The reliability diagram: each bucket's win rate against its mean probability, the
    diagonal being perfect calibration; written whole or not at all."""
    if not calibration.buckets:
        raise ValueError(f"nothing to plot: no closing moneylines in {calibration.season}")
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as error:
        raise PlotUnavailableError(
            "the reliability diagram needs matplotlib: pip install 'betdb[plot]'"
        ) from error
    figure = Figure(figsize=(7, 7), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    axes.plot([0.5, 1], [0.5, 1], color="grey", linestyle="--", label="perfectly calibrated")
    means = [float(b.mean_probability) for b in calibration.buckets]
    rates = [float(b.win_rate) for b in calibration.buckets]
    sizes = [20 + 280 * b.games / calibration.games for b in calibration.buckets]
    axes.plot(means, rates, color="tab:blue")
    axes.scatter(means, rates, s=sizes, color="tab:blue", label="closing favourites (area: games)")
    for bucket, x, y in zip(calibration.buckets, means, rates, strict=True):
        axes.annotate(f"{bucket.games}", (x, y), textcoords="offset points", xytext=(6, -12))
    axes.set_xlim(0.5, 1)
    axes.set_ylim(0.3, 1)
    axes.set_xlabel("closing no-vig probability of the favourite")
    axes.set_ylabel("favourites' win rate")
    axes.set_title(
        f"{calibration.season} closing moneylines: {calibration.games:,} games,"
        f" Brier {calibration.brier_score:.4f}"
    )
    axes.legend(loc="upper left")
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    try:
        figure.savefig(temporary, format="png")
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)
    return out
