"""Importing a file record by record in one transaction: each added, found stored, or rejected.

Also what every line-oriented importer shares: how a record is rejected, and how an import the
database stops says where it stopped and what it committed.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from pathlib import Path

import asyncpg
import pydantic

from betdb import UnifiedRepository
from betdb._asyncpg_errors import is_connection_loss
from betdb.errors import (
    BetdbError,
    ConnectionLostError,
    DatabaseUnavailableError,
    QueryTimeoutError,
    ValidationError,
)
from betdb.importers.fields import FieldError
from betdb.importers.records import (
    MAX_RECORD_BYTES,
    Record,
    RecordReader,
    RejectsFile,
    default_rejects_path,
)
from betdb.importers.report import (
    ImportFileError,
    ImportReport,
    ImportStoppedError,
    Rejection,
    shortened,
)

Adder = Callable[[Mapping[str, object]], Awaitable[bool]]
"""Adds one record's fields; False when it was already stored. FieldError rejects it."""

RECORD_ERRORS = (FieldError, ValidationError, pydantic.ValidationError)
"""What rejects one record: the importer's own checks, and the generated queriers' validation
of their parameters (raised before any SQL runs)."""
LOST = (DatabaseUnavailableError, ConnectionLostError, QueryTimeoutError, OSError)
DATABASE_ERRORS = (BetdbError, asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


def reject(report: ImportReport, rejects: RejectsFile, record: Record, error: Exception) -> None:
    reason = str(error)
    if isinstance(error, pydantic.ValidationError | ValidationError):
        reason = f"refused by the database layer: {shortened(reason.splitlines()[0], 300)}"
    report.rejected.append(Rejection(record.line, reason, record.raw))
    rejects.write(record, reason)


def stopped(report: ImportReport, error: BaseException) -> ImportStoppedError:
    """Why the database stopped the import, with what to do about it."""
    message = shortened(str(error).strip().splitlines()[0] if str(error).strip() else "", 300)
    what = f"{type(error).__name__}: {message}" if message else type(error).__name__
    if isinstance(error, OSError) and error.filename is not None:  # a file, not the database
        return ImportStoppedError(report, f"cannot use {error.filename}: {error.strerror}")
    # betdb's executors translate driver errors; an InterfaceError reaching here came from a raw
    # asyncpg connection's transaction, which asyncpg raises only once that connection is gone.
    interface = isinstance(error, asyncpg.InterfaceError)
    if isinstance(error, LOST) or is_connection_loss(error, connection_closed=interface):
        return ImportStoppedError(report, f"the database went away ({what})")
    return ImportStoppedError(report, f"the database refused a record ({what})", refused=True)


@contextlib.contextmanager
def stops_reported(report: ImportReport, rejects: RejectsFile) -> Iterator[None]:
    """Around an import's work: a database failure becomes ImportStoppedError naming the line
    reached and the rows committed; the rejects file gets this run's rejections either way."""
    try:
        yield
    except ImportFileError:
        rejects.discard()
        raise
    except DATABASE_ERRORS as error:
        if not is_connection_loss(error):
            report.in_doubt = 0  # the server refused it: known not stored
        with contextlib.suppress(OSError):
            report.rejects_path = rejects.finish()
        raise stopped(report, error) from error
    except BaseException:  # cancelled or interrupted: what is committed stays, say so
        with contextlib.suppress(OSError):
            report.rejects_path = rejects.finish()
        raise
    report.rejects_path = rejects.finish()


async def import_each(
    repository: UnifiedRepository,
    path: Path,
    *,
    rejects: Path | None,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    adder_for: Callable[[UnifiedRepository], Adder],
    max_record_bytes: int = MAX_RECORD_BYTES,
    report: ImportReport | None = None,
) -> ImportReport:
    """Run `adder_for(transaction)` on every record of the file inside one transaction.

    `report`, when given, is counted into as the import goes (a caller that interrupts the
    import reads where it stopped from it).
    """
    started = time.perf_counter()
    path = Path(path)
    report = report if report is not None else ImportReport(path=path)
    reader = RecordReader(
        path, required=required, optional=optional, max_record_bytes=max_record_bytes
    )
    rejects_file = RejectsFile(Path(rejects) if rejects else default_rejects_path(path), reader)
    with stops_reported(report, rejects_file):
        async with repository.transaction() as tx:
            add = adder_for(tx)
            for record in reader:
                report.read += 1
                report.line = record.line
                try:
                    if record.problem is not None:
                        raise FieldError(record.problem)
                    assert record.fields is not None
                    added = await add(record.fields)
                except RECORD_ERRORS as error:
                    reject(report, rejects_file, record, error)
                    continue
                if added:
                    report.imported += 1
                else:
                    report.duplicates += 1
            report.in_doubt = report.imported + report.updated  # the COMMIT comes next
        report.committed, report.in_doubt = report.in_doubt, 0
    report.seconds = time.perf_counter() - started
    return report
