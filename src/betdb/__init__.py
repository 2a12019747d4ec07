"""betdb: the typed data layer of an MLB betting analytics system.

The public surface is what this module exports; modules whose names start with an underscore
are implementation detail. ``betdb.errors`` (the exception hierarchy), ``betdb.generated`` (the
sqlc output), ``betdb.odds`` and ``betdb.types`` (domain helpers) are public modules too.
"""

from betdb._database import Database
from betdb._health import HealthReport, PoolHealth, ReplicaHealth
from betdb._observability import MetricsSnapshot, QueryStats, configure_logging, correlation_id
from betdb._repository import UnifiedRepository
from betdb._settings import BetdbSettings, Environment, SslMode
from betdb._sync_database import SyncDatabase
from betdb._sync_repository import SyncUnifiedRepository
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
    SerializationError,
    TransactionError,
    UniqueViolationError,
    ValidationError,
    WriteTimeoutError,
)

__version__ = "0.1.0"

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
    "PoolHealth",
    "QueryError",
    "QueryStats",
    "QueryTimeoutError",
    "ReplicaHealth",
    "SerializationError",
    "SslMode",
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
