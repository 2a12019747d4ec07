"""MLB Stats API schedule JSON (``/api/v1/schedule``) of every era into games, upserted by gamePk.

Each ``dates[].games[]`` entry becomes one game. Its date is ``officialDate``, or in responses
from before about 2020 that lack it, the ``dates[].date`` it is listed under (never
``gameDate``'s UTC day). A game that cannot be read (unknown club id, missing field, bad date,
unknown game type) is rejected with the reason and its locator, e.g. ``dates[2].games[5]``, and
written to the rejects file (``FILE.rejects.jsonl``); a game whose clubs are not known yet (a
postseason "if necessary" game) is skipped and counted with the reason. A file that is not
UTF-8 JSON of that shape (a byte-order mark is fine) is refused as a whole, naming the
position, and nothing is written.

What a user needs to follow a moved game is kept: the status (through ``detailedState``, then
``codedGameState``, then ``abstractGameState``, so an unfamiliar state still maps) with the
API's own ``detailed_state`` and ``status_reason``, ``scheduled_date`` (the date it was first
scheduled for, when postponed or made up), ``resumed_on`` (a suspended game), the doubleheader
kind and the ``gameType`` letter. A game with ``startTimeTBD`` has no ``first_pitch_at``; a
postponed one has its ``rescheduleDate``, or none.

Re-importing the same file changes nothing (games count as unchanged and keep their
``updated_at``); a later file updates status, scores and times and moves a rescheduled game
(found by its gamePk) to its new date. A gamePk listed more than once (a postponed or suspended
game is listed again on its new date) counts once, with the entry of the latest official date;
the others count as duplicates. The whole file is one transaction: if the database fails
midway nothing is written, and a re-run imports it whole.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from betdb import UnifiedRepository
from betdb.errors import BetdbError
from betdb.generated.imports import UpsertScheduledGameParams
from betdb.generated.models import Doubleheader, GameStatus, GameType, SeasonType
from betdb.importers.documents import JsonRejects, default_rejects_path
from betdb.importers.fields import FieldError, check_moment
from betdb.importers.jsonstream import MAX_ITEM_BYTES, JsonStream
from betdb.importers.rejects import completing
from betdb.importers.report import ImportFileError, ImportReport, Rejection
from betdb.importers.values import check_value

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
    "Q": GameStatus.FINAL,  # forfeits
    "R": GameStatus.FINAL,
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
# An unfamiliar detailed state with an unfamiliar code still says which phase the game is in.
STATUS_BY_ABSTRACT_STATE = {
    "preview": GameStatus.SCHEDULED,
    "live": GameStatus.LIVE,
    "final": GameStatus.FINAL,
}
DOUBLEHEADERS = {"N": None, "Y": Doubleheader.TRADITIONAL, "S": Doubleheader.SPLIT}
# Names the Stats API gives a postseason slot whose club is not decided yet.
UNDECIDED_CLUB_WORDS = ("tbd", "winner", "wild card", "seed", "champion", "to be determined")
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
    abstract = status.get("abstractGameState")
    if isinstance(abstract, str) and abstract.strip().lower() in STATUS_BY_ABSTRACT_STATE:
        return STATUS_BY_ABSTRACT_STATE[abstract.strip().lower()]
    raise FieldError(
        f"status: unknown codedGameState {code!r} / detailedState {detailed!r}"
        + (f" / abstractGameState {abstract!r}" if abstract is not None else "")
    )


class SkippedGame(Exception):  # noqa: N818 (a skip, not an error)
    """A game deliberately not imported; the message is the reason."""


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


def _date(game: Mapping[str, Any], name: str) -> dt.date | None:
    value = game.get(name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise FieldError(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


def _instant(game: Mapping[str, Any], name: str) -> dt.datetime | None:
    value = game.get(name)
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise FieldError(f"{name} {value!r} is not an ISO 8601 time") from None
    if moment.utcoffset() is None:
        raise FieldError(f"{name} {value!r} has no UTC offset")
    check_moment(name, value, moment)
    return moment


def _club(game: Mapping[str, Any], side: str, team_ids: frozenset[int]) -> int:
    team = _at(game, "teams", side, "team")
    name = team.get("name") if isinstance(team, Mapping) else None
    named = f" ({name!r})" if isinstance(name, str) else ""
    if not isinstance(team, Mapping) or team.get("id") is None:
        raise SkippedGame(f"clubs not known yet: teams.{side}.team has no id{named}")
    team_id = _whole(game, f"teams.{side}.team.id", team["id"])
    if team_id not in team_ids:
        if isinstance(name, str) and any(w in name.lower() for w in UNDECIDED_CLUB_WORDS):
            raise SkippedGame(f"clubs not known yet: teams.{side}.team is {name!r}")
        raise FieldError(f"teams.{side}.team.id {team_id}{named} is not one of the 30 MLB clubs")
    return team_id


def read_game(
    game: object, team_ids: frozenset[int], listed_on: dt.date | None = None
) -> UpsertScheduledGameParams:
    """One schedule entry as a game; `listed_on` is the ``dates[].date`` it is listed under.
    FieldError rejects it, SkippedGame skips it."""
    if not isinstance(game, Mapping):
        raise FieldError(f"not a JSON object but {type(game).__name__}")
    game_pk = _whole(game, "gamePk", _at(game, "gamePk"))
    if game_pk <= 0:
        raise FieldError(f"gamePk {game_pk} is not positive")
    status = game.get("status")
    state = game_status(status)
    detailed = status.get("detailedState") if isinstance(status, Mapping) else None
    reason = status.get("reason") if isinstance(status, Mapping) else None
    time_tbd = isinstance(status, Mapping) and status.get("startTimeTBD") is True
    official_date = _date(game, "officialDate")
    scheduled_date = _date(game, "rescheduledFromDate")
    resumed_from = _date(game, "resumedFromDate")
    resumed_on = _date(game, "resumeGameDate") or (listed_on if resumed_from else None)
    if official_date is None:
        # Responses before about 2020: the listing date, or the date play began or moves to.
        if listed_on is None:
            raise FieldError("officialDate is missing and the entry is not under a dates[].date")
        official_date = resumed_from or listed_on
        if state is GameStatus.POSTPONED and _date(game, "rescheduleGameDate"):
            official_date = _date(game, "rescheduleGameDate") or listed_on
    if scheduled_date is None and listed_on not in (None, official_date) and not resumed_from:
        scheduled_date = listed_on
    first_pitch_at = _instant(game, "gameDate")
    if first_pitch_at is None:
        raise FieldError("gameDate is missing")
    if state is GameStatus.POSTPONED:
        first_pitch_at = _instant(game, "rescheduleDate")
    if time_tbd:
        first_pitch_at = None
    clubs = {side: _club(game, side, team_ids) for side in ("home", "away")}
    scores: dict[str, int | None] = {}
    for side in ("home", "away"):
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
    if double_header not in DOUBLEHEADERS:
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
        status=state,
        home_score=scores["home"],
        away_score=scores["away"],
        venue={"id": venue.get("id"), "name": venue.get("name")}
        if isinstance(venue, Mapping)
        else None,
        source_url=f"{STATS_API}{link}" if isinstance(link, str) and link.startswith("/") else None,
        doubleheader=DOUBLEHEADERS[double_header],
        mlb_game_type=kind,
        detailed_state=detailed if isinstance(detailed, str) else None,
        status_reason=reason if isinstance(reason, str) else None,
        scheduled_date=scheduled_date,
        resumed_on=resumed_on,
    )


@dataclass(frozen=True)
class ScheduleEntry:
    where: str
    listed_on: dt.date | None
    game: object


def schedule_entries(path: Path, max_item_bytes: int = MAX_ITEM_BYTES) -> Iterator[ScheduleEntry]:
    """Every ``dates[].games[]`` entry with its locator and listing date, read a date at a time
    (jsonstream); ImportFileError if the file is not UTF-8 JSON of the schedule's shape."""
    stream = JsonStream(path, keys=("dates",), max_item_bytes=max_item_bytes)
    for i, day in enumerate(stream):
        if stream.shape == "array":
            break
        games = day.get("games") if isinstance(day, dict) else None
        if not isinstance(games, list):
            raise ImportFileError(path, f'dates[{i}] has no "games" list')
        assert isinstance(day, dict)
        try:
            listed_on = dt.date.fromisoformat(day["date"]) if "date" in day else None
        except (TypeError, ValueError):
            raise ImportFileError(path, f"dates[{i}].date {day['date']!r} is not a date") from None
        for j, game in enumerate(games):
            yield ScheduleEntry(f"dates[{i}].games[{j}]", listed_on, game)
    if stream.shape == "array" or stream.found is None:
        raise ImportFileError(path, 'not a Stats API schedule: no top-level "dates" list')


def load_schedule(path: Path) -> list[ScheduleEntry]:
    """Every entry of the file at once (schedule_entries)."""
    return list(schedule_entries(path))


@dataclass(frozen=True)
class Choice:
    """The entry of a gamePk that is imported: the one of the latest official date."""

    ordinal: int
    official_date: dt.date


async def import_schedule(
    repository: UnifiedRepository,
    path: Path,
    *,
    rejects: Path | None = None,
    report: ImportReport | None = None,
    max_item_bytes: int = MAX_ITEM_BYTES,
) -> ImportReport:
    """Upsert the games of a Stats API schedule file; see the module docstring.

    The file is read twice, a date at a time: first every entry is read and checked and each
    gamePk's entry chosen, holding only that choice; then the chosen entries are upserted."""
    started = time.perf_counter()
    path = Path(path)
    report = report if report is not None else ImportReport(path=path)
    team_ids = frozenset(team.team_id for team in await repository.teams.list_teams())
    rejects_file = JsonRejects(path, Path(rejects) if rejects else default_rejects_path(path))

    def reject(rejection: Rejection) -> None:
        report.rejected.append(rejection)
        rejects_file.write(rejection)

    def raw(entry: ScheduleEntry) -> str:
        return json.dumps(entry.game, separators=(",", ":"), ensure_ascii=False)

    chosen: dict[int, Choice] = {}
    with completing(report, rejects_file, started):
        for ordinal, entry in enumerate(schedule_entries(path, max_item_bytes)):
            report.read += 1
            try:
                check_value(entry.where, entry.game)
                params = read_game(entry.game, team_ids, entry.listed_on)
            except FieldError as error:
                reject(Rejection(0, str(error), raw(entry), entry.where))
                continue
            except SkippedGame as skipped:
                report.skip(str(skipped))
                continue
            pk = params.mlb_game_pk
            assert pk is not None
            if pk in chosen:
                report.duplicates += 1
                if params.official_date < chosen[pk].official_date:
                    continue
            chosen[pk] = Choice(ordinal, params.official_date)
        imported = {choice.ordinal for choice in chosen.values()}
        del chosen

        claimed: dict[tuple[dt.date, int, int, int], int] = {}
        async with repository.transaction() as tx:
            querier = tx.imports
            for ordinal, entry in enumerate(schedule_entries(path, max_item_bytes)):
                if ordinal not in imported:
                    continue
                report.line = ordinal + 1
                game = ScheduledGame(
                    entry.where, raw(entry), read_game(entry.game, team_ids, entry.listed_on)
                )
                pk = game.params.mlb_game_pk
                other = claimed.setdefault(game.natural_key, pk or 0)
                if other != pk:
                    reason = f"same date, clubs and game number as gamePk {other} in this file"
                    reject(Rejection(0, reason, game.raw, game.where))
                    continue
                try:
                    async with tx.transaction():
                        row = await querier.upsert_scheduled_game(game.params)
                except (asyncpg.PostgresError, BetdbError) as error:
                    reason = f"the database refused gamePk {pk}: {_describe(error)}"
                    reject(Rejection(0, reason, game.raw, game.where))
                    continue
                if row is None:
                    report.unchanged += 1
                elif row.created:
                    report.imported += 1
                    report.games_created += 1
                else:
                    report.updated += 1
            report.in_doubt = report.imported + report.updated  # the COMMIT comes next
        report.committed, report.in_doubt = report.in_doubt, 0
    return report


def _describe(error: Exception) -> str:
    constraint = getattr(error, "constraint", None) or getattr(error, "constraint_name", None)
    message = getattr(error, "message", None) or str(error)
    return f"{message} (constraint {constraint})" if constraint else str(message)
