"""Hostile or broken connection settings: one red line naming the problem, never a traceback,
never the password; a multi-host DSN works."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from betdb.cli import app
from betdb.cli.connection import configured_settings
from betdb.testing import PostgresServer

SECRET = "S3cr3tPW"


@pytest.fixture(autouse=True)
def no_configured_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "400")  # one red line is one line, however long
    monkeypatch.chdir("/")  # no stray .env


def _one_red_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    assert SECRET not in result.output
    return lines[0]


def _invoke(monkeypatch: pytest.MonkeyPatch, dsn: str, *args: str, **env: str) -> Result:
    monkeypatch.setenv("DATABASE_URL", dsn)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize(
    "command",
    [
        ["health"],
        ["games", "--date", "2026-04-04"],
        ["partitions", "ensure"],
        ["migrate", "status"],
    ],
    ids=lambda command: " ".join(command),
)
def test_a_dsn_without_a_scheme_never_shows_its_password(
    monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    line = _one_red_line(_invoke(monkeypatch, f"u:{SECRET}@127.0.0.1:1/betdb", *command))
    assert "must be a URL starting with postgresql://" in line


def test_an_import_with_a_dsn_without_a_scheme_never_shows_its_password(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "odds.csv"
    source.write_text("source,external_game_id,sportsbook,market,side,line,price,observed_at\n")
    result = _invoke(monkeypatch, f"u:{SECRET}@127.0.0.1:1/betdb", "import", "odds", str(source))
    assert "must be a URL starting with postgresql://" in _one_red_line(result)


@pytest.mark.parametrize(
    ("dsn", "expected"),
    [
        (
            "postgresql://u@127.0.0.1:99999/betdb",
            "port '99999' of host '127.0.0.1' is not a number",
        ),
        ("postgresql://u@127.0.0.1:abc/betdb", "port 'abc' of host '127.0.0.1' is not a number"),
        (f"postgresql://u:{SECRET}@x/y#z@127.0.0.1:1/betdb", "must be percent-encoded"),
        (f"postgresql://u:{SECRET}@127.0.0.1:1/betdb?sslmode=bogus", "sslmode 'bogus' is not one"),
    ],
    ids=["port-out-of-range", "port-not-a-number", "raw-password", "bogus-sslmode"],
)
def test_a_broken_dsn_is_one_red_line(
    monkeypatch: pytest.MonkeyPatch, dsn: str, expected: str
) -> None:
    assert expected in _one_red_line(_invoke(monkeypatch, dsn, "health"))


@pytest.mark.parametrize(
    "replicas",
    ["nonsense", "postgresql://r@h:abc/db", "postgresql://r@h/db?sslmode=bogus"],
)
def test_a_broken_replica_dsn_is_one_red_line(
    monkeypatch: pytest.MonkeyPatch, replicas: str
) -> None:
    result = _invoke(
        monkeypatch, "postgresql://u@127.0.0.1:1/betdb", "health", BETDB_REPLICA_DSNS=replicas
    )
    assert "replica DSN number 1" in _one_red_line(result)


def test_a_multi_host_dsn_connects_to_the_host_that_answers(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    credentials, rest = database_url.split("://", 1)[1].rsplit("@", 1)
    multi_host = f"postgresql://{credentials}@127.0.0.1:1,{rest}?sslmode=disable"
    result = _invoke(monkeypatch, multi_host, "health")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_an_empty_database_url_means_the_local_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "")
    assert configured_settings() is None
    monkeypatch.setenv("DATABASE_URL", "  ")
    assert configured_settings() is None


def test_a_multi_host_dsn_with_a_password_is_redacted_in_errors(
    monkeypatch: pytest.MonkeyPatch, postgres_server: PostgresServer
) -> None:
    result = _invoke(monkeypatch, f"postgresql://u:{SECRET}@127.0.0.1:1,127.0.0.1:2/b", "health")
    assert result.exit_code != 0
    assert SECRET not in result.output
    assert "Traceback" not in result.output
