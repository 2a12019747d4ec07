"""The Stats API's per-game feed (``/api/v1.1/game/{gamePk}/feed/live``) into games.

A file holds one feed response or a JSON list of them (several games, or several moments of
one game: the latest ``metaData.timeStamp`` of each gamePk counts, the others are duplicates).
From ``gameData`` come the state (read as the schedule's: ``detailedState``, then
``codedGameState``, then ``abstractGameState``, with ``status.reason`` kept), the clubs by MLB
id, the official date, first pitch (``datetime.dateTime``; none while ``startTimeTBD``), the
doubleheader and game number, the season and game type; from ``liveData.linescore.teams`` the
runs, once the game has begun. The game is found by gamePk, else by date, clubs and game
number among games without one, or created. A game stored as final with a score is never
changed by a feed that disagrees: that feed is rejected with both scores. Innings are not
stored. See stored_games for the transaction.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from betdb import UnifiedRepository
from betdb.generated.models import GameStatus
from betdb.importers.documents import JsonRejects, default_rejects_path, load_json
from betdb.importers.fields import FieldError
from betdb.importers.rejects import completing
from betdb.importers.report import RAW_LIMIT, ImportFileError, ImportReport, Rejection
from betdb.importers.schedule import SkippedGame, read_game
from betdb.importers.stored_games import (
    GameRecord,
    check_game,
    latest_of_each_game,
    store_games,
)
from betdb.importers.values import check_value

UNSTARTED = frozenset({GameStatus.SCHEDULED, GameStatus.PRE_GAME, GameStatus.POSTPONED,
                       GameStatus.CANCELLED})  # fmt: skip


def _object(value: object, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise FieldError(f"{name} is missing")
    return value


def schedule_entry(feed: object) -> tuple[dict[str, Any], str]:
    """The feed's game in the schedule's shape (so the schedule's rules read it), and the
    feed's timestamp."""
    feed = _object(feed, "the feed")
    game_data = _object(feed.get("gameData"), "gameData")
    game = _object(game_data.get("game"), "gameData.game")
    when = _object(game_data.get("datetime"), "gameData.datetime")
    status = _object(game_data.get("status"), "gameData.status")
    teams = _object(game_data.get("teams"), "gameData.teams")
    live = feed.get("liveData")
    linescore = live.get("linescore") if isinstance(live, Mapping) else None
    runs = linescore.get("teams") if isinstance(linescore, Mapping) else None
    entry: dict[str, Any] = {
        "gamePk": feed.get("gamePk", game.get("pk")),
        "status": status,
        "gameDate": when.get("dateTime"),
        "officialDate": when.get("officialDate"),
        "gameNumber": game.get("gameNumber", 1),
        "doubleHeader": game.get("doubleHeader", "N"),
        "season": game.get("season"),
        "gameType": game.get("type", "R"),
        "venue": game_data.get("venue"),
        "teams": {},
    }
    if when.get("originalDate") not in (None, when.get("officialDate")):
        entry["rescheduledFromDate"] = when["originalDate"]
    # A postponed game's new start, a suspended game's resumption: as the schedule names them.
    for feed_name, schedule_name in (("rescheduleDate", "rescheduleDate"),
                                     ("resumeDate", "resumeGameDate")):  # fmt: skip
        if when.get(feed_name) is not None:
            entry[schedule_name] = when[feed_name]
    for side in ("home", "away"):
        club = _object(teams.get(side), f"gameData.teams.{side}")
        entry["teams"][side] = {"team": {"id": club.get("id"), "name": club.get("name")}}
        side_runs = runs.get(side) if isinstance(runs, Mapping) else None
        if isinstance(side_runs, Mapping) and side_runs.get("runs") is not None:
            entry["teams"][side]["score"] = side_runs["runs"]
    if isinstance(feed.get("gamePk"), int):
        entry["link"] = f"/api/v1.1/game/{feed['gamePk']}/feed/live"
    meta = feed.get("metaData")
    stamp = meta.get("timeStamp") if isinstance(meta, Mapping) else None
    return entry, stamp if isinstance(stamp, str) else ""


def load_feeds(path: Path) -> list[tuple[str, object]]:
    """Each feed of the file with its locator; ImportFileError if the file is not feed/live."""
    document = load_json(path)
    feeds = document if isinstance(document, list) else [document]
    located = [(f"[{i}]" if isinstance(document, list) else "feed", f) for i, f in enumerate(feeds)]
    if not any(isinstance(f, Mapping) and "gameData" in f for _, f in located):
        raise ImportFileError(
            path, f"not a Stats API game feed (feed/live): {looks_like(document)}"
        )
    return located


def looks_like(document: object) -> str:
    """What a JSON document that is not the expected format seems to be, for the one line."""
    if isinstance(document, Mapping):
        keys = set(document)
        if "dates" in keys:
            return "it looks like a Stats API schedule (betdb import schedule)"
        if (
            "data" in keys
            and isinstance(document.get("data"), Mapping)
            and "games" in document["data"]
        ):
            return "it looks like a gd2 master scoreboard (betdb import gd2-scoreboard)"
        if "success" in keys and "data" in keys:
            return "it looks like a response of The Odds API v3 (betdb import odds-api)"
        shown = ", ".join(sorted(map(str, keys))[:6])
        return f"a JSON object with keys {shown or 'none'}, no gameData"
    if isinstance(document, list):
        first = document[0] if document else None
        if isinstance(first, Mapping) and "bookmakers" in first:
            return "it looks like a response of The Odds API v4 (betdb import odds-api)"
        return f"a JSON list of {len(document):,} value(s), none with gameData"
    return f"a JSON {type(document).__name__}, not an object"


async def import_game_feed(
    repository: UnifiedRepository, path: Path, *, rejects: Path | None = None
) -> ImportReport:
    """Upsert the game of each feed/live response in the file; see the module docstring."""
    started = time.perf_counter()
    path = Path(path)
    report = ImportReport(path=path)
    feeds = load_feeds(path)
    report.read = len(feeds)
    team_ids = frozenset(team.team_id for team in await repository.teams.list_teams())
    rejects_file = JsonRejects(path, Path(rejects) if rejects else default_rejects_path(path))

    def reject(rejection: Rejection) -> None:
        report.rejected.append(rejection)
        rejects_file.write(rejection)

    records: list[GameRecord] = []
    with completing(report, rejects_file, started):
        for where, feed in feeds:
            raw = ""  # the game's part of the feed once read, not its every play
            try:
                entry, stamp = schedule_entry(feed)
                raw = json.dumps(entry, separators=(",", ":"), ensure_ascii=False, default=str)
                check_value(where, entry)
                params = read_game(entry, team_ids)
                check_game(params)
            except FieldError as error:
                raw = raw or json.dumps(feed, ensure_ascii=False, default=str)[:RAW_LIMIT]
                reject(Rejection(0, str(error), raw, where))
                continue
            except SkippedGame as skipped:
                report.skip(str(skipped))
                continue
            if params.status in UNSTARTED:  # a linescore's zeros before the game are no score
                params = params.model_copy(update={"home_score": None, "away_score": None})
            records.append(GameRecord(where, raw, params, stamp))
        await store_games(repository, latest_of_each_game(records, report), report, reject)
    return report
