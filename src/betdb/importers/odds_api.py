"""The Odds API v4 (``/sports/baseball_mlb/odds``) responses as saved into the odds history.

A response is a list of games (``id``, ``commence_time``, ``home_team``, ``away_team`` as full
club names) with ``bookmakers[]`` → ``markets[]`` → ``outcomes[]``. One record is one market
of one bookmaker for one game: ``h2h`` becomes the moneyline, ``spreads`` the run line and
``totals`` the total, each outcome one odds observation; other markets (``h2h_lay``, ...)
are skipped and counted. Prices are American or decimal, detected from the file (or forced
with ``odds_format``); decimal prices are stored as American. ``observed_at`` is the market's
``last_update``, else the bookmaker's. A quote at or after ``commence_time`` is live and is
skipped and counted unless ``include_live``.

Games are found by the Odds API event id a previous snapshot attached, else by clubs (current
or former full names) and date (``commence_time`` on the US Eastern calendar) among stored
games, a doubleheader's games told apart by first pitch, else by game number in the order
of ``commence_time``; a game not stored yet is created with the event id (only when something
of the event is imported, and counted in the report's ``games_created``), so the next snapshot
finds it and a later Stats API schedule attaches its gamePk to it. Every value goes through the
shared checks (``checks``): prices within ±100,000 American (decimal 1.001 to 1,001), points
as lines, times within 1871-2099 and ``last_update`` within the window around first pitch.
Bookmakers map through ``sportsbook_mappings`` (source ``odds_api``) or our own book keys; an
unknown one is rejected with its key, or added as a new sportsbook with ``add_books``.

The file is read a game at a time (``jsonstream``), twice: to plan every event's game and
detect the prices' format, then to import. An observation already stored counts its record as
a duplicate. Each file is one transaction:
nothing is half-written if the database fails, and a re-run imports the file whole. Several
snapshots (a directory) import as a history, oldest file name first.

A v3 game (``{"success", "data"}`` of games with ``teams`` and ``sites``) is detected per game,
or forced with ``api_version``, and read as a v4 event (odds_api_v3).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from betdb import UnifiedRepository
from betdb.errors import BetdbError
from betdb.generated.games import CreateFeedGameParams
from betdb.generated.imports import FindStoredOddsParams
from betdb.generated.models import DataSource, Game, Market, Side
from betdb.generated.odds import CopyOddsValues
from betdb.importers import checks
from betdb.importers.documents import Clubs, JsonRejects, default_rejects_path, record_text
from betdb.importers.fields import FieldError
from betdb.importers.jsonstream import MAX_ITEM_BYTES, JsonStream
from betdb.importers.odds_api_v3 import V3_PROBLEM, ApiVersion, as_v4, located
from betdb.importers.rejects import completing
from betdb.importers.report import ImportFileError, ImportReport, Rejection, shortened

# The calendar MLB's official dates follow for games in the US and Canada.
EASTERN = ZoneInfo("America/New_York")
MARKETS = {"h2h": Market.MONEYLINE, "spreads": Market.RUN_LINE, "totals": Market.TOTAL}
# A first pitch within this of commence_time is the same game of a doubleheader.
SAME_START = dt.timedelta(hours=3)


class OddsFormat(StrEnum):
    AMERICAN = "american"
    DECIMAL = "decimal"


def listed(node: object, key: str) -> list[object]:
    """node[key] when node is an object and that is a list, else nothing."""
    value = node.get(key) if isinstance(node, Mapping) else None
    return value if isinstance(value, list) else []


def game_prices(game: object) -> Iterator[object]:
    for book in listed(game, "bookmakers"):
        for market in listed(book, "markets"):
            for outcome in listed(market, "outcomes"):
                if isinstance(outcome, Mapping):
                    yield outcome.get("price")


@dataclass
class PriceSurvey:
    """What the prices of a file say about their format, gathered a game at a time."""

    seen: bool = False
    american_low: bool = False
    """A price of -100 or below: American."""
    all_between: bool = True
    """Every price between 1 and 100 (decimal odds, or all American ones of 100 up?)."""
    fractions: bool = False
    all_hundred_up: bool = True

    def add(self, game: object) -> None:
        for price in game_prices(game):
            if isinstance(price, bool) or not isinstance(price, int | float):
                continue
            if checks.huge(price) or not math.isfinite(price):
                continue
            self.seen = True
            self.american_low |= price <= -100
            self.all_between &= 1 < price < 100
            self.fractions |= float(price) != int(price)
            self.all_hundred_up &= price >= 100

    def format(self, path: Path) -> OddsFormat:
        """American when a price is -100 or below or a whole 100 up everywhere; decimal when
        every price lies between 1 and 100 with fractions among them; else the user must say."""
        if not self.seen or self.american_low:
            return OddsFormat.AMERICAN
        if self.all_between and self.fractions:
            return OddsFormat.DECIMAL
        if self.all_hundred_up:
            return OddsFormat.AMERICAN
        raise ImportFileError(path, "cannot tell American from decimal prices: give --odds-format")


def detect_format(path: Path, games: Sequence[object]) -> OddsFormat:
    survey = PriceSurvey()
    for game in games:
        survey.add(game)
    return survey.format(path)


def american(price: object, odds_format: OddsFormat, where: str) -> int:
    """The American price of an outcome, through the shared checks (finite, within bounds)."""
    if isinstance(price, bool) or not isinstance(price, int | float):
        raise FieldError(f"{where}: price {price!r} is not a number")
    if odds_format is OddsFormat.DECIMAL:
        return checks.decimal_price(price, f"{where}: price")
    return checks.american_price(price, f"{where}: price")


def instant(value: object, where: str) -> dt.datetime:
    """An ISO 8601 time with its offset, within the years stored (checks.instant)."""
    return checks.instant(value, where)


def point(outcome: Mapping[str, Any], where: str) -> Decimal:
    value = outcome.get("point")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(f"{where}: point {value!r} is not a number")
    return checks.line(value, f"{where}: point")


@dataclass(frozen=True)
class Event:
    event_id: str | None
    """None for a v3 game: that version names no events."""
    commence_at: dt.datetime
    home_team_id: int
    away_team_id: int
    home_name: str
    away_name: str

    @property
    def local_date(self) -> dt.date:
        return self.commence_at.astimezone(EASTERN).date()


def read_event(game: object, where: str, clubs: Clubs) -> Event:
    if not isinstance(game, Mapping):
        raise FieldError(f"{where}: not a JSON object")
    if game.get(V3_PROBLEM):
        raise FieldError(str(game[V3_PROBLEM]))
    event_id = game.get("id")
    unnamed = bool(game.get("v3")) and event_id is None  # v3 names no events
    if not unnamed and (not isinstance(event_id, str) or not event_id.strip()):
        raise FieldError(f"{where}.id is missing")
    if event_id is not None:
        checks.text(event_id, f"{where}.id")
    home, away = game.get("home_team"), game.get("away_team")
    home_id = clubs.by_name(home, f"{where}.home_team")
    away_id = clubs.by_name(away, f"{where}.away_team")
    if home_id == away_id:
        raise FieldError(f"{where}: the home and away clubs are the same")
    assert isinstance(home, str)
    assert isinstance(away, str)
    commence = instant(game.get("commence_time"), f"{where}.commence_time")
    try:
        checks.check_season(commence.astimezone(EASTERN).year)
    except checks.SeasonRangeError as error:
        raise FieldError(f"{where}.commence_time: {error}") from None
    return Event(event_id.strip() if event_id else None, commence, home_id, away_id, home, away)


def observations(
    event: Event,
    market: Mapping[str, Any],
    book_update: object,
    odds_format: OddsFormat,
    where: str,
) -> tuple[dt.datetime, list[tuple[Market, Side, Decimal | None, int]]]:
    kind = MARKETS[str(market.get("key"))]
    updated = market.get("last_update", book_update)
    observed_at = instant(updated, f"{where}.last_update")
    checks.near_first_pitch(f"{where}.last_update", observed_at, event.commence_at)
    outcomes = market.get("outcomes")
    if not isinstance(outcomes, list) or not outcomes:
        raise FieldError(f"{where}.outcomes is missing")
    quotes: list[tuple[Market, Side, Decimal | None, int]] = []
    for k, outcome in enumerate(outcomes):
        at = f"{where}.outcomes[{k}]"
        if not isinstance(outcome, Mapping):
            raise FieldError(f"{at}: not a JSON object")
        name = outcome.get("name")
        if kind is Market.TOTAL:
            side = {"over": Side.OVER, "under": Side.UNDER}.get(str(name).lower())
            if side is None:
                raise FieldError(f"{at}: name {name!r} is neither Over nor Under")
        elif name == event.home_name:
            side = Side.HOME
        elif name == event.away_name:
            side = Side.AWAY
        else:
            clubs = f"{event.home_name} nor {event.away_name}"
            raise FieldError(f"{at}: name {name!r} is neither {clubs}")
        line = None if kind is Market.MONEYLINE else point(outcome, at)
        if kind is Market.TOTAL and line is not None and line <= 0:
            raise FieldError(f"{at}: total {line} is not positive")
        quotes.append((kind, side, line, american(outcome.get("price"), odds_format, at)))
    if len({q[1] for q in quotes}) != len(quotes):
        raise FieldError(f"{where}: a side is quoted twice")
    return observed_at, quotes


@dataclass
class Plan:
    """What an event's game will be: a stored game (attached to the event when first used) or
    one to create with its game number, only once something of the event is imported."""

    game_id: int | None
    attach: bool = False
    number: int = 1


class EventGames:
    """Our game for each Odds API event: attached before, found by clubs and date, or created.

    Every event of a file is planned first, in commence_time order (a doubleheader's earlier
    event takes the earlier game), writing nothing; `game_id` then attaches or creates the
    planned game when an event has something to import, so an event from which nothing is
    imported creates no game.
    """

    def __init__(self, repository: UnifiedRepository) -> None:
        self.repository = repository
        self.plans: dict[object, Plan | FieldError] = {}
        self.claimed: set[int] = set()
        self.numbers: dict[tuple[dt.date, int, int], set[int]] = {}
        self.created = 0

    @staticmethod
    def key(event: Event) -> object:
        return event.event_id or (event.home_team_id, event.away_team_id, event.commence_at)

    async def plan(self, event: Event) -> None:
        key = self.key(event)
        if key in self.plans:
            return
        try:
            game = None
            if event.event_id is not None:
                games = self.repository.games
                game = await games.find_game_by_odds_api_event(event_id=event.event_id)
            if game is not None:
                plan = Plan(game.game_id)
            elif (found := await self._find(event)) is not None:
                self.claimed.add(found.game_id)
                plan = Plan(found.game_id, attach=event.event_id is not None)
            else:
                plan = Plan(None, number=await self._number(event))
        except FieldError as error:
            self.plans[key] = error
            return
        self.plans[key] = plan

    async def game_id(self, event: Event) -> int:
        await self.plan(event)
        plan = self.plans[self.key(event)]
        if isinstance(plan, FieldError):
            raise FieldError(str(plan))
        if plan.game_id is None:
            plan.game_id = (await self._create(event, plan.number)).game_id
            self.created += 1
        elif plan.attach:
            assert event.event_id is not None  # only a named event attaches
            await self.repository.games.attach_odds_api_event(
                game_id=plan.game_id, event_id=event.event_id
            )
            plan.attach = False
        return plan.game_id

    async def _same_day(self, event: Event) -> list[Game]:
        return [
            g
            for g in await self.repository.games.find_games_of_clubs(
                home_id=event.home_team_id,
                away_id=event.away_team_id,
                first_day=event.local_date,
                last_day=event.local_date,
            )
        ]

    async def _find(self, event: Event) -> Game | None:
        free = [
            g
            for g in await self._same_day(event)
            # a v3 game (no event id) may be one a v4 snapshot named
            if (g.odds_api_event_id is None or event.event_id is None)
            and g.game_id not in self.claimed
        ]
        timed = [
            g
            for g in free
            if g.first_pitch_at is not None
            and abs(g.first_pitch_at - event.commence_at) <= SAME_START
        ]
        if timed:
            return min(timed, key=lambda g: abs(g.first_pitch_at - event.commence_at))  # type: ignore[operator]
        untimed = [g for g in free if g.first_pitch_at is None]
        candidates = untimed if untimed else (free if len(free) == 1 else [])
        # Events are planned in commence_time order: the earliest free game number is this one.
        return min(candidates, key=lambda g: g.game_number) if candidates else None

    async def _number(self, event: Event) -> int:
        slot = (event.local_date, event.home_team_id, event.away_team_id)
        taken = {g.game_number for g in await self._same_day(event)} | self.numbers.get(slot, set())
        number = next((n for n in (1, 2) if n not in taken), None)
        if number is None:
            raise FieldError(
                f"a third game of {event.away_name} at {event.home_name} on {event.local_date}"
            )
        self.numbers.setdefault(slot, set()).add(number)
        return number

    async def _create(self, event: Event, number: int) -> Game:
        game = await self.repository.games.create_feed_game(
            CreateFeedGameParams(
                odds_api_event_id=event.event_id,
                official_date=event.local_date,
                home_team_id=event.home_team_id,
                away_team_id=event.away_team_id,
                game_number=number,
                first_pitch_at=event.commence_at,
                season=event.local_date.year,
                source=DataSource.ODDS_API,
            )
        )
        assert game is not None  # an INSERT ... RETURNING returns its row
        return game


class Bookmakers:
    """Our sportsbook for each bookmaker key; unknown ones rejected, or added when asked."""

    def __init__(self, repository: UnifiedRepository, *, add_books: bool) -> None:
        self.repository = repository
        self.add_books = add_books
        self.known: dict[str, int] = {}

    async def sportsbook_id(self, key: str, title: object) -> int:
        if key in self.known:
            return self.known[key]
        checks.text(key, "bookmaker key")
        books = self.repository.sportsbooks
        book = await books.resolve_sportsbook(source=DataSource.ODDS_API, external_id=key)
        if book is None:
            book = await books.get_sportsbook_by_key(key=key)
        if book is None and self.add_books:
            name = title if isinstance(title, str) and title.strip() else key
            try:
                async with self.repository.transaction() as tx:
                    book = await tx.sportsbooks.upsert_sportsbook(
                        key=key, name=name.strip(), is_active=True
                    )
                    assert book is not None
                    await tx.sportsbooks.map_sportsbook(
                        source=DataSource.ODDS_API,
                        external_id=key,
                        sportsbook_id=book.sportsbook_id,
                    )
            except BetdbError as error:
                raise FieldError(f"bookmaker {key!r} could not be added: {error}") from None
        if book is None:
            raise FieldError(
                f"unknown bookmaker {key!r} ({title}): not a betdb sportsbook (--add-books adds it)"
            )
        self.known[key] = book.sportsbook_id
        return book.sportsbook_id


@dataclass
class Quote:
    rejection: Rejection
    rows: list[CopyOddsValues]


BATCH_ROWS = 5000
"""Observations held before they are written (still one transaction a file)."""


def event_head(game: object) -> object:
    return (
        {k: v for k, v in game.items() if k != "bookmakers"} if isinstance(game, Mapping) else game
    )


async def import_odds_api(
    repository: UnifiedRepository,
    path: Path,
    *,
    odds_format: OddsFormat | None = None,
    add_books: bool = False,
    include_live: bool = False,
    rejects: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
    report: ImportReport | None = None,
    max_item_bytes: int = MAX_ITEM_BYTES,
    api_version: ApiVersion | None = None,
) -> ImportReport:
    """Import one saved Odds API response (v4, or v3 detected per game or forced with
    `api_version`); see the module docstring.

    The file is read twice, a game at a time (jsonstream): first to plan each event's game in
    commence_time order and to detect the prices' format, then to import its markets.
    """
    started = time.perf_counter()
    path = Path(path)
    report = report if report is not None else ImportReport(path=path)
    rejects_file = JsonRejects(path, Path(rejects) if rejects else default_rejects_path(path))
    clubs = await Clubs.load(repository)
    survey = PriceSurvey()
    heads: list[tuple[dt.datetime, int, Event]] = []
    games = JsonStream(path, keys=("data",), max_item_bytes=max_item_bytes)
    for i, item in enumerate(games):
        game = as_v4(item, i, api_version)
        survey.add(game)
        try:
            event = read_event(game, f"[{i}]", clubs)
        except FieldError:
            continue
        heads.append((event.commence_at, i, event))
    if games.found is None:
        if api_version is ApiVersion.V3:
            raise ImportFileError(
                path, 'not an Odds API v3 response: expected {"success", "data": [...]}'
            )
        raise ImportFileError(path, "not an Odds API odds response: expected a list of games")
    price_format = odds_format or survey.format(path)
    heads.sort(key=lambda head: (head[0], head[1]))  # first pitch in time, not as text

    def reject(where: str, reason: str, record: object) -> None:
        rejection = Rejection(0, reason, record_text(record), where)
        report.rejected.append(rejection)
        rejects_file.write(rejection)

    with completing(report, rejects_file, started):
        async with repository.transaction() as tx:
            events = EventGames(tx)
            for _, _, event in heads:
                await events.plan(event)
            del heads
            bookmakers = Bookmakers(tx, add_books=add_books)
            quotes: list[Quote] = []
            pending = 0
            for i, item in enumerate(
                JsonStream(path, keys=("data",), max_item_bytes=max_item_bytes)
            ):
                game = as_v4(item, i, api_version)
                rows, markets = await import_game(
                    game, i, clubs, events, bookmakers, price_format, include_live, quotes,
                    report, reject,
                )  # fmt: skip
                pending += rows
                if on_progress is not None:
                    on_progress(markets)
                if pending >= BATCH_ROWS:
                    await store(tx, quotes, report)
                    quotes, pending = [], 0
            await store(tx, quotes, report)
            report.games_created = events.created
            report.in_doubt = report.imported + report.updated  # the COMMIT comes next
        report.committed, report.in_doubt = report.in_doubt, 0
    return report


async def import_game(
    game: object,
    i: int,
    clubs: Clubs,
    events: EventGames,
    bookmakers: Bookmakers,
    price_format: OddsFormat,
    include_live: bool,
    quotes: list[Quote],
    report: ImportReport,
    reject: Callable[[str, str, object], None],
) -> tuple[int, int]:
    """One game's markets read, checked and added to `quotes`: the rows added, and the
    markets read."""
    books = game.get("bookmakers") if isinstance(game, Mapping) else None
    markets_of = [
        (j, book, k, market)
        for j, book in enumerate(books if isinstance(books, list) else [])
        for k, market in enumerate(listed(book, "markets"))
    ]
    report.line = i + 1
    try:
        event = read_event(game, f"[{i}]", clubs)
    except FieldError as error:
        # Every market of the game is a record, all rejected for the one reason.
        report.read += max(len(markets_of), 1)
        for _ in range(max(len(markets_of), 1)):
            reject(located(game, f"[{i}]"), str(error), event_head(game))
        return 0, len(markets_of)
    read: list[tuple[str, Mapping[str, Any], int, dt.datetime, list[Observed]]] = []
    for j, book, k, market in markets_of:
        where = located(market, f"[{i}].bookmakers[{j}].markets[{k}]")
        report.read += 1
        key = market.get("key") if isinstance(market, Mapping) else None
        if key not in MARKETS or not isinstance(market, Mapping):
            report.skip(f"market {shortened(repr(key), 60)} is not kept")
            continue
        try:
            sportsbook_id = await bookmakers.sportsbook_id(str(book.get("key")), book.get("title"))
            observed_at, quoted = observations(
                event, market, book.get("last_update"), price_format, where
            )
        except FieldError as error:
            reject(where, str(error), market)
            continue
        if observed_at >= event.commence_at and not include_live:
            report.skip("quoted at or after commence_time (live)")
            continue
        try:
            for row in odds_rows(0, sportsbook_id, observed_at, quoted):
                checks.check_odds_row(row, where)
        except FieldError as error:
            reject(where, str(error), market)
            continue
        read.append((where, market, sportsbook_id, observed_at, quoted))
    added = 0
    if read:
        try:
            game_id = await events.game_id(event)
        except FieldError as error:
            for where, market, *_ in read:
                reject(where, str(error), market)
            return 0, len(markets_of)
        for where, _, sportsbook_id, observed_at, quoted in read:
            rows = odds_rows(game_id, sportsbook_id, observed_at, quoted)
            quotes.append(Quote(Rejection(0, "", "", where), rows))
            added += len(rows)
    return added, len(markets_of)


Observed = tuple[Market, Side, Decimal | None, int]


def odds_rows(
    game_id: int, sportsbook_id: int, observed_at: dt.datetime, quoted: list[Observed]
) -> list[CopyOddsValues]:
    return [
        (game_id, sportsbook_id, kind, side, line, price, observed_at,
         False, False, None, DataSource.ODDS_API)
        for kind, side, line, price in quoted
    ]  # fmt: skip


async def store(tx: UnifiedRepository, quotes: list[Quote], report: ImportReport) -> None:
    """Each quote's observations, unless stored already (then the quote is a duplicate)."""
    flat = [(q, row) for q in quotes for row in q.rows]
    stored: set[int] = set()
    if flat:
        found = await tx.imports.find_stored_odds(
            FindStoredOddsParams(
                game_ids=[r[0] for _, r in flat],
                markets=[r[2] for _, r in flat],
                sportsbook_ids=[r[1] for _, r in flat],
                sides=[r[3] for _, r in flat],
                observed_ats=[r[6] for _, r in flat],
                lines=[r[4] for _, r in flat],
            )
        )
        stored = {row.position - 1 for row in found if row.position is not None}
    fresh: list[CopyOddsValues] = []
    seen: set[tuple[object, ...]] = set()
    position = 0
    for quote in quotes:
        new = []
        for row in quote.rows:
            identity = (row[0], row[1], row[2], row[3], row[6], row[4])
            if position not in stored and identity not in seen:
                new.append(row)
                seen.add(identity)
            position += 1
        if new:
            report.imported += 1
            fresh += new
        else:
            report.duplicates += 1
    if fresh:
        await tx.odds.copy_odds(fresh)
