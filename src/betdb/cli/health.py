"""`betdb health`: is the database reachable, current and well?"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from betdb import Database, HealthReport
from betdb._redact import redact_dsn
from betdb.cli.connection import DataDir, with_database
from betdb.cli.output import console, print_json, reports_errors, table

Json = Annotated[bool, typer.Option("--json", help="print JSON for scripts instead of a table")]


def healthy(report: HealthReport) -> bool:
    return report.reachable and report.migrations_current and report.breaker == "closed"


def health_table(report: HealthReport, dsn: str) -> Table:
    pool = report.pool
    rows = [
        ("database", dsn),
        ("reachable", "yes" if report.reachable else f"no: {report.error}"),
        ("server", f"PostgreSQL {report.server_version}" if report.server_version else "?"),
        ("latency", f"{report.latency_ms} ms" if report.latency_ms is not None else ""),
        (
            "migrations",
            f"{report.migration_applied} applied, newest {report.migration_newest}: "
            + ("current" if report.migrations_current else "NOT current (betdb migrate up)"),
        ),
        (
            "pool",
            f"{pool.size} open ({pool.in_use} in use), bounds {pool.min_size} to {pool.max_size}",
        ),
        ("breaker", report.breaker),
    ]
    for replica in report.replicas:
        state = "serving reads" if replica.serving_reads else replica.error or "not serving"
        rows.append((f"replica {replica.dsn}", f"lag {replica.lag_seconds}s, {state}"))
    for query in report.slowest_queries or []:
        rows.append((f"slow {query.name}", f"mean {query.mean_ms} ms over {query.calls:,} calls"))
    return table("Health: " + ("ok" if healthy(report) else "NOT ok"), ("check", "state"), rows)


@reports_errors
def health_command(json_output: Json = False, data_dir: DataDir = None) -> None:
    """Is the database reachable, current on migrations and its breaker closed? (exit 1 if
    not) With latency, server version, pool and replicas."""

    async def work(database: Database) -> HealthReport:
        report = await database.health()
        if json_output:
            print_json(report)
        else:
            console.print(health_table(report, redact_dsn(database.settings.primary_dsn())))
        return report

    if not healthy(with_database(data_dir, work)):
        raise typer.Exit(1)
