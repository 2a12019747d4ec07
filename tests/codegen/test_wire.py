"""verify's wire client logs in as a server configured for it: SCRAM-SHA-256, md5, trust.

A scratch server of its own, whose pg_hba.conf asks two roles for passwords (one stored as a
SCRAM verifier, one as md5) and trusts the rest; wrong and missing passwords are refused with
the server's reason, and TLS asked of a server without it is refused by name.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from betdb.embedded import EmbeddedPostgres, scratch_server
from sqlc_gen_asyncpg._wire import ServerError, WireConnection, WireError

PASSWORD = "s3cret: with spaces & symbols"
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
