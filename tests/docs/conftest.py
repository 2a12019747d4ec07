"""The databases the docs' examples run on: the sample week is loaded once into a template, and
each example gets a fresh copy of it (or of the migrated template, for an empty database)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from betdb import BetdbSettings, Database
from betdb.sample import load_sample
from betdb.testing import PostgresServer, run_sync


async def _load(dsn: str) -> None:
    async with Database(BetdbSettings(dsn=dsn)) as database:  # type: ignore[arg-type]
        await load_sample(database.repository())


@pytest.fixture(scope="session")
def sample_week_template(postgres_server: PostgresServer, migrated_template: str) -> str:
    dsn = postgres_server.create_database(template=migrated_template)
    run_sync(_load(dsn))
    return urlsplit(dsn).path.lstrip("/")


@pytest.fixture
def sample_week_url(postgres_server: PostgresServer, sample_week_template: str) -> Iterator[str]:
    """A fresh database of this test's own holding the sample week."""
    dsn = postgres_server.create_database(template=sample_week_template)
    yield dsn
    postgres_server.drop_database(urlsplit(dsn).path.lstrip("/"))


@pytest.fixture
def cli_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the pages' commands and examples read: DATABASE_URL, never a BETDB_DSN around."""
    monkeypatch.delenv("BETDB_DSN", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
