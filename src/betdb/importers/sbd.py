"""SportsBettingDime's MLB odds and betting-splits JSON (the ``sbd`` source).

The document is ``{"group", "games": [...]}``; each game names its clubs by code
(``home.code``/``away.code``, through the team aliases), its local date (``gameday``) and start
(``date``, UTC), and carries ``sportsbooks[]`` (each book's ``odds.moneyline``, ``.spread`` and
``.total`` as strings: ``"-118"``, points ``"+1.5"``) and ``bettingSplits`` (``moneyline``,
``spread``, ``total``: per side ``betsPercentage``/``stakePercentage`` as percentages and
``bets``, with the time they were ``updated``).

Records: one per game and book (its odds) and one per game and market (its splits). A book
whose entries are all empty strings is skipped and counted. The odds carry no time of their
own: they are stored as observed at ``observed_at`` when given, else at the latest ``updated``
time the document reports (the response is at least that recent); odds of a game that had
started by then are live and skipped unless ``include_live``. Splits are stored as fractions
(66.01 is 0.6601) captured at their own ``updated`` time.

Games are found by clubs and date among stored games (a doubleheader's by first pitch) or
created. Books map through ``sportsbook_mappings`` (source ``sbd``) or our book keys; an
unknown one is rejected. The file is one transaction; a re-import counts every record as a
duplicate.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from betdb import UnifiedRepository
from betdb.generated.games import CreateFeedGameParams
from betdb.generated.imports import InsertBettingSplitParams
from betdb.generated.models import DataSource, Game, Market, Side
from betdb.generated.odds import CopyOddsValues
from betdb.importers.documents import Clubs, JsonRejects, default_rejects_path, load_json
from betdb.importers.fields import FieldError
from betdb.importers.odds_api import SAME_START, Quote, instant, store
from betdb.importers.report import ImportFileError, ImportReport, Rejection
from betdb.importers.resolve import BookResolver

MARKETS = {"moneyline": Market.MONEYLINE, "spread": Market.RUN_LINE, "total": Market.TOTAL}
SIDES = {
    Market.MONEYLINE: (Side.HOME, Side.AWAY),
    Market.RUN_LINE: (Side.HOME, Side.AWAY),
    Market.TOTAL: (Side.OVER, Side.UNDER),
}
HUNDRED = Decimal(100)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _american(value: object, where: str) -> int:
    text = _text(value)
    try:
        price = int(text.removeprefix("+"))
    except ValueError:
        raise FieldError(f"{where}: {value!r} is not an American price") from None
    if -100 < price < 100:
        raise FieldError(f"{where}: {value!r} is not American odds (-100 or below, 100 up)")
    return price


def _points(value: object, where: str) -> Decimal:
    try:
        line = Decimal(_text(value).removeprefix("+"))
    except InvalidOperation:
        raise FieldError(f"{where}: points {value!r} is not a number") from None
    if not line.is_finite() or abs(line) >= 1000:
        raise FieldError(f"{where}: points {value!r} is not a line")
    return line


def _filled(node: object) -> bool:
    """Whether any string under node is non-empty (an empty book is all empty strings)."""
    if isinstance(node, Mapping):
        return any(_filled(v) for k, v in node.items() if k != "best")
    if isinstance(node, list):
        return any(_filled(v) for v in node)
    return isinstance(node, str) and bool(node.strip())


def book_quotes(
    odds: Mapping[str, Any], where: str
) -> list[tuple[Market, Side, Decimal | None, int]]:
    quotes: list[tuple[Market, Side, Decimal | None, int]] = []
    for name, market in MARKETS.items():
        entry = odds.get(name)
        if not _filled(entry):
            continue
        assert isinstance(entry, Mapping)
        for side in SIDES[market]:
            at = f"{where}.odds.{name}.{side.value}"
            quote = entry.get(side.value)
            if not isinstance(quote, Mapping):
                raise FieldError(f"{at} is missing")
            if market is Market.MONEYLINE:
                quotes.append((market, side, None, _american(quote.get("american"), at)))
                continue
            price = quote.get("odds")
            price_text = price.get("american") if isinstance(price, Mapping) else None
            line = _points(quote.get("points"), at)
            if market is Market.TOTAL and line <= 0:
                raise FieldError(f"{at}: total {line} is not positive")
            quotes.append((market, side, line, _american(price_text, at)))
    return quotes


def share(value: object, where: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FieldError(f"{where}: {value!r} is not a percentage")
    try:
        percent = Decimal(str(value))
    except InvalidOperation:
        raise FieldError(f"{where}: {value!r} is not a percentage") from None
    if not 0 <= percent <= 100:
        raise FieldError(f"{where}: {value!r} is not a percentage from 0 to 100")
    return (percent / HUNDRED).quantize(Decimal("0.0001"))


class FeedGames:
    """Our game for a feed's clubs, date and start: found among stored games or created."""

    def __init__(self, repository: UnifiedRepository) -> None:
        self.repository = repository

    async def game_id(self, home: int, away: int, day: dt.date, start: dt.datetime) -> int:
        games = await self.repository.games.find_games_of_clubs(
            home_id=home, away_id=away, first_day=day, last_day=day
        )
        if len(games) == 1 and (
            games[0].first_pitch_at is None or abs(games[0].first_pitch_at - start) <= SAME_START
        ):
            return games[0].game_id
        timed = [
            g for g in games if g.first_pitch_at and abs(g.first_pitch_at - start) <= SAME_START
        ]
        if timed:
            return min(timed, key=lambda g: abs(g.first_pitch_at - start)).game_id  # type: ignore[operator]
        number = next((n for n in (1, 2) if n not in {g.game_number for g in games}), None)
        if number is None:
            raise FieldError(f"a third game of these clubs on {day}")
        game: Game | None = await self.repository.games.create_feed_game(
            CreateFeedGameParams(
                odds_api_event_id=None,
                official_date=day,
                home_team_id=home,
                away_team_id=away,
                game_number=number,
                first_pitch_at=start,
                season=day.year,
                source=DataSource.SBD,
            )
        )
        assert game is not None  # an INSERT ... RETURNING returns its row
        return game.game_id


def latest_update(games: list[object]) -> dt.datetime | None:
    stamps = [
        instant(split["updated"], "updated")
        for game in games
        if isinstance(game, Mapping) and isinstance(game.get("bettingSplits"), Mapping)
        for split in game["bettingSplits"].values()
        if isinstance(split, Mapping) and split.get("updated")
    ]
    return max(stamps, default=None)


async def import_sbd(
    repository: UnifiedRepository,
    path: Path,
    *,
    observed_at: dt.datetime | None = None,
    include_live: bool = False,
    rejects: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one SportsBettingDime odds-and-splits document; see the module docstring."""
    started = time.perf_counter()
    path = Path(path)
    document = load_json(path)
    games = document.get("games") if isinstance(document, Mapping) else None
    if not isinstance(games, list):
        raise ImportFileError(path, 'not a SportsBettingDime document: no top-level "games" list')
    seen_at = observed_at or latest_update(games)
    if seen_at is None:
        raise ImportFileError(path, "the document says no time: give --observed-at")
    report = ImportReport(path=path)
    rejects_file = JsonRejects(path, Path(rejects) if rejects else default_rejects_path(path))
    clubs = await Clubs.load(repository)

    def reject(where: str, reason: str, record: object) -> None:
        rejection = Rejection(0, reason, json.dumps(record, ensure_ascii=False, default=str), where)
        report.rejected.append(rejection)
        rejects_file.write(rejection)

    try:
        async with repository.transaction() as tx:
            feed_games = FeedGames(tx)
            books = BookResolver(tx)
            quotes: list[Quote] = []
            for i, game in enumerate(games):
                where = f"games[{i}]"
                entries = game.get("sportsbooks") if isinstance(game, Mapping) else None
                book_list = entries if isinstance(entries, list) else []
                splits = game.get("bettingSplits") if isinstance(game, Mapping) else None
                split_list = [
                    (name, splits[name]) for name in MARKETS if isinstance(splits, Mapping)
                    and isinstance(splits.get(name), Mapping)
                ]  # fmt: skip
                try:
                    if not isinstance(game, Mapping):
                        raise FieldError(f"{where}: not a JSON object")
                    home = clubs.by_code(_at(game, "home", "code"), f"{where}.home.code")
                    away = clubs.by_code(_at(game, "away", "code"), f"{where}.away.code")
                    try:
                        day = dt.date.fromisoformat(str(game.get("gameday")))
                    except ValueError:
                        raise FieldError(f"{where}.gameday {game.get('gameday')!r}") from None
                    start = instant(str(game.get("date")).replace(".000Z", "Z"), f"{where}.date")
                    game_id = await feed_games.game_id(home, away, day, start)
                except FieldError as error:
                    records = max(len(book_list) + len(split_list), 1)
                    report.read += records
                    for _ in range(records):
                        reject(where, str(error), {"_id": _at_or_none(game, "_id")})
                    continue
                for j, book in enumerate(book_list):
                    at = f"{where}.sportsbooks[{j}]"
                    report.read += 1
                    odds = book.get("odds") if isinstance(book, Mapping) else None
                    if not _filled(odds):
                        report.skip("the book's entries are empty")
                        continue
                    assert isinstance(odds, Mapping)
                    assert isinstance(book, Mapping)
                    try:
                        book_id = await books.sportsbook_id(DataSource.SBD, _text(book.get("name")))
                        quoted = book_quotes(odds, at)
                    except FieldError as error:
                        reject(at, str(error), odds)
                        continue
                    if seen_at >= start and not include_live:
                        report.skip("odds seen after first pitch (live)")
                        continue
                    rows: list[CopyOddsValues] = [
                        (game_id, book_id, market, side, line, price, seen_at,
                         False, False, None, DataSource.SBD)
                        for market, side, line, price in quoted
                    ]  # fmt: skip
                    quotes.append(Quote(Rejection(0, "", "", at), rows))
                for name, split in split_list:
                    at = f"{where}.bettingSplits.{name}"
                    report.read += 1
                    try:
                        added = await add_splits(tx, game_id, MARKETS[name], split, at)
                    except FieldError as error:
                        reject(at, str(error), split)
                        continue
                    if added:
                        report.imported += 1
                    else:
                        report.duplicates += 1
                if on_progress is not None:
                    on_progress(len(book_list) + len(split_list))
            await store(tx, quotes, report)
    finally:
        rejects_file.close()
    report.rejects_path = rejects_file.path if rejects_file.written else None
    report.seconds = time.perf_counter() - started
    return report


def _at(game: Mapping[str, Any], *path: str) -> object:
    value: object = game
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            raise FieldError(f"{'.'.join(path)} is missing")
        value = value[key]
    return value


def _at_or_none(game: object, key: str) -> object:
    return game.get(key) if isinstance(game, Mapping) else None


async def add_splits(
    tx: UnifiedRepository, game_id: int, market: Market, split: Mapping[str, Any], where: str
) -> bool:
    """Both sides' shares of one market; False when this capture is stored already."""
    captured_at = instant(str(split.get("updated")).replace(".000Z", "Z"), f"{where}.updated")
    added = 0
    for side in SIDES[market]:
        entry = split.get(side.value)
        if not isinstance(entry, Mapping):
            raise FieldError(f"{where}.{side.value} is missing")
        bets = share(entry.get("betsPercentage"), f"{where}.{side.value}.betsPercentage")
        money = share(entry.get("stakePercentage"), f"{where}.{side.value}.stakePercentage")
        if bets is None and money is None:
            raise FieldError(f"{where}.{side.value}: neither betsPercentage nor stakePercentage")
        count = entry.get("bets")
        if count is not None and (
            isinstance(count, bool) or not isinstance(count, int) or count < 0
        ):
            raise FieldError(f"{where}.{side.value}.bets {count!r} is not a count")
        added += await tx.imports.insert_betting_split(
            InsertBettingSplitParams(
                game_id=game_id, market=market, side=side, source=DataSource.SBD, line=None,
                bet_pct=bets, money_pct=money, bet_count=count, captured_at=captured_at,
            )
        )  # fmt: skip
    return added > 0
