"""Odds arithmetic the queries cannot express: conversions, vig removal, closing line value.

Prices are American odds (ints); decimal odds and probabilities are Decimals. The
arithmetic runs on exact fractions, so (-110, -110) is exactly one half each, and only the
final division to a Decimal rounds (to 28 significant digits).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from betdb.types import check_american_odds

_HUNDRED = Decimal(100)
_ONE = Decimal(1)


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _payout(price: int) -> Fraction:
    """Exact decimal odds of an American price."""
    check_american_odds(price)
    return 1 + (Fraction(price, 100) if price > 0 else Fraction(100, -price))


def american_to_decimal(price: int) -> Decimal:
    """Decimal odds (the total return per unit staked): -110 -> 1.909..., +150 -> 2.5."""
    return _decimal(_payout(price))


def decimal_to_american(decimal_odds: Decimal | float | str) -> int:
    """American odds, rounded to the nearest integer (half away from zero): 1.91 -> -110."""
    value = Decimal(str(decimal_odds))
    if not value.is_finite() or value <= _ONE:
        raise ValueError(f"decimal odds must be greater than 1, got {decimal_odds}")
    exact = (value - _ONE) * _HUNDRED if value >= 2 else -_HUNDRED / (value - _ONE)
    return int(exact.quantize(_ONE, rounding=ROUND_HALF_UP))


def implied_probability(price: int) -> Decimal:
    """The break-even win probability of a price, vig included: -110 -> 0.5238..., +150 -> 0.4."""
    return _decimal(1 / _payout(price))


def no_vig_probabilities(price: int, other_price: int) -> tuple[Decimal, Decimal]:
    """Fair probabilities of the two sides of a two-way market, the bookmaker's margin removed
    by scaling both implied probabilities to sum to 1: (-110, -110) -> (0.5, 0.5)."""
    first, second = 1 / _payout(price), 1 / _payout(other_price)
    return _decimal(first / (first + second)), _decimal(second / (first + second))


def overround(price: int, other_price: int) -> Decimal:
    """The bookmaker's margin of a two-way market: (-110, -110) -> 0.0476..."""
    return _decimal(1 / _payout(price) + 1 / _payout(other_price) - 1)


def closing_line_value(
    bet_price: int, closing_price: int, closing_other_price: int | None = None
) -> Decimal:
    """How much better a bet's price was than the close, as expected return per unit staked.

    With the closing price of the other side too, the close is first made fair (no vig), and
    the value is the bet's expected return at the fair closing probability; without it, the
    ratio of the decimal prices less 1. Positive means the bet beat the closing line.
    """
    if closing_other_price is None:
        return _decimal(_payout(bet_price) / _payout(closing_price) - 1)
    closing, other = 1 / _payout(closing_price), 1 / _payout(closing_other_price)
    return _decimal(_payout(bet_price) * closing / (closing + other) - 1)
