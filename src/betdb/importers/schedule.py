"""MLB Stats API schedule JSON (``/api/v1/schedule``) into games, upserted by gamePk.

Each ``dates[].games[]`` entry becomes one game. A game that cannot be read (unknown club,
missing field, bad date, unknown status or game type) is rejected with the reason and its
locator, e.g. ``dates[2].games[5]``; the others are imported. A file that is not UTF-8 JSON
of that shape is refused as a whole, naming the position, and nothing is written.

Re-importing the same file changes nothing (games count as unchanged and keep their
``updated_at``); a later file updates status, scores and times. A gamePk listed more than once
(a postponed or suspended game is listed again on its new date) counts once, with the entry of
the latest official date; the others count as duplicates.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from betdb import UnifiedRepository
from betdb.errors import BetdbError
from betdb.generated.imports import UpsertScheduledGameParams
from betdb.generated.models import GameStatus, GameType, SeasonType
from betdb.importers.fields import FieldError, check_moment
from betdb.importers.records import refuse_wide_encodings
from betdb.importers.report import ImportFileError, ImportReport, Rejection
from betdb.importers.values import MAX_DEPTH, check_value

STATS_API = "https://statsapi.mlb.com"

# detailedState is the more specific (a delayed game is coded P or I): it is read first.
STATUS_BY_DETAILED_STATE = (
    ("postponed", GameStatus.POSTPONED),
    ("cancelled", GameStatus.CANCELLED),
    ("canceled", GameStatus.CANCELLED),
    ("suspended", GameStatus.SUSPENDED),
    ("delayed", GameStatus.DELAYED),
    ("final", GameStatus.FINAL),
    ("game over", GameStatus.FINAL),
    ("completed early", GameStatus.FINAL),
    ("in progress", GameStatus.LIVE),
    ("manager challenge", GameStatus.LIVE),
    ("umpire review", GameStatus.LIVE),
    ("warmup", GameStatus.PRE_GAME),
    ("pre-game", GameStatus.PRE_GAME),
    ("scheduled", GameStatus.SCHEDULED),
)
STATUS_BY_CODE = {
    "S": GameStatus.SCHEDULED,
    "P": GameStatus.PRE_GAME,
    "I": GameStatus.LIVE,
    "M": GameStatus.LIVE,
    "N": GameStatus.LIVE,
    "F": GameStatus.FINAL,
    "O": GameStatus.FINAL,
    "D": GameStatus.POSTPONED,
    "C": GameStatus.CANCELLED,
    "U": GameStatus.SUSPENDED,
    "T": GameStatus.SUSPENDED,
}
POSTSEASON = (GameType.POSTSEASON, SeasonType.POSTSEASON)
GAME_TYPES = {
    "R": (GameType.REGULAR, SeasonType.REGULAR),
    "S": (GameType.SPRING, SeasonType.PRESEASON),
    "E": (GameType.EXHIBITION, SeasonType.PRESEASON),
    "A": (GameType.ALL_STAR, SeasonType.REGULAR),
    "F": POSTSEASON,  # wild card
    "D": POSTSEASON,  # division series
    "L": POSTSEASON,  # league championship series
    "W": POSTSEASON,  # World Series
    "P": POSTSEASON,
}


def game_status(status: object) -> GameStatus:
    if not isinstance(status, Mapping):
        raise FieldError("status is missing")
    detailed = status.get("detailedState")
    if isinstance(detailed, str):
        state = detailed.strip().lower()
        for prefix, value in STATUS_BY_DETAILED_STATE:
            if state.startswith(prefix):
                return value
    code = status.get("codedGameState")
    if isinstance(code, str) and code in STATUS_BY_CODE:
        return STATUS_BY_CODE[code]
    raise FieldError(f"status: unknown codedGameState {code!r} / detailedState {detailed!r}")


def _whole(game: Mapping[str, Any], name: str, value: object) -> int:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"{name} must be a whole number, got {value!r}")
    return value


def _at(game: Mapping[str, Any], *path: str) -> object:
    value: object = game
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            raise FieldError(f"{'.'.join(path)} is missing")
        value = value[key]
    return value


@dataclass(frozen=True)
class ScheduledGame:
    where: str
    raw: str
    params: UpsertScheduledGameParams

    @property
    def natural_key(self) -> tuple[dt.date, int, int, int]:
        p = self.params
        return (p.official_date, p.home_team_id, p.away_team_id, p.game_number)


def read_game(game: object, team_ids: frozenset[int]) -> UpsertScheduledGameParams:
    if not isinstance(game, Mapping):
        raise FieldError(f"not a JSON object but {type(game).__name__}")
    game_pk = _whole(game, "gamePk", _at(game, "gamePk"))
    if game_pk <= 0:
        raise FieldError(f"gamePk {game_pk} is not positive")
    official = _at(game, "officialDate")
    try:
        official_date = dt.date.fromisoformat(str(official))
    except ValueError:
        raise FieldError(f"officialDate {official!r} is not a date (YYYY-MM-DD)") from None
    first_pitch = _at(game, "gameDate")
    try:
        first_pitch_at = dt.datetime.fromisoformat(str(first_pitch))
    except ValueError:
        raise FieldError(f"gameDate {first_pitch!r} is not an ISO 8601 time") from None
    if first_pitch_at.utcoffset() is None:
        raise FieldError(f"gameDate {first_pitch!r} has no UTC offset")
    check_moment("gameDate", first_pitch, first_pitch_at)
    clubs: dict[str, int] = {}
    scores: dict[str, int | None] = {}
    for side in ("home", "away"):
        team_id = _whole(game, f"teams.{side}.team.id", _at(game, "teams", side, "team", "id"))
        if team_id not in team_ids:
            raise FieldError(f"teams.{side}.team.id {team_id} is not one of the 30 MLB clubs")
        clubs[side] = team_id
        score = game["teams"][side].get("score")
        if score is not None and _whole(game, f"teams.{side}.score", score) < 0:
            raise FieldError(f"teams.{side}.score {score} is negative")
        scores[side] = None if score is None else _whole(game, f"teams.{side}.score", score)
    if clubs["home"] == clubs["away"]:
        raise FieldError(f"the home and away clubs are both {clubs['home']}")
    if (scores["home"] is None) != (scores["away"] is None):
        raise FieldError("only one of teams.home.score and teams.away.score is given")
    game_number = _whole(game, "gameNumber", game.get("gameNumber", 1))
    if game_number not in (1, 2):
        raise FieldError(f"gameNumber {game_number} is not 1 or 2")
    double_header = game.get("doubleHeader", "N")
    if double_header not in ("N", "S", "Y"):
        raise FieldError(f"doubleHeader {double_header!r} is not N, S or Y")
    if game_number == 2 and double_header == "N":
        raise FieldError("gameNumber 2 but doubleHeader 'N': not part of a doubleheader")
    season = _whole(game, "season", _at(game, "season"))
    if not 1876 <= season <= 2200:
        raise FieldError(f"season {season} is out of range")
    if season != official_date.year:
        raise FieldError(f"season {season} but officialDate {official_date}")
    kind = game.get("gameType", "R")
    if kind not in GAME_TYPES:
        raise FieldError(f"gameType {kind!r} is not one of {', '.join(GAME_TYPES)}")
    game_type, season_type = GAME_TYPES[kind]
    venue = game.get("venue")
    link = game.get("link")
    return UpsertScheduledGameParams(
        mlb_game_pk=game_pk,
        official_date=official_date,
        home_team_id=clubs["home"],
        away_team_id=clubs["away"],
        game_number=game_number,
        first_pitch_at=first_pitch_at,
        season=season,
        season_type=season_type,
        game_type=game_type,
        status=game_status(game.get("status")),
        home_score=scores["home"],
        away_score=scores["away"],
        venue={"id": venue.get("id"), "name": venue.get("name")}
        if isinstance(venue, Mapping)
        else None,
        source_url=f"{STATS_API}{link}" if isinstance(link, str) and link.startswith("/") else None,
    )


def load_schedule(path: Path) -> list[tuple[str, object]]:
    """Every ``dates[].games[]`` entry with its locator; ImportFileError if the file is not
    UTF-8 JSON of the schedule's shape."""
    data = path.read_bytes()
    refuse_wide_encodings(path, data)
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ImportFileError(
            path,
            f"not UTF-8: byte 0x{data[error.start]:02X} (a Latin-1 file? save it as UTF-8)",
            line=line,
            column=column,
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            path, f"not valid JSON: {error.msg} (truncated?)", line=error.lineno, column=error.colno
        ) from None
    except RecursionError:
        raise ImportFileError(path, f"JSON nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise ImportFileError(path, f"not JSON betdb reads: {error}") from None
    dates = document.get("dates") if isinstance(document, dict) else None
    if not isinstance(dates, list):
        raise ImportFileError(path, 'not a Stats API schedule: no top-level "dates" list')
    entries: list[tuple[str, object]] = []
    for i, day in enumerate(dates):
        games = day.get("games") if isinstance(day, dict) else None
        if not isinstance(games, list):
            raise ImportFileError(path, f'dates[{i}] has no "games" list')
        entries.extend((f"dates[{i}].games[{j}]", game) for j, game in enumerate(games))
    return entries


async def import_schedule(repository: UnifiedRepository, path: Path) -> ImportReport:
    """Upsert the games of a Stats API schedule file; see the module docstring."""
    started = time.perf_counter()
    path = Path(path)
    report = ImportReport(path=path)
    entries = load_schedule(path)
    report.read = len(entries)
    team_ids = frozenset(team.team_id for team in await repository.teams.list_teams())

    chosen: dict[int, ScheduledGame] = {}
    for where, entry in entries:
        raw = json.dumps(entry, separators=(",", ":"), ensure_ascii=False)
        try:
            check_value(where, entry)
            params = read_game(entry, team_ids)
        except FieldError as error:
            report.rejected.append(Rejection(0, str(error), raw, where))
            continue
        pk = params.mlb_game_pk
        assert pk is not None
        if pk in chosen:
            report.duplicates += 1
            if params.official_date < chosen[pk].params.official_date:
                continue
        chosen[pk] = ScheduledGame(where, raw, params)

    claimed: dict[tuple[dt.date, int, int, int], int] = {}
    async with repository.transaction() as tx:
        querier = tx.imports
        for pk, game in chosen.items():
            other = claimed.setdefault(game.natural_key, pk)
            if other != pk:
                reason = f"same date, clubs and game number as gamePk {other} in this file"
                report.rejected.append(Rejection(0, reason, game.raw, game.where))
                continue
            try:
                async with tx.transaction():
                    row = await querier.upsert_scheduled_game(game.params)
            except (asyncpg.PostgresError, BetdbError) as error:
                reason = f"the database refused gamePk {pk}: {_describe(error)}"
                report.rejected.append(Rejection(0, reason, game.raw, game.where))
                continue
            if row is None:
                report.unchanged += 1
            elif row.created:
                report.imported += 1
            else:
                report.updated += 1
    report.seconds = time.perf_counter() - started
    return report


def _describe(error: Exception) -> str:
    constraint = getattr(error, "constraint", None) or getattr(error, "constraint_name", None)
    message = getattr(error, "message", None) or str(error)
    return f"{message} (constraint {constraint})" if constraint else str(message)
