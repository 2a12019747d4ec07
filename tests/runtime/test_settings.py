"""BetdbSettings: environment variables, environment-specific safety, secrets kept secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from betdb import BetdbSettings, Environment, SslMode
from betdb._redact import redact_dsn, redact_secrets

SECRET = "s3cr3t-Pa55"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir("/")  # no stray .env


def test_settings_are_read_from_betdb_prefixed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BETDB_HOST", "db.internal")
    monkeypatch.setenv("BETDB_PORT", "6543")
    monkeypatch.setenv("BETDB_PASSWORD", SECRET)
    monkeypatch.setenv("BETDB_POOL_MAX_SIZE", "25")
    monkeypatch.setenv("BETDB_REPLICA_DSNS", "postgresql://r1/db, postgresql://r2/db")
    settings = BetdbSettings()
    assert settings.pool_max_size == 25
    assert settings.primary_dsn() == f"postgresql://postgres:{SECRET}@db.internal:6543/betdb"
    assert [d.get_secret_value() for d in settings.replica_dsns] == [
        "postgresql://r1/db",
        "postgresql://r2/db",
    ]


def test_database_url_is_accepted_as_the_dsn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@h:5432/x?sslmode=disable")
    settings = BetdbSettings()
    assert settings.primary_dsn() == "postgresql://app@h:5432/x?sslmode=disable"
    assert settings.effective_sslmode() is SslMode.DISABLE


def test_env_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".env").write_text("BETDB_DATABASE=from_dotenv\nBETDB_ENVIRONMENT=testing\n")
    monkeypatch.chdir(tmp_path)
    settings = BetdbSettings()
    assert settings.database == "from_dotenv"
    assert settings.environment is Environment.TESTING


def test_production_requires_tls() -> None:
    with pytest.raises(ValidationError, match="production requires TLS"):
        BetdbSettings(environment="production", password=SECRET, sslmode="disable")


def test_production_refuses_a_default_password() -> None:
    with pytest.raises(ValidationError, match="default database password"):
        BetdbSettings(environment="production", password="postgres")
    with pytest.raises(ValidationError, match="default database password"):
        BetdbSettings(environment="production", dsn="postgresql://u@h/db?sslmode=verify-full")


def test_production_defaults_to_verified_tls_and_json_logs() -> None:
    settings = BetdbSettings(environment="production", password=SECRET)
    assert settings.sslmode is SslMode.VERIFY_FULL
    assert settings.json_logs is True
    assert BetdbSettings().json_logs is False
    assert BetdbSettings().sslmode is SslMode.PREFER


def test_pool_bounds_are_checked() -> None:
    with pytest.raises(ValidationError, match="pool_min_size must not exceed pool_max_size"):
        BetdbSettings(pool_min_size=5, pool_max_size=2)


def test_password_never_appears_in_repr_or_str() -> None:
    settings = BetdbSettings(dsn=f"postgresql://app:{SECRET}@h:5432/db", password=SECRET)
    for text in (
        repr(settings),
        str(settings),
        settings.redacted_dsn(),
        str(settings.model_dump()),
    ):
        assert SECRET not in text
    assert "postgresql://app:***@h:5432/db" in repr(settings)


@pytest.mark.parametrize(
    ("dsn", "expected"),
    [
        ("postgresql://u:pw@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("postgresql://u@h/db?password=pw&x=1", "postgresql://u@h/db?password=***&x=1"),
        ("postgresql://h/db", "postgresql://h/db"),
    ],
)
def test_redact_dsn_masks_passwords(dsn: str, expected: str) -> None:
    assert redact_dsn(dsn) == expected


def test_redact_secrets_masks_dsns_and_keyword_passwords_inside_text() -> None:
    text = f"failed postgresql://u:{SECRET}@h/db with password={SECRET} and pwd='{SECRET}'"
    assert SECRET not in redact_secrets(text)


@pytest.mark.parametrize(
    ("dsn", "expected"),
    [
        (f"u:{SECRET}@127.0.0.1:1/betdb", "u:***@127.0.0.1:1/betdb"),
        (f"postgresql://u:{SECRET}@h1:1,h2:2/db", "postgresql://u:***@h1:1,h2:2/db"),
        (f"postgresql://u:{SECRET}@h:abc/db", "postgresql://u:***@h:abc/db"),
        ("postgresql://u:p@ss/w#rd@h:1/db", "postgresql://u:***@h:1/db"),
    ],
    ids=["no-scheme", "multi-host", "bad-port", "raw-password"],
)
def test_redaction_does_not_depend_on_the_dsn_parsing_as_a_url(dsn: str, expected: str) -> None:
    assert redact_dsn(dsn) == expected
    assert redact_secrets(f"cannot connect to {dsn}: refused") == (
        f"cannot connect to {expected}: refused"
    )


async def test_a_statement_timeout_below_a_millisecond_is_one_millisecond_not_off(
    database_url: str,
) -> None:
    import asyncpg

    settings = BetdbSettings(dsn=database_url, statement_timeout=0.0009, sslmode="disable")
    assert settings.statement_timeout_ms == 1
    # What Database sends the server; 0 would mean no timeout, and the sleep would finish.
    connection = await asyncpg.connect(
        database_url, server_settings={"statement_timeout": str(settings.statement_timeout_ms)}
    )
    try:
        # Only the sleep itself: under load even a SHOW can outlast 1 ms.
        with pytest.raises(asyncpg.QueryCanceledError):
            await connection.execute("SELECT pg_sleep(0.2)")
    finally:
        await connection.close()
    assert BetdbSettings(statement_timeout=0.0015).statement_timeout_ms == 2
    assert BetdbSettings(statement_timeout=2.5).statement_timeout_ms == 2500


@pytest.mark.parametrize("name", ["statement_timeout", "command_timeout", "acquire_timeout"])
@pytest.mark.parametrize("value", ["inf", "nan", "1e20", "-1"])
def test_timeouts_must_be_finite_and_within_postgresqls_range(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(f"BETDB_{name.upper()}", value)
    with pytest.raises(ValidationError) as raised:
        BetdbSettings()
    assert raised.value.errors()[0]["loc"] == (name,)


def test_pool_sizes_are_bounded_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BETDB_POOL_MAX_SIZE", "100000000")
    with pytest.raises(ValidationError, match="every pooled connection is a server process"):
        BetdbSettings()
    assert BetdbSettings(pool_max_size=1000).pool_max_size == 1000


def test_production_decodes_the_password_before_judging_it() -> None:
    with pytest.raises(ValidationError, match="default database password"):
        BetdbSettings(
            environment="production", dsn="postgresql://u:%70ostgres@h/db?sslmode=verify-full"
        )


def test_production_accepts_a_strong_password_given_as_a_query_parameter() -> None:
    settings = BetdbSettings(
        environment="production", dsn=f"postgresql://u@h/db?sslmode=verify-full&password={SECRET}"
    )
    assert settings.effective_password() == SECRET


def test_production_checks_the_replicas_passwords_too() -> None:
    with pytest.raises(ValidationError, match=r"default password \(replica 2\)"):
        BetdbSettings(
            environment="production",
            password=SECRET,
            replica_dsns=f"postgresql://u:{SECRET}@r1/db,postgresql://u:postgres@r2/db",
        )


def test_replica_dsns_may_be_multi_host() -> None:
    settings = BetdbSettings(replica_dsns="postgresql://u@r1:1,r2:2/db, postgresql://u@r3/db")
    assert [d.get_secret_value() for d in settings.replica_dsns] == [
        "postgresql://u@r1:1,r2:2/db",
        "postgresql://u@r3/db",
    ]
