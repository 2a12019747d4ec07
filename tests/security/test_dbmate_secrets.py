"""dbmate gets the DSN in its environment, not in argv (where ps shows it), and gives up on a
server that never answers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from betdb.migrate import DBMATE_CONNECT_TIMEOUT, MigrationError, dbmate_url, run_dbmate

SECRET = "S3cr3tPW"


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word, like a host behind a black hole."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield int(listener.getsockname()[1])


def _command_lines_of_dbmate(seen: list[str], stop: threading.Event) -> None:
    while not stop.is_set():
        for process in Path("/proc").glob("[0-9]*"):
            try:
                argv = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "dbmate" in argv and "--migration-lock" in argv:
                seen.append(argv)
        stop.wait(0.05)


def test_dbmate_runs_without_the_password_in_its_argv(silent_server: int) -> None:
    dsn = f"postgresql://app:{SECRET}@127.0.0.1:{silent_server}/betdb?connect_timeout=2"
    seen: list[str] = []
    stop = threading.Event()
    watcher = threading.Thread(target=_command_lines_of_dbmate, args=(seen, stop))
    watcher.start()
    try:
        with pytest.raises(MigrationError) as raised:
            run_dbmate(dsn, "status")
    finally:
        stop.set()
        watcher.join()
    assert seen, "dbmate was never seen running"
    assert not [argv for argv in seen if SECRET in argv]
    assert "timeout" in str(raised.value)
    assert SECRET not in str(raised.value)


def test_dbmate_gets_a_connect_timeout_unless_the_dsn_sets_one() -> None:
    assert dbmate_url("postgresql://u@db.internal/betdb").endswith(
        f"?connect_timeout={DBMATE_CONNECT_TIMEOUT}"
    )
    assert "connect_timeout=3" in dbmate_url("postgresql://u@h/b?connect_timeout=3")
    assert dbmate_url("postgresql://u@h/b?connect_timeout=3").count("connect_timeout") == 1
