"""A real PgBouncer (the Debian package) in front of a PostgreSQL server, for tests.

PgBouncer refuses to run as root, so as root it runs as the embedded server's own user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from betdb._server_account import server_uid
from betdb.embedded import free_port

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

    def dsn_for(self, direct_dsn: str) -> str:
        """The same database and user as direct_dsn, through the pooler."""
        parts = urlsplit(direct_dsn)
        netloc = (
            f"{parts.username}@127.0.0.1:{self.port}"
            if parts.username
            else f"127.0.0.1:{self.port}"
        )
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))

    def _write_config(self) -> Path:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        users = self.work_dir / "users.txt"
        users.write_text(f'"{self.user}" ""\n')
        config = self.work_dir / "pgbouncer.ini"
        config.write_text(
            "[databases]\n"
            f"* = host={self.server.hostname} port={self.server.port}\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\n"
            "unix_socket_dir =\n"
            "auth_type = trust\n"
            f"auth_file = {users}\n"
            f"admin_users = {self.user}\n"
            f"pool_mode = {self.pool_mode}\n"
            "max_client_conn = 500\n"
            "default_pool_size = 20\n"
            "server_lifetime = 3600\n"
            f"logfile = {self.work_dir / 'pgbouncer.log'}\n"
            f"pidfile = {self.work_dir / 'pgbouncer.pid'}\n"
        )
        uid = server_uid()
        if uid is not None:
            for path in (self.work_dir, users, config):
                os.chown(path, uid, -1)
            for parent in self.work_dir.parents:
                if parent.stat().st_mode & 0o005 != 0o005:
                    parent.chmod(parent.stat().st_mode | 0o055)
        return config

    def start(self, timeout: float = 15) -> None:
        config = self._write_config()
        assert PGBOUNCER is not None
        self.process = subprocess.Popen(
            [PGBOUNCER, str(config)],
            user=server_uid(),
            cwd="/",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"pgbouncer exited at start: {error}{self.log()}")
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
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None
