"""Action Network's numeric book ids and the betdb sportsbook each one is.

betdb ships the mapping as ``action_network_books.csv`` (derived from Action Network's list of
144 book ids); a user's CSV of the same columns adds ids or remaps them without a code change.
Columns: ``book_id`` and ``sportsbook_key`` (required), ``sportsbook_name`` (the name a book
not stored yet is created with; default ``book_name``, then the key), ``book_name`` and
``kind``: ``book`` (default), ``consensus`` (Action Network's average line, stored as its own
book) or ``opening`` (Action Network's opening line, stored as its own book, every row marked
``is_opening``). State variants (``DraftKings TN``, ``BetMGM TN``) are the national book.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from betdb import UnifiedRepository
from betdb.errors import BetdbError
from betdb.generated.models import DataSource
from betdb.importers.fields import FieldError
from betdb.importers.report import ImportFileError

SHIPPED = Path(__file__).with_name("action_network_books.csv")
BOOKS_ENV = "BETDB_ACTION_NETWORK_BOOKS"
KEY = re.compile(r"[a-z0-9_]{2,32}")


class BookKind(StrEnum):
    BOOK = "book"
    CONSENSUS = "consensus"
    OPENING = "opening"


@dataclass(frozen=True)
class MappedBook:
    book_id: int
    sportsbook_key: str
    sportsbook_name: str
    kind: BookKind


def read_book_map(path: Path) -> dict[int, MappedBook]:
    """One CSV of the mapping; ImportFileError naming the line of a row that is not one."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(path, f"cannot read the book mapping: {error}") from None
    rows = csv.DictReader(text.splitlines())
    missing = {"book_id", "sportsbook_key"} - set(rows.fieldnames or [])
    if missing:
        raise ImportFileError(
            path,
            "a book mapping needs the columns book_id and sportsbook_key"
            f" ({', '.join(sorted(missing))} missing)",
        )
    books: dict[int, MappedBook] = {}
    for row in rows:
        line = rows.line_num
        book_id, key = (row.get("book_id") or "").strip(), (row.get("sportsbook_key") or "").strip()
        if not book_id.isdigit():
            raise ImportFileError(path, f"book_id {book_id!r} is not a number", line=line)
        if not KEY.fullmatch(key):
            raise ImportFileError(
                path, f"sportsbook_key {key!r} is not a betdb book key (a-z, 0-9, _)", line=line
            )
        name = (row.get("sportsbook_name") or row.get("book_name") or key).strip()
        try:
            kind = BookKind((row.get("kind") or "book").strip().lower())
        except ValueError:
            raise ImportFileError(
                path, f"kind {row.get('kind')!r} is not book, consensus or opening", line=line
            ) from None
        books[int(book_id)] = MappedBook(int(book_id), key, name, kind)
    return books


def book_map(extra: Path | None = None) -> dict[int, MappedBook]:
    """The shipped mapping with the user's CSV over it."""
    books = read_book_map(SHIPPED)
    if extra is not None:
        books.update(read_book_map(extra))
    return books


class ActionNetworkBooks:
    """Our sportsbook for each Action Network book id: the mapping's book, created when it is
    not stored yet; an id neither the mapping nor ``sportsbook_mappings`` knows is a FieldError."""

    def __init__(self, repository: UnifiedRepository, mapping: dict[int, MappedBook]) -> None:
        self.repository = repository
        self.mapping = mapping
        self.known: dict[int, tuple[int, BookKind]] = {}

    async def sportsbook(self, book_id: int) -> tuple[int, BookKind]:
        if book_id not in self.known:
            self.known[book_id] = await self._resolve(book_id)
        return self.known[book_id]

    async def _resolve(self, book_id: int) -> tuple[int, BookKind]:
        books = self.repository.sportsbooks
        mapped = self.mapping.get(book_id)
        if mapped is None:
            stored = await books.resolve_sportsbook(
                source=DataSource.ACTION_NETWORK, external_id=str(book_id)
            )
            if stored is None:
                raise FieldError(
                    f"Action Network book id {book_id} is not mapped to a sportsbook (add it to a"
                    f" book mapping CSV: --books FILE or {BOOKS_ENV})"
                )
            return stored.sportsbook_id, BookKind.BOOK
        book = await books.get_sportsbook_by_key(key=mapped.sportsbook_key)
        if book is None:
            named = next(
                (b for b in await books.list_sportsbooks() if b.name == mapped.sportsbook_name),
                None,
            )
            if named is not None:
                raise FieldError(
                    f"Action Network book id {book_id} maps to a new sportsbook"
                    f" {mapped.sportsbook_key!r} named {mapped.sportsbook_name!r}, the name of"
                    f" betdb's {named.key!r}: map it to {named.key!r} or give another name"
                )
            try:
                async with self.repository.transaction() as tx:
                    book = await tx.sportsbooks.upsert_sportsbook(
                        key=mapped.sportsbook_key, name=mapped.sportsbook_name, is_active=True
                    )
            except BetdbError as error:
                raise FieldError(
                    f"Action Network book id {book_id} ({mapped.sportsbook_key}) could not be"
                    f" added as a sportsbook: {error}"
                ) from None
            assert book is not None  # an INSERT ... RETURNING returns its row
        return book.sportsbook_id, mapped.kind
