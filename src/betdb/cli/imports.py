"""`betdb import schedule|odds|splits`: files in, a report out that accounts for every record.

A file that cannot be read at all is a fatal error (exit 1, nothing written). Rejected records
are not: the rest of the file is imported, the command says how many were rejected and why,
where they were written, and exits 0 because the whole file was read. An import the database
stops (exit 1) or Ctrl-C interrupts (exit 130) says the line it reached and how many rows were
committed; running it again completes the file.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from betdb import Database, UnifiedRepository
from betdb.cli.connection import DataDir, with_database
from betdb.cli.output import (
    CommandError,
    UsageError,
    console,
    fail,
    print_json_data,
    reports_errors,
)
from betdb.importers import (
    MAX_RECORD_BYTES,
    ImportFileError,
    ImportReport,
    ImportStoppedError,
    import_analyses,
    import_odds,
    import_schedule,
    import_signals,
    import_splits,
)
from betdb.importers.rejects import RejectsPathError, refuse_rejects_path
from betdb.importers.report import stopped_at

import_app = typer.Typer(
    help="Import MLB Stats API schedules, odds observations, betting splits, analyses and "
    "signals from files."
)

SHOWN_REJECTIONS = 5

Json = Annotated[bool, typer.Option("--json", help="print the report as JSON for scripts")]
Rejects = Annotated[
    Path | None,
    typer.Option(
        "--rejects",
        help="where rejected records go, with a reason each (default: next to the file, "
        "FILE.rejects.csv / .jsonl)",
        show_default=False,
    ),
]
InputFile = Annotated[Path, typer.Argument(metavar="FILE", show_default=False)]
MaxRecordBytes = Annotated[
    int,
    typer.Option(
        "--max-record-bytes",
        min=1,
        help="the longest record (line) read; a longer one is rejected without being held",
    ),
]
Importer = Callable[
    [UnifiedRepository, Callable[[int], None] | None, ImportReport], Awaitable[ImportReport]
]
INTERRUPTED = 130  # the shell's code for a command ended by SIGINT
logger = logging.getLogger(__name__)


def log_loop_error(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """asyncpg reports through the loop the rollback it does on a connection an interrupt left
    in a transaction; the command's own line already says what happened."""
    logger.debug("event loop: %s", context.get("message"), exc_info=context.get("exception"))


class RowsPerSecond(ProgressColumn):
    """Rows read per second since the import began (Rich's own speed column counts bytes)."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        if not elapsed or not task.completed:
            return Text("")
        return Text(f"{task.completed / elapsed:,.0f} rows/s", style="progress.data.speed")


def count_records(path: Path) -> int | None:
    """Lines in the file less a CSV header: the progress bar's total (blank lines make it a
    slight overestimate). None when the file cannot be read; the importer says why."""
    try:
        with path.open("rb") as stream:
            newlines, last = 0, b"\n"
            while chunk := stream.read(1 << 20):
                newlines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return None
    lines = newlines + (last != b"\n")
    return max(lines - (path.suffix.lower() == ".csv"), 0)


def report_data(report: ImportReport) -> dict[str, Any]:
    return {
        "path": str(report.path),
        "read": report.read,
        "imported": report.imported,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "duplicates": report.duplicates,
        "skipped": report.skipped,
        "skip_reasons": report.skip_reasons,
        "rejected": [
            {"line": r.line, "where": r.where, "reason": r.reason} for r in report.rejected
        ],
        "rejected_count": len(report.rejected),
        "warnings": [
            {"line": r.line, "where": r.where, "reason": r.reason} for r in report.warnings
        ],
        "warnings_count": len(report.warnings),
        "seconds": round(report.seconds, 3),
        "rows_per_second": round(report.rows_per_second),
        "rejects_path": None if report.rejects_path is None else str(report.rejects_path),
        "games_created": report.games_created,
    }


def report_line(report: ImportReport) -> str:
    return (
        f"{report.path.name}: read {report.read:,} · imported {report.imported:,} · "
        f"updated {report.updated:,} · unchanged {report.unchanged:,} · "
        f"duplicates {report.duplicates:,} · "
        + (f"skipped {report.skipped:,} · " if report.skipped else "")
        + f"rejected {len(report.rejected):,} "
        + (f"· games created {report.games_created:,} " if report.games_created else "")
        + f"in {report.seconds:.2f} s ({report.rows_per_second:,.0f} rows/s)"
    )


def print_report(report: ImportReport) -> None:
    console.print(report_line(report), soft_wrap=True)
    for reason, skipped in report.skip_reasons.items():
        console.print(f"  skipped {skipped:,}: {reason}", soft_wrap=True)
    if report.warnings:
        shown_warnings = report.warnings.kept[:SHOWN_REJECTIONS]
        more = (
            f", the first {len(shown_warnings)} shown"
            if len(report.warnings) > len(shown_warnings)
            else ""
        )
        console.print(f"{len(report.warnings):,} record(s) imported with a warning{more}:")
        for warning in shown_warnings:
            console.print(f"  {warning}", soft_wrap=True, style="yellow")
    if not report.rejected:
        return
    shown = report.rejected.kept[:SHOWN_REJECTIONS]
    more = f", the first {len(shown)} shown" if len(report.rejected) > len(shown) else ""
    console.print(f"{len(report.rejected):,} record(s) rejected{more}:", style="yellow")
    for rejection in shown:
        console.print(f"  {rejection}", soft_wrap=True)
    if report.rejects_path is not None:
        console.print(f"rejected records, each with its reason, written to {report.rejects_path}")
    console.print(
        "the whole file was read and every other record imported; "
        "a corrected rejects file imports as it is"
    )


def run_import(
    path: Path,
    data_dir: Path | None,
    json_output: bool,
    importer: Importer,
    *,
    reports_progress: bool = False,
    rejects: Path | None = None,
) -> None:
    """Run one import as every `betdb import` command does: a refused --rejects is a usage
    error before anything is read, progress on a terminal, the report as text or --json, an
    interruption that says where it stopped, one red line for a file that cannot be read."""
    if not path.is_file():
        raise CommandError(f"cannot read {path}: no such file")
    if rejects is not None:
        try:
            refuse_rejects_path(path, rejects)
        except RejectsPathError as error:
            raise UsageError(f"--rejects: {error.problem}") from None
    # Only the odds importer reports progress; the others are small and show a pulsing bar.
    total = count_records(path) if reports_progress else None
    # Counted into as the import goes, so an interrupted one can say where it stopped.
    progress_report = ImportReport(path=path)

    async def work(database: Database) -> ImportReport:
        asyncio.get_running_loop().set_exception_handler(log_loop_error)
        repository = database.repository()
        if json_output:
            return await importer(repository, None, progress_report)
        with Progress(
            TextColumn(f"importing {path.name}"),
            BarColumn(),
            MofNCompleteColumn(),
            RowsPerSecond(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task("import", total=total)
            report = await importer(
                repository, lambda rows: progress.advance(task, rows), progress_report
            )
        return report

    try:
        report = with_database(data_dir, work)
    except KeyboardInterrupt:
        fail(f"interrupted: {stopped_at(progress_report)}", exit_code=INTERRUPTED)
    except RejectsPathError as error:
        raise UsageError(f"--rejects: {error.problem}") from error
    except ImportFileError as error:
        raise CommandError(f"cannot import {error}; nothing was written") from error
    except ImportStoppedError as error:
        raise CommandError(str(error)) from error
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from error
    if json_output:
        print_json_data(report_data(report))
    else:
        print_report(report)


@import_app.command("schedule")
@reports_errors
def schedule_command(
    file: InputFile, rejects: Rejects = None, json_output: Json = False, data_dir: DataDir = None
) -> None:
    """Upsert games from MLB Stats API schedule JSON (dates[].games[]), keyed by gamePk: a
    re-import changes nothing, a later file updates status and scores."""
    run_import(
        file,
        data_dir,
        json_output,
        lambda repository, _progress, _report: import_schedule(repository, file, rejects=rejects),
        rejects=rejects,
    )


@import_app.command("odds")
@reports_errors
def odds_command(
    file: InputFile,
    rejects: Rejects = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="rows per COPY batch")
    ] = 5000,
    max_record_bytes: MaxRecordBytes = MAX_RECORD_BYTES,
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Append odds observations from CSV or JSONL (columns: source, external_game_id,
    sportsbook, market, side, line, price, observed_at[, is_opening, is_closing, bet_limit]);
    observations already stored are skipped and counted as duplicates."""
    run_import(
        file,
        data_dir,
        json_output,
        lambda repository, progress, report: import_odds(
            repository,
            file,
            rejects=rejects,
            batch_size=batch_size,
            on_progress=progress,
            max_record_bytes=max_record_bytes,
            report=report,
        ),
        reports_progress=True,
        rejects=rejects,
    )


@import_app.command("splits")
@reports_errors
def splits_command(
    file: InputFile,
    rejects: Rejects = None,
    max_record_bytes: MaxRecordBytes = MAX_RECORD_BYTES,
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Add betting splits from JSONL or CSV (source, external_game_id, market, side,
    captured_at, bet_pct and/or money_pct as fractions 0 to 1[, line, bet_count])."""
    run_import(
        file,
        data_dir,
        json_output,
        lambda repository, _progress, report: import_splits(
            repository, file, rejects=rejects, max_record_bytes=max_record_bytes, report=report
        ),
        rejects=rejects,
    )


@import_app.command("analyses")
@reports_errors
def analyses_command(
    file: InputFile,
    rejects: Rejects = None,
    max_record_bytes: MaxRecordBytes = MAX_RECORD_BYTES,
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Add betting analyses from JSONL; one already stored (same game, strategy, version,
    market and side) is a duplicate."""
    run_import(
        file,
        data_dir,
        json_output,
        lambda repository, _progress, report: import_analyses(
            repository, file, rejects=rejects, max_record_bytes=max_record_bytes, report=report
        ),
        rejects=rejects,
    )


@import_app.command("signals")
@reports_errors
def signals_command(
    file: InputFile,
    rejects: Rejects = None,
    max_record_bytes: MaxRecordBytes = MAX_RECORD_BYTES,
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Add sharp-money signals from JSONL; one already stored (same game, detector, version,
    market, side, book and detection time) is a duplicate."""
    run_import(
        file,
        data_dir,
        json_output,
        lambda repository, _progress, report: import_signals(
            repository, file, rejects=rejects, max_record_bytes=max_record_bytes, report=report
        ),
        rejects=rejects,
    )
