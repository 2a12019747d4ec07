"""The `betdb` command."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from betdb.database import Database
from betdb.embedded import EmbeddedPostgres, default_data_dir
from betdb.migrate import MigrationError, migrate_up, migrations_dir, run_dbmate
from betdb.settings import BetdbSettings

app = typer.Typer(help="betdb: the typed data layer of an MLB betting analytics system.")
console = Console()

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="where the local embedded server keeps its data"),
]


def local_dsn(data_dir: Path | None = None) -> str:
    """DATABASE_URL when set, else the local embedded server (started if needed)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    server = EmbeddedPostgres(data_dir or default_data_dir())
    server.start()
    return server.dsn_for("betdb")


async def _demo_report(dsn: str) -> None:
    async with Database(BetdbSettings(dsn=SecretStr(dsn), pool_min_size=1, pool_max_size=2)) as db:
        repository = db.repository()
        teams = await repository.teams.list_teams()
        resolved = {
            code: await repository.teams.resolve_team_code(code=code) for code in ("ARI", "OAK")
        }
        health = await db.health()
    console.print(
        f"PostgreSQL [bold]{health.server_version}[/bold], reachable in {health.latency_ms} ms; "
        f"migration {health.migration_applied} applied (newest {health.migration_newest}); "
        f"breaker {health.breaker}"
    )
    table = Table(title=f"{len(teams)} MLB clubs, read through the generated TeamsQuerier")
    for column in ("id", "code", "club", "league", "division"):
        table.add_column(column)
    for team in sorted(teams, key=lambda t: (t.league, t.division, t.name)):
        table.add_row(str(team.team_id), team.abbreviation, team.name, team.league, team.division)
    console.print(table)
    for code, club in resolved.items():
        console.print(f"sportsbook code {code} resolves to {club.abbreviation if club else None}")


@app.command()
def demo(data_dir: DataDir = None) -> None:
    """Start the local server, apply the migrations and show what is in the database."""
    dsn = local_dsn(data_dir)
    console.print(f"Database: {dsn}")
    migrate_up(dsn, migrations=migrations_dir())
    asyncio.run(_demo_report(dsn))


migrate_app = typer.Typer(help="Apply, roll back or list migrations (dbmate, lock held).")
app.add_typer(migrate_app, name="migrate")


def _dbmate_or_exit(action: Callable[[str], str], data_dir: Path | None) -> None:
    try:
        output = action(local_dsn(data_dir))
    except MigrationError as error:
        console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from error
    console.print(output.rstrip(), highlight=False)


@migrate_app.command("up")
def migrate_up_command(data_dir: DataDir = None) -> None:
    """Apply every pending migration, in order (out-of-order files are refused)."""
    _dbmate_or_exit(
        lambda dsn: migrate_up(dsn, migrations=migrations_dir()) or "up to date", data_dir
    )


@migrate_app.command("down")
def migrate_down_command(data_dir: DataDir = None) -> None:
    """Roll back the most recent migration."""
    _dbmate_or_exit(
        lambda dsn: run_dbmate(dsn, "rollback", dbmate_options=["--no-dump-schema"]), data_dir
    )


@migrate_app.command("status")
def migrate_status_command(data_dir: DataDir = None) -> None:
    """List applied and pending migrations."""
    _dbmate_or_exit(lambda dsn: run_dbmate(dsn, "status"), data_dir)


partitions_app = typer.Typer(help="Maintain the monthly partitions of the odds table.")
app.add_typer(partitions_app, name="partitions")


async def _ensure_partitions(dsn: str, months: int) -> int:
    async with Database(BetdbSettings(dsn=SecretStr(dsn), pool_min_size=1)) as db:
        created = await db.executor().fetchval(
            "-- name: EnsureOddsPartitions :one\n"
            "SELECT ensure_odds_partitions(date_trunc('month', now())::date, $1)",
            months,
        )
    return int(created)


@partitions_app.command("ensure")
def partitions_ensure_command(
    months: Annotated[int, typer.Option(min=1, max=120, help="months ahead to cover")] = 12,
    data_dir: DataDir = None,
) -> None:
    """Create the odds partitions for this month and the next MONTHS-1 (run as the owner role,
    monthly: rows of a month with no partition land in the default partition)."""
    created = asyncio.run(_ensure_partitions(local_dsn(data_dir), months))
    console.print(f"{created} partition(s) created; {months} months from this one are covered")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
