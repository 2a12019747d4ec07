"""Betting analyses and sharp signals from JSONL, added once each.

The Create queries insert a new row every time; these importers first look the record up by
its natural key (game, type, strategy or detector and version, market, side; for signals
also the book and detection time) and count one that exists as a duplicate, so loading the
same file twice adds nothing.

Analysis keys: ``external_game_id`` and optional ``game_source`` (default mlb),
``analysis_type``, ``strategy_name``, ``strategy_version``, ``market``, ``side``,
``signals_detected`` (a list of names), ``confidence_score`` (0..1), ``recommendation``,
``risk_level``, ``features`` (an object), optional ``expires_at``.
Signal keys: the game as above, ``signal_type``, ``detector_name``, ``detector_version``,
``market``, ``side``, optional ``sportsbook`` (a book key, or the book's id in
``game_source``), ``signal_strength`` and ``confidence_score`` (0..1), ``features``,
``detected_at``, optional ``expires_at``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from pydantic import JsonValue

from betdb import UnifiedRepository
from betdb.generated.analyses import CreateBettingAnalysisParams
from betdb.generated.imports import FindAnalysisParams, FindSignalParams
from betdb.generated.models import (
    AnalysisType,
    DataSource,
    Market,
    Recommendation,
    RiskLevel,
    Side,
    SignalType,
)
from betdb.generated.signals import CreateSharpSignalParams
from betdb.importers import fields
from betdb.importers.each import import_each
from betdb.importers.fields import FieldError
from betdb.importers.records import MAX_RECORD_BYTES
from betdb.importers.report import ImportReport
from betdb.importers.resolve import BookResolver, GameResolver
from betdb.importers.values import MAX_DEPTH, check_value

GAME_COLUMNS = ("external_game_id",)
ANALYSIS_COLUMNS = (
    *GAME_COLUMNS, "analysis_type", "strategy_name", "strategy_version", "market", "side",
    "confidence_score", "recommendation", "risk_level",
)  # fmt: skip
ANALYSIS_OPTIONAL = ("game_source", "signals_detected", "features", "expires_at")
SIGNAL_COLUMNS = (
    *GAME_COLUMNS, "signal_type", "detector_name", "detector_version", "market", "side",
    "signal_strength", "confidence_score", "detected_at",
)  # fmt: skip
SIGNAL_OPTIONAL = ("game_source", "sportsbook", "features", "expires_at")


def _share(values: Mapping[str, object], name: str) -> Decimal:
    share = fields.probability(values, name)
    if share is None:
        raise FieldError(f"{name} is missing")
    return share


def _features(values: Mapping[str, object]) -> dict[str, JsonValue]:
    features = values.get("features") or {}
    if isinstance(features, str):  # a CSV field: the reader has not seen inside it
        try:
            features = json.loads(features)
        except RecursionError:
            raise FieldError(f"features is nested deeper than {MAX_DEPTH} levels") from None
        except ValueError:
            raise FieldError("features is not a JSON object") from None
        check_value("features", features)
    if not isinstance(features, dict):
        raise FieldError("features must be a JSON object")
    return features


def _names(values: Mapping[str, object]) -> list[str]:
    names = values.get("signals_detected") or []
    if isinstance(names, str):
        names = [name.strip() for name in names.split(";") if name.strip()]
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise FieldError("signals_detected must be a list of names")
    return list(names)


class JudgmentImport:
    def __init__(self, repository: UnifiedRepository) -> None:
        self.repository = repository
        self.querier = repository.imports
        self.games = GameResolver(repository)
        self.books = BookResolver(repository)

    async def game_id(self, values: Mapping[str, object]) -> int:
        return await self.games.game_id(
            fields.game_source(values, DataSource.MLB), fields.text(values, "external_game_id")
        )

    async def analysis(self, values: Mapping[str, object]) -> bool:
        market = fields.choice(Market, values, "market")
        side = fields.choice(Side, values, "side")
        fields.market_side(market, side)
        params = CreateBettingAnalysisParams(
            game_id=await self.game_id(values),
            analysis_type=fields.choice(AnalysisType, values, "analysis_type"),
            strategy_name=fields.text(values, "strategy_name"),
            strategy_version=fields.text(values, "strategy_version"),
            market=market,
            side=side,
            signals_detected=_names(values),
            confidence_score=_share(values, "confidence_score"),
            recommendation=fields.choice(Recommendation, values, "recommendation"),
            risk_level=fields.choice(RiskLevel, values, "risk_level"),
            features=_features(values),
            expires_at=fields.optional_timestamp(values, "expires_at"),
        )
        key = FindAnalysisParams.model_validate(params.model_dump(), from_attributes=False)
        if await self.querier.find_analysis(key) is not None:
            return False
        await self.repository.analyses.create_betting_analysis(params)
        return True

    async def signal(self, values: Mapping[str, object]) -> bool:
        market = fields.choice(Market, values, "market")
        side = fields.choice(Side, values, "side")
        fields.market_side(market, side)
        book = fields.optional_text(values, "sportsbook")
        params = CreateSharpSignalParams(
            game_id=await self.game_id(values),
            signal_type=fields.choice(SignalType, values, "signal_type"),
            detector_name=fields.text(values, "detector_name"),
            detector_version=fields.text(values, "detector_version"),
            market=market,
            side=side,
            sportsbook_id=None
            if book is None
            else await self.books.sportsbook_id(fields.game_source(values, DataSource.MLB), book),
            signal_strength=_share(values, "signal_strength"),
            confidence_score=_share(values, "confidence_score"),
            features=_features(values),
            detected_at=fields.timestamp(values, "detected_at"),
            expires_at=fields.optional_timestamp(values, "expires_at"),
        )
        key = FindSignalParams.model_validate(params.model_dump())
        if await self.querier.find_signal(key) is not None:
            return False
        await self.repository.signals.create_sharp_signal(params)
        return True


async def import_analyses(
    repository: UnifiedRepository,
    path: Path,
    *,
    rejects: Path | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
    report: ImportReport | None = None,
) -> ImportReport:
    """Add the betting analyses of a JSONL file that are not stored yet, in one transaction."""
    return await import_each(
        repository,
        path,
        rejects=rejects,
        required=ANALYSIS_COLUMNS,
        optional=ANALYSIS_OPTIONAL,
        adder_for=lambda tx: JudgmentImport(tx).analysis,
        max_record_bytes=max_record_bytes,
        report=report,
    )


async def import_signals(
    repository: UnifiedRepository,
    path: Path,
    *,
    rejects: Path | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
    report: ImportReport | None = None,
) -> ImportReport:
    """Add the sharp signals of a JSONL file that are not stored yet, in one transaction."""
    return await import_each(
        repository,
        path,
        rejects=rejects,
        required=SIGNAL_COLUMNS,
        optional=SIGNAL_OPTIONAL,
        adder_for=lambda tx: JudgmentImport(tx).signal,
        max_record_bytes=max_record_bytes,
        report=report,
    )
