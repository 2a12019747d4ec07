"""Odds arithmetic against values worked out by hand, and against the SQL that does the same."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import psycopg
import pytest

from betdb.odds import (
    american_to_decimal,
    closing_line_value,
    decimal_to_american,
    implied_probability,
    no_vig_probabilities,
    overround,
)

from .conftest import assert_same


def q(value: Decimal, places: str = "0.0001") -> Decimal:
    return value.quantize(Decimal(places))


@pytest.mark.parametrize(
    ("price", "decimal_odds"),
    [(-110, "1.9091"), (-200, "1.5000"), (-100, "2.0000"), (100, "2.0000"), (150, "2.5000"),
     (-150, "1.6667"), (250, "3.5000")],
)  # fmt: skip
def test_american_to_decimal(price: int, decimal_odds: str) -> None:
    assert q(american_to_decimal(price)) == Decimal(decimal_odds)


@pytest.mark.parametrize(
    ("decimal_odds", "price"),
    [("1.91", -110), ("1.909", -110), ("1.5", -200), ("2.0", 100), ("2.5", 150),
     ("1.87", -115), ("3.35", 235), ("1.667", -150), ("1.95", -105)],
)  # fmt: skip
def test_decimal_to_american_rounds_to_the_nearest_price(decimal_odds: str, price: int) -> None:
    assert decimal_to_american(Decimal(decimal_odds)) == price


def test_decimal_to_american_rounds_rather_than_truncates() -> None:
    # 1.91 is -109.89 exactly: truncation would give -109, a price no book posts for it.
    assert decimal_to_american("1.91") == -110
    assert decimal_to_american(2.456) == 146  # +145.6


def test_round_trip_from_american_is_exact() -> None:
    for price in [*range(-500, -100, 5), *range(100, 501, 5)]:
        assert decimal_to_american(american_to_decimal(price)) == price
    # -100 and +100 are the same even-money price; it comes back as +100.
    assert decimal_to_american(american_to_decimal(-100)) == 100


@pytest.mark.parametrize("bad", ["1.0", "0.5", "-2", "NaN"])
def test_decimal_odds_of_one_or_less_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match="greater than 1"):
        decimal_to_american(bad)


@pytest.mark.parametrize("bad", [0, 50, -99, 99])
def test_american_odds_between_minus_100_and_plus_100_are_rejected(bad: int) -> None:
    with pytest.raises(ValueError, match="American odds"):
        american_to_decimal(bad)


def test_implied_probability() -> None:
    assert q(implied_probability(-110)) == Decimal("0.5238")  # 110 / 210
    assert implied_probability(150) == Decimal("0.4")  # 100 / 250
    assert implied_probability(-200) == Decimal(2) / Decimal(3)


def test_no_vig_probabilities_of_an_even_market_are_one_half_each() -> None:
    assert no_vig_probabilities(-110, -110) == (Decimal("0.5"), Decimal("0.5"))


def test_no_vig_probabilities_of_a_favourite_and_an_underdog() -> None:
    # -150: 0.6, +130: 100/230 = 0.434783; sum 1.034783 -> 0.579832 and 0.420168
    favourite, underdog = no_vig_probabilities(-150, 130)
    assert q(favourite, "0.000001") == Decimal("0.579832")
    assert q(underdog, "0.000001") == Decimal("0.420168")
    assert favourite + underdog == Decimal(1)


def test_overround_of_a_standard_market() -> None:
    assert q(overround(-110, -110)) == Decimal("0.0476")  # 2 * 110/210 - 1 = 1/21


def test_closing_line_value_is_positive_when_the_bet_beat_the_close() -> None:
    # +150 (2.5) closing +130 (2.3): 2.5 / 2.3 - 1 = 0.086957
    assert q(closing_line_value(150, 130)) == Decimal("0.0870")
    # -110 closing -120: 1.909091 / 1.833333 - 1 = 0.041322
    assert q(closing_line_value(-110, -120)) == Decimal("0.0413")
    assert closing_line_value(-110, -110) == 0


def test_closing_line_value_is_negative_when_the_line_moved_against_the_bet() -> None:
    # -120 (1.833333) closing -110 (1.909091): 0.960317 - 1
    assert q(closing_line_value(-120, -110)) == Decimal("-0.0397")


def test_closing_line_value_against_a_fair_close() -> None:
    # Bet +150 (2.5); the close -110/-110 is fair at 0.5: expected return 2.5 * 0.5 - 1 = 0.25
    assert closing_line_value(150, -110, -110) == Decimal("0.25")
    # Bet -110; close -150/+130 is fair at 0.579832: 1.909091 * 0.579832 - 1 = 0.106951
    assert q(closing_line_value(-110, -150, 130), "0.000001") == Decimal("0.106952")


SQL_DECIMAL_TO_AMERICAN = (
    "SELECT d, (CASE WHEN d >= 2 THEN round((d - 1) * 100)"
    " ELSE round(-100 / (d - 1)) END)::integer AS price"
    " FROM unnest($1::numeric[]) AS d"
)
DECIMAL_ODDS = [Decimal(v) for v in ("1.91", "1.5", "2", "2.5", "1.87", "3.35", "1.995", "2.005")]


async def test_sql_and_python_agree_on_decimal_to_american(
    db_connection: asyncpg.Connection, sync_connection: psycopg.Connection[Any]
) -> None:
    # The consensus query converts median decimal odds back to American in SQL.
    sql_prices = await db_connection.fetch(SQL_DECIMAL_TO_AMERICAN, DECIMAL_ODDS)
    assert [row["price"] for row in sql_prices] == [
        decimal_to_american(row["d"]) for row in sql_prices
    ]
    # psycopg decodes the same numerics and integers as asyncpg does
    with sync_connection.cursor() as cursor:
        cursor.execute(SQL_DECIMAL_TO_AMERICAN, [DECIMAL_ODDS])
        assert_same(cursor.fetchall(), [tuple(row) for row in sql_prices])
