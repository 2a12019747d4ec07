"""Action Network's MLB scoreboard (``/web/v1/scoreboard/mlb``, and the v2 scoreboard) as
saved: games, each book's odds and the public betting splits.

The document is ``{"league", "games": [...]}``. Records, each counted once:
- each game (created, updated when it gains its Action Network id or a new state, unchanged);
- each ``odds[]`` entry's market with a price (moneyline ``ml_home``/``ml_away``; run line
  ``spread_home``/``spread_away`` with prices ``spread_home_line``/``spread_away_line``;
  total ``total`` with prices ``over``/``under``): one observation per side at the entry's
  ``inserted`` time, under the book its ``book_id`` maps to (action_network_books);
- each entry's market with split keys: ``*_public`` (share of bets) and ``*_money`` (share of
  money), integer percents stored as fractions in ``betting_splits`` at ``inserted``.
Entries of a ``type`` other than ``game`` (period markets) are skipped and counted, as are
prices observed at or after first pitch (unless ``include_live``), splits whose percents are
all null, and entries that carry nothing. An unmapped book id rejects its entry's prices with
the id named (its splits are the game's, and are kept). Any key may be absent or null.

Games are found by ``action_network_game_id``, else among stored games by US local date
(``start_time`` on the Eastern calendar: a 02:00Z start is the previous evening's game), clubs
and first pitch, else created with the id, so a later Stats API schedule attaches its gamePk to
the same row. Clubs are Action Network's own team ids, matched through the team's full name and
abbreviation. ``type`` is the season type (``reg``, ``post``, ``pre``) and ``real_status`` (else
``status``) the game's state; one betdb does not know is reported as a warning, not guessed.

The file is one transaction: nothing is half-written, and a re-run imports it whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from betdb import UnifiedRepository
from betdb.generated.games import CreateActionNetworkGameParams, SetActionNetworkGameStateParams
from betdb.generated.imports import InsertBettingSplitParams
from betdb.generated.models import (
    DataSource,
    Game,
    GameStatus,
    GameType,
    Market,
    SeasonType,
    Side,
)
from betdb.generated.odds import CopyOddsValues
from betdb.importers.action_network_books import ActionNetworkBooks, BookKind, book_map
from betdb.importers.documents import Clubs, JsonRejects, default_rejects_path, load_json
from betdb.importers.fields import FieldError, check_moment, near_first_pitch
from betdb.importers.odds_api import (
    EASTERN,
    SAME_START,
    OddsFormat,
    Quote,
    american,
    instant,
    store,
)
from betdb.importers.rejects import completing
from betdb.importers.report import ImportFileError, ImportReport, Rejection

STATUSES = {
    "scheduled": GameStatus.SCHEDULED, "created": GameStatus.SCHEDULED,
    "pregame": GameStatus.PRE_GAME, "inprogress": GameStatus.LIVE, "live": GameStatus.LIVE,
    "complete": GameStatus.FINAL, "closed": GameStatus.FINAL, "final": GameStatus.FINAL,
    "postponed": GameStatus.POSTPONED, "cancelled": GameStatus.CANCELLED,
    "canceled": GameStatus.CANCELLED, "suspended": GameStatus.SUSPENDED,
    "delayed": GameStatus.DELAYED,
}  # fmt: skip
SEASON_TYPES = {
    "reg": (SeasonType.REGULAR, GameType.REGULAR),
    "post": (SeasonType.POSTSEASON, GameType.POSTSEASON),
    "pre": (SeasonType.PRESEASON, GameType.SPRING),
}
# Per market: each side with its price key and line key (None: the market has no line).
PRICES: dict[Market, tuple[tuple[Side, str, str | None], ...]] = {
    Market.MONEYLINE: ((Side.HOME, "ml_home", None), (Side.AWAY, "ml_away", None)),
    Market.RUN_LINE: (
        (Side.HOME, "spread_home_line", "spread_home"),
        (Side.AWAY, "spread_away_line", "spread_away"),
    ),
    Market.TOTAL: ((Side.OVER, "over", "total"), (Side.UNDER, "under", "total")),
}
# Per market: each side with its split keys' stem.
SPLITS: dict[Market, tuple[tuple[Side, str], ...]] = {
    Market.MONEYLINE: ((Side.HOME, "ml_home"), (Side.AWAY, "ml_away")),
    Market.RUN_LINE: ((Side.HOME, "spread_home"), (Side.AWAY, "spread_away")),
    Market.TOTAL: ((Side.OVER, "total_over"), (Side.UNDER, "total_under")),
}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class AnGame:
    an_id: int
    start: dt.datetime
    home_id: int
    away_id: int
    season: int
    season_type: SeasonType
    game_type: GameType
    status: GameStatus | None

    @property
    def local_date(self) -> dt.date:
        return self.start.astimezone(EASTERN).date()


def looks_like(document: object) -> str:
    """What a JSON document that is not a scoreboard looks like, for the one-line refusal."""
    if isinstance(document, Mapping):
        if "success" in document and "data" in document:
            return "an Odds API v3 response (betdb import odds-api)"
        if "dates" in document:
            return "a Stats API schedule (betdb import schedule)"
        games = document.get("games")
        if isinstance(games, list) and any(
            isinstance(g, Mapping) and "sportsbooks" in g for g in games
        ):
            return "a SportsBettingDime document (betdb import sbd)"
        return f"a JSON object with the keys {', '.join(sorted(map(str, document))[:6]) or 'none'}"
    if isinstance(document, list):
        if any(isinstance(g, Mapping) and "bookmakers" in g for g in document):
            return "an Odds API v4 response (betdb import odds-api)"
        return "a JSON list"
    return f"a JSON {type(document).__name__}"


def whole(value: object, where: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(f"{where} {value!r} is not a whole number")
    if isinstance(value, float) and not value.is_integer():
        raise FieldError(f"{where} {value!r} is not a whole number")
    return int(value)


def finite(value: object) -> bool:
    """A JSON number that is a real number (json reads NaN and Infinity too)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def an_instant(value: object, where: str) -> dt.datetime:
    moment = instant(value, where)
    check_moment(where, value, moment)
    return moment


class Teams:
    """Our club for each Action Network team id, through the team's full name or abbreviation."""

    def __init__(self, clubs: Clubs) -> None:
        self.clubs = clubs

    def club(self, game: Mapping[str, Any], which: str, where: str) -> int:
        team_id = game.get(f"{which}_team_id")
        teams = game.get("teams")
        team = next(
            (t for t in teams if isinstance(t, Mapping) and t.get("id") == team_id),
            None,
        ) if isinstance(teams, list) and team_id is not None else None  # fmt: skip
        if team is None:
            raise FieldError(f"{where}.{which}_team_id {team_id!r} is not one of the game's teams")
        found: set[int] = set()
        for key in ("full_name", "display_name"):
            with contextlib.suppress(FieldError):
                found.add(self.clubs.by_name(team.get(key), f"{where}.teams.{key}"))
        abbr = team.get("abbr")
        with contextlib.suppress(FieldError):
            found.add(self.clubs.by_code(abbr, f"{where}.teams.abbr"))
        if len(found) > 1:
            raise FieldError(
                f"{where}: team {team_id} names two clubs ({team.get('full_name')!r}, {abbr!r})"
            )
        if not found:
            raise FieldError(
                f"{where}: team {team_id} ({team.get('full_name')!r}, {abbr!r}) is not a club"
                " betdb knows by name or abbreviation"
            )
        return found.pop()


def read_game(game: object, where: str, teams: Teams, report: ImportReport) -> AnGame:
    if not isinstance(game, Mapping):
        raise FieldError(f"{where}: not a JSON object")
    an_id = whole(game.get("id"), f"{where}.id")
    if not 0 < an_id <= 2**31 - 1:
        raise FieldError(f"{where}.id {an_id} is not an Action Network game id")
    if game.get("start_time") is None:
        raise FieldError(f"{where}.start_time is missing")
    start = an_instant(game["start_time"], f"{where}.start_time")
    home, away = teams.club(game, "home", where), teams.club(game, "away", where)
    if home == away:
        raise FieldError(f"{where}: the home and away clubs are the same")
    kind = game.get("type")
    season_type, game_type = SEASON_TYPES.get(str(kind).lower(), (None, None))
    if season_type is None or game_type is None:
        report.warnings.append(
            Rejection(
                0, f"type {kind!r} is not a season type betdb knows: stored as regular", "", where
            )
        )
        season_type, game_type = SeasonType.REGULAR, GameType.REGULAR
    state = game.get("real_status") or game.get("status")
    status = STATUSES.get(str(state).lower().replace("_", "").replace(" ", ""))
    if status is None:
        report.warnings.append(
            Rejection(
                0, f"status {state!r} is not a state betdb knows: the game's state is left as"
                " stored (scheduled when new)", "", where,
            )
        )  # fmt: skip
    season = game.get("season")
    local = start.astimezone(EASTERN).date()
    year = int(season) if isinstance(season, int | str) and str(season).isdigit() else local.year
    return AnGame(an_id, start, home, away, year, season_type, game_type, status)


class AnGames:
    """Our game for each Action Network game: by its id, by date, clubs and start, or created."""

    def __init__(self, repository: UnifiedRepository) -> None:
        self.repository = repository

    async def game_id(self, game: AnGame) -> tuple[int, str]:
        """The game and what happened to it: created, updated or unchanged."""
        games = self.repository.games
        found = await games.find_game_by_external_id(
            source=DataSource.ACTION_NETWORK, external_id=str(game.an_id)
        )
        outcome = "unchanged"
        if found is None:
            found = await self._find(game)
            if found is None:
                return await self._create(game), "created"
            await games.attach_action_network_game(
                action_network_game_id=game.an_id, game_id=found.game_id
            )
            outcome = "updated"
        changed = await games.set_action_network_game_state(
            SetActionNetworkGameStateParams(
                status=game.status, first_pitch_at=game.start, season_type=game.season_type,
                game_type=game.game_type, game_id=found.game_id,
            )
        )  # fmt: skip
        return found.game_id, "updated" if changed else outcome

    async def _same_day(self, game: AnGame) -> list[Game]:
        return await self.repository.games.find_games_of_clubs(
            home_id=game.home_id,
            away_id=game.away_id,
            first_day=game.local_date,
            last_day=game.local_date,
        )

    async def _find(self, game: AnGame) -> Game | None:
        free = [g for g in await self._same_day(game) if g.action_network_game_id is None]
        timed = [
            g
            for g in free
            if g.first_pitch_at is not None and abs(g.first_pitch_at - game.start) <= SAME_START
        ]
        if timed:
            return min(timed, key=lambda g: abs(g.first_pitch_at - game.start))  # type: ignore[operator]
        untimed = [g for g in free if g.first_pitch_at is None]
        candidates = untimed if untimed else (free if len(free) == 1 else [])
        # Games are read in start order: the earliest free game number is this one.
        return min(candidates, key=lambda g: g.game_number) if candidates else None

    async def _create(self, game: AnGame) -> int:
        taken = {g.game_number for g in await self._same_day(game)}
        number = next((n for n in (1, 2) if n not in taken), None)
        if number is None:
            raise FieldError(f"a third game of these clubs on {game.local_date}")
        created = await self.repository.games.create_action_network_game(
            CreateActionNetworkGameParams(
                action_network_game_id=game.an_id, official_date=game.local_date,
                home_team_id=game.home_id, away_team_id=game.away_id, game_number=number,
                first_pitch_at=game.start, season=game.season, season_type=game.season_type,
                game_type=game.game_type, status=game.status,
            )
        )  # fmt: skip
        assert created is not None  # an INSERT ... RETURNING returns its row
        return created.game_id


def present(entry: Mapping[str, Any], *keys: str | None) -> bool:
    return any(key is not None and entry.get(key) is not None for key in keys)


def market_prices(
    entry: Mapping[str, Any], market: Market, where: str
) -> list[tuple[Side, Decimal | None, int]]:
    """Each quoted side's line and American price; a side with a line but no price (or the
    reverse) is a FieldError."""
    quotes: list[tuple[Side, Decimal | None, int]] = []
    for side, price_key, line_key in PRICES[market]:
        price, line_value = entry.get(price_key), None if line_key is None else entry.get(line_key)
        if price is None and line_value is None:
            continue
        if price is None:
            raise FieldError(
                f"{where}.{line_key} {line_value!r} has no price ({price_key} is null)"
            )
        if line_key is not None and line_value is None:
            raise FieldError(f"{where}.{price_key} {price!r} has no line ({line_key} is null)")
        line = None
        if line_key is not None:
            if not finite(line_value):
                raise FieldError(f"{where}.{line_key} {line_value!r} is not a number")
            line = Decimal(str(line_value))
            if abs(line) >= 1000 or line != line.quantize(Decimal("0.01")):
                raise FieldError(f"{where}.{line_key} {line_value!r} is not a line")
            if market is Market.TOTAL and line <= 0:
                raise FieldError(f"{where}.{line_key} {line_value!r} is not a positive total")
        if not finite(price):
            raise FieldError(f"{where}.{price_key} {price!r} is not a price")
        quotes.append((side, line, american(price, OddsFormat.AMERICAN, f"{where}.{price_key}")))
    return quotes


def percent(entry: Mapping[str, Any], key: str, where: str) -> Decimal | None:
    value = entry.get(key)
    if value is None:
        return None
    if not finite(value) or not 0 <= value <= 100:
        raise FieldError(f"{where}.{key} {value!r} is not a percent from 0 to 100")
    return (Decimal(str(value)) / HUNDRED).quantize(Decimal("0.0001"))


def split_keys(market: Market) -> list[str]:
    return [f"{stem}_{kind}" for _, stem in SPLITS[market] for kind in ("public", "money")]


@dataclass
class Counter:
    report: ImportReport
    rejects: JsonRejects

    def reject(self, where: str, reason: str, record: object) -> None:
        rejection = Rejection(0, reason, json.dumps(record, ensure_ascii=False, default=str), where)
        self.report.rejected.append(rejection)
        self.rejects.write(rejection)


async def import_action_network(
    repository: UnifiedRepository,
    path: Path,
    *,
    books: Path | None = None,
    include_live: bool = False,
    rejects: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one saved Action Network scoreboard; see the module docstring. `books` is a CSV
    that adds to or overrides the shipped book mapping."""
    started = time.perf_counter()
    path = Path(path)
    mapping = book_map(Path(books) if books else None)
    document = load_json(path)
    games = document.get("games") if isinstance(document, Mapping) else None
    if not isinstance(games, list) or any(
        isinstance(g, Mapping) and "sportsbooks" in g for g in games
    ):
        raise ImportFileError(
            path,
            'not an Action Network scoreboard ({"league", "games": [...]}): it looks like'
            f" {looks_like(document)}",
        )
    report = ImportReport(path=path)
    counter = Counter(
        report, JsonRejects(path, Path(rejects) if rejects else default_rejects_path(path))
    )
    teams = Teams(await Clubs.load(repository))
    order = sorted(
        range(len(games)),
        key=lambda i: str(games[i].get("start_time")) if isinstance(games[i], Mapping) else "",
    )
    with completing(report, counter.rejects, started):
        async with repository.transaction() as tx:
            an_games = AnGames(tx)
            an_books = ActionNetworkBooks(tx, mapping)
            quotes: list[Quote] = []
            for i in order:
                game, where = games[i], f"games[{i}]"
                entries = game.get("odds") if isinstance(game, Mapping) else None
                entries = entries if isinstance(entries, list) else []
                report.read += 1
                try:
                    an_game = read_game(game, where, teams, report)
                    game_id, outcome = await an_games.game_id(an_game)
                except FieldError as error:
                    head = (
                        {k: v for k, v in game.items() if k not in ("odds", "teams")}
                        if isinstance(game, Mapping)
                        else game
                    )
                    # The game and every entry of its odds: all rejected for the one reason.
                    report.read += len(entries)
                    for _ in range(len(entries) + 1):
                        counter.reject(where, str(error), head)
                    continue
                if outcome == "created":
                    report.imported += 1
                elif outcome == "updated":
                    report.updated += 1
                else:
                    report.unchanged += 1
                for j, entry in enumerate(entries):
                    await read_entry(
                        tx, counter, an_books, quotes, an_game, game_id, entry,
                        f"{where}.odds[{j}]", include_live=include_live,
                    )  # fmt: skip
                if on_progress is not None:
                    on_progress(len(entries) + 1)
            await store(tx, quotes, report)
    return report


async def read_entry(
    tx: UnifiedRepository,
    counter: Counter,
    books: ActionNetworkBooks,
    quotes: list[Quote],
    game: AnGame,
    game_id: int,
    entry: object,
    where: str,
    *,
    include_live: bool,
) -> None:
    """One book's odds[] entry: a record per market it prices and per market it splits."""
    report = counter.report
    if not isinstance(entry, Mapping):
        report.read += 1
        counter.reject(where, f"{where}: not a JSON object", entry)
        return
    kind = entry.get("type", "game")
    if kind != "game":
        report.read += 1
        report.skip(f"odds of type {kind!r} (not the full game) are not kept")
        return
    priced = [
        m for m, sides in PRICES.items() if present(entry, *(k for s in sides for k in s[1:]))
    ]
    split = [m for m in SPLITS if any(key in entry for key in split_keys(m))]
    if not priced and not split:
        report.read += 1
        report.skip("an odds entry with neither prices nor splits")
        return
    report.read += len(priced) + len(split)
    try:
        inserted = an_instant(entry.get("inserted"), f"{where}.inserted")
        near_first_pitch(entry, "inserted", inserted, game.start)
    except FieldError as error:
        for _ in range(len(priced) + len(split)):
            counter.reject(where, str(error), entry)
        return
    for market in split:
        await read_split(tx, counter, game_id, market, entry, inserted, f"{where}.{market.value}")
    if not priced:
        return
    book_id: object = entry.get("book_id")
    try:
        sportsbook_id, book_kind = await books.sportsbook(whole(book_id, f"{where}.book_id"))
    except FieldError as error:
        for _ in priced:
            counter.reject(where, str(error), entry)
        return
    for market in priced:
        at = f"{where}.{market.value}"
        try:
            quoted = market_prices(entry, market, where)
        except FieldError as error:
            counter.reject(at, str(error), entry)
            continue
        if inserted >= game.start and not include_live:
            report.skip("price observed at or after first pitch (live)")
            continue
        rows: list[CopyOddsValues] = [
            (game_id, sportsbook_id, market, side, line, price, inserted,
             book_kind is BookKind.OPENING, False, None, DataSource.ACTION_NETWORK)
            for side, line, price in quoted
        ]  # fmt: skip
        quotes.append(Quote(Rejection(0, "", "", at), rows))


async def read_split(
    tx: UnifiedRepository,
    counter: Counter,
    game_id: int,
    market: Market,
    entry: Mapping[str, Any],
    captured_at: dt.datetime,
    where: str,
) -> None:
    report = counter.report
    try:
        shares = [
            (
                side,
                stem,
                percent(entry, f"{stem}_public", where),
                percent(entry, f"{stem}_money", where),
            )
            for side, stem in SPLITS[market]
        ]
    except FieldError as error:
        counter.reject(where, str(error), {k: entry.get(k) for k in split_keys(market)})
        return
    if all(bets is None and money is None for _, _, bets, money in shares):
        report.skip("betting splits whose percents are null")
        return
    added = 0
    for side, stem, bets, money in shares:
        if bets is None and money is None:
            continue
        line_key = (
            "total" if market is Market.TOTAL else stem if market is Market.RUN_LINE else None
        )
        line_value = entry.get(line_key) if line_key else None
        line = (
            Decimal(str(line_value)).quantize(Decimal("0.01"))
            if finite(line_value) and abs(line_value) < 1000  # type: ignore[arg-type]
            else None
        )
        added += await tx.imports.insert_betting_split(
            InsertBettingSplitParams(
                game_id=game_id, market=market, side=side, source=DataSource.ACTION_NETWORK,
                line=line, bet_pct=bets, money_pct=money, bet_count=None,
                captured_at=captured_at,
            )
        )  # fmt: skip
    if added:
        report.imported += 1
    else:
        report.duplicates += 1
