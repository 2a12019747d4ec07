"""The part of sync_db.py that lets a SyncQuerier run on what psycopg users have: a psycopg
Connection or a psycopg_pool ConnectionPool, each adapted to the SyncExecutor protocol by a
small class of the generated package (no betdb, no other runtime), any other SyncExecutor
taken as it is. Fixed text: nothing here depends on the schema or the queries.
"""

from __future__ import annotations

from .pgtypes import Import

ADAPTER_IMPORTS = frozenset(
    {
        Import("gc"),
        Import("inspect"),
        Import("itertools"),
        Import("sys"),
        Import("contextlib", "AbstractContextManager"),
        Import("typing", "TypeAlias"),
        Import("typing", "cast"),
    }
)

ADAPTERS = '''class SyncPool(Protocol):
    """What a SyncQuerier needs of a pool: psycopg_pool's ConnectionPool qualifies."""

    def connection(
        self, timeout: float | None = ...
    ) -> "AbstractContextManager[psycopg.Connection[Any]]": ...


# What a SyncQuerier takes: a psycopg Connection, a psycopg_pool ConnectionPool, or an executor.
SyncConnection: TypeAlias = "SyncExecutor | psycopg.Connection[Any] | SyncPool"

_COLUMN_TYPES = (
    "SELECT a.attname::text, a.atttypid::int FROM pg_catalog.pg_attribute AS a"
    " WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"
)
_TEXT_OID = 25
_cursor_names = _itertools.count(1)
_executor_types: set[type] = set()  # classes already checked to be sync executors


def sync_executor(conn: SyncConnection) -> SyncExecutor:
    """What a SyncQuerier runs its statements on: a psycopg Connection or psycopg_pool
    ConnectionPool adapted, any other sync executor (betdb's, say) as it is."""
    import psycopg  # here: the async Queriers import this module and never load psycopg

    if isinstance(conn, psycopg.Connection):
        return ConnectionExecutor(conn)
    pools = _sys.modules.get("psycopg_pool")  # loaded if a pool was made
    if pools is not None and isinstance(conn, pools.ConnectionPool):
        return PoolExecutor(conn)
    if type(conn) not in _executor_types:
        fetch = getattr(conn, "fetch", None)
        if not callable(fetch) or _inspect.iscoroutinefunction(fetch):
            raise TypeError(
                f"a SyncQuerier runs on a psycopg Connection, a psycopg_pool ConnectionPool or"
                f" a sync executor, not on a {type(conn).__name__}"
            )
        _executor_types.add(type(conn))
    return cast(SyncExecutor, conn)


def _all_rows(cursor: "psycopg.RawCursor[Row]") -> list[Row]:
    """Every row of the cursor's result, built with the collector paused: psycopg makes them
    all at once, and the collector would only rescan them (they hold no cycles)."""
    collecting = _gc.isenabled()
    _gc.disable()
    try:
        return cursor.fetchall()
    finally:
        if collecting:
            _gc.enable()


class ConnectionExecutor:
    """A psycopg Connection as a SyncExecutor: each statement on a RawCursor of its own
    (``$1`` placeholders, tuple rows whatever the connection's row factory), psycopg's errors
    as they are. It streams inside a transaction (``with conn.transaction():``)."""

    def __init__(self, conn: "psycopg.Connection[Any]") -> None:
        self.wrapped = conn

    def _cursor(self) -> "psycopg.RawCursor[Row]":
        from psycopg import RawCursor
        from psycopg.rows import tuple_row

        return RawCursor(self.wrapped, row_factory=tuple_row)

    def execute(self, query: str, *args: object) -> str:
        with self._cursor() as cursor:
            cursor.execute(query, args or None)
            return cursor.statusmessage or ""

    def executemany(self, command: str, args: Iterable[Sequence[object]]) -> None:
        with self._cursor() as cursor:
            cursor.executemany(command, args)

    def fetch(self, query: str, *args: object, rows: SyncRows | None = None) -> list[Row]:
        with self._cursor() as cursor:
            if rows is None:
                cursor.execute(query, args or None)
                return _all_rows(cursor)
            rows.prepare(cursor)
            cursor.execute(query, args or None)
            return rows.finish(_all_rows(cursor))

    def fetchrow(self, query: str, *args: object) -> Row | None:
        with self._cursor() as cursor:
            cursor.execute(query, args or None)
            return cursor.fetchone()

    def fetchmany(self, query: str, args: Iterable[Sequence[object]]) -> list[Row]:
        rows: list[Row] = []
        with self._cursor() as cursor:
            cursor.executemany(query, args, returning=True)
            while True:
                if cursor.pgresult is not None and cursor.pgresult.nfields:
                    rows.extend(_all_rows(cursor))
                if not cursor.nextset():
                    return rows

    def copy_records_to_table(
        self,
        table_name: str,
        *,
        records: Iterable[Sequence[object]],
        columns: Sequence[str] | None = None,
        schema_name: str | None = None,
    ) -> str:
        """COPY in binary with each column's own type from the catalog, as asyncpg does; a
        type psycopg has no adapter for goes as text (an enum's binary format is its label)."""
        from psycopg import sql

        table = sql.Identifier(*filter(None, (schema_name, table_name)))
        with self._cursor() as cursor:
            cursor.execute(_COLUMN_TYPES, (table.as_string(self.wrapped),))
            types: dict[str, int] = dict(cursor.fetchall())
            names = list(types) if columns is None else list(columns)
            known = self.wrapped.adapters.types
            oids = [o if known.get(o := types.get(n, _TEXT_OID)) else _TEXT_OID for n in names]
            statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
                table, sql.SQL(", ").join(map(sql.Identifier, names))
            )
            with cursor.copy(statement) as copy:
                copy.set_types(oids)
                for record in records:
                    copy.write_row(record)
            return f"COPY {max(cursor.rowcount, 0)}"

    def is_in_transaction(self) -> bool:
        # pgconn's status: connection.info builds an object per call
        return self.wrapped.pgconn.transaction_status != 0  # TransactionStatus.IDLE

    def cursor(self, query: str, *args: object, prefetch: int | None = None) -> Iterator[Row]:
        from psycopg import RawServerCursor
        from psycopg.rows import tuple_row

        name = f"sqlc_cursor_{next(_cursor_names)}"
        with RawServerCursor(self.wrapped, name, row_factory=tuple_row) as cursor:
            cursor.execute(query, args or None)
            while rows := cursor.fetchmany(prefetch or 50):
                yield from rows


class PoolExecutor:
    """A psycopg_pool ConnectionPool as a SyncExecutor: each statement on a connection of its
    own, committed when the pool takes it back (rolled back if it failed). It cannot stream:
    a server-side cursor needs one connection in a transaction."""

    def __init__(self, pool: SyncPool) -> None:
        self.wrapped = pool

    def execute(self, query: str, *args: object) -> str:
        with self.wrapped.connection() as conn:
            return ConnectionExecutor(conn).execute(query, *args)

    def executemany(self, command: str, args: Iterable[Sequence[object]]) -> None:
        with self.wrapped.connection() as conn:
            ConnectionExecutor(conn).executemany(command, args)

    def fetch(self, query: str, *args: object, rows: SyncRows | None = None) -> list[Row]:
        with self.wrapped.connection() as conn:
            return ConnectionExecutor(conn).fetch(query, *args, rows=rows)

    def fetchrow(self, query: str, *args: object) -> Row | None:
        with self.wrapped.connection() as conn:
            return ConnectionExecutor(conn).fetchrow(query, *args)

    def fetchmany(self, query: str, args: Iterable[Sequence[object]]) -> list[Row]:
        with self.wrapped.connection() as conn:
            return ConnectionExecutor(conn).fetchmany(query, args)

    def copy_records_to_table(
        self,
        table_name: str,
        *,
        records: Iterable[Sequence[object]],
        columns: Sequence[str] | None = None,
        schema_name: str | None = None,
    ) -> str:
        with self.wrapped.connection() as conn:
            return ConnectionExecutor(conn).copy_records_to_table(
                table_name, records=records, columns=columns, schema_name=schema_name
            )'''
