"""An import the database stops part way (issue 16, 8): the error says which line it reached and
how many rows were committed, and a re-run completes the file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from signal import SIGINT
from typing import Any

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.generated import init_connection
from betdb.importers import (
    ImportStoppedError,
    import_analyses,
    import_odds,
    import_schedule,
    import_signals,
    import_splits,
)

from .conftest import analysis, jsonl, schedule, signal, split, stats_api_game, write_json

ODDS_HEADER = "source,game_source,external_game_id,sportsbook,market,side,line,price,observed_at"


def odds_lines(count: int) -> list[str]:
    return [
        f"sbr,mlb,777706,{book},moneyline,home,,{-110 - minute},2025-06-21T19:{minute:02d}:00Z"
        for book in ("pinnacle", "circa", "draftkings", "fanduel")
        for minute in range(60)
    ][:count]


async def stop_the_server_connection_when(admin: asyncpg.Connection, table: str, rows: int) -> None:
    """A trigger ending the writing session as if the server went away, once `table` would
    hold `rows` rows."""
    await admin.execute(f"""
        CREATE FUNCTION stop_import() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT count(*) FROM {table}) >= {rows} THEN
                PERFORM pg_terminate_backend(pg_backend_pid());
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER stop_import AFTER INSERT ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION stop_import();
    """)


async def fresh_repository(database_url: str) -> tuple[asyncpg.Connection, UnifiedRepository]:
    connection = await asyncpg.connect(database_url)
    await init_connection(connection)
    return connection, UnifiedRepository(connection)


async def test_an_odds_import_stopped_by_the_database_says_where_and_a_rerun_completes(
    database_url: str, admin: asyncpg.Connection, tmp_path: Path
) -> None:
    connection, repo = await fresh_repository(database_url)
    await import_schedule(repo, write_json(tmp_path / "s.json", schedule(stats_api_game(777706))))
    path = tmp_path / "odds.csv"
    path.write_text("\n".join([ODDS_HEADER, *odds_lines(20)]) + "\n")
    await stop_the_server_connection_when(admin, "odds", 9)
    with pytest.raises(ImportStoppedError) as stopped:
        await import_odds(repo, path, batch_size=4)
    assert (stopped.value.line, stopped.value.committed) == (13, 8)
    assert str(stopped.value).startswith(
        f"{path}: stopped at line 13 with 8 row(s) committed (a re-run imports the rest): "
    )
    assert await admin.fetchval("SELECT count(*) FROM odds") == 8
    await admin.execute("DROP TRIGGER stop_import ON odds")
    connection, repo = await fresh_repository(database_url)
    again = await import_odds(repo, path, batch_size=4)
    assert (again.read, again.imported, again.duplicates) == (20, 12, 8)
    assert await admin.fetchval("SELECT count(*) FROM odds") == 20
    await connection.close()


SPLITS_CHANGES = [{"side": "under"}, {"captured_at": "2025-06-21T21:16:00Z"}]
ANALYSES_CHANGES = [{"strategy_version": "3"}, {"side": "home"}]


@pytest.mark.parametrize(
    ("table", "importer", "record", "changes"),
    [
        ("betting_splits", import_splits, split, SPLITS_CHANGES),
        ("betting_analyses", import_analyses, analysis, ANALYSES_CHANGES),
        ("sharp_signals", import_signals, signal, [{"detector_version": "3"}, {"side": "home"}]),
    ],
)  # fmt: skip
async def test_a_one_transaction_import_stopped_by_the_database_says_where_and_a_rerun_completes(
    database_url: str,
    admin: asyncpg.Connection,
    tmp_path: Path,
    table: str,
    importer: Any,
    record: Any,
    changes: list[dict[str, Any]],
) -> None:
    connection, repo = await fresh_repository(database_url)
    await import_schedule(repo, write_json(tmp_path / "s.json", schedule(stats_api_game(777706))))
    path = jsonl(tmp_path / "f.jsonl", record(), *(record(**c) for c in changes))
    await stop_the_server_connection_when(admin, table, 2)
    with pytest.raises(ImportStoppedError) as stopped:
        await importer(repo, path)
    assert (stopped.value.line, stopped.value.committed) == (2, 0)
    assert "stopped at line 2 with 0 row(s) committed" in str(stopped.value)
    assert await admin.fetchval(f"SELECT count(*) FROM {table}") == 0
    await admin.execute(f"DROP TRIGGER stop_import ON {table}")
    connection, repo = await fresh_repository(database_url)
    again = await importer(repo, path)
    assert (again.read, again.imported, len(again.rejected)) == (3, 3, 0)
    await connection.close()


async def test_an_import_whose_commit_is_cut_says_those_rows_are_in_doubt(
    database_url: str, admin: asyncpg.Connection, tmp_path: Path
) -> None:
    connection, repo = await fresh_repository(database_url)
    await import_schedule(repo, write_json(tmp_path / "s.json", schedule(stats_api_game(777706))))
    path = jsonl(tmp_path / "f.jsonl", split(), *(split(**c) for c in SPLITS_CHANGES))
    # the session ends during COMMIT itself (a deferred trigger): nobody can know the outcome
    await admin.execute("""
        CREATE FUNCTION end_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;
        CREATE CONSTRAINT TRIGGER end_at_commit AFTER INSERT ON betting_splits
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION end_at_commit();
    """)
    with pytest.raises(ImportStoppedError) as stopped:
        await import_splits(repo, path)
    assert (stopped.value.committed, stopped.value.report.in_doubt) == (0, 3)
    assert str(stopped.value).startswith(
        f"{path}: stopped at line 3 with 0 row(s) committed and 3 more whose commit was under"
        " way (stored or not) (a re-run imports the rest): "
    )
    assert await admin.fetchval("SELECT count(*) FROM betting_splits") == 0
    await connection.close()


async def test_a_record_the_database_refuses_stops_the_import_saying_so(
    database_url: str, admin: asyncpg.Connection, tmp_path: Path
) -> None:
    connection, repo = await fresh_repository(database_url)
    await import_schedule(repo, write_json(tmp_path / "s.json", schedule(stats_api_game(777706))))
    await admin.execute("""
        CREATE FUNCTION refuse_seven() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.bet_count = 7 THEN RAISE EXCEPTION 'no sevens'; END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_seven BEFORE INSERT ON betting_splits
            FOR EACH ROW EXECUTE FUNCTION refuse_seven();
    """)
    path = jsonl(tmp_path / "f.jsonl", split(), split(side="under", bet_count=7), split(line=9))
    with pytest.raises(ImportStoppedError) as stopped:
        await import_splits(repo, path)
    assert stopped.value.refused
    assert str(stopped.value) == (
        f"{path}: stopped at line 2 with 0 row(s) committed (fix the record refused at or before"
        " line 2): the database refused a record (RaiseError: no sevens)"
    )
    await connection.close()


def test_sigint_during_an_import_says_how_many_rows_were_committed(
    database_url: str, tmp_path: Path
) -> None:
    environment = {**os.environ, "DATABASE_URL": database_url, "COLUMNS": "200"}
    betdb = [sys.executable, "-m", "betdb.cli"]
    schedule_file = write_json(tmp_path / "s.json", schedule(stats_api_game(777706)))
    subprocess.run([*betdb, "import", "schedule", str(schedule_file)], env=environment, check=True)
    path = tmp_path / "odds.jsonl"
    base = {"source": "sbr", "game_source": "mlb", "external_game_id": "777706",
            "market": "moneyline", "side": "home"}  # fmt: skip
    with path.open("w") as stream:
        for n in range(400_000):
            day, hour, minute, second = 1 + n // 86400 % 20, n // 3600 % 24, n // 60 % 60, n % 60
            record = {
                **base,
                "sportsbook": ("pinnacle", "circa")[n % 2],
                "price": -110 - n % 50,
                "observed_at": f"2025-06-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z",
            }
            stream.write(json.dumps(record) + "\n")
    process = subprocess.Popen(
        [*betdb, "import", "odds", str(path), "--batch-size", "1000"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if count_odds(database_url) >= 2000:
            break
        time.sleep(0.2)
    process.send_signal(SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, (stdout, stderr)
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    committed = count_odds(database_url)
    assert 2000 <= committed < 400_000
    assert lines[0].startswith(f"error: interrupted: {path}: stopped at line ")
    said = re.search(
        r"with ([\d,]+) row\(s\) committed(?: and ([\d,]+) more whose commit was under way"
        r" \(stored or not\))? \(a re-run imports the rest\)$",
        lines[0],
    )
    assert said, lines[0]
    stored, in_doubt = (int((n or "0").replace(",", "")) for n in said.groups())
    # a SIGINT landing during a COMMIT leaves that batch in doubt, and says so
    assert stored <= committed <= stored + in_doubt, (lines[0], committed)
    assert in_doubt in (0, 1000), lines[0]


def count_odds(database_url: str) -> int:
    async def query() -> int:
        connection = await asyncpg.connect(database_url)
        try:
            value = await connection.fetchval("SELECT count(*) FROM odds")
            assert isinstance(value, int)
            return value
        finally:
            await connection.close()

    from betdb.testing import run_sync

    return run_sync(query())


async def test_a_rejects_file_that_cannot_be_written_stops_the_import_naming_it(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    await import_schedule(repo, write_json(tmp_path / "s.json", schedule(stats_api_game(777706))))
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    path = jsonl(tmp_path / "f.jsonl", split(), split(bet_pct=74))
    with pytest.raises(ImportStoppedError) as stopped:
        await import_splits(repo, path, rejects=blocker / "rejects.jsonl")
    assert (stopped.value.line, stopped.value.committed) == (2, 0)
    assert str(stopped.value).endswith(f"cannot use {blocker}: File exists")
