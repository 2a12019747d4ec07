"""Point-in-time recovery with pg_basebackup, archive_command and recovery_target_time."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from pathlib import Path

import asyncpg
import pytest
from typer.testing import CliRunner

from betdb import UnifiedRepository
from betdb._server_account import remove_storage
from betdb.backup import BackupError
from betdb.cli import app
from betdb.embedded import EmbeddedPostgres
from betdb.generated import init_connection
from betdb.generated.games import UpsertGameParams
from betdb.generated.models import DataQuality, DataSource, GameStatus, GameType, SeasonType
from betdb.generated.odds import IngestOddsParams
from betdb.migrate import migrate_up
from betdb.pitr import archiving_settings, base_backup, prepare_archive, prepare_recovery

UTC = dt.UTC
GAME_DAY = dt.datetime(2026, 6, 12, tzinfo=UTC)


def _game() -> UpsertGameParams:
    return UpsertGameParams(
        mlb_game_pk=776001, sbr_game_id=None, action_network_game_id=None,
        official_date=GAME_DAY.date(), game_number=1, first_pitch_at=None,
        season=2026, season_type=SeasonType.REGULAR, game_type=GameType.REGULAR,
        status=GameStatus.SCHEDULED, home_score=None, away_score=None, venue=None, weather=None,
        probable_pitchers=None, source=DataSource.MLB, source_url=None, source_updated_at=None,
        data_quality=DataQuality.HIGH, home_team="NYY", away_team="BOS",
    )  # fmt: skip


def _price(game_id: int, book: int, minute: int) -> IngestOddsParams:
    return IngestOddsParams(
        game_id=game_id, sportsbook_id=book, market="moneyline", side="home", line=None,
        price=-110 - minute, observed_at=GAME_DAY + dt.timedelta(minutes=minute),
        is_opening=False, is_closing=False, bet_limit=None, source=DataSource.SBR,
    )  # fmt: skip


def _prices(game_id: int, book: int, minutes: range) -> list[IngestOddsParams]:
    return [_price(game_id, book, minute) for minute in minutes]


async def _odds_minutes(dsn: str) -> list[int]:
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch("SELECT observed_at FROM odds ORDER BY observed_at")
        return [int((row["observed_at"] - GAME_DAY).total_seconds() // 60) for row in rows]
    finally:
        await connection.close()


async def _wait_until_promoted(dsn: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection = await asyncpg.connect(dsn)
            try:
                if not await connection.fetchval("SELECT pg_is_in_recovery()"):
                    return
            finally:
                await connection.close()
        except (OSError, asyncpg.PostgresError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError("the recovered server did not finish recovery in time")
        await asyncio.sleep(0.2)


async def _write_drop_and_archive(dsn: str) -> dt.datetime:
    """Odds for minutes 0-49, the noted time, minutes 50-79, then odds dropped by mistake;
    returns the noted time once the WAL holding all of it is archived."""
    connection = await asyncpg.connect(dsn)
    await init_connection(connection)
    try:
        repo = UnifiedRepository(connection)
        game = await repo.games.upsert_game(_game())
        book = await repo.sportsbooks.get_sportsbook_by_key(key="draftkings")
        assert game is not None
        assert book is not None
        await repo.odds.ingest_odds(_prices(game.game_id, book.sportsbook_id, range(50)))
        noted: dt.datetime = await connection.fetchval("SELECT clock_timestamp()")
        await asyncio.sleep(0.3)
        await repo.odds.ingest_odds(_prices(game.game_id, book.sportsbook_id, range(50, 80)))
        await connection.execute("DROP TABLE odds CASCADE")
        segment = await connection.fetchval("SELECT pg_walfile_name(pg_switch_wal())")
        deadline = time.monotonic() + 30
        while (
            await connection.fetchval("SELECT last_archived_wal FROM pg_stat_archiver") or ""
        ) < segment:
            assert time.monotonic() < deadline, "the WAL segment was not archived in time"
            await asyncio.sleep(0.1)
        return noted
    finally:
        await connection.close()


@pytest.mark.timeout(180)
def test_recovery_to_the_noted_time_finds_exactly_the_rows_written_before_it(
    tmp_path: Path,
) -> None:
    archive = prepare_archive(tmp_path / "wal-archive")
    primary = EmbeddedPostgres(
        tmp_path / "primary", scratch=True, settings=archiving_settings(archive)
    )
    recovered = EmbeddedPostgres(tmp_path / "recovered", scratch=True)
    try:
        primary.start()
        asyncio.run(_create_database(primary.dsn))
        migrate_up(primary.dsn_for("betdb"))
        backup = base_backup(primary.dsn, tmp_path / "base")
        assert (backup / "PG_VERSION").is_file()

        noted = asyncio.run(_write_drop_and_archive(primary.dsn_for("betdb")))
        assert len(list(archive.iterdir())) >= 2  # segments, beyond the base backup's

        prepare_recovery(backup, tmp_path / "recovered", archive, noted)
        recovered.start()
        asyncio.run(_wait_until_promoted(recovered.dsn_for("betdb")))
        assert asyncio.run(_odds_minutes(recovered.dsn_for("betdb"))) == list(range(50))
        log = (tmp_path / "recovered" / "server.log").read_text()
        assert "recovery stopping before commit of transaction" in log
    finally:
        recovered.destroy()
        primary.destroy()
        remove_storage(tmp_path / "wal-archive")


async def _create_database(dsn: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("CREATE DATABASE betdb")
    finally:
        await connection.close()


async def _archive_one_segment(dsn: str) -> tuple[str, str]:
    connection = await asyncpg.connect(dsn)
    try:
        mode = await connection.fetchval("SHOW archive_mode")
        await connection.execute("CREATE TABLE written (n int); INSERT INTO written VALUES (1)")
        segment = await connection.fetchval("SELECT pg_walfile_name(pg_switch_wal())")
        deadline = time.monotonic() + 30
        while (
            await connection.fetchval("SELECT last_archived_wal FROM pg_stat_archiver")
        ) != segment:
            assert time.monotonic() < deadline, "the WAL segment was not archived in time"
            await asyncio.sleep(0.1)
        return str(mode), str(segment)
    finally:
        await connection.close()


@pytest.mark.timeout(120)
def test_betdb_server_start_with_an_archive_dir_archives_every_segment(tmp_path: Path) -> None:
    data_dir, archive = tmp_path / "data", tmp_path / "wal"
    started = CliRunner().invoke(
        app, ["server", "start", "--data-dir", str(data_dir), "--archive-dir", str(archive)]
    )
    assert started.exit_code == 0, started.output
    server = EmbeddedPostgres(data_dir)
    try:
        server.port = server.status().port
        assert server.port is not None
        mode, segment = asyncio.run(_archive_one_segment(server.dsn))
        assert mode == "on"
        assert (archive / segment).is_file()
    finally:
        server.destroy()
        remove_storage(archive)


def test_a_base_backup_goes_into_a_new_directory_only(tmp_path: Path) -> None:
    existing = tmp_path / "base"
    existing.mkdir()
    with pytest.raises(BackupError, match=r"into a new directory: .* exists"):
        base_backup("postgresql://postgres@127.0.0.1:1/postgres", existing)
    assert list(existing.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="as root only: the server then runs as its own user")
def test_an_archive_dir_of_another_user_is_refused_not_given_away(tmp_path: Path) -> None:
    theirs = tmp_path / "wal"
    theirs.mkdir()
    watched = [theirs, *theirs.parents]
    before = [(path.stat().st_uid, path.stat().st_mode) for path in watched]
    # root's existing directory: out of betdb_postgres's reach (pytest's 0700 basetemp), or not
    # its own to write into
    with pytest.raises(BackupError, match=r"cannot enter /|\(chown betdb_postgres /"):
        prepare_archive(theirs)
    assert [(path.stat().st_uid, path.stat().st_mode) for path in watched] == before
    assert not theirs.is_symlink()
