"""Odds observations from CSV or JSONL into the odds history, through COPY in batches.

One record is one price of one side of a market at one book at one time. Columns (CSV header)
or keys (JSONL):

- ``source``: the data_source the observation comes from (mlb, sbr, action_network, vsin, sbd)
- ``external_game_id``: the game's id in ``game_source``: gamePk for mlb, the SBR id for sbr,
  the Action Network id for action_network
- ``sportsbook``: the book's id in ``source``, looked up in sportsbook_mappings; one of our
  book keys (draftkings, pinnacle, ...) is also accepted
- ``market``: moneyline, run_line, total, first_five_moneyline, ... (the market enum)
- ``side``: home or away; over or under for totals
- ``line``: the run line or total (-1.5, 8.5); empty for moneylines
- ``price``: American odds, -100 or below or +100 or above (-110, +135)
- ``observed_at``: ISO 8601 with a UTC offset (2025-06-21T19:05:00Z), from 366 days before
  the game's first pitch to 183 days after it
- optional ``game_source`` (default: ``source``), ``is_opening``, ``is_closing`` (true/false),
  ``bet_limit``

The file is streamed: records are read, checked and resolved one at a time and written in
batches, each batch in its own transaction (a re-run after an interruption skips what was
stored). An observation is identified by game, book, market, side, line and time: one already
stored, or repeated in the file, is skipped and counted as a duplicate. A record that cannot
be read or resolved is rejected with its line number and reason, and written to the rejects
file (the input's format plus a ``reason``) - the other records are imported all the same.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import asyncpg

from betdb import UnifiedRepository
from betdb.errors import DeadlockError, UniqueViolationError
from betdb.generated.imports import FindStoredOddsParams
from betdb.generated.models import DataSource, Market, Side
from betdb.generated.odds import CopyOddsValues
from betdb.importers import checks, fields
from betdb.importers.each import RECORD_ERRORS, reject, stops_reported
from betdb.importers.fields import FieldError
from betdb.importers.records import (
    MAX_RECORD_BYTES,
    Record,
    RecordReader,
    RejectsFile,
    default_rejects_path,
)
from betdb.importers.report import ImportReport
from betdb.importers.resolve import BookResolver, GameResolver
from betdb.markets import LINE_LIMIT

COLUMNS = (
    "source",
    "external_game_id",
    "sportsbook",
    "market",
    "side",
    "line",
    "price",
    "observed_at",
)
OPTIONAL_COLUMNS = ("game_source", "is_opening", "is_closing", "bet_limit")

BET_LIMIT_LIMIT = Decimal(10) ** 10  # numeric(12, 2)
COPY_ATTEMPTS = 3
# What a writer storing the same observations at the same time makes a batch fail with.
RACES = (
    asyncpg.UniqueViolationError,
    UniqueViolationError,
    asyncpg.DeadlockDetectedError,
    DeadlockError,
)

ObservationKey = tuple[int, int, Market, Side, dt.datetime, Decimal | None]


def american_price(record: Mapping[str, object]) -> int:
    text = record.get("price")
    try:  # the common case, without the checks that name what is wrong
        price = int(text) if isinstance(text, str) else fields.integer(record, "price")
    except ValueError:
        price = fields.integer(record, "price", signed_text=True)
    if abs(price) > fields.INT32_MAX:
        raise FieldError(f"price {text} is out of range")
    if -100 < price < 100:
        raise FieldError(f"price {price:+d} is not American odds: -100 or below, or +100 or above")
    if abs(price) > checks.PRICE_LIMIT:  # the bound every importer keeps
        raise FieldError(
            f"price {price:+d} is out of range (American odds up to ±{checks.PRICE_LIMIT:,})"
        )
    return price


@dataclass(frozen=True)
class Context:
    """What many records share: game, book, market, side, line and flags, read and resolved
    once per distinct combination."""

    game_id: int
    first_pitch: dt.datetime
    sportsbook_id: int
    market: Market
    side: Side
    line: Decimal | None
    is_opening: bool
    is_closing: bool
    bet_limit: Decimal | None
    source: DataSource


CONTEXT_FIELDS = (
    "source", "game_source", "external_game_id", "sportsbook", "market", "side", "line",
    "is_opening", "is_closing", "bet_limit",
)  # fmt: skip
CACHE_LIMIT = 100_000


def observed_at(record: Mapping[str, object]) -> dt.datetime:
    return fields.timestamp(record, "observed_at")


def _sortable(key: ObservationKey) -> tuple[object, ...]:
    game_id, sportsbook_id, market, side, observed_at, line = key
    return (game_id, sportsbook_id, market, side, observed_at, line is None, line or 0)


class OddsImport:
    """One run of import_odds: the report, the resolvers' caches and the pending batch."""

    def __init__(self, repository: UnifiedRepository, report: ImportReport) -> None:
        self.repository = repository
        self.report = report
        self.games = GameResolver(repository)
        self.books = BookResolver(repository)
        self.batch: dict[ObservationKey, CopyOddsValues] = {}
        self.contexts: dict[tuple[object, ...], Context | FieldError] = {}
        self.moments: dict[str, dt.datetime] = {}

    async def resolve(self, record: Record) -> CopyOddsValues:
        if record.problem is not None:
            raise FieldError(record.problem)
        assert record.fields is not None
        values = record.fields
        context = await self.context(values)
        moment = self.moment(values)
        fields.near_first_pitch(values, "observed_at", moment, context.first_pitch)
        return (
            context.game_id,
            context.sportsbook_id,
            context.market,
            context.side,
            context.line,
            american_price(values),
            moment,
            context.is_opening,
            context.is_closing,
            context.bet_limit,
            context.source,
        )

    async def context(self, values: Mapping[str, object]) -> Context:
        # Typed: True == 1 == 1.0, but only one of them is a valid value of a given field.
        key = tuple((type(value), value) for value in map(values.get, CONTEXT_FIELDS))
        try:
            known = self.contexts.get(key)
        except TypeError:  # a JSON list or object where a value belongs: not cacheable
            return await self.read_context(values)
        if known is None:
            if len(self.contexts) >= CACHE_LIMIT:
                self.contexts.clear()
            try:
                known = await self.read_context(values)
            except FieldError as error:
                known = error
            self.contexts[key] = known
        if isinstance(known, FieldError):
            raise FieldError(str(known))
        return known

    def moment(self, values: Mapping[str, object]) -> dt.datetime:
        text = values.get("observed_at")
        if not isinstance(text, str):
            return observed_at(values)
        moment = self.moments.get(text)
        if moment is None:
            if len(self.moments) >= CACHE_LIMIT:
                self.moments.clear()
            moment = self.moments[text] = observed_at(values)
        return moment

    async def read_context(self, values: Mapping[str, object]) -> Context:
        source = fields.choice(DataSource, values, "source")
        game_source = fields.game_source(values, source)
        market = fields.choice(Market, values, "market")
        side = fields.choice(Side, values, "side")
        fields.market_side(market, side)
        line = fields.decimal(values, "line", places=2, below=LINE_LIMIT)
        fields.market_line(market, line)
        is_opening = fields.flag(values, "is_opening")
        is_closing = fields.flag(values, "is_closing")
        if is_opening and is_closing:
            raise FieldError("is_opening and is_closing are both true")
        bet_limit = fields.decimal(values, "bet_limit", places=2, below=BET_LIMIT_LIMIT)
        if bet_limit is not None and bet_limit <= 0:
            raise FieldError(f"bet_limit {bet_limit} must be above 0")
        game = await self.games.game(game_source, fields.text(values, "external_game_id"))
        sportsbook_id = await self.books.sportsbook_id(source, fields.text(values, "sportsbook"))
        return Context(
            game.game_id,
            game.first_pitch,
            sportsbook_id,
            market,
            side,
            line,
            is_opening,
            is_closing,
            bet_limit,
            source,
        )

    def add(self, values: CopyOddsValues) -> None:
        key: ObservationKey = (values[0], values[1], values[2], values[3], values[6], values[4])
        if key in self.batch:
            self.report.duplicates += 1
        else:
            self.batch[key] = values

    async def flush(self) -> None:
        """Write the batch: what is stored already is dropped with one query, the rest copied.

        A writer racing us between the two makes COPY fail on a duplicate (or a deadlock); the
        batch is then retried, and after COPY_ATTEMPTS falls back to the ON CONFLICT DO NOTHING
        path, where a row the other writer stored meanwhile may count as imported.
        """
        # in key order, so two imports of overlapping files lock rows in the same order
        batch = [self.batch[key] for key in sorted(self.batch, key=_sortable)]
        self.batch.clear()
        if not batch:
            return
        for _ in range(COPY_ATTEMPTS):
            try:
                async with self.repository.transaction() as tx:
                    fresh = await self._not_stored(tx, batch)
                    if fresh:
                        await tx.odds.copy_odds(fresh)
                    self.report.in_doubt = len(fresh)  # the COMMIT comes next
            except RACES:
                self.report.in_doubt = 0
                continue
            self.counted(batch, fresh)
            return
        fresh = await self._not_stored(self.repository, batch)
        self.report.in_doubt = len(fresh)  # one statement, its own commit
        await self.repository.odds.ingest_odds(fresh)
        self.counted(batch, fresh)

    def counted(self, batch: list[CopyOddsValues], fresh: list[CopyOddsValues]) -> None:
        self.report.in_doubt = 0
        self.report.imported += len(fresh)
        self.report.committed += len(fresh)
        self.report.duplicates += len(batch) - len(fresh)

    @staticmethod
    async def _not_stored(
        repository: UnifiedRepository, batch: list[CopyOddsValues]
    ) -> list[CopyOddsValues]:
        stored = await repository.imports.find_stored_odds(
            FindStoredOddsParams(
                game_ids=[values[0] for values in batch],
                sportsbook_ids=[values[1] for values in batch],
                markets=[values[2] for values in batch],
                sides=[values[3] for values in batch],
                observed_ats=[values[6] for values in batch],
                lines=[values[4] for values in batch],
            )
        )
        positions = {row.position for row in stored}
        return [values for position, values in enumerate(batch, 1) if position not in positions]


async def import_odds(
    repository: UnifiedRepository,
    path: Path,
    *,
    rejects: Path | None = None,
    batch_size: int = 5000,
    on_progress: Callable[[int], None] | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import an odds file (CSV or JSONL by extension); see the module docstring.

    Rejected records go to `rejects` (default: ``<name>.rejects.<ext>`` beside the file),
    written only if there are any. `on_progress` is called after each batch with the number of
    records read since the last call. A line over `max_record_bytes` is rejected unread.
    `report`, when given, is counted into as the import goes (a caller that interrupts the
    import reads where it stopped and what it committed from it). ImportStoppedError if the
    database stops it: the batches committed stay, and a re-run imports the rest.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    started = time.perf_counter()
    path = Path(path)
    report = report if report is not None else ImportReport(path=path)
    reader = RecordReader(
        path, required=COLUMNS, optional=OPTIONAL_COLUMNS, max_record_bytes=max_record_bytes
    )
    rejects_file = RejectsFile(Path(rejects) if rejects else default_rejects_path(path), reader)
    run = OddsImport(repository, report)
    reported = 0
    with stops_reported(report, rejects_file):
        for record in reader:
            report.read += 1
            report.line = record.line
            try:
                run.add(await run.resolve(record))
            except RECORD_ERRORS as error:
                reject(report, rejects_file, record, error)
            if len(run.batch) >= batch_size:
                await run.flush()
                if on_progress is not None:
                    on_progress(report.read - reported)
                    reported = report.read
        await run.flush()
    if on_progress is not None and report.read > reported:
        on_progress(report.read - reported)
    report.seconds = time.perf_counter() - started
    return report
