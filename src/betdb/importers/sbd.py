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
created, only when something of the game is imported. Prices are read from strings or JSON
numbers by the shared pattern (``checks``); odds and splits must fall within the window around
first pitch. The file is read a game at a time (``jsonstream``). Books map through
``sportsbook_mappings`` (source ``sbd``) or our book keys; an unknown one is rejected. The
file is one transaction; a re-import counts every record as a duplicate.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from betdb import UnifiedRepository
from betdb.generated.games import CreateFeedGameParams
from betdb.generated.imports import InsertBettingSplitParams
from betdb.generated.models import DataSource, Game, Market, Side
from betdb.generated.odds import CopyOddsValues
from betdb.importers import checks
from betdb.importers.documents import Clubs, JsonRejects, default_rejects_path, record_text
from betdb.importers.fields import FieldError
from betdb.importers.jsonstream import MAX_ITEM_BYTES, JsonStream
from betdb.importers.odds_api import BATCH_ROWS, SAME_START, Quote, instant, store
from betdb.importers.rejects import completing
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
    """An American price as text ("-118", "+105") or a JSON number (-118), by the shared
    pattern: no "-1_20", no digits of other scripts."""
    if _blank(value):
        raise FieldError(f"{where}: no price")
    return checks.american_price(value, where)


def _points(value: object, where: str) -> Decimal:
    return checks.line(value, f"{where}: points")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _filled(node: object) -> bool:
    """Whether any value under node is given (an empty book is all empty strings); a price
    given as a JSON number counts."""
    if isinstance(node, Mapping):
        return any(_filled(v) for k, v in node.items() if k != "best")
    if isinstance(node, list):
        return any(_filled(v) for v in node)
    if isinstance(node, int | float) and not isinstance(node, bool):
        return True
    return isinstance(node, str) and bool(node.strip())


def book_quotes(
    odds: Mapping[str, Any], where: str
) -> list[tuple[Market, Side, Decimal | None, int]]:
    quotes: list[tuple[Market, Side, Decimal | None, int]] = []
    for name, market in MARKETS.items():
        entry = odds.get(name)
        if not _filled(entry):
            continue
        if not isinstance(entry, Mapping):
            raise FieldError(f"{where}.odds.{name} is not an object")
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
    return checks.percentage(value, where)


class FeedGames:
    """Our game for a feed's clubs, date and start: found among stored games or created."""

    def __init__(self, repository: UnifiedRepository) -> None:
        self.repository = repository
        self.created = 0

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
        self.created += 1
        return game.game_id


def split_updates(game: object) -> Iterator[dt.datetime]:
    """The readable `updated` times of a game's splits (the others are rejected with their
    split)."""
    splits = game.get("bettingSplits") if isinstance(game, Mapping) else None
    if not isinstance(splits, Mapping):
        return
    for split in splits.values():
        if isinstance(split, Mapping) and split.get("updated"):
            try:
                yield instant(str(split["updated"]).replace(".000Z", "Z"), "updated")
            except FieldError:
                continue


def latest_update(games: Iterable[object]) -> dt.datetime | None:
    return max((stamp for game in games for stamp in split_updates(game)), default=None)


async def import_sbd(
    repository: UnifiedRepository,
    path: Path,
    *,
    observed_at: dt.datetime | None = None,
    include_live: bool = False,
    rejects: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
    report: ImportReport | None = None,
    max_item_bytes: int = MAX_ITEM_BYTES,
) -> ImportReport:
    """Import one SportsBettingDime odds-and-splits document; see the module docstring.

    The file is read a game at a time (jsonstream), twice when the time the odds were seen
    comes from the splits' `updated` times."""
    started = time.perf_counter()
    path = Path(path)

    def games() -> JsonStream:
        return JsonStream(path, keys=("games",), max_item_bytes=max_item_bytes)

    if observed_at is None:
        survey = games()
        seen_at = latest_update(survey)
        document_found = survey.found is not None and survey.shape == "object"
        if not document_found:
            raise ImportFileError(
                path, 'not a SportsBettingDime document: no top-level "games" list'
            )
        if seen_at is None:
            raise ImportFileError(path, "the document says no time: give --observed-at")
    else:
        seen_at = observed_at
    report = report if report is not None else ImportReport(path=path)
    rejects_file = JsonRejects(path, Path(rejects) if rejects else default_rejects_path(path))
    clubs = await Clubs.load(repository)

    def reject(where: str, reason: str, record: object) -> None:
        rejection = Rejection(0, reason, record_text(record), where)
        report.rejected.append(rejection)
        rejects_file.write(rejection)

    with completing(report, rejects_file, started):
        async with repository.transaction() as tx:
            feed_games = FeedGames(tx)
            books = BookResolver(tx)
            quotes: list[Quote] = []
            pending = 0
            stream = games()
            for i, game in enumerate(stream):
                if stream.shape != "object":
                    break
                report.line = i + 1
                pending += await import_game(
                    tx, game, i, clubs, feed_games, books, seen_at, include_live, quotes,
                    report, reject, on_progress,
                )  # fmt: skip
                if pending >= BATCH_ROWS:
                    await store(tx, quotes, report)
                    quotes, pending = [], 0
            if stream.found is None or stream.shape != "object":
                raise ImportFileError(
                    path, 'not a SportsBettingDime document: no top-level "games" list'
                )
            await store(tx, quotes, report)
            report.games_created = feed_games.created
            report.in_doubt = report.imported + report.updated  # the COMMIT comes next
        report.committed, report.in_doubt = report.in_doubt, 0
    return report


async def import_game(
    tx: UnifiedRepository,
    game: object,
    i: int,
    clubs: Clubs,
    feed_games: FeedGames,
    books: BookResolver,
    seen_at: dt.datetime,
    include_live: bool,
    quotes: list[Quote],
    report: ImportReport,
    reject: Callable[[str, str, object], None],
    on_progress: Callable[[int], None] | None,
) -> int:
    """One game's books and splits: odds added to `quotes` (the rows added), splits stored."""
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
        if home == away:
            raise FieldError(f"{where}: the home and away clubs are the same")
        day = game_day(game.get("gameday"), f"{where}.gameday")
        start = instant(str(game.get("date")).replace(".000Z", "Z"), f"{where}.date")
    except FieldError as error:
        records = max(len(book_list) + len(split_list), 1)
        report.read += records
        for _ in range(records):
            reject(where, str(error), {"_id": _at_or_none(game, "_id")})
        return 0
    found: list[int] = []

    async def game_id() -> int:
        """Found or created only when something of the game is imported."""
        if not found:
            found.append(await feed_games.game_id(home, away, day, start))
        return found[0]

    added = 0
    for j, book in enumerate(book_list):
        at = f"{where}.sportsbooks[{j}]"
        report.read += 1
        odds = book.get("odds") if isinstance(book, Mapping) else None
        if not _filled(odds):
            report.skip("the book's entries are empty")
            continue
        if not isinstance(odds, Mapping) or not isinstance(book, Mapping):
            reject(at, f"{at}.odds is not an object", odds)
            continue
        try:
            name = checks.text(book.get("name"), f"{at}.name")
            book_id = await books.sportsbook_id(DataSource.SBD, name)
            quoted = book_quotes(odds, at)
            if seen_at >= start and not include_live:
                report.skip("odds seen after first pitch (live)")
                continue
            checks.near_first_pitch(f"{at}: the odds' time", seen_at, start)
            for row in sbd_rows(0, book_id, seen_at, quoted):
                checks.check_odds_row(row, at)
            rows = sbd_rows(await game_id(), book_id, seen_at, quoted) if quoted else []
        except FieldError as error:
            reject(at, str(error), odds)
            continue
        quotes.append(Quote(Rejection(0, "", "", at), rows))
        added += len(rows)
    for name, split in split_list:
        at = f"{where}.bettingSplits.{name}"
        report.read += 1
        try:
            stored = await add_splits(tx, game_id, start, MARKETS[name], split, at)
        except FieldError as error:
            reject(at, str(error), split)
            continue
        if stored:
            report.imported += 1
        else:
            report.duplicates += 1
    if on_progress is not None:
        on_progress(len(book_list) + len(split_list))
    return added


def sbd_rows(
    game_id: int,
    book_id: int,
    seen_at: dt.datetime,
    quoted: list[tuple[Market, Side, Decimal | None, int]],
) -> list[CopyOddsValues]:
    return [
        (game_id, book_id, market, side, line, price, seen_at, False, False, None, DataSource.SBD)
        for market, side, line, price in quoted
    ]


def game_day(value: object, where: str) -> dt.date:
    if not isinstance(value, str):
        raise FieldError(f"{where} {value!r} is not a date")
    checks.text(value, where)
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise FieldError(f"{where} {value!r} is not a date") from None
    try:
        checks.check_season(day.year)
    except checks.SeasonRangeError as error:
        raise FieldError(f"{where}: {error}") from None
    return day


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
    tx: UnifiedRepository,
    game_id: Callable[[], Awaitable[int]],
    start: dt.datetime,
    market: Market,
    split: Mapping[str, Any],
    where: str,
) -> bool:
    """Both sides' shares of one market; False when this capture is stored already. Every
    value is checked before the game is found or created."""
    captured_at = instant(str(split.get("updated")).replace(".000Z", "Z"), f"{where}.updated")
    checks.near_first_pitch(f"{where}.updated", captured_at, start)
    sides = []
    for side in SIDES[market]:
        entry = split.get(side.value)
        if not isinstance(entry, Mapping):
            raise FieldError(f"{where}.{side.value} is missing")
        bets = share(entry.get("betsPercentage"), f"{where}.{side.value}.betsPercentage")
        money = share(entry.get("stakePercentage"), f"{where}.{side.value}.stakePercentage")
        if bets is None and money is None:
            raise FieldError(f"{where}.{side.value}: neither betsPercentage nor stakePercentage")
        count = entry.get("bets")
        if count is not None:
            count = checks.count(count, f"{where}.{side.value}.bets")
        sides.append((side, bets, money, count))
    game = await game_id()
    added = 0
    for side, bets, money, count in sides:
        added += await tx.imports.insert_betting_split(
            InsertBettingSplitParams(
                game_id=game, market=market, side=side, source=DataSource.SBD, line=None,
                bet_pct=bets, money_pct=money, bet_count=count, captured_at=captured_at,
            )
        )  # fmt: skip
    return added > 0
