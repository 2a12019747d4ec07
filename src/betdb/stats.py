"""What each query and each table costs: pg_stat_statements by sqlc name, and table statistics.

PostgreSQL 18's pg_stat_statements drops a statement's leading comment, so the ``-- name:``
line of a generated query is not in its text. The server itself says which statement is which:
``EXPLAIN (VERBOSE, GENERIC_PLAN)`` of a generated SQL constant prints the query identifier that
pg_stat_statements files its executions under, in this database.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Iterable
from datetime import datetime

import asyncpg
from pydantic import BaseModel

from betdb.errors import BetdbError

_NAME_LINE = re.compile(r"^-- name: (\w+) (:\w+)")
_COPY_TARGET = re.compile(r"INSERT\s+INTO\s+(?:\w+\.)?(\w+)", re.IGNORECASE)
_COPY_STATEMENT = re.compile(r'^COPY\s+(?:"?\w+"?\.)?"?(\w+)"?.*FROM\s+STDIN', re.IGNORECASE | re.S)
_EXPLAIN = "EXPLAIN (VERBOSE, GENERIC_PLAN, FORMAT JSON) "
EXTENSION = "pg_stat_statements"

_EXTENSION_SCHEMA = """-- name: GetStatementsExtensionSchema :one
SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_stat_statements'
"""

_PRELOADED = """-- name: IsStatementsLibraryPreloaded :one
SELECT 'pg_stat_statements' = ANY (
    string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')
)
"""

# {schema} is the extension's schema, read from pg_extension and quoted.
_STATEMENTS = """-- name: ListStatementStatistics :many
SELECT queryid, query, calls, total_exec_time, mean_exec_time, rows,
    shared_blks_hit, shared_blks_read
FROM {schema}.pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND queryid IS NOT NULL
"""

_TABLES = """-- name: ListTableStatistics :many
SELECT n.nspname AS schema_name, c.relname AS table_name, c.relkind::text AS kind,
    parent.relname AS parent,
    CASE WHEN c.relkind = 'p' THEN coalesce((
        SELECT sum(pg_total_relation_size(p.relid)) FROM pg_partition_tree(c.oid) p
        WHERE p.isleaf), 0)::bigint
    ELSE pg_total_relation_size(c.oid) END AS total_bytes,
    CASE WHEN c.relkind = 'p' THEN 0 ELSE pg_indexes_size(c.oid) END AS index_bytes,
    c.reltuples::bigint AS row_estimate,
    s.seq_scan, s.idx_scan, s.n_live_tup, s.n_dead_tup,
    greatest(s.last_vacuum, s.last_autovacuum) AS last_vacuum,
    greatest(s.last_analyze, s.last_autoanalyze) AS last_analyze
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
LEFT JOIN pg_class parent ON parent.oid = i.inhparent
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
ORDER BY total_bytes DESC, 1, 2
"""

_INDEXES = """-- name: ListIndexStatistics :many
SELECT s.schemaname AS schema_name, s.relname AS table_name, s.indexrelname AS index_name,
    pg_relation_size(s.indexrelid) AS bytes, s.idx_scan AS scans,
    x.indisunique AS is_unique, x.indisprimary AS is_primary
FROM pg_stat_user_indexes s
JOIN pg_index x ON x.indexrelid = s.indexrelid
ORDER BY 1, 2, 3
"""


class StatisticsUnavailableError(BetdbError):
    """pg_stat_statements is not loaded or not installed, and betdb may not install it."""


class QueryStatistics(BaseModel):
    """One statement's totals since the statistics were last reset."""

    name: str | None
    """The sqlc name (``GetLatestOdds``), None for a statement that is not betdb's."""
    query: str
    calls: int
    total_ms: float
    mean_ms: float
    rows: int
    hit_ratio: float | None
    """Shared-buffer hits over hits and reads; None when it touched no shared buffer."""


class QueryReport(BaseModel):
    betdb: list[QueryStatistics]
    """Generated queries by sqlc name, most total time first."""
    other: list[QueryStatistics]
    """Every other statement of this database (migrations, psql, ...), most total time first."""


class TableStatistics(BaseModel):
    table: str
    kind: str
    """table, partitioned (sizes summed over its partitions) or partition."""
    parent: str | None
    total_bytes: int
    index_bytes: int
    row_estimate: int | None
    """The planner's estimate (reltuples); None before the first ANALYZE."""
    seq_scans: int | None
    index_scans: int | None
    live_rows: int | None
    dead_rows: int | None
    last_vacuum: datetime | None
    last_analyze: datetime | None


class IndexStatistics(BaseModel):
    table: str
    index: str
    bytes: int
    scans: int
    enforces_uniqueness: bool


class TableReport(BaseModel):
    tables: list[TableStatistics]
    indexes: list[IndexStatistics]
    unused_indexes: list[str]
    """Indexes never scanned since the statistics were reset, other than those that enforce a
    unique or primary key (they work on every write, scanned or not)."""


def generated_queries() -> dict[str, tuple[str, str]]:
    """Every generated SQL constant: sqlc name -> (annotation such as ``:many``, SQL)."""
    import betdb.generated as package

    queries: dict[str, tuple[str, str]] = {}
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, str):
                match = _NAME_LINE.match(value)
                if match:
                    queries[match.group(1)] = (match.group(2), value)
    return queries


async def _query_id(connection: asyncpg.Connection, sql: str) -> int | None:
    """The identifier pg_stat_statements gives sql in this database, from the server."""
    try:
        async with connection.transaction():  # a savepoint: one failure spoils no other
            statement = await connection.prepare(_EXPLAIN + sql)
            plan = await statement.fetchval(*[None] * len(statement.get_parameters()))
    except asyncpg.PostgresError:
        return None
    value = json.loads(plan)[0].get("Query Identifier")
    return None if value is None else int(value)


_IDENTITY = """-- name: GetQueryIdentityKey :one
SELECT (SELECT oid FROM pg_database WHERE datname = current_database())::bigint,
    pg_postmaster_start_time()::text,
    (SELECT coalesce(sum(c.oid::bigint), 0) FROM pg_class c WHERE c.relkind IN ('r', 'p'))::bigint
"""

# Identifiers hang on the tables' OIDs: the same while no table is created or dropped.
_names_cache: dict[tuple[int, str, int], tuple[dict[int, str], dict[str, str]]] = {}


async def query_names(connection: asyncpg.Connection) -> tuple[dict[int, str], dict[str, str]]:
    """Query identifier -> sqlc name(s), and COPY target table -> the :copyfrom query's name."""
    row = await connection.fetchrow(_IDENTITY)
    key = (int(row[0]), str(row[1]), int(row[2])) if row is not None else None
    if key is not None and key in _names_cache:
        return _names_cache[key]
    names = await _query_names(connection)
    if key is not None:
        _names_cache[key] = names
    return names


async def _query_names(connection: asyncpg.Connection) -> tuple[dict[int, str], dict[str, str]]:
    by_id: dict[int, list[str]] = {}
    by_copy_table: dict[str, str] = {}
    # One transaction keeps the prepared EXPLAINs on one server connection behind a pooler.
    async with connection.transaction(readonly=True):
        for name, (annotation, sql) in sorted(generated_queries().items()):
            if annotation == ":copyfrom":
                target = _COPY_TARGET.search(sql)
                if target:
                    by_copy_table[target.group(1)] = name
                continue
            query_id = await _query_id(connection, sql)
            if query_id is not None:
                by_id.setdefault(query_id, []).append(name)
    return {query_id: " | ".join(names) for query_id, names in by_id.items()}, by_copy_table


async def _statements_schema(connection: asyncpg.Connection, *, install: bool) -> str | None:
    schema: str | None = await connection.fetchval(_EXTENSION_SCHEMA)
    if schema is not None or not install:
        return schema
    if not await connection.fetchval(_PRELOADED):
        raise StatisticsUnavailableError(
            "pg_stat_statements is not loaded: add it to shared_preload_libraries in "
            "postgresql.conf and restart the server (the local server has it)"
        )
    try:
        await connection.execute(f"CREATE EXTENSION IF NOT EXISTS {EXTENSION}")
    except asyncpg.PostgresError as error:
        raise StatisticsUnavailableError(
            f"pg_stat_statements is loaded but not installed in this database, and this role "
            f"cannot install it ({error}): run CREATE EXTENSION pg_stat_statements as a superuser"
        ) from error
    schema = await connection.fetchval(_EXTENSION_SCHEMA)
    return schema


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _statistics(row: asyncpg.Record, name: str | None) -> QueryStatistics:
    touched = row["shared_blks_hit"] + row["shared_blks_read"]
    return QueryStatistics(
        name=name,
        query=" ".join(row["query"].split()),
        calls=row["calls"],
        total_ms=round(row["total_exec_time"], 3),
        mean_ms=round(row["mean_exec_time"], 3),
        rows=row["rows"],
        hit_ratio=round(row["shared_blks_hit"] / touched, 4) if touched else None,
    )


def _merge(name: str, entries: Iterable[QueryStatistics]) -> QueryStatistics:
    """One line per name: the same query can be filed more than once (top level and nested)."""
    items = list(entries)
    calls = sum(item.calls for item in items)
    total = sum(item.total_ms for item in items)
    ratios = [(item.hit_ratio, item.calls) for item in items if item.hit_ratio is not None]
    return QueryStatistics(
        name=name,
        query=items[0].query,
        calls=calls,
        total_ms=round(total, 3),
        mean_ms=round(total / calls, 3) if calls else 0.0,
        rows=sum(item.rows for item in items),
        hit_ratio=(
            round(sum(r * c for r, c in ratios) / sum(c for _, c in ratios), 4)
            if ratios and sum(c for _, c in ratios)
            else None
        ),
    )


async def query_statistics(connection: asyncpg.Connection, *, install: bool = True) -> QueryReport:
    """pg_stat_statements of this database, the generated queries by name apart from the rest.

    With install, creates the extension in the database when the server preloads it.
    """
    schema = await _statements_schema(connection, install=install)
    if schema is None:
        raise StatisticsUnavailableError("pg_stat_statements is not installed in this database")
    names, copy_names = await query_names(connection)
    rows = await connection.fetch(_STATEMENTS.format(schema=_quote_ident(schema)))
    named: dict[str, list[QueryStatistics]] = {}
    other = []
    for row in rows:
        if row["query"].startswith(_EXPLAIN):
            continue  # this function's own look-ups of query identifiers
        name = names.get(row["queryid"])
        copy = _COPY_STATEMENT.match(row["query"])
        if name is None and copy is not None:
            name = copy_names.get(copy.group(1))
        if name is None:
            other.append(_statistics(row, None))
        else:
            named.setdefault(name, []).append(_statistics(row, name))
    by_total = lambda item: (-item.total_ms, item.name or item.query)  # noqa: E731
    return QueryReport(
        betdb=sorted((_merge(name, items) for name, items in named.items()), key=by_total),
        other=sorted(other, key=by_total),
    )


async def slowest_queries(
    connection: asyncpg.Connection, limit: int = 5
) -> list[QueryStatistics] | None:
    """The generated queries with the highest mean time, or None without pg_stat_statements
    (for the health report: never installs anything)."""
    try:
        report = await query_statistics(connection, install=False)
    except (StatisticsUnavailableError, asyncpg.PostgresError):
        return None
    return sorted(report.betdb, key=lambda item: -item.mean_ms)[:limit]


_KINDS = {"r": "table", "p": "partitioned"}


async def table_statistics(connection: asyncpg.Connection) -> TableReport:
    """Size, row estimate, scans, dead rows and maintenance of every table and odds partition,
    and each index's size and scans."""
    tables = []
    for row in await connection.fetch(_TABLES):
        estimate = row["row_estimate"]
        tables.append(
            TableStatistics(
                table=f"{row['schema_name']}.{row['table_name']}",
                kind="partition" if row["parent"] else _KINDS[row["kind"]],
                parent=row["parent"],
                total_bytes=row["total_bytes"],
                index_bytes=row["index_bytes"],
                row_estimate=None if estimate is None or estimate < 0 else estimate,
                seq_scans=row["seq_scan"],
                index_scans=row["idx_scan"],
                live_rows=row["n_live_tup"],
                dead_rows=row["n_dead_tup"],
                last_vacuum=row["last_vacuum"],
                last_analyze=row["last_analyze"],
            )
        )
    indexes = [
        IndexStatistics(
            table=f"{row['schema_name']}.{row['table_name']}",
            index=f"{row['schema_name']}.{row['index_name']}",
            bytes=row["bytes"],
            scans=row["scans"],
            enforces_uniqueness=row["is_unique"] or row["is_primary"],
        )
        for row in await connection.fetch(_INDEXES)
    ]
    unused = [
        index.index for index in indexes if index.scans == 0 and not index.enforces_uniqueness
    ]
    return TableReport(tables=tables, indexes=indexes, unused_indexes=unused)
