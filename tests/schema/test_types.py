"""Domain types: bad input fails with an error naming the field, and aliases agree with the DB."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import psycopg
import pytest
from pydantic import BaseModel, ValidationError

from betdb.types import (
    CANONICAL_TEAM_CODES,
    TEAM_ALIASES,
    AmericanOdds,
    Probability,
    TeamCode,
)

from .conftest import assert_same


class Quote(BaseModel):
    home_team: TeamCode
    price: AmericanOdds
    bet_pct: Probability


def test_team_codes_normalise_to_the_stats_api_abbreviation() -> None:
    for given, canonical in [("ARI", "AZ"), ("az", "AZ"), ("OAK", "ATH"), ("CHW", "CWS"),
                             ("WSN", "WSH"), ("WAS", "WSH"), ("TBR", "TB"), ("KCR", "KC"),
                             ("SDP", "SD"), ("SFG", "SF"), (" nyy ", "NYY")]:  # fmt: skip
        assert Quote(home_team=given, price=-110, bet_pct=Decimal("0.5")).home_team == canonical


def test_unknown_team_code_is_rejected_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        Quote(home_team="XYZ", price=-110, bet_pct=Decimal("0.5"))
    (error,) = caught.value.errors()
    assert error["loc"] == ("home_team",)
    assert "unknown team code 'XYZ'" in error["msg"]


@pytest.mark.parametrize("price", [0, 1, -99, 99, 50, -50])
def test_american_odds_between_minus_99_and_99_are_rejected(price: int) -> None:
    with pytest.raises(ValidationError) as caught:
        Quote(home_team="NYY", price=price, bet_pct=Decimal("0.5"))
    (error,) = caught.value.errors()
    assert error["loc"] == ("price",)
    assert "American odds must be -100 or below or +100 or above" in error["msg"]


@pytest.mark.parametrize("price", [-100, 100, -110, 150, -10000, 25000])
def test_american_odds_from_100_away_from_zero_are_accepted(price: int) -> None:
    assert Quote(home_team="NYY", price=price, bet_pct=Decimal("0.5")).price == price


def test_a_percentage_given_as_a_probability_is_rejected_with_a_hint() -> None:
    with pytest.raises(ValidationError) as caught:
        Quote(home_team="NYY", price=-110, bet_pct=Decimal(55))
    (error,) = caught.value.errors()
    assert error["loc"] == ("bet_pct",)
    assert "fraction from 0 to 1, got 55" in error["msg"]
    assert "55% is 0.55" in error["msg"]


@pytest.mark.parametrize("share", ["-0.01", "1.0001", "NaN"])
def test_probabilities_outside_zero_to_one_are_rejected(share: str) -> None:
    with pytest.raises(ValidationError, match="bet_pct"):
        Quote(home_team="NYY", price=-110, bet_pct=Decimal(share))


def test_probabilities_accept_floats_as_their_decimal_value() -> None:
    assert Quote(home_team="NYY", price=-110, bet_pct=0.55).bet_pct == Decimal("0.55")  # type: ignore[arg-type]


ALIASES_SQL = (
    "SELECT a.alias, t.abbreviation FROM team_aliases AS a JOIN teams AS t USING (team_id)"
    " ORDER BY a.alias"
)


async def test_team_codes_match_the_teams_and_aliases_in_the_database(
    db_connection: asyncpg.Connection, sync_connection: psycopg.Connection[Any]
) -> None:
    canonical = {r["abbreviation"] for r in await db_connection.fetch("SELECT * FROM teams")}
    rows = await db_connection.fetch(ALIASES_SQL)
    assert canonical == CANONICAL_TEAM_CODES
    assert {r["alias"]: r["abbreviation"] for r in rows} == TEAM_ALIASES
    assert_same(sync_connection.execute(ALIASES_SQL).fetchall(), [tuple(r) for r in rows])
