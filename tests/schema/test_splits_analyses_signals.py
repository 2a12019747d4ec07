"""Betting splits, analyses and sharp signals: fractions on one scale, bands, the right columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from pydantic import ValidationError

from betdb import UnifiedRepository
from betdb.generated.analyses import CreateBettingAnalysisParams
from betdb.generated.models import ConfidenceLevel, DataSource, Market, Side
from betdb.generated.signals import CreateSharpSignalParams
from betdb.generated.splits import IngestBettingSplitsParams

from .conftest import count, game

NOON = dt.datetime(2026, 6, 12, 12, tzinfo=dt.UTC)


@pytest.fixture
async def game_id(repo: UnifiedRepository) -> int:
    created = await repo.games.upsert_game(game())
    assert created is not None
    return created.game_id


def split(game_id: int, **changes: Any) -> IngestBettingSplitsParams:
    fields: dict[str, Any] = {
        "game_id": game_id,
        "market": Market.MONEYLINE,
        "side": Side.HOME,
        "source": DataSource.ACTION_NETWORK,
        "line": None,
        "bet_pct": Decimal("0.62"),
        "money_pct": Decimal("0.41"),
        "bet_count": 1200,
        "captured_at": NOON,
    }
    return IngestBettingSplitsParams(**{**fields, **changes})


def analysis(game_id: int, score: str, **changes: Any) -> CreateBettingAnalysisParams:
    fields: dict[str, Any] = {
        "game_id": game_id,
        "analysis_type": "sharp_action",
        "strategy_name": "reverse_line_movement",
        "strategy_version": "2.1.0",
        "market": Market.MONEYLINE,
        "side": Side.AWAY,
        "signals_detected": ["money_exceeds_bets", "line_moved_against_public"],
        "confidence_score": Decimal(score),
        "recommendation": "bet",
        "risk_level": "medium",
        "features": {"money_minus_bets": 0.21},
        "expires_at": None,
    }
    return CreateBettingAnalysisParams(**{**fields, **changes})


def signal(game_id: int, strength: str, confidence: str, **changes: Any) -> CreateSharpSignalParams:
    fields: dict[str, Any] = {
        "game_id": game_id,
        "signal_type": "steam_move",
        "detector_name": "steam",
        "detector_version": "1.4",
        "market": Market.TOTAL,
        "side": Side.OVER,
        "sportsbook_id": None,
        "signal_strength": Decimal(strength),
        "confidence_score": Decimal(confidence),
        "features": {"books_moved": 6},
        "detected_at": NOON,
        "expires_at": None,
    }
    return CreateSharpSignalParams(**{**fields, **changes})


async def test_splits_ingest_is_idempotent_and_latest_is_per_source_and_side(
    repo: UnifiedRepository, connection: asyncpg.Connection, game_id: int
) -> None:
    later = NOON + dt.timedelta(hours=3)
    batch = [
        split(game_id),
        split(game_id, side=Side.AWAY, bet_pct=Decimal("0.38"), money_pct=Decimal("0.59")),
        split(game_id, captured_at=later, bet_pct=Decimal("0.65"), money_pct=Decimal("0.40")),
        split(game_id, source=DataSource.VSIN, bet_pct=Decimal("0.70"), money_pct=None),
        split(game_id, market=Market.TOTAL, side=Side.OVER, line=Decimal("8.5")),
    ]
    await repo.splits.ingest_betting_splits(batch)
    await repo.splits.ingest_betting_splits(batch)
    assert await count(connection, "betting_splits") == 5
    latest = await repo.splits.get_latest_betting_splits(game_id=game_id, market=Market.MONEYLINE)
    assert [(s.source, s.side, s.bet_pct, s.money_pct) for s in latest] == [
        (DataSource.ACTION_NETWORK, Side.HOME, Decimal("0.6500"), Decimal("0.4000")),
        (DataSource.ACTION_NETWORK, Side.AWAY, Decimal("0.3800"), Decimal("0.5900")),
        (DataSource.VSIN, Side.HOME, Decimal("0.7000"), None),
    ]


async def test_split_percentages_on_the_0_to_100_scale_are_rejected(
    connection: asyncpg.Connection, game_id: int
) -> None:
    # The original stored 62 in one place and 0.62 in another; numeric(5, 4) cannot even hold
    # 62, and the CHECK turns away what it can hold above 1.
    with pytest.raises(ValidationError) as caught:
        split(game_id, bet_pct=Decimal(62))
    assert caught.value.errors()[0]["loc"] == ("bet_pct",)
    assert "55% is 0.55" in caught.value.errors()[0]["msg"]
    with pytest.raises(asyncpg.CheckViolationError, match="bet_pct"):
        await connection.execute(
            "INSERT INTO betting_splits (game_id, market, side, source, bet_pct, captured_at)"
            " VALUES ($1, 'moneyline', 'home', 'vsin', 6.2, now())",
            game_id,
        )
    assert await count(connection, "betting_splits") == 0


@pytest.mark.parametrize(
    ("score", "level"),
    [("0.4999", None), ("0.5", "low"), ("0.6499", "low"), ("0.65", "medium"),
     ("0.7999", "medium"), ("0.8", "high"), ("0.9499", "high"), ("0.95", "very_high"),
     ("1", "very_high")],
)  # fmt: skip
async def test_confidence_level_follows_the_score_bands(
    repo: UnifiedRepository, game_id: int, score: str, level: str | None
) -> None:
    created = await repo.analyses.create_betting_analysis(analysis(game_id, score))
    assert created is not None
    assert created.confidence_level == level
    assert created.signals_detected == ["money_exceeds_bets", "line_moved_against_public"]
    assert created.features == {"money_minus_bets": 0.21}


async def test_a_confidence_level_cannot_disagree_with_its_score(
    connection: asyncpg.Connection, game_id: int
) -> None:
    with pytest.raises(asyncpg.GeneratedAlwaysError):
        await connection.execute(
            "INSERT INTO betting_analyses (game_id, analysis_type, strategy_name,"
            " strategy_version, market, side, confidence_score, confidence_level,"
            " recommendation, risk_level) VALUES ($1, 'model', 'm', '1', 'total', 'over',"
            " 0.55, 'very_high', 'bet', 'low')",
            game_id,
        )


async def test_high_confidence_analyses_default_to_0_8_skip_expired_and_honour_the_limit(
    repo: UnifiedRepository, game_id: int
) -> None:
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for score in ("0.79", "0.80", "0.97", "0.88"):
        await repo.analyses.create_betting_analysis(analysis(game_id, score))
    await repo.analyses.create_betting_analysis(analysis(game_id, "0.99", expires_at=past))
    default = await repo.analyses.get_high_confidence_analyses(
        min_confidence=None, max_results=None
    )
    top_two = await repo.analyses.get_high_confidence_analyses(
        min_confidence=Decimal("0.85"), max_results=2
    )
    assert [a.confidence_score for a in default] == [
        Decimal("0.9700"),
        Decimal("0.8800"),
        Decimal("0.8000"),
    ]
    assert [a.confidence_score for a in top_two] == [Decimal("0.9700"), Decimal("0.8800")]
    by_game = await repo.analyses.list_analyses_by_game(game_id=game_id)
    assert len(by_game) == 5


async def test_strong_signals_filter_on_signal_strength_not_confidence(
    repo: UnifiedRepository, game_id: int
) -> None:
    # The original compared a `strength` that was really the confidence score.
    strong_but_unsure = await repo.signals.create_sharp_signal(signal(game_id, "0.90", "0.55"))
    weak_but_sure = await repo.signals.create_sharp_signal(signal(game_id, "0.50", "0.99"))
    strong_and_sure = await repo.signals.create_sharp_signal(signal(game_id, "0.85", "0.96"))
    assert strong_but_unsure
    assert weak_but_sure
    assert strong_and_sure
    strong = await repo.signals.get_strong_signals(min_strength=None, confidence_level=None)
    assert [s.signal_id for s in strong] == [strong_but_unsure.signal_id, strong_and_sure.signal_id]
    very_high = await repo.signals.get_strong_signals(
        min_strength=None, confidence_level=ConfidenceLevel.VERY_HIGH
    )
    assert [s.signal_id for s in very_high] == [strong_and_sure.signal_id]
    everything = await repo.signals.get_strong_signals(
        min_strength=Decimal("0.5"), confidence_level=None
    )
    assert len(everything) == 3
    assert len(await repo.signals.list_signals_by_game(game_id=game_id)) == 3


async def test_a_signal_strength_above_1_is_rejected_naming_the_field(
    connection: asyncpg.Connection, game_id: int
) -> None:
    with pytest.raises(ValidationError) as caught:
        signal(game_id, "85", "0.9")
    assert caught.value.errors()[0]["loc"] == ("signal_strength",)
    assert await count(connection, "sharp_signals") == 0
