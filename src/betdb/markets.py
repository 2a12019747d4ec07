"""Market rules: which markets are totals, which carry a price only, which side fits which market.

One place for what every importer, the line-movement code and the chart need to know about a
market; the market enum itself is generated from the schema (betdb.generated.models.Market).
"""

from __future__ import annotations

from decimal import Decimal

from betdb.generated.models import Market, Side

TOTAL_MARKETS = frozenset({
    Market.TOTAL, Market.FIRST_FIVE_TOTAL, Market.HOME_TEAM_TOTAL, Market.AWAY_TEAM_TOTAL,
    Market.ALTERNATE_TOTAL,
})  # fmt: skip
# Markets quoted as a price alone, without a line (run lines and totals have one).
MONEYLINE_MARKETS = frozenset({Market.MONEYLINE, Market.FIRST_FIVE_MONEYLINE})
LINE_LIMIT = Decimal(1000)  # odds.line is numeric(5, 2)


class MarketRuleError(ValueError):
    """A side or line that does not fit its market."""


def check_side(market: Market, side: Side) -> None:
    over_under = side in (Side.OVER, Side.UNDER)
    if market in TOTAL_MARKETS and not over_under:
        raise MarketRuleError(
            f"side {side.value!r} does not fit market {market.value}: over or under"
        )
    if market not in TOTAL_MARKETS and over_under:
        raise MarketRuleError(
            f"side {side.value!r} does not fit market {market.value}: home or away"
        )


def check_line(market: Market, line: Decimal | None) -> None:
    if market in MONEYLINE_MARKETS and line is not None:
        raise MarketRuleError(f"line {line} given for a {market.value}, which has none")
    if market not in MONEYLINE_MARKETS and line is None:
        raise MarketRuleError(f"line is missing: a {market.value} needs one")
    if market in TOTAL_MARKETS and line is not None and line <= 0:
        raise MarketRuleError(f"line {line} of a {market.value} must be above 0")
