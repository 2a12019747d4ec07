"""The sample week, Monday 16 to Sunday 22 June 2025, as the Stats API schedule lists it.

The series are laid out by hand (every club plays at most once a day, a midweek set of series
and a weekend set); start times, scores and gamePks are drawn from a seeded generator, so the
week is made up in its details but realistic in shape: Stats API team and venue ids, a rainout
made up in September, a split doubleheader that makes up an April rainout, and a snapshot
taken on Sunday morning, when Monday to Saturday are final and Sunday is still to play.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from betdb.sample.clubs import CLUBS, Club

WEEK_START = dt.date(2025, 6, 16)
SAMPLE_DATE = dt.date(2025, 6, 21)
SNAPSHOT_AT = dt.datetime(2025, 6, 22, 14, 0, tzinfo=dt.UTC)

MIDWEEK = [  # (away, home); the first twelve start Monday, the last three Tuesday
    ("TB", "BOS"), ("NYY", "CIN"), ("COL", "LAD"), ("SF", "CLE"), ("CHC", "SEA"),
    ("MIL", "PIT"), ("PHI", "MIA"), ("ATL", "NYM"), ("HOU", "ATH"), ("TEX", "DET"),
    ("LAA", "BAL"), ("TOR", "AZ"), ("MIN", "KC"), ("CWS", "SD"), ("WSH", "STL"),
]  # fmt: skip
FOUR_GAME_SETS = {("TB", "BOS"), ("COL", "LAD"), ("PHI", "MIA"), ("HOU", "ATH")}
WEEKEND = [
    ("BOS", "NYY"), ("LAD", "SF"), ("CHC", "MIL"), ("PHI", "ATL"), ("HOU", "TEX"),
    ("SEA", "LAA"), ("TOR", "BAL"), ("STL", "CIN"), ("MIN", "DET"), ("KC", "CLE"),
    ("TB", "CWS"), ("NYM", "MIA"), ("SD", "AZ"), ("COL", "WSH"), ("ATH", "PIT"),
]  # fmt: skip
STEAM_GAME = ("BOS", "NYY")  # Saturday night: sharp money moves every book to Boston
RLM_GAME = ("HOU", "TEX")  # Saturday: the public bets the over, the total drops
RAINED_OUT = ("COL", "WSH")  # Friday: postponed, made up on 8 September
DOUBLEHEADER = ("KC", "CLE")  # Saturday: game 1 makes up the rainout of 6 April
APRIL_RAINOUT = dt.datetime(2025, 4, 6, 17, 40, tzinfo=dt.UTC)
MAKEUP_AT = dt.datetime(2025, 9, 8, 22, 45, tzinfo=dt.UTC)

# Local first-pitch times (hour, minute) a club's park uses on each kind of day.
NIGHT = [(19, 5), (19, 10), (18, 40), (18, 45), (19, 7), (19, 40), (18, 50)]
WEST_NIGHT = [(19, 10), (18, 40), (19, 5), (19, 7), (18, 38)]
GETAWAY = [(13, 5), (12, 35), (13, 10), (12, 10), (16, 5)]
SATURDAY = [(13, 5), (16, 5), (16, 10), (19, 15), (18, 15), (13, 10)]
SUNDAY = [(13, 35), (13, 40), (13, 5), (13, 10), (13, 15), (16, 10), (16, 5)]


@dataclass
class SampleGame:
    game_pk: int
    official_date: dt.date
    away: Club
    home: Club
    first_pitch: dt.datetime
    game_number: int = 1
    double_header: str = "N"
    series_game_number: int = 1
    games_in_series: int = 3
    status: str = "scheduled"  # final, postponed or scheduled, as of SNAPSHOT_AT
    away_score: int | None = None
    home_score: int | None = None
    rescheduled_from: dt.datetime | None = None

    @property
    def matchup(self) -> tuple[str, str]:
        return (self.away.code, self.home.code)

    @property
    def label(self) -> str:
        suffix = f" (game {self.game_number})" if self.double_header != "N" else ""
        return f"{self.away.code} at {self.home.code}{suffix}"


def _first_pitch(day: dt.date, club: Club, rng: random.Random, *, getaway: bool) -> dt.datetime:
    if day.weekday() == 5:
        choices = SATURDAY
    elif day.weekday() == 6:
        choices = SUNDAY
    elif getaway:
        choices = GETAWAY
    else:
        choices = WEST_NIGHT if club.utc_offset <= -7 else NIGHT
    hour, minute = rng.choice(choices)
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=club.clock)
    return local.astimezone(dt.UTC)


def _runs(rng: random.Random) -> int:
    return rng.choices(range(13), weights=[6, 10, 12, 13, 13, 12, 10, 8, 6, 4, 3, 2, 1])[0]


def _play(game: SampleGame, rng: random.Random) -> None:
    away, home = _runs(rng), _runs(rng)
    if away == home:  # extra innings: the better club more often scores the winning run
        p_home = game.home.strength / (game.home.strength + game.away.strength)
        if rng.random() < p_home:
            home += 1
        else:
            away += 1
    game.away_score, game.home_score, game.status = away, home, "final"


def build_week(seed: int = 20250616) -> list[SampleGame]:
    rng = random.Random(seed)
    games: list[SampleGame] = []

    def add(day: dt.date, matchup: tuple[str, str], number: int, of: int, **kw: Any) -> None:
        away, home = CLUBS[matchup[0]], CLUBS[matchup[1]]
        getaway = number == of and day.weekday() in (2, 3)
        local = kw.pop("local", None)
        if local is None and matchup == STEAM_GAME and day == SAMPLE_DATE:
            local = dt.time(19, 15)  # the national Saturday-night window
        first_pitch = (
            dt.datetime.combine(day, local, home.clock).astimezone(dt.UTC)
            if local is not None
            else _first_pitch(day, home, rng, getaway=getaway)
        )
        games.append(
            SampleGame(0, day, away, home, first_pitch, series_game_number=number,
                       games_in_series=of, **kw)
        )  # fmt: skip

    days = [WEEK_START + dt.timedelta(days=n) for n in range(7)]
    for index, matchup in enumerate(MIDWEEK):
        of = 4 if matchup in FOUR_GAME_SETS else 3
        first = 0 if index < 12 else 1
        for number, day in enumerate(days[first : first + of], start=1):
            add(day, matchup, number, of)
    for matchup in WEEKEND:
        for number, day in enumerate(days[4:7], start=1):
            if matchup == DOUBLEHEADER and day == SAMPLE_DATE:
                add(
                    day,
                    matchup,
                    number,
                    4,
                    game_number=1,
                    double_header="S",
                    rescheduled_from=APRIL_RAINOUT,
                    local=dt.time(13, 10),
                )
                add(
                    day,
                    matchup,
                    number + 1,
                    4,
                    game_number=2,
                    double_header="S",
                    local=dt.time(18, 40),
                )
            else:
                after_doubleheader = number == 3 and matchup == DOUBLEHEADER
                add(day, matchup, number + after_doubleheader, 4 if matchup == DOUBLEHEADER else 3)
    games.sort(key=lambda g: (g.official_date, g.first_pitch, g.home.team_id, g.game_number))

    pk = 777412
    for game in games:
        if game.rescheduled_from is not None:
            game.game_pk = 778870  # the April game's own number: a makeup keeps its gamePk
        else:
            pk += rng.randint(1, 6)
            game.game_pk = pk
        if game.matchup == RAINED_OUT and game.official_date == days[4]:
            game.status = "postponed"
        elif game.first_pitch < SNAPSHOT_AT:
            _play(game, rng)
    return games


def game_by(games: list[SampleGame], matchup: tuple[str, str], day: dt.date) -> SampleGame:
    return next(g for g in games if g.matchup == matchup and g.official_date == day)


STATUS = {
    "final": ("Final", "F", "Final", "F", "F"),
    "postponed": ("Final", "D", "Postponed", "DR", "F"),
    "scheduled": ("Preview", "S", "Scheduled", "S", "P"),
}


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _team(club: Club, score: int | None, won: bool | None, series: int) -> dict[str, Any]:
    side: dict[str, Any] = {}
    if score is not None:
        side["score"] = score
    side["team"] = {"id": club.team_id, "name": club.name, "link": f"/api/v1/teams/{club.team_id}"}
    if won is not None:
        side["isWinner"] = won
    side["splitSquad"] = False
    side["seriesNumber"] = series
    return side


def stats_api_game(game: SampleGame) -> dict[str, Any]:
    abstract, coded, detailed, code, abstract_code = STATUS[game.status]
    status: dict[str, Any] = {
        "abstractGameState": abstract,
        "codedGameState": coded,
        "detailedState": detailed,
        "statusCode": code,
        "startTimeTBD": False,
    }
    if game.status == "postponed":
        status["reason"] = "Rain"
    status["abstractGameCode"] = abstract_code
    final = game.status == "final"
    home_won = final and (game.home_score or 0) > (game.away_score or 0)
    series = (game.official_date.isocalendar().week - 12) * 2 + (game.official_date.weekday() >= 4)
    document: dict[str, Any] = {
        "gamePk": game.game_pk,
        "link": f"/api/v1.1/game/{game.game_pk}/feed/live",
        "gameType": "R",
        "season": str(game.official_date.year),
        "gameDate": _iso(game.first_pitch),
        "officialDate": game.official_date.isoformat(),
    }
    if game.status == "postponed":
        document["rescheduleDate"] = _iso(MAKEUP_AT)
        document["rescheduleGameDate"] = MAKEUP_AT.date().isoformat()
    if game.rescheduled_from is not None:
        document["rescheduledFrom"] = _iso(game.rescheduled_from)
        document["rescheduledFromDate"] = game.rescheduled_from.date().isoformat()
    document |= {
        "status": status,
        "teams": {
            "away": _team(game.away, game.away_score, not home_won if final else None, series),
            "home": _team(game.home, game.home_score, home_won if final else None, series),
        },
        "venue": {
            "id": game.home.venue_id,
            "name": game.home.venue,
            "link": f"/api/v1/venues/{game.home.venue_id}",
        },
        "isTie": False if final else None,
        "gameNumber": game.game_number,
        "publicFacing": True,
        "doubleHeader": game.double_header,
        "gamedayType": "P",
        "tiebreaker": "N",
        "calendarEventID": f"14-{game.game_pk}-{game.official_date.isoformat()}",
        "seasonDisplay": str(game.official_date.year),
        "dayNight": "night" if game.first_pitch.astimezone(game.home.clock).hour >= 17 else "day",
        "scheduledInnings": 9,
        "reverseHomeAwayStatus": False,
        "inningBreakLength": 120,
        "gamesInSeries": game.games_in_series,
        "seriesGameNumber": game.series_game_number,
        "seriesDescription": "Regular Season",
        "recordSource": "S",
        "ifNecessary": "N",
        "ifNecessaryDescription": "Normal Game",
    }
    if document["isTie"] is None:
        del document["isTie"]
    return document


def schedule_document(games: list[SampleGame]) -> dict[str, Any]:
    days = sorted({g.official_date for g in games})
    dates = []
    for day in days:
        listed = [stats_api_game(g) for g in games if g.official_date == day]
        dates.append({
            "date": day.isoformat(),
            "totalItems": len(listed),
            "totalEvents": 0,
            "totalGames": len(listed),
            "totalGamesInProgress": 0,
            "games": listed,
            "events": [],
        })  # fmt: skip
    return {
        "totalItems": len(games),
        "totalEvents": 0,
        "totalGames": len(games),
        "totalGamesInProgress": 0,
        "dates": dates,
    }
