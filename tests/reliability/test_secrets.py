"""A distinctive password, given as part of a DSN, as the password setting or through the
environment, appears nowhere betdb shows anything: reprs, log records (raw and formatted, JSON
and text, at DEBUG), error messages and whole tracebacks (a failed connection, a failed query,
invalid settings), health and metrics dumps."""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import AsyncIterator, Iterator
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

import pydantic
import pytest
from tests.reliability.conftest import settings_for

from betdb import BetdbSettings, Database, errors
from betdb._observability import CorrelationFilter, JsonFormatter, TextFormatter, configure_logging
from betdb.embedded import free_port
from betdb.testing import PostgresServer

# Random first, so that even a truncated quotation of it is found; URL metacharacters after,
# so that its percent-encoded forms differ from it and are looked for too.
TOKEN = uuid.uuid4().hex[:16]
SECRET = f"{TOKEN}-s3cr3t-p@ss:w/rd%"
FORMS = {TOKEN[:8], SECRET, quote(SECRET, safe=""), quote(SECRET), quote_plus(SECRET)}
# The server checks passwords: a role of this module's own holds SECRET, with the privileges of
# the role that made the test databases (it is a member of it).
SECRET_ROLE = "betdb_secret_holder"


@pytest.fixture(scope="module", autouse=True)
def secret_role(postgres_server: PostgresServer) -> Iterator[str]:
    postgres_server.execute(
        f"DROP ROLE IF EXISTS {SECRET_ROLE}",
        f"CREATE ROLE {SECRET_ROLE} LOGIN PASSWORD '{SECRET}'",
        f"DO $$ BEGIN EXECUTE format('GRANT %I TO {SECRET_ROLE}', current_user); END $$",
    )
    yield SECRET_ROLE
    postgres_server.execute(f"DROP OWNED BY {SECRET_ROLE}", f"DROP ROLE {SECRET_ROLE}")


def with_password(dsn: str, password: str = SECRET, *, port: int | None = None) -> str:
    parts = urlsplit(dsn)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{SECRET_ROLE}:{quote(password, safe='')}@{host}:{port or parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def assert_no_secret(surfaces: dict[str, str]) -> None:
    leaks = {where: form for where, text in surfaces.items() for form in FORMS if form in text}
    assert leaks == {}, f"the password shows in: {sorted(leaks)}"


def shown(name: str, error: BaseException) -> dict[str, str]:
    """Everything an error shows: its str and repr and the whole traceback with its causes."""
    return {
        f"{name} str": str(error),
        f"{name} repr": repr(error),
        f"{name} traceback": "".join(traceback.format_exception(error)),
    }


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def surfaces(self) -> dict[str, str]:
        correlation = CorrelationFilter()
        json_format, text_format = JsonFormatter(), TextFormatter()
        out: dict[str, str] = {}
        for index, record in enumerate(self.records):
            correlation.filter(record)
            where = f"log {index} {record.name}"
            out[f"{where} raw"] = f"{record.getMessage()} {record.args!r} {record.__dict__!r}"
            out[f"{where} json"] = json_format.format(record)
            out[f"{where} text"] = text_format.format(record)
        return out


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """Every record at DEBUG from betdb and the driver, through betdb's own handler too."""
    handler = Recorder()
    betdb_handler = configure_logging(json_format=True, level=logging.DEBUG)
    loggers = [logging.getLogger(name) for name in ("betdb", "asyncpg", "")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
        logging.getLogger("betdb").removeHandler(betdb_handler)


@pytest.fixture(params=["dsn", "password setting", "environment"])
async def secret_db(
    request: pytest.FixtureRequest, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Database]:
    """The test database, reached with the password given one of three ways, and a replica
    (with the password too) that is down."""
    replica = with_password(database_url, port=free_port())
    parts = urlsplit(database_url)
    if request.param == "dsn":
        settings = settings_for(with_password(database_url), replica_dsns=[replica])
    elif request.param == "password setting":
        settings = BetdbSettings(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=SECRET_ROLE,
            database=parts.path.lstrip("/"),
            password=SECRET,  # type: ignore[arg-type]
            replica_dsns=[replica],  # type: ignore[list-item]
        )
    else:
        monkeypatch.setenv("BETDB_HOST", parts.hostname or "127.0.0.1")
        monkeypatch.setenv("BETDB_PORT", str(parts.port or 5432))
        monkeypatch.setenv("BETDB_USER", SECRET_ROLE)
        monkeypatch.setenv("BETDB_DATABASE", parts.path.lstrip("/"))
        monkeypatch.setenv("BETDB_PASSWORD", SECRET)
        monkeypatch.setenv("BETDB_REPLICA_DSNS", replica)
        monkeypatch.delenv("DATABASE_URL", raising=False)
        settings = BetdbSettings()
    assert SECRET in settings.primary_dsn() or quote(SECRET, safe="") in settings.primary_dsn()
    async with Database(settings) as db:
        yield db


async def test_the_password_shows_nowhere_while_working_and_failing(
    secret_db: Database, recorder: Recorder
) -> None:
    db = secret_db
    surfaces: dict[str, str] = {
        "settings repr": repr(db.settings),
        "settings str": str(db.settings),
        "settings dump": repr(db.settings.model_dump()),
        "settings json": db.settings.model_dump_json(),
        "settings redacted dsn": db.settings.redacted_dsn(),
        "database repr": repr(db),
        "database vars": repr(vars(db)),
        "pool repr": repr(db.pool),
        "executor repr": repr(db.executor()),
        "read executor vars": repr(vars(db.executor(read_only=True))),
        "repository repr": repr(db.repository()),
        "replicas": repr([(r.name, r.last_error) for r in db.replicas.replicas]),
    }
    assert await db.repository().teams.resolve_team_code(code="ARI") is not None
    async with db.transaction() as tx:
        await tx.executor.execute("INSERT INTO team_aliases VALUES ('SCRT', 147)")
    with pytest.raises(errors.QueryError) as bad_query:
        await db.executor().fetch("-- name: Broken :many\nSELECT secret FROM nowhere")
    surfaces |= shown("failed query", bad_query.value)
    with pytest.raises(errors.UniqueViolationError) as duplicate:
        await db.executor().execute("INSERT INTO team_aliases VALUES ('SCRT', 147)")
    surfaces |= shown("constraint violation", duplicate.value)
    health = await db.health()
    assert health.reachable
    assert [replica.reachable for replica in health.replicas] == [False]
    surfaces["health"] = health.model_dump_json()
    surfaces["metrics"] = db.metrics().model_dump_json()
    await db.close()
    surfaces |= recorder.surfaces()
    assert len(recorder.records) > 5  # queries were logged at DEBUG
    assert_no_secret(surfaces)


async def test_a_failed_connection_shows_no_password(database_url: str, recorder: Recorder) -> None:
    refused = settings_for(with_password(database_url, port=free_port()))
    with pytest.raises(errors.DatabaseUnavailableError) as no_server:
        await Database(refused).open()
    no_database = settings_for(
        urlunsplit(urlsplit(with_password(database_url))._replace(path="/no_such_database"))
    )
    with pytest.raises(errors.DatabaseUnavailableError) as missing:
        await Database(no_database).open()
    assert "***" in str(no_server.value)  # the DSN is shown, masked
    surfaces = shown("connection refused", no_server.value) | shown("no database", missing.value)
    assert_no_secret(surfaces | recorder.surfaces())


@pytest.mark.parametrize(
    "invalid",
    [
        {"password": SECRET, "pool_min_size": 5, "pool_max_size": 1},
        {"password": SECRET, "port": 0},
        {"dsn": f"postgresql://app:{quote(SECRET, safe='')}@h/db", "pool_min_size": -1},
        {"replica_dsns": f"postgresql://r:{quote(SECRET, safe='')}@r/db", "retry_attempts": -1},
        {"environment": "production", "password": SECRET, "sslmode": "disable"},
    ],
    ids=["model check", "field check", "dsn", "replica", "production"],
)
def test_invalid_settings_are_refused_without_quoting_the_password(
    invalid: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BETDB_PASSWORD", SECRET)  # the environment is part of the input too
    with pytest.raises(pydantic.ValidationError) as refused:
        BetdbSettings(**invalid)  # type: ignore[arg-type]
    assert refused.value.errors()  # it still says what was wrong
    assert_no_secret(shown("invalid settings", refused.value))


CLI_COMMANDS = [["health", "--json"], ["health"], ["migrate", "status"]]


def run_cli(argv: list[str], env: dict[str, str]) -> dict[str, str]:
    """What a `betdb` command prints, or the test is skipped when this build lacks it."""
    from typer.testing import CliRunner

    from betdb.cli import app

    result = CliRunner().invoke(app, argv, env=env)
    if result.exit_code == 2 and "No such" in result.output:
        pytest.skip(f"`betdb {' '.join(argv)}` does not exist in this build")
    where = f"betdb {' '.join(argv)}"
    out = {f"{where} output": result.output, f"{where} stdout": result.stdout}
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        out |= shown(where, result.exception)
    return out


@pytest.mark.parametrize("argv", CLI_COMMANDS, ids=" ".join)
def test_the_cli_shows_no_password_working_or_failing(
    database_url: str, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    parts = urlsplit(database_url)
    working = run_cli(argv, {"DATABASE_URL": with_password(database_url)})
    assert any(
        marker in text for text in working.values() for marker in ("20260106000000", "reachable")
    ), working  # the command did its work
    parts_env = {
        "BETDB_HOST": parts.hostname or "127.0.0.1",
        "BETDB_PORT": str(parts.port or 5432),
        "BETDB_USER": SECRET_ROLE,
        "BETDB_DATABASE": parts.path.lstrip("/"),
        "BETDB_PASSWORD": SECRET,
    }
    from_parts = run_cli(argv, parts_env)
    refused = run_cli(argv, {"DATABASE_URL": with_password(database_url, port=free_port())})
    assert_no_secret(working | from_parts | refused)
