"""A real PgBouncer (the Debian package) in front of a PostgreSQL server, for tests.

Clients prove the server's password to PgBouncer with scram-sha-256, and PgBouncer logs in to
the server with the same proof (its auth_file holds the role's SCRAM secret, read from
pg_authid, never the password). PgBouncer refuses to run as root, so as root it starts as
root, reads its files (private to root) and then becomes the embedded server's own user.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from betdb._server_account import server_account
from betdb.embedded import SERVER_USER, free_port
from betdb.testing import run_sync

PGBOUNCER = shutil.which("pgbouncer") or (
    "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
)
MISSING = "pgbouncer is not installed (Debian: apt-get install pgbouncer; .ci/run installs it)"


class PgBouncer:
    """pgbouncer in pool_mode (transaction by default) forwarding every database to server_dsn."""

    def __init__(self, server_dsn: str, work_dir: Path, *, pool_mode: str = "transaction") -> None:
        if PGBOUNCER is None:
            raise RuntimeError(MISSING)
        parts = urlsplit(server_dsn)
        self.server = parts
        self.user = parts.username or "postgres"
        self.work_dir = work_dir
        self.pool_mode = pool_mode
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def dsn_for(self, direct_dsn: str) -> str:
        """The same database, user and password as direct_dsn, through the pooler."""
        parts = urlsplit(direct_dsn)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@127.0.0.1:{self.port}" if credentials else f"127.0.0.1:{self.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))

    async def _scram_secret(self) -> str:
        connection = await asyncpg.connect(urlunsplit(self.server))
        try:
            secret = await connection.fetchval(
                "SELECT rolpassword FROM pg_authid WHERE rolname = $1", self.user
            )
        finally:
            await connection.close()
        if not str(secret or "").startswith("SCRAM-SHA-256$"):
            raise RuntimeError(f"role {self.user} has no scram-sha-256 password on the server")
        return str(secret)

    def _write_config(self) -> Path:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        users = self.work_dir / "users.txt"
        users.touch(mode=0o600)
        users.write_text(f'"{self.user}" "{run_sync(self._scram_secret())}"\n')
        config = self.work_dir / "pgbouncer.ini"
        # No logfile or pidfile: as root they would be opened after the switch to SERVER_USER,
        # who cannot reach the work dir; the log goes to stderr, into a file opened here.
        config.write_text(
            "[databases]\n"
            f"* = host={self.server.hostname} port={self.server.port}\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\n"
            "unix_socket_dir =\n"
            "auth_type = scram-sha-256\n"
            f"auth_file = {users}\n"
            + (f"user = {SERVER_USER}\n" if server_account() is not None else "")
            + f"admin_users = {self.user}\n"
            f"pool_mode = {self.pool_mode}\n"
            "max_client_conn = 500\n"
            "default_pool_size = 20\n"
            "server_lifetime = 3600\n"
        )
        return config

    def start(self, timeout: float = 15) -> None:
        config = self._write_config()
        assert PGBOUNCER is not None
        self._log = (self.work_dir / "pgbouncer.log").open("ab")
        self.process = subprocess.Popen(
            [PGBOUNCER, str(config)], cwd="/", stdout=self._log, stderr=self._log
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"pgbouncer exited at start: {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"pgbouncer did not listen within {timeout}s: {self.log()}")

    def log(self) -> str:
        path = self.work_dir / "pgbouncer.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
