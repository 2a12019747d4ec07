"""Finding our game and sportsbook ids for the ids a source uses, one query per distinct id."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from betdb import UnifiedRepository
from betdb.generated.models import DataSource
from betdb.importers.fields import INT32_MAX, FieldError

GAME_ID_SOURCES = (DataSource.MLB, DataSource.SBR, DataSource.ACTION_NETWORK)


def check_external_game_id(source: DataSource, external_id: str) -> None:
    """The id must be of the shape the source's column holds (gamePk and AN ids are numbers)."""
    if source not in GAME_ID_SOURCES:
        raise FieldError(
            f"games carry no {source.value} ids: name the game by its mlb, sbr or"
            " action_network id (game_source)"
        )
    if source is not DataSource.SBR and not (
        external_id.isdigit() and 0 < int(external_id) <= INT32_MAX
    ):
        raise FieldError(f"external_game_id {external_id!r} is not a {source.value} game id")


class GameRef(NamedTuple):
    game_id: int
    first_pitch: dt.datetime
    """Its first pitch, or noon UTC of its official date where the time is not known."""


class GameResolver:
    def __init__(self, repository: UnifiedRepository) -> None:
        self._repository = repository
        self._known: dict[tuple[DataSource, str], GameRef | None] = {}

    async def game_id(self, source: DataSource, external_id: str) -> int:
        return (await self.game(source, external_id)).game_id

    async def game(self, source: DataSource, external_id: str) -> GameRef:
        key = (source, external_id)
        if key not in self._known:
            check_external_game_id(source, external_id)
            game = await self._repository.games.find_game_by_external_id(
                source=source, external_id=external_id
            )
            self._known[key] = (
                None
                if game is None
                else GameRef(
                    game.game_id,
                    game.first_pitch_at
                    or dt.datetime.combine(game.official_date, dt.time(12), dt.UTC),
                )
            )
        found = self._known[key]
        if found is None:
            raise FieldError(
                f"no game with {source.value} id {external_id} (import its schedule first)"
            )
        return found


class BookResolver:
    """A source's own book id through sportsbook_mappings, else one of our book keys."""

    def __init__(self, repository: UnifiedRepository) -> None:
        self._repository = repository
        self._known: dict[tuple[DataSource, str], int | None] = {}

    async def sportsbook_id(self, source: DataSource, name: str) -> int:
        key = (source, name)
        if key not in self._known:
            book = await self._repository.sportsbooks.resolve_sportsbook(
                source=source, external_id=name
            )
            if book is None:
                book = await self._repository.sportsbooks.get_sportsbook_by_key(key=name.lower())
            self._known[key] = None if book is None else book.sportsbook_id
        sportsbook_id = self._known[key]
        if sportsbook_id is None:
            raise FieldError(
                f"unknown sportsbook {name!r}: neither a {source.value} book id in"
                " sportsbook_mappings nor one of our book keys"
            )
        return sportsbook_id
