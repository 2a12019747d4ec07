"""Line movement: how every book's line and price of one market of a game moved, read in one
round trip (the GetMarketMovement query), with each book's opening and closing marked.

    from betdb.movement import line_movement
    movement = await line_movement(repository, game, Market.TOTAL)  # a UnifiedRepository
    movement = line_movement(sync_repository, game, Market.TOTAL)  # a SyncUnifiedRepository
    for point in movement.moves():
        print(point.sportsbook, point.side, point.observed_at, point.line, point.price)

Every odds read of a game is bounded by an observed_at window passed to the query as
parameters, so the planner prunes the monthly odds partitions outside it (a window derived
in SQL from games.first_pitch_at would prune nothing at plan time). `odds_window` derives it:
from 14 days before first pitch to 2 days after; for a game without a first pitch, from 14
days before its official date to 2 days after it (the date's end, UTC). Books post MLB lines
a day or a few ahead, so 14 days holds every opening with room to spare while keeping the
window inside one or two monthly partitions; the 2 days after hold in-game prices and a game
that starts late or past midnight UTC (a West Coast night game is the next day in UTC).
Observations outside the window are not read: pass a wider `OddsWindow` to see them.
"""

from __future__ import annotations

import functools
from collections.abc import Coroutine
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, overload

from pydantic import BaseModel

from betdb._flavours import finish
from betdb._repository import UnifiedRepository
from betdb.generated.models import Game, Market, Odds, Side
from betdb.generated.odds import GetLatestOddsParams, GetMarketMovementParams
from betdb.types import EARLIEST_TIME, LATEST_TIME

if TYPE_CHECKING:  # the sync repository loads psycopg, which async callers never need
    from betdb._sync_repository import SyncUnifiedRepository

BEFORE_FIRST_PITCH = timedelta(days=14)
AFTER_FIRST_PITCH = timedelta(days=2)


class OddsWindow(BaseModel):
    """The observed_at range [observed_from, observed_until) an odds read looks at."""

    observed_from: datetime
    observed_until: datetime


# Every time an observation may have (betdb.types.Timestamp), for a game with no usable date;
# real bounds rather than datetime.min/max, which asyncpg would send as -infinity/infinity.
ALL_TIME = OddsWindow(
    observed_from=EARLIEST_TIME, observed_until=LATEST_TIME - timedelta(microseconds=1)
)


def odds_window(game: Game) -> OddsWindow:
    """The default window of a game's odds (see the module's docstring for why these bounds)."""
    first_pitch = game.first_pitch_at
    if first_pitch is not None and _plausible(first_pitch):
        return OddsWindow(
            observed_from=first_pitch - BEFORE_FIRST_PITCH,
            observed_until=first_pitch + AFTER_FIRST_PITCH,
        )
    day = datetime.combine(game.official_date, time(), tzinfo=UTC)
    if not _plausible(day):
        return ALL_TIME
    return OddsWindow(
        observed_from=day - BEFORE_FIRST_PITCH,
        observed_until=day + timedelta(days=1) + AFTER_FIRST_PITCH,
    )


def _plausible(moment: datetime) -> bool:
    """A real time of a game: asyncpg decodes a stored -infinity/infinity as a naive
    datetime.min/max, and a year-1 first pitch is a placeholder, not a time."""
    if moment.tzinfo is None:
        return False
    return (
        ALL_TIME.observed_from + BEFORE_FIRST_PITCH
        <= moment
        < ALL_TIME.observed_until - (AFTER_FIRST_PITCH + timedelta(days=1))
    )


class MovementPoint(BaseModel):
    """One observation of a book's side of the market, with its change from the book's
    previous observation of that side; the price change is in cents, so -105 to +105 is +10,
    not +210. Opening and closing follow GetOpeningLines and GetClosingLines: the observation
    flagged so, else the book's earliest, and its last at or before first pitch."""

    sportsbook_id: int
    sportsbook: str
    side: Side
    observed_at: datetime
    line: Decimal | None
    price: int
    line_change: Decimal | None
    price_change: int | None
    opening: bool
    closing: bool


def is_move(point: MovementPoint) -> bool:
    """The first observation of a series, a change of line or price, an opening or a close."""
    return (
        point.price_change is None
        or point.price_change != 0
        or (point.line_change is not None and point.line_change != 0)
        or point.opening
        or point.closing
    )


class LineMovement(BaseModel):
    """A game's market at every book (or one): observations ordered by book key, side and
    time, and the window they were read in."""

    game_id: int
    market: Market
    first_pitch_at: datetime | None
    window: OddsWindow
    points: list[MovementPoint]

    def moves(self) -> list[MovementPoint]:
        """The points that changed something (is_move): what a table of movement shows."""
        return [point for point in self.points if is_move(point)]

    def sportsbooks(self) -> dict[int, str]:
        """The books present, by id, in key order."""
        return {point.sportsbook_id: point.sportsbook for point in self.points}


def _movement(game: Game, market: Market, window: OddsWindow, rows: Any) -> LineMovement:
    return LineMovement(
        game_id=game.game_id,
        market=market,
        first_pitch_at=game.first_pitch_at,
        window=window,
        points=[MovementPoint.model_validate(row, from_attributes=True) for row in rows],
    )


@overload
def line_movement(
    repository: UnifiedRepository,
    game: Game,
    market: Market,
    *,
    sportsbook_id: int | None = None,
    window: OddsWindow | None = None,
) -> Coroutine[Any, Any, LineMovement]: ...
@overload
def line_movement(
    repository: SyncUnifiedRepository,
    game: Game,
    market: Market,
    *,
    sportsbook_id: int | None = None,
    window: OddsWindow | None = None,
) -> LineMovement: ...
def line_movement(
    repository: UnifiedRepository | SyncUnifiedRepository,
    game: Game,
    market: Market,
    *,
    sportsbook_id: int | None = None,
    window: OddsWindow | None = None,
) -> Coroutine[Any, Any, LineMovement] | LineMovement:
    """How game's market moved at every book (or at sportsbook_id alone), in one query; to be
    awaited on a UnifiedRepository, at once on a SyncUnifiedRepository."""
    bounds = window or odds_window(game)
    rows = repository.odds.get_market_movement(
        GetMarketMovementParams(
            game_id=game.game_id,
            market=market,
            sportsbook_id=sportsbook_id,
            observed_from=bounds.observed_from,
            observed_until=bounds.observed_until,
        )
    )
    return finish(repository, rows, functools.partial(_movement, game, market, bounds))


@overload
def latest_odds(
    repository: UnifiedRepository,
    game: Game,
    market: Market,
    *,
    sportsbook_id: int | None = None,
    window: OddsWindow | None = None,
) -> Coroutine[Any, Any, list[Odds]]: ...
@overload
def latest_odds(
    repository: SyncUnifiedRepository,
    game: Game,
    market: Market,
    *,
    sportsbook_id: int | None = None,
    window: OddsWindow | None = None,
) -> list[Odds]: ...
def latest_odds(
    repository: UnifiedRepository | SyncUnifiedRepository,
    game: Game,
    market: Market,
    *,
    sportsbook_id: int | None = None,
    window: OddsWindow | None = None,
) -> Coroutine[Any, Any, list[Odds]] | list[Odds]:
    """The newest observation of each book and side of game's market, where the movement
    ends (GetLatestOdds in the game's window); awaited on a UnifiedRepository."""
    bounds = window or odds_window(game)
    return repository.odds.get_latest_odds(
        GetLatestOddsParams(
            game_id=game.game_id,
            market=market,
            sportsbook_id=sportsbook_id,
            observed_from=bounds.observed_from,
            observed_until=bounds.observed_until,
        )
    )


@overload
def latest_odds_of_game(
    repository: UnifiedRepository, game: Game, *, window: OddsWindow | None = None
) -> Coroutine[Any, Any, list[Odds]]: ...
@overload
def latest_odds_of_game(
    repository: SyncUnifiedRepository, game: Game, *, window: OddsWindow | None = None
) -> list[Odds]: ...
def latest_odds_of_game(
    repository: UnifiedRepository | SyncUnifiedRepository,
    game: Game,
    *,
    window: OddsWindow | None = None,
) -> Coroutine[Any, Any, list[Odds]] | list[Odds]:
    """latest_odds of every market at once (GetGameLatestOdds: one query), ordered by
    market, book and side; awaited on a UnifiedRepository."""
    bounds = window or odds_window(game)
    return repository.odds.get_game_latest_odds(
        game_id=game.game_id,
        observed_from=bounds.observed_from,
        observed_until=bounds.observed_until,
    )
