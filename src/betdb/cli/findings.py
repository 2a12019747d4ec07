"""`betdb signals` and `betdb analyses`: what the detectors and strategies found."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer
from rich.table import Table

from betdb import Database, UnifiedRepository
from betdb.cli.connection import DataDir, with_database
from betdb.cli.lookup import Names
from betdb.cli.output import UsageError, console, print_json, reports_errors, table, when
from betdb.generated.models import BettingAnalysis, Game, SharpSignal

Json = Annotated[bool, typer.Option("--json", help="print JSON for scripts instead of a table")]


class ListedSignal(SharpSignal):
    """A stored signal with its game and book named, as `betdb signals --json` prints it."""

    game: str
    sportsbook: str | None


class ListedAnalysis(BettingAnalysis):
    game: str


def fraction(option: str, value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise UsageError(f"{option} {value!r} is not a number from 0 to 1") from None
    if not number.is_finite() or not 0 <= number <= 1:
        hint = " (a percentage? 80% is 0.8)" if number.is_finite() and 1 < number <= 100 else ""
        raise UsageError(f"{option} must be a fraction from 0 to 1, got {value}{hint}")
    return number


async def _games(repository: UnifiedRepository, game_ids: set[int]) -> dict[int, Game]:
    games = {}
    for game_id in sorted(game_ids):
        game = await repository.games.get_game(game_id=game_id)
        if game is not None:
            games[game_id] = game
    return games


def _label(games: dict[int, Game], names: Names, game_id: int) -> str:
    game = games.get(game_id)
    return names.game_label(game) if game else f"game {game_id}"


async def strong_signals(
    repository: UnifiedRepository, min_strength: Decimal, names: Names
) -> list[ListedSignal]:
    signals = await repository.signals.get_strong_signals(
        min_strength=min_strength, confidence_level=None
    )
    games = await _games(repository, {signal.game_id for signal in signals})
    # model_construct: stored rows as they are (a placeholder time would fail re-validation).
    return [
        ListedSignal.model_construct(
            **signal.model_dump(),
            game=_label(games, names, signal.game_id),
            sportsbook=names.book(signal.sportsbook_id) or None,
        )
        for signal in signals
    ]


async def confident_analyses(
    repository: UnifiedRepository, min_confidence: Decimal, names: Names
) -> list[ListedAnalysis]:
    analyses = await repository.analyses.get_high_confidence_analyses(
        min_confidence=min_confidence, max_results=None
    )
    games = await _games(repository, {analysis.game_id for analysis in analyses})
    return [
        ListedAnalysis.model_construct(
            **analysis.model_dump(), game=_label(games, names, analysis.game_id)
        )
        for analysis in analyses
    ]


def signals_table(signals: Sequence[ListedSignal], min_strength: Decimal) -> Table:
    rows = [
        (
            signal.game,
            signal.signal_type.value,
            f"{signal.market.value} {signal.side.value}",
            signal.sportsbook or "",
            f"{signal.signal_strength:.2f}",
            f"{signal.confidence_score:.2f}",
            when(signal.detected_at),
        )
        for signal in signals
    ]
    columns = ("game", "signal", "bet", "book", "strength", "confidence", "detected (UTC)")
    return table(f"{len(rows)} signal(s) of strength ≥ {min_strength}", columns, rows)


def analyses_table(analyses: Sequence[ListedAnalysis], min_confidence: Decimal) -> Table:
    rows = [
        (
            analysis.game,
            analysis.analysis_type.value,
            f"{analysis.strategy_name} {analysis.strategy_version}",
            f"{analysis.market.value} {analysis.side.value}",
            analysis.recommendation.value,
            f"{analysis.confidence_score:.2f}",
            analysis.risk_level.value,
        )
        for analysis in analyses
    ]
    columns = ("game", "analysis", "strategy", "bet", "call", "confidence", "risk")
    return table(f"{len(rows)} analysis(es) of confidence ≥ {min_confidence}", columns, rows)


@reports_errors
def signals_command(
    min_strength: Annotated[
        str, typer.Option("--min-strength", help="lowest signal strength shown, 0 to 1")
    ] = "0.8",
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Unexpired sharp-money signals at least this strong, strongest first."""
    threshold = fraction("--min-strength", min_strength)

    async def work(database: Database) -> None:
        repository = database.repository()
        signals = await strong_signals(repository, threshold, await Names.load(repository))
        if json_output:
            print_json(signals)
        else:
            console.print(signals_table(signals, threshold))

    with_database(data_dir, work)


@reports_errors
def analyses_command(
    min_confidence: Annotated[
        str, typer.Option("--min-confidence", help="lowest confidence shown, 0 to 1")
    ] = "0.8",
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Unexpired betting analyses at least this confident, most confident first."""
    threshold = fraction("--min-confidence", min_confidence)

    async def work(database: Database) -> None:
        repository = database.repository()
        analyses = await confident_analyses(repository, threshold, await Names.load(repository))
        if json_output:
            print_json(analyses)
        else:
            console.print(analyses_table(analyses, threshold))

    with_database(data_dir, work)
