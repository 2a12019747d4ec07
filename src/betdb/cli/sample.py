"""`betdb sample load|generate`: the shipped sample week, and synthetic volumes for benchmarks."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from betdb import Database
from betdb.cli.connection import DataDir, with_database
from betdb.cli.imports import count_records, print_report, report_data
from betdb.cli.lookup import parse_date
from betdb.cli.output import UsageError, console, print_json_data, reports_errors
from betdb.importers import ImportReport
from betdb.sample import SAMPLE_DATE, load_sample, write_synthetic

sample_app = typer.Typer(help="The shipped sample week, and synthetic data for benchmarks.")

_INTERVAL = re.compile(r"^\s*(\d+)\s*([smh])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours"}


def parse_interval(text: str) -> timedelta:
    """30s, 5m, 1h: a whole number and a unit."""
    match = _INTERVAL.match(text)
    if match is None or int(match.group(1)) == 0:
        raise UsageError(
            f"--interval {text!r}: give a positive whole number and a unit: 30s, 5m or 1h"
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


async def load(database: Database) -> dict[str, ImportReport]:
    return await load_sample(database.repository())


@sample_app.command("load")
@reports_errors
def load_command(
    json_output: Annotated[bool, typer.Option("--json", help="print the reports as JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """Import the shipped sample (one MLB week: schedule, odds, splits, analyses, signals);
    loading it again adds nothing."""
    reports = with_database(data_dir, load)
    if json_output:
        print_json_data({name: report_data(report) for name, report in reports.items()})
        return
    for report in reports.values():
        print_report(report)
    console.print(f"try: betdb games --date {SAMPLE_DATE.isoformat()}")


@sample_app.command("generate")
@reports_errors
def generate_command(
    out: Annotated[
        Path, typer.Option("--out", help="directory for schedule.json and odds.csv")
    ] = Path("build/synthetic"),
    games: Annotated[int, typer.Option("--games", help="games to schedule")] = 100,
    books: Annotated[int, typer.Option("--books", help="books quoting every game")] = 6,
    interval: Annotated[
        str, typer.Option("--interval", help="time between a book's quotes: 30s, 5m, 1h")
    ] = "5m",
    start: Annotated[
        str, typer.Option("--start", help="first game day, YYYY-MM-DD")
    ] = "2026-04-01",
    seed: Annotated[int, typer.Option("--seed", help="same seed, same files")] = 0,
) -> None:
    """Write a large deterministic schedule and odds history in the import formats (for
    benchmarks): every book quotes moneyline, run line and total at each interval."""
    step = parse_interval(interval)
    first_day: date = parse_date(start, option="--start")
    started = time.perf_counter()
    try:
        schedule, odds = write_synthetic(
            out, games=games, books=books, interval=step, start=first_day, seed=seed
        )
    except ValueError as error:
        raise UsageError(str(error)) from error
    seconds = time.perf_counter() - started
    rows = count_records(odds) or 0
    megabytes = odds.stat().st_size / 1e6
    console.print(f"wrote {schedule} ({games:,} games)")
    console.print(f"wrote {odds} ({rows:,} observations, {megabytes:,.1f} MB) in {seconds:.1f} s")
    console.print(f"import them: betdb import schedule {schedule} && betdb import odds {odds}")
