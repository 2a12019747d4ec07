"""`betdb report calibration`: are closing prices calibrated? A thin skin over betdb.reports."""

from __future__ import annotations

import importlib.util
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from betdb import Database, UnifiedRepository
from betdb.cli.connection import DataDir, with_database
from betdb.cli.lookup import Names
from betdb.cli.output import (
    CommandError,
    console,
    count,
    percent,
    print_json_data,
    reports_errors,
    table,
)
from betdb.importers.sbr_archive import import_sbr_archive
from betdb.plot import PlotUnavailableError
from betdb.reports import Calibration, closing_calibration, write_reliability_png

report_app = typer.Typer(help="Reports only real data can answer (calibration of closing lines).")


class CalibratedMarket(StrEnum):
    MONEYLINE = "moneyline"


def calibration_table(calibration: Calibration) -> Table:
    rows = [
        (
            f"{percent(b.low)}-{percent(b.high)}",
            count(b.games),
            percent(b.mean_probability),
            percent(b.win_rate),
            f"{(b.win_rate - b.mean_probability) * 100:+.1f} pts",
        )
        for b in calibration.buckets
    ]
    return table(
        f"{calibration.season} closing moneylines: the favourite's no-vig probability",
        ("favourite", "games", "implied", "won", "won - implied"),
        rows,
    )


def calibration_data(calibration: Calibration) -> dict[str, Any]:
    return {
        "season": calibration.season,
        "games": calibration.games,
        "pick_ems": calibration.pick_ems,
        "favourites_won": calibration.favourites_won,
        "brier_score": str(round(calibration.brier_score, 6)),
        "favourite_return": str(round(calibration.favourite_return, 6)),
        "buckets": [
            {
                "low": str(b.low),
                "high": str(b.high),
                "games": b.games,
                "mean_probability": str(round(b.mean_probability, 6)),
                "win_rate": str(round(b.win_rate, 6)),
            }
            for b in calibration.buckets
        ],
    }


def print_calibration(calibration: Calibration, plot: Path | None) -> None:
    console.print(calibration_table(calibration))
    if not calibration.games:
        console.print(f"no decided game of {calibration.season} has both closing moneylines")
        return
    console.print(
        f"{calibration.games:,} games ({calibration.pick_ems:,} pick'ems left out): favourites won"
        f" {calibration.favourites_won:,} ({percent(calibration.favourite_win_rate)});"
        f" Brier score {calibration.brier_score:.4f} (0.25 is a coin flip)"
    )
    console.print(
        "a unit on every closing favourite returned"
        f" {calibration.favourite_return * 100:+.2f}% per bet"
    )
    if plot is not None:
        console.print(f"reliability diagram written to {plot}")


DEMO_SEASON = 2021


def shipped_season_file() -> Path | None:
    """SBR's real 2021 archive, which a source checkout ships in tests/data/real."""
    checkout = Path(__file__).resolve().parents[3]
    path = checkout / "tests" / "data" / "real" / "sbr" / f"mlb-odds-{DEMO_SEASON}.xlsx"
    return path if path.is_file() else None


async def show_calibration(repository: UnifiedRepository, plot: Path) -> None:
    """The demo's last act: the real 2021 season imported, and its closing lines calibrated."""
    season_file = shipped_season_file()
    if season_file is None or importlib.util.find_spec("python_calamine") is None:
        console.print("(the 2021 calibration needs a source checkout and the sbr extra)")
        return
    console.print()
    console.rule(Text(f"$ betdb import sbr-archive {season_file.name}", style="bold"), align="left")
    report = await import_sbr_archive(repository, season_file)
    console.print(
        f"{season_file.name}: {report.read:,} games of {DEMO_SEASON}, every one stored"
        f" ({len(report.rejected)} rejected, {len(report.warnings)} with a line left out)"
    )
    console.print()
    command = f"$ betdb report calibration --season {DEMO_SEASON} --plot {plot}"
    console.rule(Text(command, style="bold"), align="left")
    calibration = await closing_calibration(repository, DEMO_SEASON)
    try:
        write_reliability_png(calibration, plot)
    except PlotUnavailableError:
        plot_written = None
    else:
        plot_written = plot
    print_calibration(calibration, plot_written)


async def calibration_report(database: Database, season: int, book_key: str | None) -> Calibration:
    repository = database.repository()
    book = None if book_key is None else (await Names.load(repository)).sportsbook_id(book_key)
    return await closing_calibration(repository, season, sportsbook_id=book)


@report_app.command("calibration")
@reports_errors
def calibration_command(
    season: Annotated[int, typer.Option("--season", min=1876, max=2200, help="the season")],
    market: Annotated[
        CalibratedMarket, typer.Option("--market", help="the market calibrated")
    ] = CalibratedMarket.MONEYLINE,
    book: Annotated[
        str | None,
        typer.Option(
            "--book",
            help="one sportsbook's closing lines (default: per game, the lowest-numbered"
            " book that closed both sides)",
            show_default=False,
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="write the reliability diagram (PNG) here", show_default=False),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """Bucket a season's decided games by the closing no-vig probability of the favourite and
    compare each bucket's mean probability with how often favourites won; the Brier score and
    the return of betting every closing favourite."""
    calibration = with_database(
        data_dir, lambda database: calibration_report(database, season, book)
    )
    if plot is not None:
        try:
            write_reliability_png(calibration, plot)
        except (PlotUnavailableError, ValueError) as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"cannot write the diagram to {plot}: {error}") from error
    if json_output:
        print_json_data(calibration_data(calibration))
    else:
        print_calibration(calibration, plot)
