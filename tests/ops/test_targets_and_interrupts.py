"""What `betdb backup`, `restore` and `export` do with awkward target paths, with a second export
into the same directory, and with SIGINT sent to the betdb process alone (as a supervisor does)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest
from typer.testing import CliRunner

from betdb.cli import app
from betdb.export import MANIFEST, ExportError, ExportManifest, export_odds, read_manifest
from betdb.sample import SAMPLE_GAME_PK
from betdb.testing import run_sync


def invoke(monkeypatch: pytest.MonkeyPatch, dsn: str, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", dsn)
    monkeypatch.setenv("COLUMNS", "300")
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


# -- backup targets ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", ".", "a-directory"])
def test_backup_refuses_a_directory_before_dumping_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path, name: str
) -> None:
    (tmp_path / "a-directory").mkdir()
    monkeypatch.chdir(tmp_path)
    code, output = invoke(monkeypatch, database_url, "backup", name)
    assert code == 1, output
    assert "Traceback" not in output
    assert "is a directory: name a file to write the backup into" in output  # "" is "."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-directory"]
    assert list((tmp_path / "a-directory").iterdir()) == []


def test_backup_writes_a_250_character_file_name(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    archive = tmp_path / ("b" * 245 + ".dump")
    code, output = invoke(monkeypatch, database_url, "backup", str(archive))
    assert code == 0, output
    assert archive.read_bytes()[:5] == b"PGDMP"
    assert [p.name for p in tmp_path.iterdir()] == [archive.name]
    code, output = invoke(monkeypatch, database_url, "backup", str(tmp_path / ("c" * 256)))
    assert code == 1
    assert "the file name is over 255 bytes" in output


def test_backup_refuses_an_existing_file_or_symlink_unless_forced(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    link = tmp_path / "link.dump"
    link.symlink_to(notes)
    for target, kind in ((notes, "a file"), (link, "a symlink")):
        code, output = invoke(monkeypatch, database_url, "backup", str(target))
        assert code == 1
        assert f"{target} exists ({kind}): name a new file, or pass --force" in output
    assert notes.read_text() == "mine"

    code, output = invoke(monkeypatch, database_url, "backup", "--force", str(link))
    assert code == 0, output
    assert not link.is_symlink()  # the link is replaced, never written through
    assert link.read_bytes()[:5] == b"PGDMP"
    assert notes.read_text() == "mine"
    code, output = invoke(monkeypatch, database_url, "backup", "--force", str(notes))
    assert code == 0, output
    assert notes.read_bytes()[:5] == b"PGDMP"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.dump", "notes.txt"]


@pytest.mark.parametrize("name", ["", ".", "a-directory"])
def test_restore_names_a_directory_given_for_the_backup_file(
    monkeypatch: pytest.MonkeyPatch, empty_database_url: str, tmp_path: Path, name: str
) -> None:
    (tmp_path / "a-directory").mkdir()
    monkeypatch.chdir(tmp_path)
    code, output = invoke(monkeypatch, empty_database_url, "restore", name)
    assert code == 1
    assert output.strip() == (
        f"error: {(tmp_path / name).resolve()} is a directory: name the backup file to restore"
    )


# -- export targets ------------------------------------------------------------------------


def test_export_leaves_a_users_dir_partial_alone(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, tmp_path: Path
) -> None:
    mine = tmp_path / "out.partial"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine")
    code, output = invoke(monkeypatch, sample_url, "export", "odds", "--season", "2025",
                          str(tmp_path / "out"))  # fmt: skip
    assert code == 0, output
    assert (mine / "keep.txt").read_text() == "mine"
    assert read_manifest(tmp_path / "out").rows > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out.partial"]


def test_export_beside_a_plain_file_named_like_a_staging_directory(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, tmp_path: Path
) -> None:
    (tmp_path / "out.partial").write_text("a file")
    code, output = invoke(monkeypatch, sample_url, "export", "odds", "--season", "2025",
                          str(tmp_path / "out"))  # fmt: skip
    assert code == 0, output
    assert (tmp_path / "out.partial").read_text() == "a file"
    code, output = invoke(monkeypatch, sample_url, "export", "odds", "--season", "2025",
                          str(tmp_path / "out.partial"))  # fmt: skip
    assert code == 1
    assert "exists and is not a directory" in output
    assert "Traceback" not in output


def test_the_export_directory_reads_as_a_dataset_in_pyarrow_polars_and_duckdb(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, tmp_path: Path
) -> None:
    import duckdb
    import polars as pl
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    out = tmp_path / "out"
    code, output = invoke(monkeypatch, sample_url, "export", "odds", "--season", "2025", str(out))
    assert code == 0, output
    assert (out / MANIFEST).name == "_manifest.json"
    rows = read_manifest(out).rows
    assert rows == 5176  # the sample week, and the same odds a year later
    assert ds.dataset(out, partitioning="hive").to_table().num_rows == rows
    assert pq.read_table(out).num_rows == rows
    # Polars reads every file of a directory unless told which to pass over.
    assert pl.scan_parquet(out, hidden_file_prefix="_").select(pl.len()).collect().item() == rows
    assert pl.scan_parquet(out / "**/*.parquet").select(pl.len()).collect().item() == rows
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/**/*.parquet')").fetchall() == [
        (rows,)
    ]
    months = (
        pl.scan_parquet(out, hidden_file_prefix="_", hive_partitioning=True)
        .select("month")
        .unique()
        .collect()
    )
    assert sorted(months["month"].to_list()) == ["2025-06", "2026-06"]


def test_export_range_checks_the_season_and_refuses_a_season_without_odds(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, tmp_path: Path
) -> None:
    for season in ("99999999999", "-1", "1875", "2201"):
        code, output = invoke(monkeypatch, sample_url, "export", "odds", "--season", season,
                              str(tmp_path / "out"))  # fmt: skip
        assert code == 2, output
        assert "Traceback" not in output
    code, output = invoke(monkeypatch, sample_url, "export", "odds", "--season", "2019",
                          str(tmp_path / "out"))  # fmt: skip
    assert code == 1
    assert "no odds of season 2019 in the database: nothing was exported" in output
    assert list(tmp_path.iterdir()) == []


def test_export_of_a_game_of_another_season_is_a_usage_error_like_an_unknown_game(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, tmp_path: Path
) -> None:
    out = str(tmp_path / "out")
    other = ("export", "odds", "--season", "2024", "--game", f"mlb:{SAMPLE_GAME_PK}", out)
    unknown = ("export", "odds", "--season", "2025", "--game", "mlb:1", out)
    assert invoke(monkeypatch, sample_url, *other)[0] == 2
    assert invoke(monkeypatch, sample_url, *unknown)[0] == 2
    assert list(tmp_path.iterdir()) == []


def _cli(*args: str, dsn: str) -> subprocess.Popen[str]:
    program = (
        f"import sys; sys.argv = ['betdb', *{list(args)!r}]; from betdb.cli import main; main()"
    )
    # A session whose client is gone ends within 100 ms even while it waits for a lock: the
    # tests below see pg_dump or pg_restore stop while they still hold the lock it waits for.
    options = "-c client_connection_check_interval=100"
    return subprocess.Popen(
        [sys.executable, "-c", program],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DATABASE_URL": dsn, "COLUMNS": "300", "PGOPTIONS": options},
    )


def test_two_exports_into_one_directory_land_one_whole_export_and_refuse_the_other(
    sample_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    runs = [
        _cli("export", "odds", "--season", "2025", "--json", str(out), dsn=sample_url),
        _cli("export", "odds", "--season", "2025", "--game", f"mlb:{SAMPLE_GAME_PK}", "--json",
             str(out), dsn=sample_url),
    ]  # fmt: skip
    results = [(run.wait(timeout=180), *run.communicate()) for run in runs]
    for _, _, stderr in results:
        assert "Traceback" not in stderr
    codes = sorted(code for code, _, _ in results)
    assert codes in ([0, 0], [0, 1])
    assert pq_rows(out) == read_manifest(out).rows  # what lies under DIR is what it says
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    if codes == [0, 1]:
        loser = next(stderr for code, _, stderr in results if code == 1)
        assert (
            "was filled by another export while this one ran" in loser
            or "exists and is not empty" in loser
        )


async def _two_exports_at_once(dsn: str, out: Path) -> list[object]:
    first, second = await asyncpg.connect(dsn), await asyncpg.connect(dsn)
    try:
        game = await first.fetchval("SELECT game_id FROM games WHERE mlb_game_pk = $1",
                                    SAMPLE_GAME_PK)  # fmt: skip
        return await asyncio.gather(
            export_odds(first, out, season=2025, batch_rows=100),
            export_odds(second, out, season=2025, game_ids=[game], batch_rows=100),
            return_exceptions=True,
        )
    finally:
        await first.close()
        await second.close()


def test_of_two_exports_staged_at_once_the_first_to_finish_lands_and_the_other_is_refused(
    sample_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    whole, one_game = run_sync(_two_exports_at_once(sample_url, out))
    assert isinstance(one_game, ExportManifest)  # fewer rows: it finishes first
    assert isinstance(whole, ExportError)
    assert "was filled by another export while this one ran" in whole.message
    assert read_manifest(out).game_ids == one_game.game_ids
    assert pq_rows(out) == one_game.rows
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def pq_rows(directory: Path) -> int:
    import pyarrow.dataset as ds

    manifest = read_manifest(directory)
    assert sorted(f.path for f in manifest.files) == sorted(
        str(p.relative_to(directory)) for p in directory.rglob("*.parquet")
    )
    return int(ds.dataset(directory, partitioning="hive").count_rows())


# -- SIGINT to betdb alone -----------------------------------------------------------------


async def _until(dsn: str, query: str, predicate: Callable[[object], bool], what: str) -> object:
    connection = await asyncpg.connect(dsn)
    try:
        for _ in range(600):
            value = await connection.fetchval(query)
            if predicate(value):
                return value
            await asyncio.sleep(0.1)
    finally:
        await connection.close()
    raise AssertionError(f"never saw {what}")


def _interrupt(run: subprocess.Popen[str]) -> tuple[int, str]:
    os.kill(run.pid, signal.SIGINT)
    _, stderr = run.communicate(timeout=60)
    return run.returncode, stderr


_WAITING = (
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'betdb'"
    " AND wait_event_type = 'Lock'"
)
_TOOL_SESSIONS = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'betdb'"


async def _interrupted_while_locked(
    dsn: str, lock: str, command: tuple[str, ...], waiting: str = _WAITING
) -> tuple[int, str]:
    """Run betdb while a lock it needs is held, SIGINT it once it waits, and see the tool's
    session end before the lock is given back: the tool was stopped, not left to finish."""
    holder = await asyncpg.connect(dsn)
    transaction = holder.transaction()
    await transaction.start()
    await holder.execute(lock)
    run = _cli(*command, dsn=dsn)
    try:
        await _until(dsn, waiting, lambda n: n == 1, f"{command[0]} waiting for the lock")
        code, stderr = await asyncio.to_thread(_interrupt, run)
        await _until(dsn, _TOOL_SESSIONS, lambda n: n == 0, "the tool's session end")
    finally:
        if run.poll() is None:
            run.kill()
        await transaction.rollback()
        await holder.close()
    return code, stderr


def test_sigint_stops_pg_dump_and_leaves_no_backup(database_url: str, tmp_path: Path) -> None:
    archive = tmp_path / "season.dump"
    code, stderr = run_sync(
        _interrupted_while_locked(
            database_url, "LOCK TABLE games IN ACCESS EXCLUSIVE MODE", ("backup", str(archive))
        )
    )
    assert code == 130
    assert stderr.strip() == (
        f"error: backup interrupted: pg_dump stopped, nothing was written to {archive}"
    )
    assert list(tmp_path.iterdir()) == []


def test_sigint_stops_an_export_and_leaves_nothing(sample_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    waiting = (
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%ExportSeasonOdds%'"
        " AND wait_event_type = 'Lock'"
    )
    code, stderr = run_sync(
        _interrupted_while_locked(
            sample_url,
            "LOCK TABLE odds IN ACCESS EXCLUSIVE MODE",
            ("export", "odds", "--season", "2025", str(out)),
            waiting,
        )
    )
    assert code == 130
    assert stderr.strip() == f"error: export interrupted: nothing was written under {out}"
    assert list(tmp_path.iterdir()) == []


def _backup(dsn: str, archive: Path) -> None:
    run = _cli("backup", str(archive), dsn=dsn)
    assert run.wait(timeout=120) == 0, run.communicate()


_RELATIONS = (
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname IN ('public', 'odds_partitions')"
)


def test_sigint_during_pg_restore_restores_nothing_and_says_so(
    database_url: str, empty_database_url: str, tmp_path: Path
) -> None:
    archive = tmp_path / "season.dump"
    _backup(database_url, archive)
    # Creating any type or table waits for this lock, so pg_restore stops at its start.
    code, stderr = run_sync(
        _interrupted_while_locked(
            empty_database_url, "LOCK TABLE pg_catalog.pg_type IN SHARE MODE",
            ("restore", str(archive)),
        )
    )  # fmt: skip
    assert code == 130
    assert stderr.strip() == "error: restore interrupted: nothing was restored"

    async def relations() -> int:
        connection = await asyncpg.connect(empty_database_url)
        try:
            return int(await connection.fetchval(_RELATIONS))
        finally:
            await connection.close()

    assert run_sync(relations()) == 0


def test_sigint_during_analyze_says_the_restore_holds_but_needs_analyze(
    database_url: str, empty_database_url: str, tmp_path: Path
) -> None:
    archive = tmp_path / "season.dump"
    _backup(database_url, archive)

    async def scenario() -> tuple[int, str]:
        holder = await asyncpg.connect(empty_database_url)
        transaction = holder.transaction()
        await transaction.start()
        # ANALYZE of the whole database waits here; pg_restore never needs this lock.
        await holder.execute("LOCK TABLE pg_catalog.pg_statistic IN SHARE UPDATE EXCLUSIVE MODE")
        run = _cli("restore", str(archive), dsn=empty_database_url)
        try:
            await _until(
                empty_database_url,
                "SELECT count(*) FROM pg_stat_activity WHERE query = 'ANALYZE'"
                " AND wait_event_type = 'Lock'",
                lambda n: n == 1,
                "ANALYZE waiting for its lock",
            )
            return await asyncio.to_thread(_interrupt, run)
        finally:
            await transaction.rollback()
            await holder.close()

    code, stderr = run_sync(scenario())
    assert code == 130
    assert stderr.strip() == "error: restore interrupted: restored, but not analyzed: run ANALYZE"


# -- a database without betdb's schema -------------------------------------------------------


@pytest.mark.parametrize(
    "command", [("health",), ("stats", "tables"), ("report", "calibration", "--season", "2025")]
)
def test_a_database_without_betdbs_schema_is_said_to_be_not_migrated(
    monkeypatch: pytest.MonkeyPatch, empty_database_url: str, command: tuple[str, ...]
) -> None:
    code, output = invoke(monkeypatch, empty_database_url, *command)
    assert code == 1
    assert "is not migrated (no betdb schema): run `betdb migrate up`" in output
    assert "unreachable" not in output


def test_restore_warns_when_the_dump_is_not_a_betdb_database(
    monkeypatch: pytest.MonkeyPatch, empty_database_url: str, tmp_path: Path
) -> None:
    async def other_application() -> None:
        connection = await asyncpg.connect(empty_database_url)
        try:
            await connection.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)")
        finally:
            await connection.close()

    run_sync(other_application())
    archive = tmp_path / "other.dump"
    _backup(empty_database_url, archive)

    async def emptied() -> None:
        connection = await asyncpg.connect(empty_database_url)
        try:
            await connection.execute("DROP TABLE notes")
        finally:
            await connection.close()

    run_sync(emptied())
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    result = CliRunner().invoke(app, ["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output
    assert "is not a betdb database (no schema_migrations table)" in result.output
