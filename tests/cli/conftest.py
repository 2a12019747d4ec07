"""The `betdb` command run in-process (Typer's CliRunner) against this test's own database.

`seeded` stores, through the generated queriers, a small day whose every number the tests know:
a Red Sox at Yankees doubleheader on 2026-04-04 and a Diamondbacks at Dodgers game the next
day; DraftKings moving the total from 8.5 to 9 before first pitch and FanDuel following;
moneylines; one strong and one weak signal; one confident and one unsure analysis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from typer.testing import CliRunner

from betdb import UnifiedRepository
from betdb.generated import init_connection
from betdb.generated.analyses import CreateBettingAnalysisParams
from betdb.generated.games import UpsertGameParams
from betdb.generated.models import DataQuality, DataSource, GameStatus, GameType, SeasonType
from betdb.generated.odds import IngestOddsParams
from betdb.generated.signals import CreateSharpSignalParams
from betdb.testing import run_sync

UTC = dt.UTC
DAY = dt.date(2026, 4, 4)


def at(hour: int, minute: int = 0, day: int = 4) -> dt.datetime:
    return dt.datetime(2026, 4, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, database_url: str) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


@dataclass(frozen=True)
class Seeded:
    first_game: int
    second_game: int
    dodgers_game: int


def _game(pk: int, day: dt.date, number: int, first_pitch: dt.datetime, home: str, away: str,
          status: GameStatus = GameStatus.SCHEDULED) -> UpsertGameParams:  # fmt: skip
    return UpsertGameParams(
        mlb_game_pk=pk, sbr_game_id=None, action_network_game_id=None, official_date=day,
        game_number=number, first_pitch_at=first_pitch, season=2026,
        season_type=SeasonType.REGULAR, game_type=GameType.REGULAR, status=status,
        home_score=None, away_score=None, venue=None, weather=None, probable_pitchers=None,
        source=DataSource.MLB, source_url=None, source_updated_at=None,
        data_quality=DataQuality.HIGH, home_team=home, away_team=away,
    )  # fmt: skip


def _odds(game_id: int, book: int, market: str, side: str, line: str | None, price: int,
          observed_at: dt.datetime, **flags: bool) -> IngestOddsParams:  # fmt: skip
    return IngestOddsParams(
        game_id=game_id, sportsbook_id=book, market=market, side=side,
        line=None if line is None else Decimal(line), price=price, observed_at=observed_at,
        is_opening=flags.get("opening", False), is_closing=flags.get("closing", False),
        bet_limit=None, source=DataSource.SBR,
    )  # fmt: skip


async def _seed(dsn: str) -> Seeded:
    connection = await asyncpg.connect(dsn)
    await init_connection(connection)
    try:
        repo = UnifiedRepository(connection)
        first = await repo.games.upsert_game(_game(776001, DAY, 1, at(17, 5), "NYY", "BOS"))
        second = await repo.games.upsert_game(_game(776002, DAY, 2, at(22, 10), "NYY", "BOS"))
        dodgers = await repo.games.upsert_game(
            _game(776003, dt.date(2026, 4, 5), 1, at(2, 10, day=6), "LAD", "AZ")
        )
        assert first is not None
        assert second is not None
        assert dodgers is not None
        books = {b.key: b.sportsbook_id for b in await repo.sportsbooks.list_sportsbooks()}
        dk, fd = books["draftkings"], books["fanduel"]
        g = first.game_id
        await repo.odds.ingest_odds([
            _odds(g, dk, "total", "over", "8.5", -110, at(12), opening=True),
            _odds(g, dk, "total", "under", "8.5", -110, at(12), opening=True),
            _odds(g, dk, "total", "over", "8.5", -110, at(13)),
            _odds(g, dk, "total", "under", "8.5", -110, at(13)),
            _odds(g, dk, "total", "over", "9", -105, at(14)),
            _odds(g, dk, "total", "under", "9", -115, at(14)),
            _odds(g, dk, "total", "over", "9", -110, at(17), closing=True),
            _odds(g, dk, "total", "under", "9", -110, at(17), closing=True),
            _odds(g, fd, "total", "over", "8.5", -112, at(12, 30)),
            _odds(g, fd, "total", "under", "8.5", -108, at(12, 30)),
            _odds(g, fd, "total", "over", "9", -108, at(15)),
            _odds(g, fd, "total", "under", "9", -112, at(15)),
            _odds(g, dk, "moneyline", "home", None, -150, at(12)),
            _odds(g, dk, "moneyline", "away", None, 130, at(12)),
            _odds(g, dk, "moneyline", "home", None, -160, at(16)),
            _odds(g, dk, "moneyline", "away", None, 140, at(16)),
            _odds(second.game_id, fd, "moneyline", "home", None, -105, at(18)),
            _odds(second.game_id, fd, "moneyline", "home", None, 105, at(19)),
        ])  # fmt: skip
        signal: dict[str, Any] = {
            "game_id": g, "signal_type": "steam_move", "detector_name": "steam",
            "detector_version": "1", "market": "total", "side": "over", "sportsbook_id": dk,
            "confidence_score": Decimal("0.8"), "features": {"books_moved": 2},
            "detected_at": at(14), "expires_at": None,
        }  # fmt: skip
        await repo.signals.create_sharp_signal(
            CreateSharpSignalParams(**signal, signal_strength=Decimal("0.92"))
        )
        await repo.signals.create_sharp_signal(
            CreateSharpSignalParams(**{**signal, "game_id": dodgers.game_id,
                                       "signal_strength": Decimal("0.55")})
        )  # fmt: skip
        analysis: dict[str, Any] = {
            "game_id": g, "analysis_type": "steam_move", "strategy_name": "follow_steam",
            "strategy_version": "1", "market": "total", "side": "over",
            "signals_detected": ["steam_move"], "recommendation": "bet", "risk_level": "medium",
            "features": {}, "expires_at": None,
        }  # fmt: skip
        await repo.analyses.create_betting_analysis(
            CreateBettingAnalysisParams(**analysis, confidence_score=Decimal("0.86"))
        )
        await repo.analyses.create_betting_analysis(
            CreateBettingAnalysisParams(**{**analysis, "recommendation": "lean",
                                           "confidence_score": Decimal("0.6")})
        )  # fmt: skip
        return Seeded(first.game_id, second.game_id, dodgers.game_id)
    finally:
        await connection.close()


@pytest.fixture
def seeded(database_url: str) -> Seeded:
    return run_sync(_seed(database_url))
