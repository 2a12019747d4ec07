"""What ``health()`` reports, for the async and the sync Database alike."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from betdb._replicas import Replica, ReplicaSet
from betdb.migrate import migration_versions
from betdb.stats import QueryStatistics

# What health() asks the primary, in this order.
LATENCY_SQL = "SELECT 1"
VERSION_SQL = "SHOW server_version"
HAS_MIGRATIONS_SQL = "SELECT to_regclass('schema_migrations') IS NOT NULL"
APPLIED_SQL = "SELECT max(version) FROM schema_migrations"


class PoolHealth(BaseModel):
    size: int
    in_use: int
    idle: int
    min_size: int
    max_size: int


class ReplicaHealth(BaseModel):
    dsn: str
    reachable: bool
    lag_seconds: float | None
    serving_reads: bool
    error: str | None


class HealthReport(BaseModel):
    reachable: bool
    latency_ms: float | None
    server_version: str | None
    pool: PoolHealth
    migration_applied: str | None
    migration_newest: str | None
    migrations_current: bool
    replicas: list[ReplicaHealth]
    breaker: str
    error: str | None = None
    slowest_queries: list[QueryStatistics] | None = None
    """Generated queries with the highest mean time (pg_stat_statements; None without it)."""


def replica_health(replicas: ReplicaSet[Any], replica: Replica[Any]) -> ReplicaHealth:
    return ReplicaHealth(
        dsn=replica.name,
        reachable=replica.reachable,
        lag_seconds=replica.lag_seconds,
        serving_reads=replicas.usable(replica),
        error=replica.last_error,
    )


def newest_migration() -> str | None:
    versions = migration_versions()
    return versions[-1] if versions else None
