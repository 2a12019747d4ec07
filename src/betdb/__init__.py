"""betdb: the typed data layer of an MLB betting analytics system.

The public surface is what this module exports; modules whose names start with an underscore
are implementation detail. ``betdb.errors`` (the exception hierarchy), ``betdb.generated`` (the
sqlc output), ``betdb.odds`` and ``betdb.types`` (domain helpers) are public modules too.
"""

from typing import TYPE_CHECKING, Any

from betdb._database import Database
from betdb._health import HealthReport, PoolHealth, ReplicaHealth
from betdb._observability import MetricsSnapshot, QueryStats, configure_logging, correlation_id
from betdb._repository import UnifiedRepository
from betdb._settings import BetdbSettings, Environment, PgBouncerPoolMode, SslMode
from betdb.errors import (
    BetdbError,
    CheckViolationError,
    ConfigurationError,
    ConnectionLostError,
    DatabaseUnavailableError,
    DataError,
    DeadlockError,
    ExclusionViolationError,
    ForeignKeyViolationError,
    IntegrityError,
    NotNullViolationError,
    OutcomeUnknownError,
    PermissionDeniedError,
    QueryError,
    QueryTimeoutError,
    SchemaMismatchError,
    SerializationError,
    StatementCacheError,
    TransactionError,
    UniqueViolationError,
    ValidationError,
    WriteTimeoutError,
)

if TYPE_CHECKING:
    from betdb._sync_database import SyncDatabase
    from betdb._sync_repository import SyncUnifiedRepository

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The sync client loads psycopg on first use: async callers and the CLI do not pay for it.
    if name == "SyncDatabase":
        from betdb._sync_database import SyncDatabase

        return SyncDatabase
    if name == "SyncUnifiedRepository":
        from betdb._sync_repository import SyncUnifiedRepository

        return SyncUnifiedRepository
    raise AttributeError(f"module 'betdb' has no attribute {name!r}")


__all__ = [
    "BetdbError",
    "BetdbSettings",
    "CheckViolationError",
    "ConfigurationError",
    "ConnectionLostError",
    "DataError",
    "Database",
    "DatabaseUnavailableError",
    "DeadlockError",
    "Environment",
    "ExclusionViolationError",
    "ForeignKeyViolationError",
    "HealthReport",
    "IntegrityError",
    "MetricsSnapshot",
    "NotNullViolationError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "PgBouncerPoolMode",
    "PoolHealth",
    "QueryError",
    "QueryStats",
    "QueryTimeoutError",
    "ReplicaHealth",
    "SchemaMismatchError",
    "SerializationError",
    "SslMode",
    "StatementCacheError",
    "SyncDatabase",
    "SyncUnifiedRepository",
    "TransactionError",
    "UnifiedRepository",
    "UniqueViolationError",
    "ValidationError",
    "WriteTimeoutError",
    "configure_logging",
    "correlation_id",
]
