"""`betdb odds latest|movement`: what each book offers on a game now, and how it got there."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.table import Table

from betdb import Database, UnifiedRepository
from betdb.cli.connection import DataDir, with_database
from betdb.cli.lookup import GAME_REFERENCE_HELP, Names, resolve_game
from betdb.cli.output import (
    CommandError,
    american,
    console,
    day,
    line_text,
    percent,
    print_json,
    reports_errors,
    signed,
    table,
    when,
)
from betdb.generated.models import Game, Market, Side
from betdb.markets import MONEYLINE_MARKETS
from betdb.movement import LineMovement, MovementPoint, latest_odds_of_game, line_movement
from betdb.odds import implied_probability
from betdb.plot import (
    HEIGHT_PX,
    WIDTH_PX,
    LineMovementChart,
    PlotUnavailableError,
    write_line_movement_png,
)

odds_app = typer.Typer(help="A game's odds: the latest per book, and their movement.")

GameArgument = Annotated[str, typer.Argument(metavar="GAME", help=GAME_REFERENCE_HELP)]
Json = Annotated[bool, typer.Option("--json", help="print JSON for scripts instead of a table")]
_PROBABILITY_PLACES = Decimal("0.0001")


class LatestPrice(BaseModel):
    """One book's newest price on one side of a market."""

    market: Market
    sportsbook: str
    side: Side
    line: Decimal | None
    price: int
    implied_probability: Decimal
    observed_at: datetime


class LatestOdds(BaseModel):
    game_id: int
    game: str
    prices: list[LatestPrice]


class ShownMovement(LineMovement):
    """A game's line movement as `betdb odds movement --json` prints it: the game named, and
    the chart's path when one was drawn."""

    game: str
    chart: str | None = None


async def game_latest_odds(repository: UnifiedRepository, game: Game, names: Names) -> LatestOdds:
    prices = [
        LatestPrice(
            market=odds.market,
            sportsbook=names.book(odds.sportsbook_id),
            side=odds.side,
            line=odds.line,
            price=odds.price,
            implied_probability=implied_probability(odds.price).quantize(_PROBABILITY_PLACES),
            observed_at=odds.observed_at,
        )
        for odds in await latest_odds_of_game(repository, game)
    ]
    prices.sort(key=lambda p: (list(Market).index(p.market), p.sportsbook, p.side.value))
    return LatestOdds(game_id=game.game_id, game=names.game_label(game), prices=prices)


def latest_odds_table(latest: LatestOdds) -> Table:
    result = table(
        f"Latest odds per book: {latest.game} (game {latest.game_id})",
        ("market", "book", "side", "line", "price", "implied", "observed (UTC)"),
        [],
    )
    previous_market = None
    for price in latest.prices:
        if previous_market is not None and price.market != previous_market:
            result.add_section()
        previous_market = price.market
        result.add_row(
            price.market.value,
            price.sportsbook,
            price.side.value,
            line_text(price.line),
            american(price.price),
            percent(price.implied_probability),
            when(price.observed_at),
        )
    return result


async def game_movement(
    repository: UnifiedRepository,
    game: Game,
    names: Names,
    *,
    market: Market,
    book_key: str | None,
) -> ShownMovement:
    """The game's movement from betdb.movement (one query), with the game named."""
    sportsbook_id = None if book_key is None else names.sportsbook_id(book_key)
    movement = await line_movement(repository, game, market, sportsbook_id=sportsbook_id)
    return ShownMovement(**dict(movement), game=names.game_label(game))


def movement_chart(movement: ShownMovement, names: Names, game: Game) -> LineMovementChart:
    title = (
        f"{names.matchup(game)}, {day(game.official_date)}: {movement.market.value} line movement"
    )
    return LineMovementChart(title=title, movement=movement)


def movement_table(movement: ShownMovement, points: Sequence[MovementPoint]) -> Table:
    lined = movement.market not in MONEYLINE_MARKETS
    columns = ["book", "side", "observed (UTC)", "line", "price", "Δ line", "Δ price", "note"]
    if not lined:
        columns = [column for column in columns if "line" not in column]
    result = table(
        f"{movement.market.value} movement: {movement.game} (game {movement.game_id})",
        columns,
        [],
    )
    previous = None
    for point in points:
        if previous is not None and (point.sportsbook, point.side) != previous:
            result.add_section()
        previous = (point.sportsbook, point.side)
        note = ", ".join(
            word for word, flag in (("opening", point.opening), ("closing", point.closing)) if flag
        )
        line_cells = [line_text(point.line)] if lined else []
        change_cells = [signed(point.line_change) if point.line_change else ""] if lined else []
        result.add_row(
            point.sportsbook,
            point.side.value,
            when(point.observed_at),
            *line_cells,
            american(point.price),
            *change_cells,
            signed(point.price_change) if point.price_change else "",
            note,
        )
    return result


def write_chart(chart: LineMovementChart, out: Path) -> Path:
    try:
        return write_line_movement_png(chart, out)
    except PlotUnavailableError as error:
        raise CommandError(str(error)) from error
    except ValueError as error:
        raise CommandError(str(error)) from error
    except OSError as error:
        raise CommandError(f"cannot write the chart to {out}: {error.strerror or error}") from error


def print_movement(movement: ShownMovement, *, every: bool, plot: Path | None) -> None:
    if not movement.points:
        console.print(f"no {movement.market.value} odds stored for {movement.game}")
    shown = movement.points if every else movement.moves()
    if movement.points:
        console.print(movement_table(movement, shown))
        first_pitch = when(movement.first_pitch_at, year=True) or "unknown"
        zone = " UTC" if first_pitch[0].isdigit() else ""
        console.print(f"first pitch: {first_pitch}{zone}")
        hidden = len(movement.points) - len(shown)
        if hidden:
            console.print(
                f"{len(movement.points):,} observations; {hidden:,} that changed nothing are "
                "not shown (--all shows them)"
            )
    if plot is not None:
        console.print(f"line movement chart ({WIDTH_PX}x{HEIGHT_PX} PNG) written to {plot}")


@odds_app.command("latest")
@reports_errors
def latest_command(game: GameArgument, json_output: Json = False, data_dir: DataDir = None) -> None:
    """The newest price of every book on each side of each market of GAME, with its implied
    probability (the bookmaker's margin included)."""

    async def work(database: Database) -> None:
        repository = database.repository()
        names = await Names.load(repository)
        found = await resolve_game(repository, game)
        latest = await game_latest_odds(repository, found, names)
        if json_output:
            print_json(latest)
        elif latest.prices:
            console.print(latest_odds_table(latest))
        else:
            console.print(f"no odds stored for {latest.game} (game {latest.game_id})")

    with_database(data_dir, work)


@odds_app.command("movement")
@reports_errors
def movement_command(
    game: GameArgument,
    market: Annotated[Market, typer.Option("--market", help="the market to follow")] = Market.TOTAL,
    book: Annotated[
        str | None,
        typer.Option(
            "--book", help="one book's key (draftkings); default: every book", show_default=False
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="also draw the chart into this PNG file", show_default=False),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="show observations that changed nothing too")
    ] = False,
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """How GAME's MARKET moved at each book: line and price over time, opening and closing
    marked; --plot draws it (price and line per book, first pitch marked) as a PNG."""

    async def work(database: Database) -> None:
        repository = database.repository()
        names = await Names.load(repository)
        found = await resolve_game(repository, game)
        movement = await game_movement(repository, found, names, market=market, book_key=book)
        if plot is not None:
            write_chart(movement_chart(movement, names, found), plot)
            movement.chart = str(plot)
        if json_output:
            shown = movement.points if every else movement.moves()
            print_json(movement.model_copy(update={"points": shown}))
        else:
            print_movement(movement, every=every, plot=plot)

    with_database(data_dir, work)
