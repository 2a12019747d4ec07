"""Betting splits, analyses and signals: rejected per record, added once however often loaded."""

from __future__ import annotations

import json
from pathlib import Path

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.importers import import_analyses, import_schedule, import_signals, import_splits

from .conftest import (
    adds_up,
    analysis,
    count,
    jsonl,
    schedule,
    signal,
    split,
    stats_api_game,
    write_json,
)


@pytest.fixture
async def game(repo: UnifiedRepository, tmp_path: Path) -> int:
    await import_schedule(repo, write_json(tmp_path / "s.json", schedule(stats_api_game(777706))))
    return 777706


async def test_splits_are_stored_once_and_bad_ones_rejected_with_reasons(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path
) -> None:
    path = jsonl(
        tmp_path / "splits.jsonl",
        split(),
        split(side="under", bet_pct=0.26, money_pct=0.57),
        split(bet_pct=74, captured_at="2025-06-21T22:15:00Z"),
        split(bet_pct=None, money_pct=None, captured_at="2025-06-21T22:15:00Z"),
        split(side="home"),
        split(external_game_id="1"),
        split(),
    )
    report = await import_splits(repo, path)
    assert (report.read, report.imported, report.duplicates) == (7, 2, 1)
    assert adds_up(report)
    assert [(r.line, r.reason) for r in report.rejected] == [
        (
            3,
            "bet_pct 74 must be a fraction from 0 to 1 (a percentage? give fractions: 55% is 0.55)",
        ),
        (4, "neither bet_pct nor money_pct is given"),
        (5, "side 'home' does not fit market total: over or under"),
        (6, "no game with mlb id 1 (import its schedule first)"),
    ]
    assert report.rejects_path == tmp_path / "splits.rejects.jsonl"
    rejected = [json.loads(line) for line in report.rejects_path.read_text().splitlines()]
    assert [r["reason"].split(":")[0] for r in rejected] == ["line 3", "line 4", "line 5", "line 6"]
    again = await import_splits(repo, path)
    assert (again.imported, again.duplicates, len(again.rejected)) == (0, 3, 4)
    assert await count(connection, "betting_splits") == 2


async def test_analyses_are_added_once_and_bad_ones_rejected(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path
) -> None:
    path = jsonl(
        tmp_path / "analyses.jsonl",
        analysis(),
        analysis(strategy_version="2.2", confidence_score=0.95),
        analysis(confidence_score=1.5),
        analysis(recommendation="smash"),
        analysis(features=[1, 2]),
    )
    first = await import_analyses(repo, path)
    assert (first.read, first.imported, len(first.rejected)) == (5, 2, 3)
    assert [r.reason for r in first.rejected] == [
        "confidence_score 1.5 must be a fraction from 0 to 1 (a percentage? give fractions:"
        " 55% is 0.55)",
        "recommendation 'smash' is not one of bet, lean, pass, fade",
        "features must be a JSON object",
    ]
    again = await import_analyses(repo, path)
    assert (again.imported, again.duplicates) == (0, 2)
    levels = await connection.fetch(
        "SELECT confidence_level::text FROM betting_analyses ORDER BY confidence_score"
    )
    assert [r[0] for r in levels] == ["high", "very_high"]


async def test_signals_are_added_once_with_their_book(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path
) -> None:
    path = jsonl(
        tmp_path / "signals.jsonl",
        signal(),
        signal(sportsbook=None, signal_strength=0.93),
        signal(sportsbook="bookie_joe"),
        signal(detected_at="2025-06-21 19:52"),
    )
    first = await import_signals(repo, path)
    assert (first.read, first.imported, len(first.rejected)) == (4, 2, 2)
    assert first.rejected[0].reason.startswith("unknown sportsbook 'bookie_joe'")
    assert first.rejected[1].reason.startswith("detected_at '2025-06-21 19:52' has no UTC offset")
    again = await import_signals(repo, path)
    assert (again.imported, again.duplicates) == (0, 2)
    rows = await connection.fetch(
        "SELECT b.key, s.signal_strength::text FROM sharp_signals s"
        " LEFT JOIN sportsbooks b USING (sportsbook_id) ORDER BY 2"
    )
    assert [tuple(r) for r in rows] == [("pinnacle", "0.8400"), (None, "0.9300")]
