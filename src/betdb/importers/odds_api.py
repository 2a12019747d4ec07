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
of ``commence_time``; a game not stored yet is created with the event id, so the next snapshot
finds it and a later Stats API schedule attaches its gamePk to it. Bookmakers map through
``sportsbook_mappings`` (source ``odds_api``) or our own book keys; an unknown one is rejected
with its key, or added as a new sportsbook with ``add_books``.

An observation already stored counts its record as a duplicate. Each file is one transaction:
nothing is half-written if the database fails, and a re-run imports the file whole. Several
snapshots (a directory) import as a history, oldest file name first.

A v3 response (``{"success", "data"}`` of games with ``teams`` and ``sites``) is detected, or
forced with ``api_version``, and read as v4 events (odds_api_v3).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
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
from betdb.importers.documents import Clubs, JsonRejects, default_rejects_path, load_json
from betdb.importers.fields import FieldError
from betdb.importers.odds_api_v3 import (
    V3_PROBLEM,
    ApiVersion,
    detect_version,
    located,
    v3_events,
)
from betdb.importers.report import ImportFileError, ImportReport, Rejection
from betdb.odds import decimal_to_american

# The calendar MLB's official dates follow for games in the US and Canada.
EASTERN = ZoneInfo("America/New_York")
MARKETS = {"h2h": Market.MONEYLINE, "spreads": Market.RUN_LINE, "totals": Market.TOTAL}
# A first pitch within this of commence_time is the same game of a doubleheader.
SAME_START = dt.timedelta(hours=3)


class OddsFormat(StrEnum):
    AMERICAN = "american"
    DECIMAL = "decimal"


def detect_format(path: Path, games: Sequence[object]) -> OddsFormat:
    """American when a price is -100 or below or a whole 100 up everywhere; decimal when every
    price lies between 1 and 100 with fractions among them; otherwise the user must say."""
    prices = [
        outcome.get("price")
        for game in games
        if isinstance(game, Mapping)
        for book in game.get("bookmakers") or []
        if isinstance(book, Mapping)
        for market in book.get("markets") or []
        if isinstance(market, Mapping)
        for outcome in market.get("outcomes") or []
        if isinstance(outcome, Mapping)
    ]
    numbers = [p for p in prices if isinstance(p, int | float) and not isinstance(p, bool)]
    if not numbers:
        return OddsFormat.AMERICAN
    if any(p <= -100 for p in numbers):
        return OddsFormat.AMERICAN
    if all(1 < p < 100 for p in numbers) and any(float(p) != int(p) for p in numbers):
        return OddsFormat.DECIMAL
    if all(p >= 100 for p in numbers):
        return OddsFormat.AMERICAN
    raise ImportFileError(path, "cannot tell American from decimal prices: give --odds-format")


def american(price: object, odds_format: OddsFormat, where: str) -> int:
    if isinstance(price, bool) or not isinstance(price, int | float):
        raise FieldError(f"{where}: price {price!r} is not a number")
    if odds_format is OddsFormat.DECIMAL:
        try:
            return decimal_to_american(Decimal(str(price)))
        except (ValueError, InvalidOperation):
            raise FieldError(f"{where}: decimal price {price!r} is not above 1") from None
    if float(price) != int(price) or -100 < price < 100:
        raise FieldError(f"{where}: price {price!r} is not American odds (-100 or below, 100 up)")
    return int(price)


def instant(value: object, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise FieldError(f"{where} {value!r} is not an ISO 8601 time") from None
    if moment.utcoffset() is None:
        raise FieldError(f"{where} {value!r} has no UTC offset")
    return moment


def point(outcome: Mapping[str, Any], where: str) -> Decimal:
    value = outcome.get("point")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(f"{where}: point {value!r} is not a number")
    line = Decimal(str(value))
    if abs(line) >= 1000 or line != line.quantize(Decimal("0.01")):
        raise FieldError(f"{where}: point {value!r} is not a line")
    return line


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
    home, away = game.get("home_team"), game.get("away_team")
    home_id = clubs.by_name(home, f"{where}.home_team")
    away_id = clubs.by_name(away, f"{where}.away_team")
    if home_id == away_id:
        raise FieldError(f"{where}: the home and away clubs are the same")
    assert isinstance(home, str)
    assert isinstance(away, str)
    commence = instant(game.get("commence_time"), f"{where}.commence_time")
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


class EventGames:
    """Our game for each Odds API event: attached before, found by clubs and date, or created."""

    def __init__(self, repository: UnifiedRepository) -> None:
        self.repository = repository
        self.known: dict[object, int] = {}

    async def game_id(self, event: Event) -> int:
        key = event.event_id or (event.home_team_id, event.away_team_id, event.commence_at)
        if key in self.known:
            return self.known[key]
        games = self.repository.games
        game = None
        if event.event_id is not None:
            game = await games.find_game_by_odds_api_event(event_id=event.event_id)
        if game is None:
            game = await self._find(event)
            if game is not None and event.event_id is not None:
                await games.attach_odds_api_event(game_id=game.game_id, event_id=event.event_id)
        if game is None:
            game = await self._create(event)
        self.known[key] = game.game_id
        return game.game_id

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
        # A v3 game (no event id) may be one a v4 snapshot named.
        free = [
            g
            for g in await self._same_day(event)
            if g.odds_api_event_id is None or event.event_id is None
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
        # Events come in commence_time order: the earliest free game number is this one.
        return min(candidates, key=lambda g: g.game_number) if candidates else None

    async def _create(self, event: Event) -> Game:
        taken = {g.game_number for g in await self._same_day(event)}
        number = next((n for n in (1, 2) if n not in taken), None)
        if number is None:
            raise FieldError(
                f"a third game of {event.away_name} at {event.home_name} on {event.local_date}"
            )
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


async def import_odds_api(
    repository: UnifiedRepository,
    path: Path,
    *,
    odds_format: OddsFormat | None = None,
    add_books: bool = False,
    include_live: bool = False,
    rejects: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
    api_version: ApiVersion | None = None,
) -> ImportReport:
    """Import one saved Odds API response (v4, or v3 detected or forced with `api_version`);
    see the module docstring."""
    started = time.perf_counter()
    path = Path(path)
    document = load_json(path)
    if (api_version or detect_version(document)) is ApiVersion.V3:
        document = v3_events(path, document)
    games = document if isinstance(document, list) else None
    if games is None and isinstance(document, Mapping) and isinstance(document.get("data"), list):
        games = document["data"]  # the response body as some clients save it
    if games is None:
        raise ImportFileError(path, "not an Odds API odds response: expected a list of games")
    price_format = odds_format or detect_format(path, games)
    report = ImportReport(path=path)
    rejects_file = JsonRejects(path, Path(rejects) if rejects else default_rejects_path(path))
    clubs = await Clubs.load(repository)

    def reject(where: str, reason: str, record: object) -> None:
        rejection = Rejection(0, reason, json.dumps(record, ensure_ascii=False), where)
        report.rejected.append(rejection)
        rejects_file.write(rejection)

    try:
        async with repository.transaction() as tx:
            events = EventGames(tx)
            bookmakers = Bookmakers(tx, add_books=add_books)
            quotes: list[Quote] = []
            order = sorted(
                range(len(games)),
                key=lambda i: (
                    str(games[i].get("commence_time")) if isinstance(games[i], Mapping) else ""
                ),
            )
            for i in order:
                game = games[i]
                books = game.get("bookmakers") if isinstance(game, Mapping) else None
                markets_of = [
                    (j, book, k, market)
                    for j, book in enumerate(books if isinstance(books, list) else [])
                    for k, market in enumerate(
                        book.get("markets") or [] if isinstance(book, Mapping) else []
                    )
                ]
                try:
                    event = read_event(game, f"[{i}]", clubs)
                    game_id = await events.game_id(event)
                except FieldError as error:
                    # Every market of the game is a record, all rejected for the one reason.
                    head = (
                        {k: v for k, v in game.items() if k != "bookmakers"}
                        if isinstance(game, Mapping)
                        else game
                    )
                    report.read += max(len(markets_of), 1)
                    for _ in range(max(len(markets_of), 1)):
                        reject(located(game, f"[{i}]"), str(error), head)
                    continue
                for j, book, k, market in markets_of:
                    where = located(market, f"[{i}].bookmakers[{j}].markets[{k}]")
                    report.read += 1
                    key = market.get("key") if isinstance(market, Mapping) else None
                    if key not in MARKETS:
                        report.skip(f"market {key!r} is not kept")
                        continue
                    try:
                        sportsbook_id = await bookmakers.sportsbook_id(
                            str(book.get("key")), book.get("title")
                        )
                        observed_at, quoted = observations(
                            event, market, book.get("last_update"), price_format, where
                        )
                    except FieldError as error:
                        reject(where, str(error), market)
                        continue
                    if observed_at >= event.commence_at and not include_live:
                        report.skip("quoted at or after commence_time (live)")
                        continue
                    rows: list[CopyOddsValues] = [
                        (game_id, sportsbook_id, kind, side, line, price, observed_at,
                         False, False, None, DataSource.ODDS_API)
                        for kind, side, line, price in quoted
                    ]  # fmt: skip
                    quotes.append(Quote(Rejection(0, "", json.dumps(market), where), rows))
                if on_progress is not None:
                    on_progress(len(markets_of))
            await store(tx, quotes, report)
    finally:
        rejects_file.close()
    report.rejects_path = rejects_file.path if rejects_file.written else None
    report.seconds = time.perf_counter() - started
    return report


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
