"""Turning what people type (a game reference, a team code, a book key) into rows, and rows
back into names people read (BOS @ NYY, DraftKings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from betdb import UnifiedRepository
from betdb.cli.output import UsageError, day
from betdb.generated.models import DataSource, Game, Sportsbook, Team

GAME_REFERENCE_HELP = (
    "our game id (e.g. 42) or a source's own id as SOURCE:ID "
    "(mlb:<gamePk>, sbr:<id>, action_network:<id>)"
)


@dataclass(frozen=True)
class Names:
    """Team codes and book keys by id, read once per command."""

    teams: dict[int, Team]
    books: dict[int, Sportsbook]

    @classmethod
    async def load(cls, repository: UnifiedRepository) -> Names:
        teams = await repository.teams.list_teams()
        books = await repository.sportsbooks.list_sportsbooks()
        return cls(
            teams={team.team_id: team for team in teams},
            books={book.sportsbook_id: book for book in books},
        )

    def team(self, team_id: int) -> str:
        team = self.teams.get(team_id)
        return team.abbreviation if team else str(team_id)

    def book(self, sportsbook_id: int | None) -> str:
        if sportsbook_id is None:
            return ""
        book = self.books.get(sportsbook_id)
        return book.key if book else str(sportsbook_id)

    def sportsbook_id(self, key: str) -> int:
        """The id of the book a key (draftkings) names."""
        wanted = key.strip().lower()
        for sportsbook_id, book in self.books.items():
            if book.key == wanted:
                return sportsbook_id
        known = ", ".join(book.key for book in self.books.values()) or "none are stored"
        raise UsageError(f"unknown sportsbook {key!r}: the books are {known}")

    def matchup(self, game: Game) -> str:
        """AWAY @ HOME, with the game number for the second game of a doubleheader."""
        label = f"{self.team(game.away_team_id)} @ {self.team(game.home_team_id)}"
        return label if game.game_number == 1 else f"{label} (game {game.game_number})"

    def game_label(self, game: Game) -> str:
        return f"{day(game.official_date)} {self.matchup(game)}"


async def resolve_game(repository: UnifiedRepository, reference: str) -> Game:
    """The game a reference names: our game_id, or SOURCE:ID in one source's own ids."""
    text = reference.strip()
    source_name, separator, external_id = text.partition(":")
    if not separator:
        if not text.isdigit():
            raise UsageError(
                f"game {reference!r}: expected a game id or SOURCE:ID ({GAME_REFERENCE_HELP})"
            )
        game = await repository.games.get_game(game_id=int(text))
    else:
        try:
            source = DataSource(source_name.strip().lower())
        except ValueError:
            known = ", ".join(
                member.value
                for member in (DataSource.MLB, DataSource.SBR, DataSource.ACTION_NETWORK)
            )
            raise UsageError(
                f"game {reference!r}: unknown source {source_name!r}; games carry ids of {known}"
            ) from None
        external_id = external_id.strip()
        numeric = source in {DataSource.MLB, DataSource.ACTION_NETWORK}
        if not external_id or (numeric and not external_id.isdigit()):
            raise UsageError(f"game {reference!r}: {source.value} ids are whole numbers")
        game = await repository.games.find_game_by_external_id(
            source=source, external_id=external_id
        )
    if game is None:
        raise UsageError(f"no game {reference!r} in the database")
    return game


async def resolve_team(repository: UnifiedRepository, code: str) -> Team:
    team = await repository.teams.resolve_team_code(code=code.strip())
    if team is None:
        raise UsageError(
            f"unknown team {code!r}: give a club code such as NYY, or an alias such as ARI"
        )
    return team


def parse_date(text: str, *, option: str = "--date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a date: use YYYY-MM-DD, e.g. 2026-04-04"
        ) from None
