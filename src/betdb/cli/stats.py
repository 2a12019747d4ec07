"""`betdb stats queries|tables`: what each named query and each table costs on the server."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from betdb import Database
from betdb.cli.connection import DataDir, with_database
from betdb.cli.output import console, print_json, reports_errors, table, when
from betdb.stats import (
    QueryReport,
    QueryStatistics,
    TableReport,
    query_statistics,
    table_statistics,
)

stats_app = typer.Typer(
    help="Server-side statistics: pg_stat_statements by sqlc query name, table and index sizes."
)

Json = Annotated[bool, typer.Option("--json", help="print JSON for scripts instead of tables")]
Limit = Annotated[int, typer.Option("--limit", min=1, help="statements shown per group")]


def _size(value: int) -> str:
    size = float(value)
    for unit in ("B", "kB", "MB"):
        if size < 1024:
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} GB"


def _optional(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _query_rows(items: list[QueryStatistics], *, named: bool) -> list[tuple[str, ...]]:
    return [
        (
            item.name if named and item.name else item.query[:60],
            f"{item.calls:,}",
            f"{item.total_ms:,.1f}",
            f"{item.mean_ms:,.3f}",
            f"{item.rows:,}",
            "" if item.hit_ratio is None else f"{item.hit_ratio:.1%}",
        )
        for item in items
    ]


_QUERY_COLUMNS = ("query", "calls", "total ms", "mean ms", "rows", "hit ratio")
# Headers over two lines, and only the times may wrap: a size or a name is never cropped.
_TABLE_COLUMNS = ("table", "kind", "size", "indexes", "rows\n(est.)", "seq\nscans",
                  "idx\nscans", "dead\nrows", "last\nvacuum", "last\nanalyze")  # fmt: skip
_WRAPPED = frozenset({"last\nvacuum", "last\nanalyze"})
_LEFT = frozenset({"table", "index", "kind", "unique", *_WRAPPED})


def _uncropped(title: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> Table:
    """A table that fits the width by wrapping its times: numbers and names stay whole."""
    result = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for i, column in enumerate(columns):
        widest = max([*(len(line) for line in column.split("\n")), *(len(row[i]) for row in rows)])
        result.add_column(
            column,
            justify="left" if column in _LEFT else "right",
            no_wrap=column not in _WRAPPED,
            overflow="fold",
            min_width=None if column in _WRAPPED else widest,
        )
    for row in rows:
        result.add_row(*row)
    return result


@stats_app.command("queries")
@reports_errors
def queries_command(json_output: Json = False, limit: Limit = 20, data_dir: DataDir = None) -> None:
    """Each generated query by its sqlc name: calls, total and mean time, rows and shared-buffer
    hit ratio, most total time first; other statements apart (pg_stat_statements, installed in
    the database on first use when the server preloads it)."""

    async def work(database: Database) -> QueryReport:
        async with database.connection() as connection:
            return await query_statistics(connection)

    report = with_database(data_dir, work)
    if json_output:
        print_json(report)
        return
    console.print(
        table("betdb queries", _QUERY_COLUMNS, _query_rows(report.betdb[:limit], named=True))
    )
    console.print(
        table(
            f"Other statements ({len(report.other)})",
            _QUERY_COLUMNS,
            _query_rows(report.other[:limit], named=False),
        )
    )


@stats_app.command("tables")
@reports_errors
def tables_command(json_output: Json = False, data_dir: DataDir = None) -> None:
    """Size of every table and odds partition, row estimates, scans, dead rows, last vacuum and
    analyze; index sizes and scans, and the indexes never used."""

    async def work(database: Database) -> TableReport:
        async with database.connection() as connection:
            return await table_statistics(connection)

    report = with_database(data_dir, work)
    if json_output:
        print_json(report)
        return
    rows = [
        (
            t.table, t.kind, _size(t.total_bytes), _size(t.index_bytes), _optional(t.row_estimate),
            _optional(t.seq_scans), _optional(t.index_scans), _optional(t.dead_rows),
            when(t.last_vacuum, year=True), when(t.last_analyze, year=True),
        )
        for t in report.tables
    ]  # fmt: skip
    console.print(_uncropped("Tables (times in UTC)", _TABLE_COLUMNS, rows))
    indexes = [
        (i.index, i.table, _size(i.bytes), f"{i.scans:,}", "yes" if i.enforces_uniqueness else "")
        for i in report.indexes
    ]
    console.print(_uncropped("Indexes", ("index", "table", "size", "scans", "unique"), indexes))
    unused = ", ".join(report.unused_indexes) or "none"
    console.print(f"never used (not counting unique and primary keys): {unused}", soft_wrap=True)
