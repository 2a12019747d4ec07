"""How the command speaks: Rich tables for people, JSON for scripts, one red line on failure."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
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

TIME_FORMAT = "%m-%d %H:%M"


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
    """Pretty JSON on stdout, nothing else: pydantic's JSON mode (decimals as strings)."""
    if isinstance(value, BaseModel):
        data: Any = value.model_dump(mode="json")
    elif isinstance(value, dict):
        data = {
            key: item.model_dump(mode="json") if isinstance(item, BaseModel) else item
            for key, item in value.items()
        }
    else:
        data = [item.model_dump(mode="json") for item in value]
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


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


def when(value: datetime | None, *, year: bool = False) -> str:
    """A timestamp in UTC, the zone every table and chart states; tables put the year in the
    title."""
    if value is None:
        return ""
    return value.astimezone(UTC).strftime(("%Y-" if year else "") + TIME_FORMAT)


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
