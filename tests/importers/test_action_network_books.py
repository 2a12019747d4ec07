"""The Action Network book mapping betdb ships: every id of Action Network's list, each one a
sportsbook betdb can store, the aggregates marked as what they are."""

from __future__ import annotations

import csv
from pathlib import Path

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.importers import ImportFileError
from betdb.importers.action_network_books import (
    SHIPPED,
    ActionNetworkBooks,
    BookKind,
    book_map,
    read_book_map,
)
from betdb.importers.fields import FieldError

BOOK_IDS = Path(__file__).parents[1] / "data" / "real" / "action-network" / "book-ids.csv"


def test_the_shipped_mapping_names_every_book_of_action_networks_list() -> None:
    listed = {int(row["Book ID"]): row["Name"] for row in csv.DictReader(BOOK_IDS.open())}
    with SHIPPED.open() as shipped:
        names = {int(row["book_id"]): row["book_name"] for row in csv.DictReader(shipped)}
    assert len(listed) == 144
    assert names == listed
    mapping = book_map()
    assert (mapping[15].kind, mapping[15].sportsbook_key) == (BookKind.CONSENSUS, "an_consensus")
    assert (mapping[30].kind, mapping[30].sportsbook_key) == (BookKind.OPENING, "an_open")
    # State variants are the national book.
    assert [mapping[i].sportsbook_key for i in (286, 1138, 281, 13)] == [
        "draftkings", "fanduel", "betmgm", "caesars",
    ]  # fmt: skip
    assert {m.kind for i, m in mapping.items() if i not in (15, 30)} == {BookKind.BOOK}


async def test_every_mapped_book_resolves_to_a_sportsbook_once(
    repo: UnifiedRepository, connection: asyncpg.Connection
) -> None:
    before = await connection.fetchval("SELECT count(*) FROM sportsbooks")
    async with repo.transaction() as tx:
        books = ActionNetworkBooks(tx, book_map())
        resolved = {i: await books.sportsbook(i) for i in book_map()}
    keys = {m.sportsbook_key for m in book_map().values()}
    assert len({sportsbook_id for sportsbook_id, _ in resolved.values()}) == len(keys)
    assert await connection.fetchval(
        "SELECT count(*) FROM sportsbooks WHERE key = ANY($1::text[])", sorted(keys)
    ) == len(keys)
    assert await connection.fetchval("SELECT count(*) FROM sportsbooks") > before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("book_id,sportsbook_key,kind\n7,betus,sharp\n", "line 2: kind 'sharp' is not book"),
        ("book_id,sportsbook_key\nseven,betus\n", "line 2: book_id 'seven' is not a number"),
        ("book_id,sportsbook_key\n7,Bet US\n", "sportsbook_key 'Bet US' is not a betdb book key"),
        ("id,key\n7,betus\n", "needs the columns book_id and sportsbook_key"),
    ],
)
def test_a_mapping_row_that_is_not_one_is_refused_by_line(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "books.csv"
    path.write_text(text)
    with pytest.raises(ImportFileError, match=problem):
        read_book_map(path)


async def test_a_mapping_to_a_new_book_under_a_taken_name_is_rejected_saying_so(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    path = tmp_path / "books.csv"
    path.write_text("book_id,sportsbook_key,sportsbook_name\n77,dk2,DraftKings\n")
    books = ActionNetworkBooks(repo, book_map(path))
    with pytest.raises(FieldError, match="the name of betdb's 'draftkings': map it to"):
        await books.sportsbook(77)
    assert (await books.sportsbook(286))[1] is BookKind.BOOK
