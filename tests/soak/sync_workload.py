"""The sync soak's workload: threads of mixed writes and reads on one SyncDatabase, and a ledger
of every write saying afterwards what must, may and must not be in the database.

The generated SyncQueriers do not exist yet, so the statements are raw SQL on the sync
executors, against two tables of the soak's own:

- a *unit* is one transaction of PARTS rows sharing a unit id (all or nothing);
- a *single* is one INSERT outside a transaction (autocommit);
- readers check that an acknowledged unit reads back complete.

A write that raised is classified by what its error promises, as in workload.py:
OutcomeUnknownError may have applied, any other typed error means nothing was committed,
anything else (or an operation outliving OPERATION_BOUND) is unexpected.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from betdb import SyncDatabase
from betdb._observability import monotonic
from betdb.errors import (
    ConnectionLostError,
    DatabaseUnavailableError,
    OutcomeUnknownError,
    QueryTimeoutError,
)

TYPED_ERRORS = (ConnectionLostError, DatabaseUnavailableError, QueryTimeoutError)
PARTS = 4
OPERATION_BOUND = 60.0
WORKERS = {"unit": 6, "single": 3, "reader": 3}
TABLES = """
CREATE TABLE IF NOT EXISTS sync_units (unit bigint, part int, PRIMARY KEY (unit, part));
CREATE TABLE IF NOT EXISTS sync_singles (id bigint PRIMARY KEY);
"""
ADD_PART = "-- name: AddPart :exec\nINSERT INTO sync_units (unit, part) VALUES ($1, $2)"
ADD_SINGLE = "-- name: AddSingle :exec\nINSERT INTO sync_singles (id) VALUES ($1)"
READ_UNIT = "-- name: ReadUnit :one\nSELECT count(*) FROM sync_units WHERE unit = $1"


@dataclass
class Ledger:
    acknowledged: set[int] = field(default_factory=set)
    unknown: set[int] = field(default_factory=set)
    failed: set[int] = field(default_factory=set)


@dataclass
class SyncRun:
    db: SyncDatabase
    units: Ledger = field(default_factory=Ledger)
    singles: Ledger = field(default_factory=Ledger)
    errors: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    incomplete_reads: list[int] = field(default_factory=list)
    operations: int = 0
    acknowledged_after_fault: int = 0
    fault_ended: float | None = None
    interrupted: list[tuple[Ledger, int]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next_id(self) -> int:
        with self._lock:
            return next(self._ids)

    def _record(self, ledger: Ledger, key: int, work: Callable[[], object]) -> None:
        started = monotonic()
        try:
            work()
        except OutcomeUnknownError as error:
            self._count(error)
            with self._lock:
                ledger.unknown.add(key)
        except TYPED_ERRORS as error:
            self._count(error)
            with self._lock:
                ledger.failed.add(key)
        except Exception as error:
            with self._lock:
                self.unexpected.append("".join(traceback.format_exception(error)))
                ledger.unknown.add(key)
        else:
            with self._lock:
                ledger.acknowledged.add(key)
                if self.fault_ended is not None:
                    self.acknowledged_after_fault += 1
        finally:
            took = monotonic() - started
            with self._lock:
                self.operations += 1
                if took > OPERATION_BOUND:
                    self.unexpected.append(f"an operation took {took:.1f}s")

    def _count(self, error: BaseException) -> None:
        with self._lock:
            self.errors[type(error).__name__] += 1
        time.sleep(self.db.settings.backoff_delay(2))  # as a client would, before trying again

    def unit(self, unit: int | None = None) -> None:
        key = self.next_id() if unit is None else unit
        self._record(self.units, key, lambda: self._write_unit(key))

    def single(self, single: int | None = None) -> None:
        key = self.next_id() if single is None else single
        self._record(self.singles, key, lambda: self.db.executor().execute(ADD_SINGLE, key))

    def interrupted_writes(self, until: float) -> None:
        """Units and singles written in this (the main) thread until ``until`` while Ctrl-C
        (KeyboardInterrupt) may land anywhere: an interrupted write's outcome is unknown."""
        while monotonic() < until:
            key = self.next_id()
            ledger = self.units if key % 2 else self.singles
            try:
                (self.unit if ledger is self.units else self.single)(key)
            except KeyboardInterrupt:
                self.interrupted.append((ledger, key))
        with self._lock:
            for ledger, key in self.interrupted:
                ledger.unknown.add(key)

    def _write_unit(self, unit: int) -> None:
        with self.db.transaction() as tx:
            for part in range(PARTS):
                tx.executor.execute(ADD_PART, unit, part)

    def read(self) -> None:
        with self._lock:
            done = list(self.units.acknowledged)
        if not done:
            return
        unit = random.choice(done)
        try:
            parts = self.db.executor().fetchval(READ_UNIT, unit)
        except TYPED_ERRORS as error:
            self._count(error)
            return
        except Exception as error:
            with self._lock:
                self.unexpected.append("".join(traceback.format_exception(error)))
            return
        if parts != PARTS:
            with self._lock:
                self.incomplete_reads.append(unit)

    def run(self, seconds: float, fault: Callable[[SyncRun], None]) -> None:
        """Every worker for ``seconds``, the fault in a thread of its own beside them."""
        stop = threading.Event()
        kinds: dict[str, Callable[[], None]] = {
            "unit": self.unit,
            "single": self.single,
            "reader": self.read,
        }

        def worker(step: Callable[[], None]) -> None:
            while not stop.is_set():
                step()

        threads = [
            threading.Thread(target=worker, args=(kinds[kind],), daemon=True)
            for kind, count in WORKERS.items()
            for _ in range(count)
        ]
        for thread in threads:
            thread.start()
        try:
            fault(self)
            with self._lock:
                self.fault_ended = monotonic()
            remaining = seconds - (self.fault_ended - self._started)
            stop.wait(max(remaining, 2.0))  # some load after the fault, to see it recover
        finally:
            stop.set()
            for thread in threads:
                thread.join(OPERATION_BOUND)
        self.unexpected.extend(f"{t.name} did not stop" for t in threads if t.is_alive())

    _started: float = field(default_factory=monotonic)


@dataclass
class SyncVerdict:
    units_missing: list[int]
    units_failed_present: list[int]
    units_partial: list[int]
    singles_missing: list[int]
    singles_failed_present: list[int]
    unknown_present: int
    busy_backends: list[str]


def read_back(run: SyncRun, dsn: str) -> SyncVerdict:
    with psycopg.connect(dsn, autocommit=True) as connection:
        parts: dict[int, int] = {
            int(unit): int(count)
            for unit, count in connection.execute(
                "SELECT unit, count(*) FROM sync_units GROUP BY unit"
            ).fetchall()
        }
        singles = {int(row[0]) for row in connection.execute("SELECT id FROM sync_singles")}
        # The backend of a connection the client closed (psycopg closes one whose cancel was
        # interrupted) ends on its own a moment later; one held by a live connection stays.
        deadline = time.monotonic() + 5
        while True:
            busy = [
                str(row[0])
                for row in connection.execute(
                    "SELECT state FROM pg_stat_activity WHERE datname = current_database()"
                    " AND application_name = 'betdb' AND state <> 'idle'"
                )
            ]
            if not busy or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    return SyncVerdict(
        units_missing=sorted(u for u in run.units.acknowledged if parts.get(u) != PARTS),
        units_failed_present=sorted(u for u in run.units.failed if u in parts),
        units_partial=sorted(u for u, n in parts.items() if n != PARTS),
        singles_missing=sorted(run.singles.acknowledged - singles),
        singles_failed_present=sorted(run.singles.failed & singles),
        unknown_present=sum(1 for u in run.units.unknown if u in parts)
        + len(run.singles.unknown & singles),
        busy_backends=busy,
    )


def figures(run: SyncRun, verdict: SyncVerdict) -> dict[str, Any]:
    return {
        "operations": run.operations,
        "errors": dict(run.errors),
        "units": {
            "acknowledged": len(run.units.acknowledged),
            "unknown": len(run.units.unknown),
            "failed": len(run.units.failed),
        },
        "singles": {
            "acknowledged": len(run.singles.acknowledged),
            "unknown": len(run.singles.unknown),
            "failed": len(run.singles.failed),
        },
        "unknown_present": verdict.unknown_present,
        "acknowledged_after_fault": run.acknowledged_after_fault,
        "interrupted": len(run.interrupted),
    }
