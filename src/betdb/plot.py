"""The line-movement chart: how one game's market moved at each book, as a PNG.

Panels share the time axis (UTC): the line of the market's first side (over for totals, home
for run lines; none for moneylines), then the American price of each side in a panel of its
own, since the two sides of a moneyline or run line sit on either side of the -100/+100 gap.
One colour per book; each price holds until the book's next observation, and the last one is
drawn to the end of the chart. Opening observations are hollow circles, closing ones filled
squares; first pitch is a vertical line. The figure has a fixed size (WIDTH_PX x HEIGHT_PX),
so the PNG's dimensions are known. matplotlib is the `plot` extra: pip install 'betdb[plot]'.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from betdb.generated.models import Side
from betdb.markets import MONEYLINE_MARKETS
from betdb.movement import LineMovement, MovementPoint

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap

WIDTH_PX, HEIGHT_PX, DPI = 1200, 700, 100

_SIDE_ORDER = (Side.OVER, Side.HOME, Side.UNDER, Side.AWAY)


class PlotUnavailableError(RuntimeError):
    """matplotlib is not installed."""


@dataclass(frozen=True)
class LineMovementChart:
    """What the chart shows: one game's line movement (betdb.movement), under a title."""

    title: str
    movement: LineMovement

    @property
    def first_pitch(self) -> datetime | None:
        # A stored infinity decodes as a naive datetime.max: no moment to draw.
        moment = self.movement.first_pitch_at
        return moment if moment is not None and moment.tzinfo is not None else None


@dataclass(frozen=True)
class _Panel:
    """One quantity over time: the line of a side, or the price of a side."""

    side: Side
    shows_line: bool

    def value(self, observation: MovementPoint) -> float:
        if self.shows_line:
            return float("nan") if observation.line is None else float(observation.line)
        return float(observation.price)

    def label(self) -> str:
        return f"line ({self.side.value})" if self.shows_line else f"{self.side.value} price"


def sides_in_order(observations: Sequence[MovementPoint]) -> list[Side]:
    """The sides present, the one whose line is charted (over, home) first."""
    present = {observation.side for observation in observations}
    return [side for side in _SIDE_ORDER if side in present]


def _panels(chart: LineMovementChart) -> list[_Panel]:
    sides = sides_in_order(chart.movement.points)
    prices = [_Panel(side, shows_line=False) for side in sides]
    if chart.movement.market in MONEYLINE_MARKETS:
        return prices
    return [_Panel(sides[0], shows_line=True), *prices]


def _days(moment: datetime) -> float:
    """matplotlib's date number of a moment (its date axis formats them in UTC)."""
    from matplotlib.dates import date2num

    to_days = cast(Callable[[datetime], float], date2num)
    return to_days(moment.astimezone(UTC))


def _series(observations: Sequence[MovementPoint], book: int, side: Side) -> list[MovementPoint]:
    chosen = [o for o in observations if o.sportsbook_id == book and o.side == side]
    return sorted(chosen, key=lambda o: o.observed_at)


def write_line_movement_png(chart: LineMovementChart, out: Path) -> Path:
    """Draw the chart into out (a PNG of WIDTH_PX x HEIGHT_PX), written whole or not at all."""
    observations = chart.movement.points
    if not observations:
        raise ValueError(
            f"nothing to plot: no {chart.movement.market.value} observations for this game"
        )
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import dates
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
    except ImportError as error:
        raise PlotUnavailableError(
            "the line-movement plot needs matplotlib: pip install 'betdb[plot]'"
        ) from error

    book_names = chart.movement.sportsbooks()
    books = list(book_names)
    colours = matplotlib.colormaps["tab10"]
    panels = _panels(chart)
    first_pitch = chart.first_pitch
    end = _days(max(o.observed_at for o in observations))

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes_list: list[Axes] = list(figure.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0])
    for axes, panel in zip(axes_list, panels, strict=True):
        for index, book in enumerate(books):
            series = _series(observations, book, panel.side)
            if not series:
                continue
            times = [_days(o.observed_at) for o in series] + [end]
            values = [panel.value(o) for o in series]
            axes.plot(
                times, [*values, values[-1]], color=colours(index % 10), drawstyle="steps-post"
            )
        openings = [o for o in observations if o.opening]
        closings = [o for o in observations if o.closing]
        _mark(axes, panel, openings, books, colours, marker="o", filled=False)
        _mark(axes, panel, closings, books, colours, marker="s", filled=True)
        if first_pitch is not None:
            axes.axvline(_days(first_pitch), color="black", linewidth=1.2, alpha=0.7)
        axes.set_ylabel(panel.label())
        axes.grid(True, alpha=0.3)

    bottom = axes_list[-1]
    bottom.set_xlabel("observed at (UTC)")
    locator = dates.AutoDateLocator(tz=UTC)  # type: ignore[no-untyped-call]
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(
        dates.ConciseDateFormatter(locator, tz=UTC)  # type: ignore[no-untyped-call]
    )

    handles = [
        Line2D([], [], color=colours(i % 10), label=book_names[b]) for i, b in enumerate(books)
    ]
    handles += [
        Line2D([], [], color="grey", marker="o", markerfacecolor="white", linestyle="",
               label="opening"),
        Line2D([], [], color="grey", marker="s", linestyle="", label="closing"),
    ]  # fmt: skip
    if first_pitch is not None:
        handles.append(Line2D([], [], color="black", label="first pitch"))
    figure.legend(handles=handles, loc="outside right center", fontsize="small")
    figure.suptitle(chart.title)

    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".png", dir=out.parent)
    os.close(descriptor)
    try:
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would outlive the rename
        figure.savefig(temporary, format="png", dpi=DPI)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out


def _mark(
    axes: Axes,
    panel: _Panel,
    observations: Sequence[MovementPoint],
    books: Sequence[int],
    colours: Colormap,
    *,
    marker: str,
    filled: bool,
) -> None:
    """Opening or closing observations of the panel's side, as markers in the book's colour."""
    for observation in observations:
        if observation.sportsbook_id not in books or observation.side != panel.side:
            continue
        colour = colours(books.index(observation.sportsbook_id) % 10)
        axes.plot(
            [_days(observation.observed_at)],
            [panel.value(observation)],
            marker=marker,
            linestyle="",
            markersize=7,
            color=colour,
            markerfacecolor=colour if filled else "white",
            zorder=3,
        )
