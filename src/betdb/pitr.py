"""Point-in-time recovery with PostgreSQL's own tools: WAL archiving, pg_basebackup, replay.

The recipe (README "Operations"): archive every WAL segment with ``archive_command``; take a
base backup with ``pg_basebackup``; to go back to a moment, put a copy of the base backup in a
new data directory, give it a ``restore_command`` that reads the archive and a
``recovery_target_time``, create ``recovery.signal`` and start it: the server replays the WAL
up to that moment and promotes itself. The functions here are those steps, for the embedded
server and the tests; on another server the same settings go in postgresql.conf.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import subprocess
from pathlib import Path

from betdb._server_account import server_uid
from betdb.backup import BackupError, postgres_tool
from betdb.embedded import SUPERUSER


def archive_command(archive_dir: Path) -> str:
    """Copy a finished WAL segment into archive_dir, never over one already there."""
    target = shlex.quote(str(archive_dir.resolve()))
    return f"test ! -f {target}/%f && cp %p {target}/%f"


def restore_command(archive_dir: Path) -> str:
    return f"cp {shlex.quote(str(archive_dir.resolve()))}/%f %p"


def archiving_settings(archive_dir: Path, *, timeout_seconds: int = 60) -> tuple[str, ...]:
    """Server settings that archive WAL into archive_dir, for EmbeddedPostgres(settings=...).

    archive_timeout bounds how much a lost server can lose: a segment is archived at least
    that often when anything was written. pg_ctl passes its options through a shell, hence the
    quoting of the command.
    """
    return (
        "wal_level=replica",
        "archive_mode=on",
        shlex.quote(f"archive_command={archive_command(archive_dir)}"),
        f"archive_timeout={timeout_seconds}",
    )


def _owned_by_server(path: Path) -> None:
    uid = server_uid()
    if uid is not None:
        os.chown(path, uid, -1)


def prepare_archive(archive_dir: Path) -> Path:
    """The archive directory, created and writable by the server's user."""
    archive_dir = archive_dir.resolve()
    archive_dir.mkdir(parents=True, exist_ok=True)
    _owned_by_server(archive_dir)
    archive_dir.chmod(0o700)
    for parent in archive_dir.parents:  # the server's user must reach it when we are root
        mode = parent.stat().st_mode
        if server_uid() is not None and mode & 0o005 != 0o005:
            parent.chmod(mode | 0o055)
    return archive_dir


def _run_as_server(tool: str, *args: str, timeout: float) -> None:
    result = subprocess.run(
        [str(postgres_tool(tool)), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        user=server_uid(),
        cwd="/",
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed (exit {result.returncode}): {result.stderr.strip()}")


def base_backup(
    port: int, backup_dir: Path, *, host: str = "127.0.0.1", timeout: float = 3600
) -> Path:
    """pg_basebackup of the whole cluster into backup_dir (plain format, the WAL needed to
    make it consistent streamed alongside, checkpoint at once)."""
    backup_dir = backup_dir.resolve()
    backup_dir.mkdir(parents=True, exist_ok=False)
    _owned_by_server(backup_dir)
    backup_dir.chmod(0o700)
    _run_as_server(
        "pg_basebackup", "-D", str(backup_dir), "-X", "stream", "-c", "fast", "--no-sync",
        "-d", f"host={host} port={port} user={SUPERUSER}",
        timeout=timeout,
    )  # fmt: skip
    return backup_dir


def prepare_recovery(
    backup_dir: Path, data_dir: Path, archive_dir: Path, target_time: dt.datetime
) -> Path:
    """A new data directory from the base backup, set to replay the archive up to target_time
    (inclusive) and then promote: start it with EmbeddedPostgres(data_dir).start()."""
    if target_time.tzinfo is None:
        raise ValueError("recovery target time needs a time zone")
    data_dir = data_dir.resolve()
    if data_dir.exists():
        raise BackupError(f"recover into a new data directory: {data_dir} exists")
    shutil.copytree(backup_dir, data_dir, symlinks=True)
    for stale in ("postmaster.pid", "postmaster.opts", "server.log"):
        (data_dir / stale).unlink(missing_ok=True)
    settings = {
        "restore_command": restore_command(archive_dir),
        "recovery_target_time": target_time.isoformat(sep=" "),
        "recovery_target_action": "promote",
        "archive_mode": "off",  # the recovered server must not write into the old archive
    }
    lines = [
        f"{name} = '{value.replace(chr(39), chr(39) * 2)}'" for name, value in settings.items()
    ]
    with (data_dir / "postgresql.auto.conf").open("a") as conf:
        conf.write("\n# betdb.pitr: point-in-time recovery\n" + "\n".join(lines) + "\n")
    (data_dir / "recovery.signal").touch()
    uid = server_uid()
    if uid is not None:
        for path in [data_dir, *data_dir.rglob("*")]:
            os.chown(path, uid, -1, follow_symlinks=False)
    data_dir.chmod(0o700)
    return data_dir
