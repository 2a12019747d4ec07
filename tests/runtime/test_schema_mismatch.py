"""A label a migration added after the code was generated: both runtimes refuse the read
with SchemaMismatchError naming the enum and the label, and go on serving."""

from __future__ import annotations

import psycopg
import pytest

from betdb import Database, SchemaMismatchError, SyncDatabase

EXPECTED = "enum Division has no member 'Pacific'"


@pytest.fixture
def pacific(sync_admin: psycopg.Connection[tuple[object, ...]]) -> None:
    """The Yankees moved to a division the generated Division does not know."""
    sync_admin.execute("ALTER TYPE division ADD VALUE 'Pacific'")
    sync_admin.execute("UPDATE teams SET division = 'Pacific' WHERE abbreviation = 'NYY'")


@pytest.mark.usefixtures("pacific")
async def test_the_async_runtime_refuses_the_unknown_label_and_serves_on(db: Database) -> None:
    repository = db.repository()
    with pytest.raises(SchemaMismatchError, match=EXPECTED) as refused:
        await repository.teams.list_teams()
    assert refused.value.query == "ListTeams"
    assert "regenerate" in str(refused.value)
    assert len(await repository.sportsbooks.list_sportsbooks()) > 0


@pytest.mark.usefixtures("pacific")
def test_the_sync_runtime_refuses_the_unknown_label_and_serves_on(sync_db: SyncDatabase) -> None:
    repository = sync_db.repository()
    with pytest.raises(SchemaMismatchError, match=EXPECTED) as refused:
        repository.teams.list_teams()
    assert refused.value.query == "ListTeams"
    assert len(repository.sportsbooks.list_sportsbooks()) > 0
