"""A login the server refuses is the same DatabaseUnavailableError, with the server's SQLSTATE,
whether Database (asyncpg) or SyncDatabase (psycopg) asked: at open and for a connection the
pool makes later."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from tests.runtime.conftest import settings_for

from betdb import Database, SyncDatabase, errors

Admin = psycopg.Connection[tuple[object, ...]]
PASSWORD = "Login-Refusal-7"


def as_role(database_url: str, role: str, password: str = PASSWORD, database: str = "") -> str:
    parts = urlsplit(database_url)
    netloc = f"{role}:{quote(password, safe='')}@{parts.hostname}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc, path=database or parts.path))


@pytest.fixture
def role(sync_admin: Admin) -> Iterator[str]:
    """A role of this test's own (roles are the whole server's), dropped afterwards."""
    name = f"betdb_login_{uuid.uuid4().hex[:10]}"
    database = sync_admin.info.dbname
    sync_admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD}'")
    sync_admin.execute(f'GRANT CONNECT ON DATABASE "{database}" TO {name}')
    yield name
    sync_admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,)
    )
    sync_admin.execute(f'REVOKE ALL ON DATABASE "{database}" FROM {name}')
    sync_admin.execute(f"DROP ROLE {name}")


def refusal_on_both(dsn: str) -> tuple[errors.DatabaseUnavailableError, ...]:
    """What opening Database and SyncDatabase on dsn raises, in that order."""
    from betdb.testing import run_sync

    with pytest.raises(errors.DatabaseUnavailableError) as on_asyncpg:
        run_sync(Database(settings_for(dsn)).open())
    with pytest.raises(errors.DatabaseUnavailableError) as on_psycopg:
        SyncDatabase(settings_for(dsn)).open()
    return on_asyncpg.value, on_psycopg.value


def test_a_missing_database_is_3d000_on_both_drivers(database_url: str) -> None:
    missing = database_url.rsplit("/", 1)[0] + "/no_such_database"
    assert [e.sqlstate for e in refusal_on_both(missing)] == ["3D000", "3D000"]


def test_a_wrong_password_is_28p01_on_both_drivers(database_url: str, role: str) -> None:
    wrong = as_role(database_url, role, password="not-the-password")
    refused = refusal_on_both(wrong)
    assert [e.sqlstate for e in refused] == ["28P01", "28P01"]
    assert all("not-the-password" not in str(e) for e in refused)


def test_a_role_that_may_not_log_in_is_28000_on_both_drivers(
    database_url: str, sync_admin: Admin, role: str
) -> None:
    sync_admin.execute(f"ALTER ROLE {role} NOLOGIN")
    assert [e.sqlstate for e in refusal_on_both(as_role(database_url, role))] == [
        "28000",
        "28000",
    ]


def test_a_database_the_role_may_not_connect_to_is_42501_on_both_drivers(
    database_url: str, sync_admin: Admin, role: str
) -> None:
    database = sync_admin.info.dbname
    sync_admin.execute(f'REVOKE CONNECT ON DATABASE "{database}" FROM PUBLIC, {role}')
    assert [e.sqlstate for e in refusal_on_both(as_role(database_url, role))] == [
        "42501",
        "42501",
    ]


def test_a_role_at_its_connection_limit_is_53300_on_both_drivers(
    database_url: str, sync_admin: Admin, role: str
) -> None:
    sync_admin.execute(f"ALTER ROLE {role} CONNECTION LIMIT 0")
    assert [e.sqlstate for e in refusal_on_both(as_role(database_url, role))] == [
        "53300",
        "53300",
    ]


async def test_a_connection_refused_after_open_carries_the_sqlstate_on_both_drivers(
    database_url: str, sync_admin: Admin, role: str
) -> None:
    dsn = as_role(database_url, role)
    settings = settings_for(dsn, pool_min_size=1, pool_max_size=1, retry_attempts=0)
    async with Database(settings) as db:
        with SyncDatabase(settings) as sync_db:
            assert await db.executor().fetchval("SELECT 1") == 1
            assert sync_db.executor().fetchval("SELECT 1") == 1
            # Both pools' connections die and the role may no longer log in.
            sync_admin.execute(f"ALTER ROLE {role} NOLOGIN")
            sync_admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                (role,),
            )
            seen: list[errors.BetdbError] = []
            for _ in range(3):  # the first query may meet its dead connection first
                with pytest.raises(errors.BetdbError) as on_asyncpg:
                    await db.executor().fetchval("SELECT 1")
                if isinstance(on_asyncpg.value, errors.DatabaseUnavailableError):
                    seen.append(on_asyncpg.value)
                    break
            for _ in range(3):
                with pytest.raises(errors.BetdbError) as on_psycopg:
                    sync_db.executor().fetchval("SELECT 1")
                if isinstance(on_psycopg.value, errors.DatabaseUnavailableError):
                    seen.append(on_psycopg.value)
                    break
    assert [type(e) for e in seen] == [errors.DatabaseUnavailableError] * 2
    assert [e.sqlstate for e in seen] == ["28000", "28000"]


def test_a_login_that_timed_out_is_not_tried_again_to_learn_why(database_url: str) -> None:
    from betdb._login_refusal import login_refusal_sqlstate

    missing = database_url.rsplit("/", 1)[0] + "/no_such_database"
    settings = settings_for(missing)
    assert login_refusal_sqlstate(settings, missing, failed_after=0.01, timeout=5) == "3D000"
    assert login_refusal_sqlstate(settings, missing, failed_after=2.5, timeout=5) is None
    assert login_refusal_sqlstate(settings, database_url, failed_after=0.01, timeout=5) is None
