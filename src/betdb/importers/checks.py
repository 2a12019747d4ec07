"""The value checks every importer shares, applied before any value reaches the driver.

Each reads one value of a source (a JSON value or a spreadsheet cell) into what its column
holds, or raises FieldError with the record's reason: prices and lines by an explicit ASCII
pattern (Python's ``int()`` and ``Decimal()`` also take ``1_5_0``, Arabic-Indic digits and
``NaN``), every
number finite and within its column's type and range, every time aware and within the years
the database stores, odds and splits within the window around their game's first pitch, and
seasons within the one range betdb's queries accept. ``check_odds_row`` is the last check of
an odds row before COPY, whatever importer built it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from betdb.importers.fields import INT32_MAX, FieldError, check_moment, check_window
from betdb.importers.values import check_text
from betdb.odds import decimal_to_american

PRICE_LIMIT = 100_000
"""The largest American price kept, either way: -100000 is 1.001 in decimal, +100000 1001."""
LINE_LIMIT = Decimal(1000)
"""Lines are numeric(5, 2): below 1000 either way, two decimals."""
SHARE_LIMIT = Decimal(1)
FIRST_SEASON = 1876
LAST_SEASON = 2099
"""The seasons betdb stores: the National League's first to the last year its date queries take."""

# ASCII digits only (re.ASCII): no Arabic-Indic digits, no underscores, no exponent.
WHOLE = re.compile(r"[+-]?[0-9]{1,12}", re.ASCII)
NUMBER = re.compile(r"[+-]?(?:[0-9]{1,12}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})", re.ASCII)
HALF = "½"


class SeasonRangeError(ValueError):
    """A season outside FIRST_SEASON..LAST_SEASON (a usage error where a user gave it)."""


def check_season(year: int, what: str = "season") -> int:
    """The one season range, checked once wherever a season comes from (option or file name)."""
    if not FIRST_SEASON <= year <= LAST_SEASON:
        raise SeasonRangeError(
            f"{what} {year} is out of range: seasons {FIRST_SEASON} to {LAST_SEASON} only"
        )
    return year


def number(value: object, where: str, *, halves: bool = False) -> Decimal:
    """A finite number from a JSON number or text of ASCII digits (``+1.5``, ``-110``; ``8½``
    when `halves`); FieldError for NaN, infinity, exponents and anything else."""
    if isinstance(value, bool) or value is None:
        raise FieldError(f"{where}: {value!r} is not a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FieldError(f"{where}: {value!r} is not a finite number")
        value = Decimal(repr(value))
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise FieldError(f"{where}: {value} is not a finite number")
        if abs(value) >= Decimal(10) ** 12:
            raise FieldError(f"{where}: {value} is out of range")
        return value
    if not isinstance(value, str):
        raise FieldError(f"{where}: {value!r} is not a number")
    text = value.strip()
    half = halves and text.endswith(HALF)
    if half:
        text = text[: -len(HALF)].strip() or "0"
    if not NUMBER.fullmatch(text):
        quoted = repr(value) if len(value) <= 40 else repr(value[:40]) + "…"
        raise FieldError(f"{where}: {quoted} is not a number")
    try:
        parsed = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise FieldError(f"{where}: {value!r} is not a number") from None
    if half:
        parsed += Decimal("0.5") if not text.startswith("-") else Decimal("-0.5")
    return parsed


def huge(value: object) -> bool:
    """A finite JSON number too large for any column (a 400-digit price, 1e300)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) >= 10**12
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) >= 1e12
    return False


def american_price(value: object, where: str) -> int:
    """American odds: a whole number, -100 or below or +100 or above, at most PRICE_LIMIT."""
    if isinstance(value, str) and not WHOLE.fullmatch(value.strip()):
        raise FieldError(f"{where}: {value!r} is not an American price (e.g. -110, +135)")
    price = number(value, where)
    if price != price.to_integral_value() or -100 < price < 100:
        raise FieldError(f"{where}: {value!r} is not an American price (-100 or below, 100 up)")
    return check_american(int(price), where)


def check_american(price: int, where: str) -> int:
    if -100 < price < 100:
        raise FieldError(f"{where}: price {price:+d} is not American odds (-100 or below, 100 up)")
    if abs(price) > PRICE_LIMIT:
        raise FieldError(
            f"{where}: price {price:+d} is out of range (American odds up to ±{PRICE_LIMIT:,})"
        )
    return price


def decimal_price(value: object, where: str) -> int:
    """Decimal odds (1.91) as the American price betdb stores (-110), within the same bounds."""
    lowest = Decimal(1) + Decimal(100) / PRICE_LIMIT
    highest = Decimal(1) + Decimal(PRICE_LIMIT) / 100
    price = highest + 1 if huge(value) else number(value, where)
    if not lowest <= price <= highest:
        raise FieldError(
            f"{where}: decimal price {value!r} is out of range ({lowest} to {highest:,})"
        )
    return check_american(decimal_to_american(price), where)


def line(value: object, where: str, *, halves: bool = False) -> Decimal:
    """A run line or total: numeric(5, 2)."""
    parsed = number(value, where, halves=halves)
    if abs(parsed) >= LINE_LIMIT or parsed != parsed.quantize(Decimal("0.01")):
        raise FieldError(f"{where}: {value!r} is not a line (two decimals, below {LINE_LIMIT})")
    return parsed


def count(value: object, where: str) -> int:
    """A count of bets or the like: a whole number from 0 to the largest integer column value."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str) or huge(value):
        raise FieldError(f"{where}: {value!r} is not a count (0 to {INT32_MAX:,})")
    parsed = number(value, where)
    if parsed != parsed.to_integral_value() or not 0 <= parsed <= INT32_MAX:
        raise FieldError(f"{where}: {value!r} is not a count (0 to {INT32_MAX:,})")
    return int(parsed)


def percentage(value: object, where: str) -> Decimal:
    """A percentage (66.01) as the fraction betdb stores (0.6601)."""
    parsed = number(value, where)
    if not 0 <= parsed <= 100:
        raise FieldError(f"{where}: {value!r} is not a percentage from 0 to 100")
    return (parsed / 100).quantize(Decimal("0.0001"))


def instant(value: object, where: str) -> dt.datetime:
    """An ISO 8601 time with its UTC offset, within the years the database stores."""
    if not isinstance(value, str):
        raise FieldError(f"{where}: {value!r} is not an ISO 8601 time")
    text = value.strip()
    check_text(where, text)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise FieldError(f"{where} {value!r} is not an ISO 8601 time") from None
    if moment.utcoffset() is None:
        raise FieldError(f"{where} {value!r} has no UTC offset (write e.g. {text}Z)")
    try:
        check_moment(where, value, moment)
    except OverflowError:
        raise FieldError(f"{where} {value!r} is out of range") from None
    return moment


def near_first_pitch(where: str, moment: dt.datetime, first_pitch: dt.datetime) -> None:
    """Odds and splits of a game fall from 366 days before its first pitch to 183 after."""
    check_window(f"{where} {moment.isoformat()}", moment, first_pitch)


def text(value: object, where: str) -> str:
    """Text PostgreSQL can store (no NUL, no lone surrogate), stripped."""
    if not isinstance(value, str) or not value.strip():
        raise FieldError(f"{where} is missing")
    check_text(where, value)
    return value.strip()


# Odds rows as COPY takes them (betdb.generated.odds.CopyOddsValues), by position.
ODDS_LINE, ODDS_PRICE, ODDS_OBSERVED_AT, ODDS_BET_LIMIT = 4, 5, 6, 9
BET_LIMIT_LIMIT = Decimal(10) ** 10  # numeric(12, 2)


def check_odds_row(row: Sequence[object], where: str) -> None:
    """The last check of an odds row before the driver: every column within its type's range."""
    value = row[ODDS_LINE]
    if value is not None:
        line(value, f"{where} line")
    price = row[ODDS_PRICE]
    if not isinstance(price, int):
        raise FieldError(f"{where}: price {price!r} is not a whole number")
    check_american(price, where)
    moment = row[ODDS_OBSERVED_AT]
    if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
        raise FieldError(f"{where}: observed_at {moment!r} is not an aware time")
    check_moment(f"{where} observed_at", moment.isoformat(), moment)
    limit = row[ODDS_BET_LIMIT]
    if limit is not None and not (
        isinstance(limit, Decimal) and limit.is_finite() and 0 < limit < BET_LIMIT_LIMIT
    ):
        raise FieldError(f"{where}: bet_limit {limit!r} is out of range")
    for value in row:
        if isinstance(value, str):
            check_text(where, value)
