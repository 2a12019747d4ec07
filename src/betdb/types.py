"""Domain types for values that come from users and scrapers, checked before any SQL runs.

sqlc.yaml maps columns to these through the plugin's overrides, so a generated querier
rejects a bad price, a percentage on the wrong scale or an unknown club with a pydantic
ValidationError that names the field. The database enforces the same rules with CHECK
constraints; these only make the error early and clear.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

# The Stats API's own abbreviations, the canonical code of each of the 30 clubs.
CANONICAL_TEAM_CODES: frozenset[str] = frozenset({
    "LAA", "AZ", "BAL", "BOS", "CHC", "CIN", "CLE", "COL", "DET", "HOU", "KC", "LAD", "WSH", "NYM",
    "ATH", "PIT", "SD", "SEA", "SF", "STL", "TB", "TEX", "TOR", "MIN", "PHI", "ATL", "CWS", "MIA",
    "NYY", "MIL",
})  # fmt: skip

# Other spellings in use by sportsbooks and scrapers; the migrations hold the same list.
TEAM_ALIASES: dict[str, str] = {
    "ARI": "AZ",
    "AZD": "AZ",
    "OAK": "ATH",
    "LV": "ATH",
    "CHW": "CWS",
    "CHA": "CWS",
    "WSN": "WSH",
    "WAS": "WSH",
    "TBR": "TB",
    "TBD": "TB",
    "KCR": "KC",
    "SDP": "SD",
    "SFG": "SF",
    "LAN": "LAD",
    "NYN": "NYM",
    "NYA": "NYY",
    "CHN": "CHC",
    "SLN": "STL",
    "ANA": "LAA",
    # SportsBookReview's archive codes (migration 20261201130000)
    "CUB": "CHC",
    "KAN": "KC",
    "SDG": "SD",
    "SFO": "SF",
    "TAM": "TB",
    "LOS": "LAD",
    "FLA": "MIA",
    "FLO": "MIA",
    "MON": "WSH",
}


def canonical_team_code(value: Any) -> str:
    """The Stats API abbreviation for a club code in any accepted spelling (ARI -> AZ)."""
    if not isinstance(value, str):
        raise ValueError(f"a team code must be text such as 'NYY', got {type(value).__name__}")
    code = value.strip().upper()
    if code in CANONICAL_TEAM_CODES:
        return code
    if code in TEAM_ALIASES:
        return TEAM_ALIASES[code]
    raise ValueError(f"unknown team code {value!r}: expected one of the 30 MLB clubs (e.g. NYY)")


# No MLB record predates the first professional league (1871) or is dated past 2100: outside,
# a time is a placeholder (datetime.min/max, which asyncpg stores as -infinity/infinity, so
# an "infinity" price stays the latest forever) or a typo, never a real observation.
EARLIEST_TIME = dt.datetime(1871, 1, 1, tzinfo=dt.UTC)
LATEST_TIME = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def check_timestamp(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"a time must carry its UTC offset, got {value.isoformat()}")
    # Compared as instants: one that leaves years 1..9999 once converted to UTC is refused too.
    if not EARLIEST_TIME <= value < LATEST_TIME:
        raise ValueError(
            f"{value.isoformat()} is out of range: times from {EARLIEST_TIME.year} to"
            f" {LATEST_TIME.year - 1} only (a placeholder date?)"
        )
    return value


def check_game_day(value: dt.date) -> dt.date:
    if not EARLIEST_TIME.date() <= value < LATEST_TIME.date():
        raise ValueError(
            f"{value.isoformat()} is out of range: dates from {EARLIEST_TIME.year} to"
            f" {LATEST_TIME.year - 1} only"
        )
    return value


def check_american_odds(value: int) -> int:
    if -100 < value < 100:
        raise ValueError(
            f"American odds must be -100 or below or +100 or above, got {value:+d}"
            " (decimal prices go through betdb.odds.decimal_to_american)"
        )
    return value


def check_probability(value: Decimal) -> Decimal:
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
        hint = " (a percentage? give fractions: 55% is 0.55)" if 1 < value <= 100 else ""
        raise ValueError(f"must be a fraction from 0 to 1, got {value}{hint}")
    return value


AmericanOdds = Annotated[int, AfterValidator(check_american_odds)]
"""A price in American odds: -110, +150. Never between -99 and +99."""

Probability = Annotated[Decimal, AfterValidator(check_probability)]
"""A fraction from 0 to 1: shares of bets or money, confidence, signal strength."""

Timestamp = Annotated[dt.datetime, AfterValidator(check_timestamp)]
"""An instant with its UTC offset, from 1871 to 2099: never a sentinel like datetime.min/max."""

GameDay = Annotated[dt.date, AfterValidator(check_game_day)]
"""A calendar date of baseball, from 1871 to 2099 (a game's official date)."""

TeamCode = Annotated[str, BeforeValidator(canonical_team_code)]
"""A club's code, normalised to the Stats API's abbreviation (ARI, AZ and az are all AZ)."""
