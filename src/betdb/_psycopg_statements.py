"""What one statement does on one psycopg connection (a RawCursor, ``$1`` placeholders):
each function returns the result and its row count, for the executors to time and log."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from typing import Any

from psycopg import sql as psql
from psycopg.pq import ExecStatus

Row = tuple[Any, ...]

_COLUMN_TYPES = """
SELECT a.attname, a.atttypid::int
FROM pg_attribute AS a
WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""
_TEXT = 25  # the oid of text


def _has_rows(cursor: Any) -> bool:
    """cursor.description is not None, without building its Column objects (about 20 µs for a
    31-column row, most of a point query's client time)."""
    result = cursor.pgresult
    return result is not None and bool(result.nfields or result.status == ExecStatus.TUPLES_OK)


def _all_rows(cursor: Any) -> list[Row]:
    """Every row of the result, built with the collector paused: psycopg makes them all at
    once and the collector would only rescan them (about a third of a large fetch's time)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        rows: list[Row] = cursor.fetchall()
    finally:
        if collecting:
            gc.enable()
    return rows


def fetch(
    connection: Any, query: str, args: Sequence[object], rows: Any = None
) -> tuple[list[Row], int]:
    """`rows`: a generated SyncRows, which sets the cursor up for its query's rows and
    finishes the list it read."""
    with connection.cursor() as cursor:
        if rows is not None:
            rows.prepare(cursor)
        cursor.execute(query, args or None)
        found = _all_rows(cursor) if _has_rows(cursor) else []
    return (found if rows is None else rows.finish(found)), len(found)


def fetchrow(connection: Any, query: str, args: Sequence[object]) -> tuple[Row | None, int]:
    with connection.cursor() as cursor:
        cursor.execute(query, args or None)
        row = cursor.fetchone() if _has_rows(cursor) else None
    return row, int(row is not None)


def execute(connection: Any, query: str, args: Sequence[object]) -> tuple[str, int | None]:
    with connection.cursor() as cursor:
        cursor.execute(query, args or None)
        status = cursor.statusmessage or ""
        rows = cursor.rowcount if cursor.rowcount >= 0 else None
    return status, rows


def executemany(
    connection: Any, query: str, args: Iterable[Sequence[object]]
) -> tuple[None, int | None]:
    with connection.cursor() as cursor:
        cursor.executemany(query, args)  # pipelined: one round trip
        return None, cursor.rowcount if cursor.rowcount >= 0 else None


def fetchmany(
    connection: Any, query: str, args: Iterable[Sequence[object]]
) -> tuple[list[Row], int]:
    rows: list[Row] = []
    with connection.cursor() as cursor:
        cursor.executemany(query, args, returning=True)
        while True:
            if _has_rows(cursor):
                rows.extend(_all_rows(cursor))
            if not cursor.nextset():
                break
    return rows, len(rows)


def copy_records(
    connection: Any,
    table_name: str,
    records: Iterable[Sequence[object]],
    columns: Sequence[str] | None,
    schema_name: str | None,
) -> tuple[str, int]:
    """COPY in binary, with each column's type from the catalog (psycopg's binary COPY needs
    them); a type psycopg has no adapter for (an enum) travels as text, its binary format."""
    table = psql.Identifier(schema_name, table_name) if schema_name else psql.Identifier(table_name)
    with connection.cursor() as cursor:
        cursor.execute(_COLUMN_TYPES, (table.as_string(connection),))
        types = dict(cursor.fetchall())
        names = list(columns) if columns is not None else list(types)
        known = connection.adapters.types
        oids = [oid if known.get(oid := types.get(name, _TEXT)) else _TEXT for name in names]
        statement = psql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            table, psql.SQL(", ").join(map(psql.Identifier, names))
        )
        with cursor.copy(statement) as copy:
            copy.set_types(oids)
            for record in records:
                copy.write_row(record)
        count = max(cursor.rowcount, 0)
    return f"COPY {count}", count


def fetch_batch(cursor: Any, size: int) -> tuple[list[Row], int]:
    rows = cursor.fetchmany(size)
    return rows, len(rows)
