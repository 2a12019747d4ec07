"""verify's wire client logs in as a server configured for it: SCRAM-SHA-256, md5, trust.

A scratch server of its own, whose pg_hba.conf asks two roles for passwords (one stored as a
SCRAM verifier, one as md5) and trusts the rest; wrong and missing passwords are refused with
the server's reason, and TLS asked of a server without it is refused by name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from betdb.embedded import EmbeddedPostgres, scratch_server
from sqlc_gen_asyncpg._wire import ServerError, WireConnection, WireError

PASSWORD = "s3cret: with spaces & symbols"
ESCAPED = PASSWORD.replace(":", "\\:")  # as a password file writes a colon
HBA = """\
local all all trust
host all verify_scram 127.0.0.1/32 scram-sha-256
host all verify_md5 127.0.0.1/32 md5
host all all 127.0.0.1/32 trust
"""


@pytest.fixture(scope="module")
def password_server() -> Iterator[EmbeddedPostgres]:
    with scratch_server() as server:
        with WireConnection.connect(server.dsn) as admin:
            admin.query(
                "SET password_encryption = 'scram-sha-256';"
                f"CREATE ROLE verify_scram LOGIN PASSWORD '{PASSWORD}';"
                "SET password_encryption = 'md5';"
                f"CREATE ROLE verify_md5 LOGIN PASSWORD '{PASSWORD}';"
            )
            (server.data_dir / "pg_hba.conf").write_text(HBA)
            assert admin.query("SELECT pg_reload_conf()") == [("t",)]
        yield server


def url(server: EmbeddedPostgres, user: str, password: str = "", query: str = "") -> str:
    login = f"{user}:{password.replace(' ', '%20').replace('&', '%26')}" if password else user
    return f"postgresql://{login}@127.0.0.1:{server.port}/postgres{query}"


@pytest.mark.parametrize("role", ["verify_scram", "verify_md5"])
def test_a_password_role_logs_in_and_describes_a_statement(
    password_server: EmbeddedPostgres, role: str
) -> None:
    with WireConnection.connect(url(password_server, role, PASSWORD)) as wire:
        assert wire.query("SELECT current_user, 1 + 1, NULL") == [(role, "2", None)]
        described = wire.describe("SELECT relname FROM pg_class WHERE oid = $1")
    assert described.parameter_oids == (26,)  # oid
    (column,) = described.fields
    assert (column.name, column.type_oid, column.column_number) == ("relname", 19, 2)


def test_the_scram_password_is_stored_as_a_scram_verifier(
    password_server: EmbeddedPostgres,
) -> None:
    with WireConnection.connect(password_server.dsn) as admin:
        rows = admin.query(
            "SELECT rolname, left(rolpassword, 13) FROM pg_authid"
            " WHERE rolname LIKE 'verify_%' ORDER BY rolname"
        )
    assert [(name, prefix[:3] if prefix else prefix) for name, prefix in rows] == [
        ("verify_md5", "md5"),
        ("verify_scram", "SCR"),
    ]


@pytest.mark.parametrize("role", ["verify_scram", "verify_md5"])
def test_a_wrong_password_is_refused_with_the_servers_reason(
    password_server: EmbeddedPostgres, role: str
) -> None:
    with pytest.raises(ServerError) as refused:
        WireConnection.connect(url(password_server, role, "not it"))
    assert refused.value.sqlstate == "28P01"
    assert f'password authentication failed for user "{role}"' in str(refused.value)


def test_a_missing_password_is_named_before_anything_is_sent(
    password_server: EmbeddedPostgres,
) -> None:
    with pytest.raises(WireError, match="the server asks 'verify_scram' for a password; none"):
        WireConnection.connect(url(password_server, "verify_scram"))


def test_tls_required_of_a_server_without_it_is_refused_by_name(
    password_server: EmbeddedPostgres,
) -> None:
    dsn = url(password_server, "verify_scram", PASSWORD, "?sslmode=require")
    with pytest.raises(WireError, match="sslmode=require, but the server does not offer TLS"):
        WireConnection.connect(dsn)
    # prefer, libpq's default, falls back to a plain connection as libpq does
    with WireConnection.connect(url(password_server, "verify_scram", PASSWORD)) as wire:
        assert wire.query("SELECT 'plain'") == [("plain",)]


def test_a_statement_the_server_cannot_prepare_raises_its_error_and_the_session_goes_on(
    password_server: EmbeddedPostgres,
) -> None:
    with WireConnection.connect(password_server.dsn) as wire:
        with pytest.raises(ServerError, match='42P01: relation "no_such_table" does not exist'):
            wire.describe("SELECT * FROM no_such_table")
        assert wire.query("SELECT 'still here'") == [("still here",)]


def passfile(tmp_path: Path, *lines: str, mode: int = 0o600) -> Path:
    path = tmp_path / "pgpass"
    path.write_text("".join(f"{line}\n" for line in lines))
    path.chmod(mode)
    return path


def test_a_passfile_named_in_the_dsn_gives_the_password_of_the_matching_line(
    password_server: EmbeddedPostgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    path = passfile(
        tmp_path,
        "# host:port:database:user:password",
        f"127.0.0.1:{password_server.port}:otherdb:verify_scram:wrong",
        f"127.0.0.1:*:postgres:verify_scram:{ESCAPED}",
    )
    dsn = url(password_server, "verify_scram", query=f"?passfile={path}")
    with WireConnection.connect(dsn) as wire:
        assert wire.query("SELECT current_user") == [("verify_scram",)]
    keywords = f"host=127.0.0.1 port={password_server.port} user=verify_md5 dbname=postgres"
    path.write_text(f"*:*:*:verify_md5:{ESCAPED}\n")
    with WireConnection.connect(f"{keywords} passfile='{path}'") as wire:
        assert wire.query("SELECT current_user") == [("verify_md5",)]


def test_pgpassfile_and_the_home_pgpass_are_read_and_a_readable_one_is_ignored(
    password_server: EmbeddedPostgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.delenv("PGPASSFILE", raising=False)
    line = f"*:*:*:verify_scram:{ESCAPED}"
    monkeypatch.setenv("HOME", str(tmp_path))
    passfile(tmp_path, line).rename(tmp_path / ".pgpass")
    with WireConnection.connect(url(password_server, "verify_scram")) as wire:
        assert wire.query("SELECT 'home'") == [("home",)]
    (tmp_path / ".pgpass").unlink()
    monkeypatch.setenv("PGPASSFILE", str(passfile(tmp_path, line)))
    with WireConnection.connect(url(password_server, "verify_scram")) as wire:
        assert wire.query("SELECT 'pgpassfile'") == [("pgpassfile",)]
    passfile(tmp_path, line, mode=0o644)  # libpq ignores a file others can read
    with pytest.raises(WireError, match="for a password; none given"):
        WireConnection.connect(url(password_server, "verify_scram"))


def test_verify_without_a_dsn_connects_with_the_pg_variables(
    password_server: EmbeddedPostgres, tmp_path: Path
) -> None:
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "__init__.py").write_text("")
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith("PG") and key != "DATABASE_URL"
    }  # fmt: skip
    env.update(
        PGHOST="127.0.0.1", PGPORT=str(password_server.port), PGUSER="verify_md5",
        PGDATABASE="postgres", PGPASSWORD=PASSWORD, PGSSLMODE="disable",
        PYTHONPATH=str(tmp_path),
    )  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "sqlc_gen_asyncpg", "verify", "--package", "nothing"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "nothing: 0 statements and 0 enums compared with the server: agree\n"
    env["PGPASSWORD"] = "not it"
    refused = subprocess.run(
        [sys.executable, "-m", "sqlc_gen_asyncpg", "verify", "--package", "nothing"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert refused.returncode == 2
    assert 'password authentication failed for user "verify_md5"' in refused.stderr
