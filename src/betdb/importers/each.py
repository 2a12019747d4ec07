"""Importing a file record by record in one transaction: each added, found stored, or rejected."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

from betdb import UnifiedRepository
from betdb.importers.fields import FieldError
from betdb.importers.records import RecordReader, RejectsFile, default_rejects_path
from betdb.importers.report import ImportReport, Rejection

Adder = Callable[[Mapping[str, object]], Awaitable[bool]]
"""Adds one record's fields; False when it was already stored. FieldError rejects it."""


async def import_each(
    repository: UnifiedRepository,
    path: Path,
    *,
    rejects: Path | None,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    adder_for: Callable[[UnifiedRepository], Adder],
) -> ImportReport:
    """Run `adder_for(transaction)` on every record of the file inside one transaction."""
    started = time.perf_counter()
    path = Path(path)
    report = ImportReport(path=path)
    reader = RecordReader(path, required=required, optional=optional)
    rejects_file = RejectsFile(Path(rejects) if rejects else default_rejects_path(path), reader)
    try:
        async with repository.transaction() as tx:
            add = adder_for(tx)
            for record in reader:
                report.read += 1
                try:
                    if record.problem is not None:
                        raise FieldError(record.problem)
                    assert record.fields is not None
                    added = await add(record.fields)
                except FieldError as error:
                    report.rejected.append(Rejection(record.line, str(error), record.raw))
                    rejects_file.write(record, str(error))
                    continue
                if added:
                    report.imported += 1
                else:
                    report.duplicates += 1
    finally:
        rejects_file.close()
    report.rejects_path = rejects_file.path if rejects_file.written else None
    report.seconds = time.perf_counter() - started
    return report
