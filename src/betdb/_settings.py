"""Configuration: one typed class, read from BETDB_* variables and .env, validated once."""

from __future__ import annotations

import math
import random
import re
import ssl
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Self
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from betdb._dsn import check_dsn, dsn_password, dsn_query
from betdb._redact import redact_dsn


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TESTING = "testing"
    STAGING = "staging"
    PRODUCTION = "production"


class SslMode(StrEnum):
    DISABLE = "disable"
    ALLOW = "allow"
    PREFER = "prefer"
    REQUIRE = "require"
    VERIFY_CA = "verify-ca"
    VERIFY_FULL = "verify-full"


class PgBouncerPoolMode(StrEnum):
    SESSION = "session"
    TRANSACTION = "transaction"
    STATEMENT = "statement"


_TLS_MODES = {SslMode.REQUIRE, SslMode.VERIFY_CA, SslMode.VERIFY_FULL}
_DEFAULT_PASSWORDS = {"", "postgres", "password", "betdb", "secret", "changeme"}
_SSLMODES = frozenset(mode.value for mode in SslMode)

# PostgreSQL's own bound for a timeout (INT_MAX milliseconds, about 24.8 days); beyond it
# asyncio and the server overflow. Every duration is finite: inf and nan are refused.
MAX_SECONDS = 2_147_483.0
# Each pooled connection is a server process (PostgreSQL allows 100 by default).
MAX_POOL_SIZE = 1000


def _seconds(default: float | None, *, positive: bool = True, description: str = "") -> Any:
    return Field(
        default=default,
        gt=0 if positive else None,
        ge=None if positive else 0,
        le=MAX_SECONDS,
        allow_inf_nan=False,
        description=description or None,
    )


class BetdbSettings(BaseSettings):
    """Everything betdb needs to reach PostgreSQL, from the environment (prefix BETDB_)."""

    model_config = SettingsConfigDict(
        env_prefix="BETDB_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
        # A validation error would otherwise quote its input, the password and DSNs included.
        hide_input_in_errors=True,
    )

    environment: Environment = Environment.DEVELOPMENT

    # Either a whole DSN (BETDB_DSN, or DATABASE_URL as everywhere else) or its parts.
    dsn: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("BETDB_DSN", "DATABASE_URL", "dsn")
    )
    host: str = "127.0.0.1"
    port: int = Field(default=5432, ge=1, le=65535)
    user: str = "postgres"
    password: SecretStr | None = None
    database: str = "betdb"

    sslmode: SslMode | None = None
    ssl_root_cert: Path | None = None
    ssl_cert: Path | None = None
    ssl_key: Path | None = None

    pool_min_size: int = Field(default=1, ge=0)
    pool_max_size: int = Field(default=10, ge=1)
    acquire_timeout: float = _seconds(10.0)
    command_timeout: float | None = _seconds(30.0)
    # Rounded up to whole milliseconds, PostgreSQL's unit, so that a small value never becomes
    # 0, which the server reads as "no timeout".
    statement_timeout: float | None = _seconds(None, description="seconds, server side")
    idle_lifetime: float = _seconds(300.0, positive=False, description="close idle connections")
    close_timeout: float = _seconds(10.0, positive=False)
    # 0 turns prepared statement caching off, as PgBouncer in transaction mode needs.
    statement_cache_size: int = Field(default=100, ge=0, le=100_000)
    # PgBouncer's pool_mode when connecting through it: transaction and statement pooling hand
    # the server connection to other clients between transactions, so the cache goes off.
    pgbouncer_pool_mode: PgBouncerPoolMode | None = None

    # A comma-separated list in the environment, not JSON.
    replica_dsns: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    replica_max_lag: float = _seconds(5.0, positive=False, description="seconds")
    replica_check_interval: float = _seconds(2.0)

    retry_attempts: int = Field(default=3, ge=0, le=100)
    retry_base_delay: float = _seconds(0.05, positive=False)
    retry_max_delay: float = _seconds(2.0, positive=False)
    breaker_failure_threshold: int = Field(default=5, ge=1, le=1_000_000)
    breaker_reset_timeout: float = _seconds(10.0)

    slow_query_threshold: float = _seconds(0.5, positive=False)
    log_json: bool | None = None
    metrics_enabled: bool = True
    otel_enabled: bool = False
    replicas_enabled: bool = True

    @field_validator("dsn", mode="before")
    @classmethod
    def _empty_dsn_is_unset(cls, value: Any) -> Any:
        # CI systems often export DATABASE_URL="": that means "not set", not a DSN.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("dsn")
    @classmethod
    def _check_dsn(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            try:
                check_dsn(value.get_secret_value(), _SSLMODES)
            except ValueError as error:
                raise ValueError(f"DATABASE_URL/BETDB_DSN {error}") from None
        return value

    @field_validator("replica_dsns", mode="before")
    @classmethod
    def _split_replicas(cls, value: Any) -> Any:
        if isinstance(value, str):
            # Commas also separate the hosts of one multi-host DSN: a new DSN starts a scheme.
            parts = re.split(r",\s*(?=[a-z][a-z0-9+.-]*://)", value.strip(), flags=re.IGNORECASE)
            return [part.strip() for part in parts if part.strip()]
        return value

    @field_validator("replica_dsns")
    @classmethod
    def _check_replicas(cls, value: list[SecretStr]) -> list[SecretStr]:
        for number, dsn in enumerate(value, start=1):
            try:
                check_dsn(dsn.get_secret_value(), _SSLMODES)
            except ValueError as error:
                raise ValueError(f"replica DSN number {number} {error}") from None
        return value

    @field_validator("statement_timeout")
    @classmethod
    def _whole_milliseconds(cls, value: float | None) -> float | None:
        return None if value is None else math.ceil(value * 1000) / 1000

    @field_validator("pool_max_size", "pool_min_size")
    @classmethod
    def _bounded_pool(cls, value: int) -> int:
        if value > MAX_POOL_SIZE:
            raise ValueError(
                f"must be at most {MAX_POOL_SIZE}: every pooled connection is a server process "
                "(PostgreSQL allows 100 by default), so a larger pool only exhausts the server "
                "and this process's memory; put PgBouncer in front for more clients"
            )
        return value

    @model_validator(mode="after")
    def _check_environment(self) -> Self:
        if self.pool_min_size > self.pool_max_size:
            raise ValueError("pool_min_size must not exceed pool_max_size")
        if self.sslmode is None:
            production_like = self.environment in {Environment.STAGING, Environment.PRODUCTION}
            self.sslmode = SslMode.VERIFY_FULL if production_like else SslMode.PREFER
        if self.pgbouncer_pool_mode in {PgBouncerPoolMode.TRANSACTION, PgBouncerPoolMode.STATEMENT}:
            if "statement_cache_size" in self.model_fields_set and self.statement_cache_size:
                raise ValueError(
                    "statement_cache_size must be 0 behind PgBouncer in transaction mode: "
                    "a prepared statement stays on a server connection other clients then get"
                )
            self.statement_cache_size = 0
            if self.statement_timeout is not None:
                raise ValueError(
                    "PgBouncer refuses statement_timeout as a startup parameter: unset "
                    "BETDB_STATEMENT_TIMEOUT and set it on the role instead "
                    "(ALTER ROLE ... SET statement_timeout = '30s')"
                )
        if self.environment is Environment.PRODUCTION:
            if self.effective_sslmode() not in _TLS_MODES:
                raise ValueError(
                    "production requires TLS: set BETDB_SSLMODE to require or verify-*"
                )
            if self.effective_password() in _DEFAULT_PASSWORDS:
                raise ValueError("production refuses an empty or default database password")
            for number, replica in enumerate(self.replica_dsns, start=1):
                if dsn_password(replica.get_secret_value()) in _DEFAULT_PASSWORDS:
                    raise ValueError(
                        f"production refuses an empty or default password (replica {number})"
                    )
        return self

    def backoff_delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based): exponential, capped,
        with +-50% jitter so that clients that failed together do not retry together."""
        base: float = min(self.retry_max_delay, self.retry_base_delay * 2.0 ** (attempt - 1))
        return base * random.uniform(0.5, 1.5)

    @property
    def json_logs(self) -> bool:
        if self.log_json is not None:
            return self.log_json
        return self.environment in {Environment.STAGING, Environment.PRODUCTION}

    @property
    def statement_timeout_ms(self) -> int | None:
        """statement_timeout in PostgreSQL's unit; at least 1 when set (0 would mean off)."""
        if self.statement_timeout is None:
            return None
        return max(1, math.ceil(round(self.statement_timeout * 1000, 6)))

    def effective_password(self) -> str:
        """The password the primary is reached with, percent-decoded as the driver sees it."""
        if self.dsn is not None:
            return dsn_password(self.dsn.get_secret_value())
        return self.password.get_secret_value() if self.password else ""

    def effective_sslmode(self) -> SslMode:
        if self.dsn is not None:
            query = dsn_query(self.dsn.get_secret_value())
            if "sslmode" in query:
                return SslMode(query["sslmode"])
        return self.sslmode or SslMode.PREFER

    def primary_dsn(self) -> str:
        """The full DSN, password included: hand it to a driver, never to a log."""
        if self.dsn is not None:
            return self.dsn.get_secret_value()
        password = self.password.get_secret_value() if self.password else None
        credentials = quote(self.user, safe="")
        if password:
            credentials += ":" + quote(password, safe="")
        host = f"[{self.host}]" if ":" in self.host else self.host
        netloc = f"{credentials}@{host}:{self.port}"
        return urlunsplit(("postgresql", netloc, "/" + quote(self.database), "", ""))

    def redacted_dsn(self) -> str:
        return redact_dsn(self.primary_dsn())

    def ssl_context(self) -> ssl.SSLContext | str | bool:
        """What asyncpg's ``ssl=`` needs for the configured sslmode and certificate paths."""
        mode = self.effective_sslmode()
        if mode is SslMode.DISABLE:
            return False  # None would mean asyncpg's default, which tries TLS first
        if mode not in {SslMode.VERIFY_CA, SslMode.VERIFY_FULL}:
            return mode.value
        context = ssl.create_default_context(
            cafile=str(self.ssl_root_cert) if self.ssl_root_cert else None
        )
        context.check_hostname = mode is SslMode.VERIFY_FULL
        if self.ssl_cert is not None:
            context.load_cert_chain(str(self.ssl_cert), str(self.ssl_key) if self.ssl_key else None)
        return context

    def dsn_without_sslmode(self, dsn: str) -> str:
        """asyncpg would let a DSN's sslmode override ssl=; the settings decide instead."""
        parts = urlsplit(dsn)
        query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("ssl")]
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            yield name, (redact_dsn(value.get_secret_value()) if name == "dsn" and value else value)
