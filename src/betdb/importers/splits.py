"""Public betting splits (shares of bets and money per side) from JSONL or CSV.

Keys (JSONL) or columns (CSV): ``source`` (who published the split: action_network, vsin,
...), ``external_game_id`` and optional ``game_source`` (the id's system, default ``source``),
``market``, ``side``, ``captured_at`` (ISO 8601 with offset, from 366 days before the game's
first pitch to 183 days after it), optional ``line``, and at least
one of ``bet_pct`` and ``money_pct`` (fractions 0..1: 55% is 0.55), optional ``bet_count``.
A capture already stored (game, market, source, side, time) counts as a duplicate.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from betdb import UnifiedRepository
from betdb.generated.imports import InsertBettingSplitParams
from betdb.generated.models import DataSource, Market, Side
from betdb.importers import fields
from betdb.importers.each import Adder, import_each
from betdb.importers.fields import FieldError
from betdb.importers.records import MAX_RECORD_BYTES
from betdb.importers.report import ImportReport
from betdb.importers.resolve import GameResolver
from betdb.markets import LINE_LIMIT

COLUMNS = ("source", "external_game_id", "market", "side", "captured_at")
OPTIONAL_COLUMNS = ("game_source", "line", "bet_pct", "money_pct", "bet_count")


async def read_split(values: Mapping[str, object], games: GameResolver) -> InsertBettingSplitParams:
    source = fields.choice(DataSource, values, "source")
    game_source = fields.game_source(values, source)
    market = fields.choice(Market, values, "market")
    side = fields.choice(Side, values, "side")
    fields.market_side(market, side)
    bet_pct = fields.probability(values, "bet_pct")
    money_pct = fields.probability(values, "money_pct")
    if bet_pct is None and money_pct is None:
        raise FieldError("neither bet_pct nor money_pct is given")
    bet_count = fields.optional_integer(values, "bet_count")
    if bet_count is not None and bet_count < 0:
        raise FieldError(f"bet_count {bet_count} is negative")
    captured_at = fields.timestamp(values, "captured_at")
    line: Decimal | None = fields.decimal(values, "line", places=2, below=LINE_LIMIT)
    game = await games.game(game_source, fields.text(values, "external_game_id"))
    fields.near_first_pitch(values, "captured_at", captured_at, game.first_pitch)
    return InsertBettingSplitParams(
        game_id=game.game_id,
        market=market,
        side=side,
        source=source,
        line=line,
        bet_pct=bet_pct,
        money_pct=money_pct,
        bet_count=bet_count,
        captured_at=captured_at,
    )


async def import_splits(
    repository: UnifiedRepository,
    path: Path,
    *,
    rejects: Path | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import a betting splits file in one transaction; see the module docstring and
    import_each for `max_record_bytes` and `report`."""

    def adder_for(tx: UnifiedRepository) -> Adder:
        games = GameResolver(tx)

        async def add(values: Mapping[str, object]) -> bool:
            return bool(await tx.imports.insert_betting_split(await read_split(values, games)))

        return add

    return await import_each(
        repository,
        path,
        rejects=rejects,
        required=COLUMNS,
        optional=OPTIONAL_COLUMNS,
        adder_for=adder_for,
        max_record_bytes=max_record_bytes,
        report=report,
    )
