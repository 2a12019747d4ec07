"""Reading one field of a record (CSV text or a JSON value) into its typed value.

Each reader raises FieldError with a sentence that names the field and says what was wrong,
which becomes the record's rejection reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from betdb import markets
from betdb.generated.models import Market, Side
from betdb.types import EARLIEST_TIME, LATEST_TIME

# The generated queriers' bounds (betdb.types.Timestamp), checked here per record.
EARLIEST = EARLIEST_TIME
LATEST = LATEST_TIME
# Odds and splits belong to one game: openers come out days to weeks before it, and a game
# postponed to a make-up date keeps the prices taken for the first date (months apart); live
# and closing prices and a suspended game's resumption come after it.
BEFORE_FIRST_PITCH = dt.timedelta(days=366)
AFTER_FIRST_PITCH = dt.timedelta(days=183)
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", ""})
INT32_MAX = 2**31 - 1

E = TypeVar("E", bound=StrEnum)


class FieldError(ValueError):
    """A record's field that cannot be read; the message is the rejection reason."""


def _present(record: Mapping[str, object], name: str) -> object | None:
    value = record.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else value


def text(record: Mapping[str, object], name: str) -> str:
    value = _present(record, name)
    if value is None:
        raise FieldError(f"{name} is missing")
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise FieldError(f"{name} must be text, got {value!r}")
    return str(value)


def optional_text(record: Mapping[str, object], name: str) -> str | None:
    return None if _present(record, name) is None else text(record, name)


def choice(enum: type[E], record: Mapping[str, object], name: str) -> E:
    value = text(record, name)
    try:
        return enum(value.lower())
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise FieldError(f"{name} {value!r} is not one of {allowed}") from None


def integer(record: Mapping[str, object], name: str, *, signed_text: bool = False) -> int:
    value = _present(record, name)
    if value is None:
        raise FieldError(f"{name} is missing")
    if isinstance(value, bool):
        raise FieldError(f"{name} must be a whole number, got {value!r}")
    if isinstance(value, float):
        if not value.is_integer():
            raise FieldError(f"{name} must be a whole number, got {value!r}")
        value = int(value)
    if isinstance(value, str):
        digits = value[1:] if signed_text and value.startswith("+") else value
        try:
            value = int(digits)
        except ValueError:
            raise FieldError(f"{name} {value!r} is not a whole number") from None
    if not isinstance(value, int):
        raise FieldError(f"{name} must be a whole number, got {value!r}")
    if abs(value) > INT32_MAX:
        raise FieldError(f"{name} {value} is out of range")
    return value


def optional_integer(record: Mapping[str, object], name: str) -> int | None:
    return None if _present(record, name) is None else integer(record, name)


def decimal(
    record: Mapping[str, object], name: str, *, places: int, below: Decimal
) -> Decimal | None:
    """A decimal number with at most `places` decimals and a magnitude below `below`, or None."""
    value = _present(record, name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError(f"{name} must be a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise FieldError(f"{name} {value!r} is not a number") from None
    if not number.is_finite():
        raise FieldError(f"{name} {value!r} is not a finite number")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise FieldError(f"{name} {value!r} has more than {places} decimals")
    if abs(number) >= below:
        raise FieldError(f"{name} {value!r} is out of range (must be below {below})")
    return number


def probability(record: Mapping[str, object], name: str) -> Decimal | None:
    """A share as a fraction 0..1 (55% is 0.55), or None."""
    value = decimal(record, name, places=4, below=Decimal(1000))
    if value is not None and not Decimal(0) <= value <= Decimal(1):
        hint = " (a percentage? give fractions: 55% is 0.55)" if value > 1 else ""
        raise FieldError(f"{name} {value} must be a fraction from 0 to 1{hint}")
    return value


def timestamp(record: Mapping[str, object], name: str) -> dt.datetime:
    """An ISO 8601 time with its UTC offset (2025-06-21T19:05:00Z, ...-04:00)."""
    value = text(record, name)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FieldError(f"{name} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise FieldError(
            f"{name} {value!r} has no UTC offset (write e.g. {value}Z or {value}-04:00)"
        )
    check_moment(name, value, moment)
    return moment


def check_moment(name: str, value: object, moment: dt.datetime) -> None:
    """Refuse an aware time outside EARLIEST..LATEST (compared in UTC, so one that leaves
    years 1..9999 once converted is refused too)."""
    if not EARLIEST <= moment < LATEST:
        raise FieldError(
            f"{name} {value!r} is out of range: times from {EARLIEST.year} to"
            f" {LATEST.year - 1} only (a placeholder date?)"
        )


def near_first_pitch(
    record: Mapping[str, object], name: str, moment: dt.datetime, first_pitch: dt.datetime
) -> None:
    """Refuse a time of a game's odds or splits too far before or after its first pitch."""
    check_window(f"{name} {record.get(name)!r}", moment, first_pitch)


def check_window(what: str, moment: dt.datetime, first_pitch: dt.datetime) -> None:
    """The window every importer keeps: 366 days before first pitch to 183 days after."""
    before, after = first_pitch - moment, moment - first_pitch
    if before <= BEFORE_FIRST_PITCH and after <= AFTER_FIRST_PITCH:
        return
    days, limit, which = (
        (before.days, BEFORE_FIRST_PITCH.days, "before")
        if before > BEFORE_FIRST_PITCH
        else (after.days, AFTER_FIRST_PITCH.days, "after")
    )
    raise FieldError(
        f"{what} is {days} days {which} the game's first pitch"
        f" {first_pitch.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC (at most {limit}): another"
        " game's, or a wrong year?"
    )


def optional_timestamp(record: Mapping[str, object], name: str) -> dt.datetime | None:
    return None if _present(record, name) is None else timestamp(record, name)


def flag(record: Mapping[str, object], name: str) -> bool:
    """true/false (also yes/no, 1/0); missing or empty is false."""
    value = record.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FieldError(f"{name} {value!r} is not true or false")


def game_source(record: Mapping[str, object], default: E) -> E:
    """The system whose id ``external_game_id`` is: ``game_source`` when given, else default."""
    if optional_text(record, "game_source"):
        return choice(type(default), record, "game_source")
    return default


def market_side(market: Market, side: Side) -> None:
    try:
        markets.check_side(market, side)
    except markets.MarketRuleError as error:
        raise FieldError(str(error)) from None


def market_line(market: Market, line: Decimal | None) -> None:
    try:
        markets.check_line(market, line)
    except markets.MarketRuleError as error:
        raise FieldError(str(error)) from None
