"""`betdb games`: the games of a day or of a club."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from betdb import Database, UnifiedRepository
from betdb.cli.connection import DataDir, with_database
from betdb.cli.lookup import Names, parse_date, resolve_team
from betdb.cli.output import UsageError, console, day, print_json, reports_errors, table, when
from betdb.generated.models import Game

Json = Annotated[bool, typer.Option("--json", help="print JSON for scripts instead of a table")]


class ListedGame(Game):
    """A stored game with its clubs' codes, as `betdb games --json` prints it."""

    away_team: str
    home_team: str


async def find_games(
    repository: UnifiedRepository, *, on: date | None, team_code: str | None
) -> tuple[list[ListedGame], Names]:
    names = await Names.load(repository)
    if team_code is not None:
        team = await resolve_team(repository, team_code)
        games = await repository.games.find_games_by_team(team=team.abbreviation, since=on)
        if on is not None:
            games = [game for game in games if game.official_date == on]
    else:
        assert on is not None
        games = await repository.games.find_games_by_date_range(
            start_date=on, end_date=on, status=None
        )
    # model_construct: rows are what the database holds, re-validating them would refuse a stored
    # placeholder time (infinity, year 1) the command must still show.
    listed = [
        ListedGame.model_construct(
            **game.model_dump(),
            away_team=names.team(game.away_team_id),
            home_team=names.team(game.home_team_id),
        )
        for game in games
    ]
    return listed, names


def games_table(title: str, games: Sequence[ListedGame]) -> Table:
    rows = [
        (
            str(game.game_id),
            str(game.mlb_game_pk or ""),
            day(game.official_date),
            when(game.first_pitch_at),
            f"{game.away_team} @ {game.home_team}",
            str(game.game_number),
            game.status.value,
            "" if game.away_score is None else f"{game.away_score}-{game.home_score}",
        )
        for game in games
    ]
    columns = ("id", "gamePk", "date", "first pitch (UTC)", "matchup", "#", "status", "score")
    return table(title, columns, rows)


@reports_errors
def games_command(
    on: Annotated[
        str | None, typer.Option("--date", help="official date, YYYY-MM-DD", show_default=False)
    ] = None,
    team: Annotated[
        str | None,
        typer.Option("--team", help="a club's code or alias (NYY, ARI, OAK)", show_default=False),
    ] = None,
    json_output: Json = False,
    data_dir: DataDir = None,
) -> None:
    """List the games of a day (--date) or of a club (--team; both: that club on that day)."""
    if on is None and team is None:
        raise UsageError("give --date YYYY-MM-DD or --team CODE (or both)")
    wanted = parse_date(on) if on is not None else None

    async def work(database: Database) -> None:
        games, _ = await find_games(database.repository(), on=wanted, team_code=team)
        if json_output:
            print_json(games)
            return
        subject = " ".join(
            part for part in (team and team.upper(), wanted and wanted.isoformat()) if part
        )
        console.print(games_table(f"{len(games)} game(s): {subject}", games))

    with_database(data_dir, work)
