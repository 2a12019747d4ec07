"""The soak's workload: concurrent tasks of mixed ingest and reads on one Database, and a ledger
of every write saying afterwards what must, may and must not be in the database.

Two kinds of write and three kinds of read, all through the UnifiedRepository:

- a *game unit* is one transaction: a new game and its ODDS_PER_GAME opening prices;
- an *odds batch* is one ``ingest_odds`` call (asyncpg's executemany, atomic without a
  transaction) of BATCH_SIZE prices, one per book, sharing an ``observed_at`` no other batch uses;
- readers fetch a committed game's latest odds (which must be complete: a unit is all or
  nothing), a feed game's line movement, and the newest games.

A write that raised is classified by what its error promises: OutcomeUnknownError (and a
timeout of COMMIT or of a write outside a transaction) may have applied; any other typed error
means nothing was committed. Anything else raised, or an operation outliving OPERATION_BOUND,
is unexpected.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import random
import traceback
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from betdb import Database
from betdb._observability import monotonic
from betdb.errors import (
    ConnectionLostError,
    DatabaseUnavailableError,
    OutcomeUnknownError,
    QueryTimeoutError,
)
from betdb.generated.games import UpsertGameParams
from betdb.generated.models import (
    DataQuality,
    DataSource,
    GameStatus,
    GameType,
    Market,
    SeasonType,
    Side,
)
from betdb.generated.odds import GetLatestOddsParams, GetLineMovementParams, IngestOddsParams

TYPED_ERRORS = (ConnectionLostError, DatabaseUnavailableError, QueryTimeoutError)
ODDS_PER_GAME = 4
BATCH_SIZE = 5
FEED_GAMES = 10
UNIT_PK_BASE = 900_000_000
FEED_PK_BASE = 800_000_000
OPERATION_BOUND = 60.0  # seconds: an operation that takes longer is a hang
BATCH_EPOCH = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
BATCH_WINDOW_END = BATCH_EPOCH + dt.timedelta(days=30)  # after every batch's observed_at
UNIT_EPOCH = dt.date(2000, 1, 1)
BOOKS = ("pinnacle", "circa", "draftkings", "fanduel", "betmgm")

# 50 tasks: who does what.
WORKERS = {"game_unit": 15, "odds_batch": 10, "latest_odds": 9, "line_movement": 8, "games": 8}


@dataclass
class Ledger:
    """Every write attempted, by what is known of its fate."""

    acknowledged: dict[int, float] = field(default_factory=dict)  # id -> when acknowledged
    unknown: set[int] = field(default_factory=set)
    failed: set[int] = field(default_factory=set)

    def attempts(self) -> int:
        return len(self.acknowledged) + len(self.unknown) + len(self.failed)


@dataclass
class LoadRun:
    """One soak run: its ledgers, latencies, errors and what the faults did."""

    db: Database
    book_ids: list[int]
    feed_game_ids: list[int]
    units: Ledger = field(default_factory=Ledger)
    batches: Ledger = field(default_factory=Ledger)
    unit_game_ids: list[int] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    error_origins: Counter[str] = field(default_factory=Counter)
    error_samples: dict[str, str] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    recoveries: list[float] = field(default_factory=list)
    write_recoveries: list[float] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)
    fault_seconds: list[float] = field(default_factory=list)  # how long each fault lasted
    started: float = 0.0
    deadline: float = 0.0
    faults_in_progress: int = 0
    elapsed: float = 0.0
    _unit_numbers: itertools.count[int] = field(default_factory=itertools.count)
    _batch_numbers: itertools.count[int] = field(default_factory=itertools.count)

    # The workloads

    async def game_unit(self) -> None:
        number = next(self._unit_numbers)
        pk = UNIT_PK_BASE + number
        try:
            async with self.db.transaction() as tx:
                created = await tx.games.upsert_game(unit_game(number))
                assert created is not None
                await tx.odds.ingest_odds(
                    unit_odds(created.game_id, self.book_ids[: ODDS_PER_GAME // 2])
                )
        except BaseException as error:
            self._classify(self.units, pk, error, in_transaction=True)
            raise
        self.units.acknowledged[pk] = monotonic()
        self.unit_game_ids.append(created.game_id)

    async def odds_batch(self) -> None:
        number = next(self._batch_numbers)
        game_id = self.feed_game_ids[number % len(self.feed_game_ids)]
        try:
            await self.db.repository().odds.ingest_odds(batch_odds(number, game_id, self.book_ids))
        except BaseException as error:
            self._classify(self.batches, number, error, in_transaction=False)
            raise
        self.batches.acknowledged[number] = monotonic()

    async def latest_odds(self) -> None:
        committed = bool(self.unit_game_ids)
        game_id = random.choice(self.unit_game_ids or self.feed_game_ids)
        rows = await self.db.repository().odds.get_latest_odds(
            GetLatestOddsParams(
                game_id=game_id,
                market=Market.MONEYLINE,
                sportsbook_id=None,
                observed_from=BATCH_EPOCH,
                observed_until=BATCH_WINDOW_END,
            )
        )
        if committed and len(rows) != ODDS_PER_GAME:
            self.unexpected.append(
                f"committed game {game_id} read with {len(rows)} of {ODDS_PER_GAME} prices"
            )

    async def line_movement(self) -> None:
        await self.db.repository().odds.get_line_movement(
            GetLineMovementParams(
                game_id=random.choice(self.feed_game_ids),
                market=Market.MONEYLINE,
                sportsbook_id=random.choice(self.book_ids),
                observed_from=BATCH_EPOCH
                + dt.timedelta(seconds=max(0, len(self.batches.acknowledged) - 200)),
                observed_until=BATCH_WINDOW_END,
            )
        )

    async def games(self) -> None:
        await self.db.repository().games.list_games_newest_first(skip=0, max_results=20)

    def _classify(
        self, ledger: Ledger, key: int, error: BaseException, *, in_transaction: bool
    ) -> None:
        if isinstance(error, QueryTimeoutError):
            # The client gave up waiting; the server may have finished first. Inside a
            # transaction only COMMIT can have applied anything.
            may_have_applied = error.query == "COMMIT" or not in_transaction
            (ledger.unknown if may_have_applied else ledger.failed).add(key)
        elif isinstance(error, ConnectionLostError | DatabaseUnavailableError) and not isinstance(
            error, OutcomeUnknownError
        ):
            ledger.failed.add(key)
        else:
            ledger.unknown.add(key)  # outcome unknown, or an error that promises nothing

    # Running it

    async def worker(self, kind: str) -> None:
        operation: Callable[[], Awaitable[None]] = getattr(self, kind)
        latencies = self.latencies.setdefault(kind, [])
        while monotonic() < self.deadline or self.faults_in_progress:
            started = monotonic()
            try:
                async with asyncio.timeout(OPERATION_BOUND) as bound:
                    await operation()
            except TYPED_ERRORS as error:
                self.errors[type(error).__name__] += 1
                origin = f"{kind}: {type(error).__name__} in {error.query}"
                self.error_origins[origin] += 1
                self.error_samples.setdefault(origin, error.message[:160])
                await asyncio.sleep(self.db.settings.backoff_delay(2))
                continue
            except TimeoutError:
                if bound.expired():
                    self.unexpected.append(f"{kind} hung for over {OPERATION_BOUND}s")
                    continue
                self.unexpected.append(f"{kind}: untyped TimeoutError escaped")
                continue
            except Exception as error:
                where = traceback.extract_tb(error.__traceback__)[-4:]
                self.unexpected.append(
                    f"{kind}: {type(error).__module__}.{error!r} at "
                    + " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(where))
                )
                continue
            latencies.append(monotonic() - started)

    async def run(
        self, seconds: float, fault: Callable[[LoadRun], Coroutine[Any, Any, None]] | None
    ) -> None:
        """Every worker for ``seconds``, with the fault (if any) running alongside."""
        self.started = monotonic()
        self.deadline = self.started + seconds
        tasks = [
            asyncio.create_task(self.worker(kind), name=f"{kind}-{i}")
            for kind, count in WORKERS.items()
            for i in range(count)
        ]
        if fault is not None:
            tasks.append(asyncio.create_task(fault(self), name="fault"))
        await asyncio.gather(*tasks)
        self.elapsed = monotonic() - self.started

    @contextlib.asynccontextmanager
    async def fault(self, name: str) -> AsyncIterator[None]:
        """Marks a fault: the load runs on through it, however long it lasts; afterwards the
        time until the pool serves again is measured."""
        self.faults_in_progress += 1
        began = monotonic()
        try:
            yield
        finally:
            self.faults_in_progress -= 1
        ended = monotonic()
        self.faults[name] += 1
        self.fault_seconds.append(ended - began)
        await self.time_to_serve(ended)

    async def time_to_serve(self, since: float) -> float:
        """Seconds from ``since`` (a fault's end) until the pool answers a query again; also
        notes when the first write after it was acknowledged. The load goes on until then."""
        self.deadline = max(self.deadline, since + 1.0)
        while monotonic() - since < OPERATION_BOUND:
            try:
                await self.db.executor().fetchval("-- name: SoakProbe :one\nSELECT 1")
                break
            except TYPED_ERRORS:
                await asyncio.sleep(0.02)
        served = monotonic() - since
        self.recoveries.append(served)
        self.deadline = max(self.deadline, monotonic() + 1.0)
        while monotonic() - since < OPERATION_BOUND:
            self.deadline = max(self.deadline, monotonic() + 0.5)
            later = [t for t in self.units.acknowledged.values() if t > since]
            if later:
                self.write_recoveries.append(min(later) - since)
                break
            await asyncio.sleep(0.02)
        return served

    def summary(self) -> dict[str, Any]:
        every = sorted(x for values in self.latencies.values() for x in values)
        elapsed = max(self.elapsed, 1e-9)
        rows_written = (
            len(self.units.acknowledged) * (ODDS_PER_GAME + 1)
            + len(self.batches.acknowledged) * BATCH_SIZE
        )
        return {
            "seconds": round(self.elapsed, 2),
            "tasks": sum(WORKERS.values()),
            "workers": WORKERS,
            "pool_max_size": self.db.settings.pool_max_size,
            "operations": len(every),
            "throughput_per_second": round(len(every) / elapsed, 1),
            "rows_written_per_second": round(rows_written / elapsed, 1),
            "p50_ms": _ms(percentile(every, 50)),
            "p99_ms": _ms(percentile(every, 99)),
            "by_kind": {
                kind: {
                    "count": len(values),
                    "p50_ms": _ms(percentile(sorted(values), 50)),
                    "p99_ms": _ms(percentile(sorted(values), 99)),
                    "max_ms": _ms(max(values, default=0.0)),
                }
                for kind, values in sorted(self.latencies.items())
            },
            "errors": dict(sorted(self.errors.items())),
            "error_origins": dict(sorted(self.error_origins.items())),
            "error_samples": dict(sorted(self.error_samples.items())),
            "unexpected": self.unexpected[:20],
            "faults": dict(self.faults),
            "fault_seconds": [round(s, 3) for s in self.fault_seconds],
            "recovery_seconds": [round(s, 3) for s in self.recoveries],
            "first_write_after_fault_seconds": [round(s, 3) for s in self.write_recoveries],
        }


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (0 for none)."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def unit_game(number: int) -> UpsertGameParams:
    """Game number ``number`` of the soak: its own date, so no two units share a natural key."""
    official_date = UNIT_EPOCH + dt.timedelta(days=number)
    return UpsertGameParams(
        mlb_game_pk=UNIT_PK_BASE + number,
        sbr_game_id=None,
        action_network_game_id=None,
        official_date=official_date,
        game_number=1,
        first_pitch_at=None,
        season=official_date.year,
        season_type=SeasonType.REGULAR,
        game_type=GameType.REGULAR,
        status=GameStatus.SCHEDULED,
        home_score=None,
        away_score=None,
        venue=None,
        weather=None,
        probable_pitchers=None,
        source=DataSource.MLB,
        source_url=None,
        source_updated_at=None,
        data_quality=DataQuality.HIGH,
        home_team="NYY",
        away_team="BOS",
    )


def _price(
    game_id: int, sportsbook_id: int, side: Side, observed_at: dt.datetime, price: int
) -> IngestOddsParams:
    return IngestOddsParams(
        game_id=game_id,
        sportsbook_id=sportsbook_id,
        market=Market.MONEYLINE,
        side=side,
        line=None,
        price=price,
        observed_at=observed_at,
        is_opening=False,
        is_closing=False,
        bet_limit=None,
        source=DataSource.SBR,
    )


def unit_odds(game_id: int, book_ids: list[int]) -> list[IngestOddsParams]:
    """Both sides' opening moneyline at each book: ODDS_PER_GAME prices."""
    return [
        _price(game_id, book, side, BATCH_EPOCH, price)
        for book in book_ids
        for side, price in ((Side.HOME, -120), (Side.AWAY, 110))
    ]


def batch_odds(number: int, game_id: int, book_ids: list[int]) -> list[IngestOddsParams]:
    """Batch ``number``: the home price at every book, observed at the batch's own second."""
    observed_at = BATCH_EPOCH + dt.timedelta(seconds=number)
    price = -100 - number % 50
    return [_price(game_id, book, Side.HOME, observed_at, price) for book in book_ids]


async def prepare(db: Database) -> tuple[list[int], list[int]]:
    """The books the load prices at, and the feed games odds batches go to."""
    repo = db.repository()
    book_ids = []
    for key in BOOKS:
        book = await repo.sportsbooks.get_sportsbook_by_key(key=key)
        assert book is not None, key
        book_ids.append(book.sportsbook_id)
    feed_game_ids = []
    for i in range(FEED_GAMES):
        params = unit_game(0).model_copy(
            update={
                "mlb_game_pk": FEED_PK_BASE + i,
                "official_date": dt.date(2026, 6, 1 + i),
                "season": 2026,
                "home_team": "LAD",
                "away_team": "SF",
            }
        )
        created = await repo.games.upsert_game(params)
        assert created is not None
        feed_game_ids.append(created.game_id)
    return book_ids, feed_game_ids


@dataclass
class Verdict:
    """What the database holds against what the ledgers say."""

    acknowledged_units_missing: list[int]
    failed_units_present: list[int]
    unknown_units_present: int
    partial_units: list[tuple[int, int]]
    acknowledged_batches_missing: list[int]
    failed_batches_present: list[int]
    unknown_batches_present: int
    partial_batches: list[tuple[int, int]]
    units_counted: int
    batches_counted: int

    def as_dict(self) -> dict[str, Any]:
        return {
            key: (value if isinstance(value, int) else len(value))
            for key, value in vars(self).items()
        }


async def verify(run: LoadRun, connection: asyncpg.Connection) -> Verdict:
    """Read back every soak game and batch over a connection of its own."""
    units = {
        pk: odds
        for pk, odds in await connection.fetch(
            """
            SELECT g.mlb_game_pk, count(o.game_id)
            FROM games AS g LEFT JOIN odds AS o ON o.game_id = g.game_id
            WHERE g.mlb_game_pk >= $1
            GROUP BY g.mlb_game_pk
            """,
            UNIT_PK_BASE,
        )
    }
    batches = {
        int((observed_at - BATCH_EPOCH).total_seconds()): rows
        for observed_at, rows in await connection.fetch(
            """
            SELECT observed_at, count(*) FROM odds
            WHERE game_id = ANY($1::bigint[]) GROUP BY observed_at
            """,
            run.feed_game_ids,
        )
    }
    return Verdict(
        acknowledged_units_missing=sorted(set(run.units.acknowledged) - set(units)),
        failed_units_present=sorted(run.units.failed & set(units)),
        unknown_units_present=len(run.units.unknown & set(units)),
        partial_units=sorted((pk, n) for pk, n in units.items() if n != ODDS_PER_GAME),
        acknowledged_batches_missing=sorted(set(run.batches.acknowledged) - set(batches)),
        failed_batches_present=sorted(run.batches.failed & set(batches)),
        unknown_batches_present=len(run.batches.unknown & set(batches)),
        partial_batches=sorted((b, n) for b, n in batches.items() if n != BATCH_SIZE),
        units_counted=len(units),
        batches_counted=len(batches),
    )


async def leftover_backends(connection: asyncpg.Connection) -> list[str]:
    """States of the application's backends that are still busy or inside a transaction."""
    rows = await connection.fetch(
        """
        SELECT state FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'betdb'
          AND state IS DISTINCT FROM 'idle'
        """
    )
    return [row["state"] for row in rows]


async def start_load(db: Database) -> LoadRun:
    book_ids, feed_game_ids = await prepare(db)
    return LoadRun(db=db, book_ids=book_ids, feed_game_ids=feed_game_ids)


def report(run: LoadRun, verdict: Verdict, **extra: Any) -> dict[str, Any]:
    """The figures a scenario writes to build/soak/."""
    return {
        **run.summary(),
        "writes": {
            "units_attempted": run.units.attempts(),
            "batches_attempted": run.batches.attempts(),
            "acknowledged": len(run.units.acknowledged) + len(run.batches.acknowledged),
            "unknown": len(run.units.unknown) + len(run.batches.unknown),
            "unknown_present": verdict.unknown_units_present + verdict.unknown_batches_present,
            "failed": len(run.units.failed) + len(run.batches.failed),
            "acknowledged_missing": len(verdict.acknowledged_units_missing)
            + len(verdict.acknowledged_batches_missing),
            "failed_present": len(verdict.failed_units_present)
            + len(verdict.failed_batches_present),
            "partial": len(verdict.partial_units) + len(verdict.partial_batches),
        },
        **extra,
    }


async def read_back(run: LoadRun, dsn: str) -> tuple[Verdict, list[str]]:
    """The verdict on every write, and the app's backends left busy, seen from outside the pool."""
    connection = await asyncpg.connect(dsn)
    try:
        return await verify(run, connection), await leftover_backends(connection)
    finally:
        await connection.close()
