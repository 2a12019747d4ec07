"""How the command speaks: Rich tables for people, JSON for scripts, one red line on failure."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, NoReturn, ParamSpec

import typer
from pydantic import BaseModel
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from betdb.embedded import EmbeddedPostgresError
from betdb.errors import BetdbError, DatabaseUnavailableError
from betdb.migrate import MigrationError

# No markup: names, paths and rejection reasons from files are printed as they are.
console = Console(highlight=False, markup=False)
errors = Console(stderr=True, highlight=False, markup=False)

P = ParamSpec("P")
INTERRUPTED = 130  # the shell's code for a command ended by SIGINT


class CommandError(Exception):
    """A failure the command reports in one line: bad input (exit 2) or a fatal problem (1)."""

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class UsageError(CommandError):
    """An argument names something that does not exist or cannot be read as what it should be."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=2)


def fail(message: str, *, exit_code: int = 1) -> NoReturn:
    errors.print(Text.assemble(("error:", "red"), " ", message), soft_wrap=True)
    raise typer.Exit(exit_code)


def reports_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Every failure a command expects becomes one red line and an exit code, never a
    traceback: 2 for bad input, 1 for everything else."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except CommandError as error:
            fail(error.message, exit_code=error.exit_code)
        except DatabaseUnavailableError as error:
            fail(f"the database is unreachable: {error.message}")
        except (BetdbError, EmbeddedPostgresError, MigrationError) as error:
            fail(str(error))

    return run


def print_json(value: BaseModel | Sequence[BaseModel] | dict[str, Any]) -> None:
    """Pretty JSON on stdout, nothing else: pydantic's JSON mode (decimals as strings), with a
    stored infinity written "infinity" rather than as the year-9999 datetime asyncpg decodes
    it to."""
    if isinstance(value, BaseModel):
        data: Any = _dump(value)
    elif isinstance(value, dict):
        data = {
            key: _dump(item) if isinstance(item, BaseModel) else item for key, item in value.items()
        }
    else:
        data = [_dump(item) for item in value]
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def _dump(model: BaseModel) -> Any:
    return _with_infinities(model.model_dump(), model.model_dump(mode="json"))


def _with_infinities(python: Any, dumped: Any) -> Any:
    """The JSON dump, where the Python dump (same shape) holds an infinity, says so."""
    if isinstance(python, datetime | date):
        return infinity(python) or dumped
    if isinstance(python, dict) and isinstance(dumped, dict):
        return {
            key: _with_infinities(item, dumped_item)
            for (_, item), (key, dumped_item) in zip(python.items(), dumped.items(), strict=True)
        }
    if isinstance(python, list | tuple) and isinstance(dumped, list):
        return [_with_infinities(p, d) for p, d in zip(python, dumped, strict=True)]
    return dumped


def print_json_data(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def table(title: str | None, columns: Iterable[str], rows: Iterable[Sequence[str]]) -> Table:
    """A table whose numeric columns sit on the right; only the long text columns wrap."""
    result = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in columns:
        result.add_column(
            column,
            justify="right" if column in RIGHT_ALIGNED else "left",
            no_wrap=column not in WRAPPABLE,
            min_width=12 if column in WRAPPABLE else None,
        )
    for row in rows:
        result.add_row(*row)
    return result


WRAPPABLE = frozenset({"game", "matchup", "state"})
RIGHT_ALIGNED = frozenset({
    "id", "gamePk", "line", "price", "implied", "Δ line", "Δ price", "strength", "confidence",
    "score", "#",
})  # fmt: skip


def infinity(value: datetime | date) -> str | None:
    """ "infinity" or "-infinity" for a value that stands for one, else None.

    asyncpg decodes a stored infinity/-infinity as a naive datetime.max/min (every betdb
    timestamp is a timestamptz, which otherwise decodes aware: a stored year-1 time is a
    time) or as date.max/min.
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return None
        if value == datetime.max:
            return "infinity"
        return "-infinity" if value == datetime.min else None
    if value == date.max:
        return "infinity"
    return "-infinity" if value == date.min else None


def when(value: datetime | None, *, year: bool = False) -> str:
    """A timestamp in UTC, the zone every table and chart states; tables put the year in the
    title. Any value the database can hand back prints, infinities as words."""
    if value is None:
        return ""
    special = infinity(value)
    if special is not None:
        return special
    moment = value.astimezone(UTC) if value.tzinfo is not None else value
    # Spelled out, not strftime: %Y gives "1" (not "0001") for year 1 on glibc.
    text = f"{moment.month:02d}-{moment.day:02d} {moment.hour:02d}:{moment.minute:02d}"
    return f"{moment.year:04d}-{text}" if year else text


def day(value: date) -> str:
    """A date as YYYY-MM-DD, infinities as words."""
    special = infinity(value)
    return special if special is not None else f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def american(price: int) -> str:
    return f"{price:+d}"


def line_text(line: Decimal | None) -> str:
    return "" if line is None else f"{line.normalize():f}"


def signed(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return f"{value:+d}" if isinstance(value, int) else f"{value.normalize():+f}"


def percent(value: Decimal) -> str:
    return f"{value * 100:.1f}%"


def count(value: int) -> str:
    return f"{value:,}"
