"""`betdb backup` and `betdb restore` with the server's own pg_dump/pg_restore, row for row."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest
from typer.testing import CliRunner

from betdb import UnifiedRepository
from betdb.backup import table_fingerprints
from betdb.cli import app
from betdb.generated import init_connection
from betdb.generated.models import DataSource, Market
from betdb.migrate import migration_versions
from betdb.movement import latest_odds
from betdb.sample import SAMPLE_DATE, SAMPLE_GAME_PK
from betdb.testing import run_sync

NEWEST = migration_versions()[-1]


def invoke(monkeypatch: pytest.MonkeyPatch, dsn: str, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", dsn)
    monkeypatch.setenv("COLUMNS", "300")
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


async def _fingerprints(dsn: str) -> dict[str, tuple[int, str]]:
    connection = await asyncpg.connect(dsn)
    try:
        return {f.table: (f.rows, f.checksum) for f in await table_fingerprints(connection)}
    finally:
        await connection.close()


async def _reads(dsn: str) -> dict[str, object]:
    """What the repository answers about the sample's featured game and day."""
    connection = await asyncpg.connect(dsn)
    await init_connection(connection)
    try:
        repo = UnifiedRepository(connection)
        game = await repo.games.find_game_by_external_id(
            source=DataSource.MLB, external_id=str(SAMPLE_GAME_PK)
        )
        assert game is not None
        day = await repo.games.find_games_by_date_range(
            start_date=SAMPLE_DATE, end_date=SAMPLE_DATE, status=None
        )
        return {
            "game": game,
            "day": day,
            "odds": [
                record.to_model()
                for record in await repo.odds.find_odds_by_game(
                    game_id=game.game_id, market=None, sportsbook_id=None
                )
            ],
            "latest": await latest_odds(repo, game, Market.MONEYLINE),
            "signals": await repo.signals.list_signals_by_game(game_id=game.game_id),
            "migration": await connection.fetchval("SELECT max(version) FROM schema_migrations"),
        }
    finally:
        await connection.close()


def test_restore_gives_back_every_row_of_every_table_and_partition_and_serves_reads(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, empty_database_url: str, tmp_path: Path
) -> None:
    archive = tmp_path / "season.dump"
    code, output = invoke(monkeypatch, sample_url, "backup", str(archive))
    assert code == 0, output
    assert archive.read_bytes()[:5] == b"PGDMP"
    assert f"migration {NEWEST}" in output

    code, output = invoke(monkeypatch, empty_database_url, "restore", str(archive))
    assert code == 0, output
    assert f"migration {NEWEST}" in output

    before, after = run_sync(_fingerprints(sample_url)), run_sync(_fingerprints(empty_database_url))
    assert after == before
    assert before["odds_partitions.odds_default"][0] == 2588  # the sample week, June 2025
    assert before["odds_partitions.odds_y2026m06"][0] == 2588  # the same a year later
    assert before["public.games"][0] > 0
    assert before["public.betting_splits"][0] > 0

    source, restored = run_sync(_reads(sample_url)), run_sync(_reads(empty_database_url))
    assert restored == source
    assert restored["migration"] == NEWEST
    assert len(restored["odds"]) > 0  # type: ignore[arg-type]
    assert len(restored["latest"]) > 0  # type: ignore[arg-type]
    assert {g.official_date for g in restored["day"]} == {SAMPLE_DATE}  # type: ignore[attr-defined]


def test_restore_refuses_a_database_that_holds_tables_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, sample_url: str, database_url: str, tmp_path: Path
) -> None:
    archive = tmp_path / "season.dump"
    assert invoke(monkeypatch, sample_url, "backup", str(archive))[0] == 0
    target = run_sync(_fingerprints(database_url))  # migrated, no sample rows
    code, output = invoke(monkeypatch, database_url, "restore", str(archive))
    assert code == 1
    assert "is not empty" in output
    assert "restore into a new, empty database" in output
    assert run_sync(_fingerprints(database_url)) == target


def test_restore_names_a_file_that_is_not_a_backup(
    monkeypatch: pytest.MonkeyPatch, empty_database_url: str, tmp_path: Path
) -> None:
    text = tmp_path / "odds.csv"
    text.write_text("game_id,price\n1,-110\n")
    code, output = invoke(monkeypatch, empty_database_url, "restore", str(text))
    assert code == 1
    assert "is not a pg_dump custom-format archive" in output
    code, output = invoke(monkeypatch, empty_database_url, "restore", str(tmp_path / "none"))
    assert code == 1
    assert "no backup file" in output


def test_a_failed_backup_names_the_problem_and_leaves_no_file(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    archive = tmp_path / "missing-dir" / "season.dump"
    code, output = invoke(monkeypatch, database_url, "backup", str(archive))
    assert code == 1
    assert "no directory" in output
    unreachable = "postgresql://postgres@127.0.0.1:1/betdb?sslmode=disable"
    code, output = invoke(monkeypatch, unreachable, "backup", str(tmp_path / "season.dump"))
    assert code == 1
    assert "the database is unreachable: cannot connect to" in output
    assert list(tmp_path.iterdir()) == []
