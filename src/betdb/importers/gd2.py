"""MLB's legacy gd2 ``master_scoreboard.json`` (the feed before the Stats API) into games.

``data.games.game`` is a list of games, or one object on a day with one game; every value is a
string. A game is its ``game_pk``; its clubs are MLB's ids (``home_team_id``/``away_team_id``),
else the codes ``home_name_abbrev``/``away_name_abbrev`` through betdb's team aliases. Its date is
the scoreboard's day (``data.games`` ``year``/``month``/``day``), else the date in its ``id``
(``2017/05/21/colmlb-cinmlb-1``); an ``original_date`` that differs is kept as the date first
scheduled, and a suspended game's ``resume_date`` as the day it resumes. First pitch is
``time_date`` with ``ampm``, in the zone ``time_zone`` names (ET, CT, MT, PT...; the recorded files
give Eastern time for every park), else ``home_time`` in ``home_time_zone``; 3:33 AM is gd2's
placeholder for a time to be decided (the second game of a doubleheader) and gives none.
``game_nbr`` and ``double_header_sw`` (N, Y, S) make the doubleheader. ``status.status`` maps to
betdb's state (Preview is scheduled; the rest as the Stats API's ``detailedState``, then
``status.ind`` as its code), and ``status.reason`` is kept. Runs (``linescore.r``, else
``home_team_runs``/``away_team_runs``) are stored once a game has begun. See stored_games for
finding games, final scores and the transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from betdb import UnifiedRepository
from betdb.generated.models import GameStatus
from betdb.importers.documents import Clubs, JsonRejects, default_rejects_path, load_json
from betdb.importers.fields import FieldError
from betdb.importers.game_feed import UNSTARTED, looks_like
from betdb.importers.rejects import completing
from betdb.importers.report import ImportFileError, ImportReport, Rejection
from betdb.importers.schedule import SkippedGame, game_status, read_game
from betdb.importers.stored_games import (
    GameRecord,
    check_game,
    latest_of_each_game,
    store_games,
)
from betdb.importers.values import check_value

ZONES = {
    "ET": "America/New_York", "EDT": "America/New_York", "EST": "America/New_York",
    "CT": "America/Chicago", "CDT": "America/Chicago", "CST": "America/Chicago",
    "MT": "America/Denver", "MDT": "America/Denver",
    "MST": "America/Phoenix", "AZ": "America/Phoenix",  # Arizona keeps standard time
    "PT": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PST": "America/Los_Angeles",
    "AST": "America/Puerto_Rico", "HST": "Pacific/Honolulu",
}  # fmt: skip
TBD_TIME = (3, 33)  # gd2's "3:33 AM": a start time not decided yet
EXHIBITIONS = frozenset({"S", "E", "A"})  # spring, exhibition, All-Star
CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
GD2_STATES = {"preview": GameStatus.SCHEDULED}  # the Stats API's word for it is "Scheduled"
# The Stats API's code of each state, so the schedule's reading of the entry agrees with gd2's.
CODES = {
    GameStatus.SCHEDULED: "S", GameStatus.PRE_GAME: "P", GameStatus.LIVE: "I",
    GameStatus.FINAL: "F", GameStatus.POSTPONED: "D", GameStatus.CANCELLED: "C",
    GameStatus.SUSPENDED: "U", GameStatus.DELAYED: "I",
}  # fmt: skip


def _text(game: Mapping[str, Any], name: str) -> str | None:
    value = game.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise FieldError(f"{name} is {type(value).__name__}, not a string")
    return str(value).strip()


def _number(game: Mapping[str, Any], name: str) -> int | None:
    text = _text(game, name)
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise FieldError(f"{name} {text!r} is not a whole number")
    return int(text)


def _day(text: str, name: str) -> dt.date:
    try:
        return dt.datetime.strptime(text[:10], "%Y/%m/%d").date()
    except ValueError:
        raise FieldError(f"{name} {text!r} is not a date YYYY/MM/DD") from None


def first_pitch(game: Mapping[str, Any], day: dt.date) -> dt.datetime | None:
    """The start as an instant, from the local time and the zone it is given in; None if TBD."""
    for clock, zone_field, ampm_field in (
        ("time_date", "time_zone", "ampm"),
        ("home_time", "home_time_zone", "home_ampm"),
    ):
        text, zone, ampm = _text(game, clock), _text(game, zone_field), _text(game, ampm_field)
        if text is None or zone is None:
            continue
        if zone.upper() not in ZONES:
            raise FieldError(f"{zone_field} {zone!r} is not a US time zone gd2 uses")
        on = _day(text, clock) if clock == "time_date" else day
        match = CLOCK.search(text[10:] if clock == "time_date" else text)
        if match is None:
            raise FieldError(f"{clock} {text!r} has no time h:mm")
        hour, minute = int(match.group(1)), int(match.group(2))
        if (hour, minute) == TBD_TIME and (ampm or "").upper() == "AM":
            return None
        if not (1 <= hour <= 12 and minute < 60) or (ampm or "").upper() not in ("AM", "PM"):
            raise FieldError(f"{clock} {text!r} {ampm_field} {ampm!r} is not a time of day")
        hour = hour % 12 + (12 if ampm and ampm.upper() == "PM" else 0)
        local = dt.datetime.combine(on, dt.time(hour, minute), ZoneInfo(ZONES[zone.upper()]))
        try:
            return local.astimezone(dt.UTC)
        except OverflowError:
            raise FieldError(f"{clock} {text!r} is out of range") from None
    return None


def _clubs(game: Mapping[str, Any], clubs: Clubs, team_ids: frozenset[int]) -> dict[str, int]:
    """The MLB clubs by id, else by code. A spring, exhibition or All-Star game against a side
    that is no MLB club (a college, the league's All-Stars) is skipped, not rejected."""
    found = {}
    for side in ("home", "away"):
        team_id = _number(game, f"{side}_team_id")
        if team_id is None or team_id not in team_ids:
            try:
                team_id = clubs.by_code(game.get(f"{side}_name_abbrev"), f"{side}_name_abbrev")
            except FieldError:
                if _text(game, "game_type") in EXHIBITIONS:
                    raise SkippedGame(
                        f"not two MLB clubs (game_type {_text(game, 'game_type')})"
                    ) from None
                raise
        found[side] = team_id
    return found


def _state(status: Mapping[str, Any]) -> GameStatus:
    words = status.get("status")
    if isinstance(words, str) and words.strip().lower() in GD2_STATES:
        return GD2_STATES[words.strip().lower()]
    try:
        return game_status({"detailedState": words, "codedGameState": status.get("ind")})
    except FieldError:
        raise FieldError(
            f"status.status {words!r} (ind {status.get('ind')!r}) is not a state betdb knows"
        ) from None


def schedule_entry(
    game: object, listed_on: dt.date | None, clubs: Clubs, team_ids: frozenset[int]
) -> tuple[dict[str, Any], GameStatus]:
    """The scoreboard's game in the Stats API schedule's shape, and its state."""
    if not isinstance(game, Mapping):
        raise FieldError(f"not a JSON object but {type(game).__name__}")
    game_pk = _number(game, "game_pk")
    if game_pk is None:
        raise FieldError("game_pk is missing")
    status = game.get("status")
    if not isinstance(status, Mapping):
        raise FieldError("status is missing")
    state = _state(status)
    gid = _text(game, "id")
    day = listed_on or (_day(gid, "id") if gid else None)
    if day is None:
        raise FieldError("no date: neither the scoreboard's day nor an id YYYY/MM/DD/...")
    start = first_pitch(game, day)
    side = _clubs(game, clubs, team_ids)
    original = _text(game, "original_date")
    reason = _text(status, "reason")
    entry: dict[str, Any] = {
        "gamePk": game_pk,
        "status": {
            "detailedState": _text(status, "status"),
            "codedGameState": CODES[state],
            "reason": reason,
            "startTimeTBD": start is None,
        },
        # read_game wants a time; a TBD start stores none all the same.
        "gameDate": (start or dt.datetime.combine(day, dt.time(), dt.UTC)).isoformat(),
        "officialDate": day.isoformat(),
        "gameNumber": _number(game, "game_nbr") or 1,
        "doubleHeader": _text(game, "double_header_sw") or "N",
        "season": day.year,
        "gameType": _text(game, "game_type") or "R",
        "teams": {s: {"team": {"id": side[s]}} for s in ("home", "away")},
    }
    if original is not None and _day(original, "original_date") != day:
        entry["rescheduledFromDate"] = _day(original, "original_date").isoformat()
    resume = _text(game, "resume_date")
    if resume is not None:  # a suspended game: the day play is to go on
        entry["resumeGameDate"] = _day(resume, "resume_date").isoformat()
    venue, venue_id = _text(game, "venue"), _number(game, "venue_id")
    if venue is not None or venue_id is not None:
        entry["venue"] = {"id": venue_id, "name": venue}
    if state not in UNSTARTED:
        runs = (
            game.get("linescore", {}).get("r")
            if isinstance(game.get("linescore"), Mapping)
            else None
        )
        for s in ("home", "away"):
            score = _number(runs, s) if isinstance(runs, Mapping) else None
            score = _number(game, f"{s}_team_runs") if score is None else score
            if score is not None:
                entry["teams"][s]["score"] = score
    return entry, state


def load_scoreboard(path: Path) -> tuple[dt.date | None, list[tuple[str, object]]]:
    """The scoreboard's day and its games with their locators (one game stands alone)."""
    document = load_json(path)
    data = document.get("data") if isinstance(document, Mapping) else None
    games = data.get("games") if isinstance(data, Mapping) else None
    if not isinstance(games, Mapping):
        raise ImportFileError(path, f"not a gd2 master scoreboard: {looks_like(document)}")
    listed = games.get("game", [])
    if isinstance(listed, Mapping):
        located: list[tuple[str, object]] = [("data.games.game", listed)]
    elif isinstance(listed, list):
        located = [(f"data.games.game[{i}]", g) for i, g in enumerate(listed)]
    else:
        raise ImportFileError(path, "data.games.game is neither a game nor a list of games")
    year, month, day = (games.get(k) for k in ("year", "month", "day"))
    try:
        listed_on = dt.date(int(str(year)), int(str(month)), int(str(day)))
    except (TypeError, ValueError):
        listed_on = None
    return listed_on, located


async def import_gd2_scoreboard(
    repository: UnifiedRepository, path: Path, *, rejects: Path | None = None
) -> ImportReport:
    """Upsert the games of a gd2 master scoreboard; see the module docstring."""
    started = time.perf_counter()
    path = Path(path)
    report = ImportReport(path=path)
    listed_on, games = load_scoreboard(path)
    report.read = len(games)
    team_ids = frozenset(team.team_id for team in await repository.teams.list_teams())
    clubs = await Clubs.load(repository)
    rejects_file = JsonRejects(path, Path(rejects) if rejects else default_rejects_path(path))

    def reject(rejection: Rejection) -> None:
        report.rejected.append(rejection)
        rejects_file.write(rejection)

    records: list[GameRecord] = []
    with completing(report, rejects_file, started):
        for where, game in games:
            raw = json.dumps(game, separators=(",", ":"), ensure_ascii=False, default=str)
            try:
                check_value(where, game)
                entry, state = schedule_entry(game, listed_on, clubs, team_ids)
                params = read_game(entry, team_ids)
                check_game(params)
            except FieldError as error:
                reject(Rejection(0, str(error), raw, where))
                continue
            except SkippedGame as skipped:
                report.skip(str(skipped))
                continue
            if params.status is not state:  # gd2's own words ("Preview") decide
                params = params.model_copy(update={"status": state})
            records.append(GameRecord(where, raw, params))
        await store_games(repository, latest_of_each_game(records, report), report, reject)
    return report
