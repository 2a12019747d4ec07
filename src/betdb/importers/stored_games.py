"""Games from the Stats API's per-game feeds (feed/live, the legacy gd2 scoreboard) into the
games table, the way the schedule importer stores them, with one rule more: a game the
database already has as final with a score is never changed by a record that says otherwise.

The whole file is one transaction: a database failure midway writes nothing, and a re-run
imports the file whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import asyncpg

from betdb import UnifiedRepository
from betdb.errors import BetdbError, DataError, IntegrityError, ValidationError
from betdb.generated.imports import UpsertScheduledGameParams
from betdb.generated.models import DataSource, Game, GameStatus
from betdb.importers.fields import FieldError
from betdb.importers.report import ImportReport, ImportStoppedError, Rejection

# What the database says of one record; anything else (the server gone) stops the import.
RECORD_ERRORS = (asyncpg.DataError, asyncpg.IntegrityConstraintViolationError, DataError,
                 IntegrityError, ValidationError)  # fmt: skip


class WholeFileStoppedError(ImportStoppedError):
    """The database stopped an import that is one transaction: nothing of the file is stored."""

    def __init__(self, report: ImportReport, cause: str, reached: str) -> None:
        super().__init__(report, cause)
        self.args = (
            f"{report.path}: stopped at {reached}; nothing was written (the file is one "
            f"transaction: a re-run imports it whole): {cause}",
        )


@dataclass(frozen=True)
class GameRecord:
    """One game read from a file: where it stood, its text, and what to store."""

    where: str
    raw: str
    params: UpsertScheduledGameParams
    as_of: str = ""
    """Orders several records of one gamePk in a file (a feed's timestamp): the latest wins."""


BIGINT_MAX = 2**63 - 1
SMALLINT_MAX = 2**15 - 1


def check_game(params: UpsertScheduledGameParams) -> None:
    """FieldError for a number the games table cannot hold, before the driver sees it."""
    if params.mlb_game_pk is not None and not 0 < params.mlb_game_pk <= BIGINT_MAX:
        raise FieldError(f"gamePk {params.mlb_game_pk} is out of range")
    for side, score in (("home", params.home_score), ("away", params.away_score)):
        if score is not None and not 0 <= score <= SMALLINT_MAX:
            raise FieldError(f"the {side} score {score} is out of range (0 to {SMALLINT_MAX:,})")


def latest_of_each_game(records: Sequence[GameRecord], report: ImportReport) -> list[GameRecord]:
    """One record per gamePk, the latest; the others count as duplicates."""
    chosen: dict[int, GameRecord] = {}
    for record in records:
        pk = record.params.mlb_game_pk
        assert pk is not None
        if pk in chosen:
            report.duplicates += 1
            if record.as_of < chosen[pk].as_of:
                continue
        chosen[pk] = record
    return list(chosen.values())


def _score(home: int | None, away: int | None) -> str:
    return "no score" if home is None or away is None else f"{away}-{home} (away-home)"


def final_score_conflict(stored: Game, params: UpsertScheduledGameParams) -> str | None:
    """Why a record may not replace a stored final game's score or state, or None."""
    if stored.status is not GameStatus.FINAL or stored.home_score is None:
        return None
    same = (params.home_score, params.away_score) == (stored.home_score, stored.away_score)
    if params.status is GameStatus.FINAL and same:
        return None
    return (
        f"gamePk {params.mlb_game_pk} is final {_score(stored.home_score, stored.away_score)} "
        f"in the database, but this record says {params.status.value} "
        f"{_score(params.home_score, params.away_score)}: the stored game is kept"
    )


async def _stored_game(
    repository: UnifiedRepository, params: UpsertScheduledGameParams
) -> Game | None:
    """The game the upsert would change: by gamePk, else by date, clubs and game number."""
    game = await repository.games.find_game_by_external_id(
        source=DataSource.MLB, external_id=str(params.mlb_game_pk)
    )
    if game is not None:
        return game
    day = params.official_date
    for other in await repository.games.find_games_of_clubs(
        home_id=params.home_team_id, away_id=params.away_team_id, first_day=day, last_day=day
    ):
        if other.game_number == params.game_number and other.mlb_game_pk is None:
            return other
    return None


async def store_games(
    repository: UnifiedRepository,
    records: Sequence[GameRecord],
    report: ImportReport,
    reject: Callable[[Rejection], None],
) -> None:
    """Upsert each record's game in one transaction, counting imported, updated, unchanged."""
    claimed: dict[tuple[dt.date, int, int, int], int] = {}
    reached = "the start"
    try:
        async with repository.transaction() as tx:
            for record in records:
                reached = record.where
                await _store_game(tx, record, claimed, report, reject)
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, BetdbError) as error:
        cause = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
        raise WholeFileStoppedError(report, str(cause), reached) from error


async def _store_game(
    tx: UnifiedRepository,
    record: GameRecord,
    claimed: dict[tuple[dt.date, int, int, int], int],
    report: ImportReport,
    reject: Callable[[Rejection], None],
) -> None:
    p = record.params
    pk = p.mlb_game_pk
    assert pk is not None
    other = claimed.setdefault((p.official_date, p.home_team_id, p.away_team_id, p.game_number), pk)
    if other != pk:
        reason = f"same date, clubs and game number as gamePk {other} in this file"
        reject(Rejection(0, reason, record.raw, record.where))
        return
    stored = await _stored_game(tx, p)
    conflict = None if stored is None else final_score_conflict(stored, p)
    if conflict is not None:
        reject(Rejection(0, conflict, record.raw, record.where))
        return
    try:
        async with tx.transaction():
            row = await tx.imports.upsert_scheduled_game(p)
    except RECORD_ERRORS as error:
        reason = f"the database refused gamePk {pk}: {getattr(error, 'message', error)}"
        reject(Rejection(0, reason, record.raw, record.where))
        return
    if row is None:
        report.unchanged += 1
    elif row.created:
        report.imported += 1
    else:
        report.updated += 1
