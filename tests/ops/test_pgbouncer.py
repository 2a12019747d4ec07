"""A real PgBouncer in transaction mode in front of the embedded server."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from pydantic import ValidationError as SettingsError
from typer.testing import CliRunner

from betdb import BetdbSettings, Database
from betdb.cli import app
from betdb.errors import StatementCacheError
from betdb.generated.models import Market
from betdb.movement import latest_odds
from betdb.sample import SAMPLE_GAME_PK
from betdb.testing import run_sync

from .pgbouncer import MISSING, PGBOUNCER, PgBouncer

ROOT = Path(__file__).resolve().parents[2]
needs_pgbouncer = pytest.mark.skipif(PGBOUNCER is None, reason=MISSING)

# What cannot pass through PgBouncer 1.18 by its nature, each with the reason.
NOT_THROUGH_PGBOUNCER = {
    "tests/runtime/test_errors.py::test_statement_timeout_is_cancelled_on_the_server_and_the_"
    "connection_stays_usable": "PgBouncer refuses statement_timeout as a startup parameter, and "
    "the settings refuse BETDB_STATEMENT_TIMEOUT with BETDB_PGBOUNCER_POOL_MODE=transaction",
    "tests/runtime/test_sync_resilience.py::test_a_statement_past_the_statement_timeout_is_"
    "cancelled_by_the_server": "the sync twin of the one above: the settings refuse "
    "BETDB_STATEMENT_TIMEOUT with BETDB_PGBOUNCER_POOL_MODE=transaction",
    "tests/runtime/test_errors.py::test_connecting_to_a_missing_database_says_so_by_sqlstate": (
        "PgBouncer answers a failed server login with its own 08P01, not the server's 3D000"
    ),
    "tests/runtime/test_settings.py::test_a_statement_timeout_below_a_millisecond_is_one_"
    "millisecond_not_off": "sends statement_timeout as a startup parameter, which PgBouncer "
    "refuses",
    "tests/runtime/test_sync_database.py::test_connections_are_opened_as_the_settings_say": (
        "builds settings with a statement timeout, which BETDB_PGBOUNCER_POOL_MODE=transaction "
        "in the environment refuses"
    ),
    **{
        f"tests/runtime/test_login_refusals.py::{test}": "the server's refusal of a login never "
        "reaches the client through PgBouncer: it answers with its own 08P01 (then holds the "
        "next logins back until its server_login_retry), and knows only its auth_file's roles"
        for test in (
            "test_a_missing_database_is_3d000_on_both_drivers",
            "test_a_wrong_password_is_28p01_on_both_drivers",
            "test_a_role_that_may_not_log_in_is_28000_on_both_drivers",
            "test_a_database_the_role_may_not_connect_to_is_42501_on_both_drivers",
            "test_a_role_at_its_connection_limit_is_53300_on_both_drivers",
            "test_a_connection_refused_after_open_carries_the_sqlstate_on_both_drivers",
            "test_a_login_that_timed_out_is_not_tried_again_to_learn_why",
        )
    },
}


def test_transaction_pool_mode_turns_the_statement_cache_off() -> None:
    settings = BetdbSettings(pgbouncer_pool_mode="transaction")  # type: ignore[arg-type]
    assert settings.statement_cache_size == 0
    assert BetdbSettings(pgbouncer_pool_mode="session").statement_cache_size == 100  # type: ignore[arg-type]


def test_transaction_pool_mode_refuses_a_cache_or_a_startup_statement_timeout() -> None:
    with pytest.raises(SettingsError, match="statement_cache_size must be 0 behind PgBouncer"):
        BetdbSettings(pgbouncer_pool_mode="transaction", statement_cache_size=100)  # type: ignore[arg-type]
    with pytest.raises(SettingsError, match="PgBouncer refuses statement_timeout"):
        BetdbSettings(pgbouncer_pool_mode="transaction", statement_timeout=5)  # type: ignore[arg-type]


@needs_pgbouncer
@pytest.mark.timeout(300)
def test_the_repository_and_runtime_tests_pass_through_pgbouncer(tmp_path: Path) -> None:
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--noconftest",
        "-p", "pytester", "-p", "no:betdb", "-p", "pgbouncer_plugin",
        f"--basetemp={tmp_path / 'run'}", "tests/schema/test_repository.py", "tests/runtime",
        *(f"--deselect={test}" for test in NOT_THROUGH_PGBOUNCER),
    ]  # fmt: skip
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "tests" / "ops"),
        "BETDB_PGBOUNCER_POOL_MODE": "transaction",
    }
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=280
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "failed" not in summary
    assert f"{len(NOT_THROUGH_PGBOUNCER)} deselected" in summary
    assert int(summary.split(" passed")[0].split()[-1]) >= 40, summary


def pooled_settings(dsn: str, **overrides: object) -> BetdbSettings:
    base: dict[str, object] = {
        "dsn": dsn, "pgbouncer_pool_mode": "transaction", "pool_min_size": 1,
        "pool_max_size": 4, "sslmode": "disable",
    }  # fmt: skip
    return BetdbSettings(**{**base, **overrides})  # type: ignore[arg-type]


async def _stream_concurrently(dsn: str) -> tuple[int, list[int]]:
    async with Database(pooled_settings(dsn)) as db:
        repo = db.repository()
        game = await repo.games.find_game_by_external_id(
            source="mlb", external_id=str(SAMPLE_GAME_PK)
        )
        assert game is not None
        expected = len(
            await repo.odds.find_odds_by_game(game_id=game.game_id, market=None, sportsbook_id=None)
        )

        async def stream() -> int:
            rows = 0
            async with db.transaction(readonly=True) as tx:
                async for _ in tx.odds.iter_find_odds_by_game(
                    game_id=game.game_id, market=None, sportsbook_id=None, prefetch=20
                ):
                    rows += 1
                    if rows % 50 == 0:
                        await asyncio.sleep(0)  # let the others' fetches interleave
            return rows

        async def reads() -> int:
            for _ in range(30):
                await latest_odds(repo, game, Market.MONEYLINE)
            return 0

        counts = await asyncio.gather(stream(), stream(), stream(), reads())
        return expected, list(counts[:3])


@needs_pgbouncer
def test_streaming_cursors_work_inside_transactions_through_pgbouncer(
    pgbouncer: PgBouncer, sample_url: str
) -> None:
    expected, streamed = run_sync(_stream_concurrently(pgbouncer.dsn_for(sample_url)))
    assert expected > 0
    assert streamed == [expected] * 3


async def _reuse_a_statement_after_the_session_moved(dsn: str) -> None:
    settings = pooled_settings(dsn, pgbouncer_pool_mode=None, pool_max_size=1)
    assert settings.statement_cache_size == 100
    async with Database(settings) as db:
        repo = db.repository()
        await repo.teams.list_teams()  # prepared on the server connection it got
        blocker = await asyncpg.connect(dsn, statement_cache_size=0)
        try:
            async with blocker.transaction():  # holds that server connection
                await blocker.execute("SELECT 1")
                await repo.teams.list_teams()  # runs on another server connection
        finally:
            await blocker.close()


@needs_pgbouncer
def test_with_the_statement_cache_on_a_moved_session_is_a_statement_cache_error(
    pgbouncer: PgBouncer, database_url: str
) -> None:
    with pytest.raises(StatementCacheError) as raised:
        run_sync(_reuse_a_statement_after_the_session_moved(pgbouncer.dsn_for(database_url)))
    assert raised.value.sqlstate == "26000"
    assert raised.value.query == "ListTeams"
    assert 'prepared statement "__asyncpg_stmt_' in raised.value.message
    assert "BETDB_PGBOUNCER_POOL_MODE=transaction" in raised.value.message


@needs_pgbouncer
def test_stats_queries_names_the_queries_through_pgbouncer(
    pgbouncer: PgBouncer, sample_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pooled = pgbouncer.dsn_for(sample_url)
    run_sync(_stream_concurrently(pooled))  # GetLatestOdds 30 times, among others
    monkeypatch.setenv("DATABASE_URL", pooled)
    monkeypatch.setenv("BETDB_PGBOUNCER_POOL_MODE", "transaction")
    result = CliRunner().invoke(app, ["stats", "queries", "--json"])
    assert result.exit_code == 0, result.output
    by_name = {item["name"]: item for item in json.loads(result.stdout)["betdb"]}
    assert by_name["GetLatestOdds"]["calls"] >= 30
    assert by_name["FindOddsByGame"]["calls"] >= 1
