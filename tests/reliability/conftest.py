from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from betdb import BetdbSettings, Database

TABLES = """
SELECT c.relname FROM pg_class AS c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
ORDER BY c.relname
"""


def settings_for(dsn: str, **overrides: object) -> BetdbSettings:
    base: dict[str, object] = {"dsn": dsn, "pool_min_size": 1, "pool_max_size": 4}
    return BetdbSettings(**{**base, **overrides})  # type: ignore[arg-type]


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with Database(settings_for(database_url)) as database:
        yield database


async def table_fingerprints(connection: asyncpg.Connection) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the contents of every table, to prove what changed."""
    tables = [row["relname"] for row in await connection.fetch(TABLES)]
    union = " UNION ALL ".join(
        f"SELECT '{name}' AS name, count(*) AS n,"
        f" md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest"
        f" FROM public.{name} AS t"
        for name in tables
    )
    return {row["name"]: (row["n"], row["digest"]) for row in await connection.fetch(union)}


def changed_tables(
    before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]
) -> dict[str, int]:
    """Tables whose contents differ, with the change in their row counts."""
    return {
        name: after[name][0] - before[name][0] for name in before if before[name] != after[name]
    }


def queries_run(database: Database, name: str) -> int:
    stats = database.metrics().queries.get(name)
    return stats.count if stats else 0


def total_queries_run(database: Database) -> int:
    return sum(stats.count for stats in database.metrics().queries.values())
