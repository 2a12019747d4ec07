"""`betdb demo` (and `make demo`): the whole of betdb on the shipped sample week, in one command.

It starts the local server (unless DATABASE_URL or BETDB_* settings name one), migrates, loads
the sample, and prints what the query commands print: the day's games, the latest odds of the
game with the steam move, its line movement (and chart), strong signals, confident analyses
and the health summary. Loading adds nothing the second time, so a second run prints the same.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from betdb import Database
from betdb._redact import redact_dsn
from betdb.cli.connection import DataDir, local_dsn, with_database
from betdb.cli.findings import analyses_table, confident_analyses, signals_table, strong_signals
from betdb.cli.games import find_games, games_table
from betdb.cli.health import health_table
from betdb.cli.lookup import Names, resolve_game
from betdb.cli.odds import (
    game_latest_odds,
    game_movement,
    latest_odds_table,
    movement_chart,
    print_movement,
    write_chart,
)
from betdb.cli.output import console, reports_errors
from betdb.cli.report import show_calibration
from betdb.generated.models import Market
from betdb.migrate import migrate_up, migration_versions, migrations_dir
from betdb.sample import SAMPLE_DATE, SAMPLE_GAME_PK, load_sample

THRESHOLD = Decimal("0.8")


def heading(text: str) -> None:
    console.print()
    console.rule(Text(text, style="bold"), align="left")


async def show(database: Database, chart_path: Path) -> None:
    repository = database.repository()
    reports = await load_sample(repository)
    console.print("sample week loaded; records per file (a second load adds none of them again):")
    for report in reports.values():
        rejected = f", {len(report.rejected)} rejected" if report.rejected else ""
        console.print(f"  {report.path.name}: {report.read:,}{rejected}")
    names = await Names.load(repository)

    heading(f"$ betdb games --date {SAMPLE_DATE.isoformat()}")
    games, _ = await find_games(repository, on=SAMPLE_DATE, team_code=None)
    console.print(games_table(f"{len(games)} game(s): {SAMPLE_DATE.isoformat()}", games))

    game = await resolve_game(repository, f"mlb:{SAMPLE_GAME_PK}")
    heading(f"$ betdb odds latest mlb:{SAMPLE_GAME_PK}")
    console.print(latest_odds_table(await game_latest_odds(repository, game, names)))

    # Follow the market of the game's strongest signal: that is where the sample's steam is.
    signals = await repository.signals.list_signals_by_game(game_id=game.game_id)
    strongest = max(signals, key=lambda s: s.signal_strength, default=None)
    market = strongest.market if strongest else Market.TOTAL
    heading(
        f"$ betdb odds movement mlb:{SAMPLE_GAME_PK} --market {market.value} --plot {chart_path}"
    )
    movement = await game_movement(repository, game, names, market=market, book_key=None)
    write_chart(movement_chart(movement, names, game), chart_path)
    print_movement(movement, every=False, plot=chart_path)

    heading(f"$ betdb signals --min-strength {THRESHOLD}")
    console.print(signals_table(await strong_signals(repository, THRESHOLD, names), THRESHOLD))

    heading(f"$ betdb analyses --min-confidence {THRESHOLD}")
    analyses = await confident_analyses(repository, THRESHOLD, names)
    console.print(analyses_table(analyses, THRESHOLD))

    await show_calibration(repository, chart_path.with_name("calibration.png"))

    heading("$ betdb health")
    health = await database.health()
    console.print(health_table(health, redact_dsn(database.settings.primary_dsn())))


@reports_errors
def demo_command(
    out: Annotated[
        Path, typer.Option("--out", help="directory for the line-movement chart")
    ] = Path("build/demo"),
    data_dir: DataDir = None,
) -> None:
    """Start the local server, migrate, load the sample week and show every query command's
    output on it, with the line-movement chart written to OUT/line-movement.png."""
    dsn = local_dsn(data_dir)
    console.print(f"database: {redact_dsn(dsn)}")
    migrate_up(dsn, migrations=migrations_dir())
    console.print(f"migrations: applied up to {migration_versions()[-1]}")
    with_database(data_dir, lambda database: show(database, out / "line-movement.png"))
