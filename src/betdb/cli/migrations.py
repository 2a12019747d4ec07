"""`betdb migrate up|down|status` (dbmate, with the migration files shipped in the package)
and `betdb partitions ensure`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from betdb import Database
from betdb.cli.connection import DataDir, local_dsn, with_database
from betdb.cli.output import console, reports_errors
from betdb.migrate import migrate_up, migrations_dir, run_dbmate

migrate_app = typer.Typer(help="Apply, roll back or list migrations (dbmate, lock held).")
partitions_app = typer.Typer(help="Maintain the monthly partitions of the odds table.")


def _run_dbmate(action: Callable[[str], str], data_dir: Path | None) -> None:
    console.print(action(local_dsn(data_dir)).rstrip())


@migrate_app.command("up")
@reports_errors
def migrate_up_command(data_dir: DataDir = None) -> None:
    """Apply every pending migration, in order (out-of-order files are refused)."""
    _run_dbmate(lambda dsn: migrate_up(dsn, migrations=migrations_dir()) or "up to date", data_dir)


@migrate_app.command("down")
@reports_errors
def migrate_down_command(data_dir: DataDir = None) -> None:
    """Roll back the most recent migration."""
    _run_dbmate(
        lambda dsn: run_dbmate(dsn, "rollback", dbmate_options=["--no-dump-schema"]), data_dir
    )


@migrate_app.command("status")
@reports_errors
def migrate_status_command(data_dir: DataDir = None) -> None:
    """List applied and pending migrations."""
    _run_dbmate(lambda dsn: run_dbmate(dsn, "status"), data_dir)


@partitions_app.command("ensure")
@reports_errors
def partitions_ensure_command(
    months: Annotated[int, typer.Option(min=1, max=120, help="months ahead to cover")] = 12,
    data_dir: DataDir = None,
) -> None:
    """Create the odds partitions for this month and the next MONTHS-1 (run as the owner role,
    monthly: rows of a month with no partition land in the default partition)."""

    async def ensure(database: Database) -> int:
        created = await database.executor().fetchval(
            "-- name: EnsureOddsPartitions :one\n"
            "SELECT ensure_odds_partitions(date_trunc('month', now())::date, $1)",
            months,
        )
        return int(created)

    created = with_database(data_dir, ensure)
    ahead = "1 month from this one is" if months == 1 else f"{months} months from this one are"
    console.print(f"{created} partition(s) created; {ahead} covered")
