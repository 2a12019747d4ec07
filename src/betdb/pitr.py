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

from betdb._server_account import (
    SERVER_USER,
    ServerPlacementError,
    cluster_storage,
    server_account,
)
from betdb.backup import BackupError, libpq_target, postgres_tool
from betdb.embedded import PORT_FILE


def archive_command(archive_dir: Path) -> str:
    """Copy a finished WAL segment into archive_dir, never over one already there."""
    target = shlex.quote(str(archive_dir.resolve()))
    return f"test ! -f {target}/%f && cp %p {target}/%f"


def restore_command(archive_dir: Path) -> str:
    return f"cp {shlex.quote(str(archive_dir.resolve()))}/%f %p"


def archiving_settings(archive_dir: Path, *, timeout_seconds: int = 60) -> tuple[str, ...]:
    """Server settings that archive WAL into archive_dir, for EmbeddedPostgres(settings=...).

    archive_timeout bounds how much a lost server can lose: a segment is archived at least
    that often when anything was written. Unquoted: EmbeddedPostgres quotes every setting for
    pg_ctl's shell itself.
    """
    return (
        "wal_level=replica",
        "archive_mode=on",
        f"archive_command={archive_command(archive_dir)}",
        f"archive_timeout={timeout_seconds}",
    )


def _place_for_server(path: Path) -> Path:
    """Where the server's files for path go, created and owned by the server's user.

    As root, a path the server's user cannot reach is kept under the server root and path
    becomes a symlink to it (as for a data directory, betdb._server_account): betdb widens the
    permissions of no directory it did not create.
    """
    account = server_account()
    if account is None:
        path.mkdir(parents=True, exist_ok=True)
        return path
    try:
        storage = cluster_storage(path, account)
    except (ServerPlacementError, OSError) as error:
        raise BackupError(str(error)) from error
    made_by_betdb = storage != path and (storage.parent / "handle").is_file()
    if not storage.exists():
        storage.mkdir()
        made_by_betdb = True
    if made_by_betdb:
        os.chown(storage, account.uid, -1)
        storage.chmod(0o700)
    elif storage.stat().st_uid != account.uid:
        raise BackupError(
            f"{path} is not {SERVER_USER}'s, and the server runs as {SERVER_USER}: name a new "
            f"directory, or give it to that user yourself (chown {SERVER_USER} {path})"
        )
    return storage


def prepare_archive(archive_dir: Path) -> Path:
    """The archive directory, created and writable by the server's user (as root, possibly
    under the server root, archive_dir a symlink to it); returns where it really is."""
    archive_dir = Path(os.path.abspath(archive_dir))
    if archive_dir.exists() and not archive_dir.is_dir():
        raise BackupError(f"the WAL archive {archive_dir} is not a directory")
    return _place_for_server(archive_dir).resolve()


def base_backup(dsn: str, backup_dir: Path, *, timeout: float = 3600) -> Path:
    """pg_basebackup of the whole cluster of dsn into backup_dir (plain format, the WAL needed
    to make it consistent streamed alongside, checkpoint at once). The password goes from the
    DSN to pg_basebackup's environment (or its passfile= stays a passfile), never its argv."""
    backup_dir = Path(os.path.abspath(backup_dir))
    if backup_dir.exists() or backup_dir.is_symlink():
        raise BackupError(f"take a base backup into a new directory: {backup_dir} exists")
    if not backup_dir.parent.is_dir():
        raise BackupError(f"cannot write {backup_dir}: no directory {backup_dir.parent}")
    target, env = libpq_target(dsn)
    result = subprocess.run(
        [
            str(postgres_tool("pg_basebackup")), "-D", str(backup_dir), "-X", "stream",
            "-c", "fast", "--no-sync", f"--dbname={target}",
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env},
        check=False,
    )  # fmt: skip
    if result.returncode != 0:
        shutil.rmtree(backup_dir, ignore_errors=True)
        raise BackupError(
            f"pg_basebackup failed (exit {result.returncode}): {result.stderr.strip()}"
        )
    return backup_dir


def prepare_recovery(
    backup_dir: Path, data_dir: Path, archive_dir: Path, target_time: dt.datetime
) -> Path:
    """A new data directory from the base backup, set to replay the archive up to target_time
    (inclusive) and then promote: start it with EmbeddedPostgres(data_dir).start()."""
    if target_time.tzinfo is None:
        raise ValueError("recovery target time needs a time zone")
    data_dir = Path(os.path.abspath(data_dir))
    if data_dir.exists() or data_dir.is_symlink():
        raise BackupError(f"recover into a new data directory: {data_dir} exists")
    storage = _place_for_server(data_dir)
    shutil.copytree(backup_dir, storage, symlinks=True, dirs_exist_ok=True)
    for stale in ("postmaster.pid", "postmaster.opts", "server.log", PORT_FILE):
        (storage / stale).unlink(missing_ok=True)
    settings = {
        "restore_command": restore_command(archive_dir),
        "recovery_target_time": target_time.isoformat(sep=" "),
        "recovery_target_action": "promote",
        "archive_mode": "off",  # the recovered server must not write into the old archive
    }
    lines = [
        f"{name} = '{value.replace(chr(39), chr(39) * 2)}'" for name, value in settings.items()
    ]
    with (storage / "postgresql.auto.conf").open("a") as conf:
        conf.write("\n# betdb.pitr: point-in-time recovery\n" + "\n".join(lines) + "\n")
    (storage / "recovery.signal").touch()
    account = server_account()
    if account is not None:  # the copy is ours; the server runs as its user
        for path in [storage, *storage.rglob("*")]:
            os.chown(path, account.uid, -1, follow_symlinks=False)
    storage.chmod(0o700)
    return data_dir
