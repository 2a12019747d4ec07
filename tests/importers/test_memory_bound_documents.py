"""Memory stays bounded for the document formats too: The Odds API and SportsBettingDime files
far larger than the bound, imported in a subprocess whose peak resident size (VmHWM) is read
from /proc, as for the line formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .test_memory_bound import GIB, PEAK_BOUND_MIB, sparse_file
from .test_memory_bound import run_import as run_script

IMPORT = """
import asyncio, json, sys
from pathlib import Path
import asyncpg
from betdb import UnifiedRepository
from betdb.generated import init_connection
from betdb.importers import (
    ImportFileError, import_action_network, import_odds_api, import_sbd, import_schedule,
)
from betdb.importers.game_feed import import_game_feed
from betdb.importers.gd2 import import_gd2_scoreboard

async def main(dsn, kind, path):
    connection = await asyncpg.connect(dsn)
    await init_connection(connection)
    repo = UnifiedRepository(connection)
    importer = {
        "odds-api": import_odds_api, "sbd": import_sbd, "schedule": import_schedule,
        "action-network": import_action_network, "game-feed": import_game_feed,
        "gd2-scoreboard": import_gd2_scoreboard,
    }[kind]
    try:
        report = await importer(repo, Path(path))
        outcome = {"read": report.read, "skipped": report.skipped, "imported": report.imported,
                   "games_created": report.games_created}
    except ImportFileError as error:
        outcome = {"refused": str(error)}
    await connection.close()
    status = Path("/proc/self/status").read_text()
    peak = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    print(json.dumps({**outcome, "peak_kib": int(peak.split()[1])}))

asyncio.run(main(*sys.argv[1:]))
"""


def run_import(database_url: str, kind: str, path: Path) -> dict[str, Any]:
    return run_script(database_url, kind, path, IMPORT)


@pytest.mark.parametrize("kind", ["odds-api", "sbd", "schedule"])
def test_a_gigabyte_of_nul_bytes_is_refused_in_bounded_memory(
    database_url: str, tmp_path: Path, kind: str
) -> None:
    path = sparse_file(tmp_path / "snapshot.json", b"", GIB)
    result = run_import(database_url, kind, path)
    assert result["refused"] == f"{path} at line 1, column 1: not valid JSON: Expecting value"
    print(f"peak {result['peak_kib'] // 1024} MiB")
    assert result["peak_kib"] < PEAK_BOUND_MIB * 1024, result


@pytest.mark.parametrize("kind", ["action-network", "game-feed", "gd2-scoreboard"])
def test_a_gigabyte_file_of_a_format_read_whole_is_refused_by_its_size_before_reading(
    database_url: str, tmp_path: Path, kind: str
) -> None:
    path = sparse_file(tmp_path / "day.json", b"", GIB)
    result = run_import(database_url, kind, path)
    assert result["refused"] == (
        f"{path}: {GIB:,} bytes is more than one response of this source can be (at most 64 MiB"
        " read whole): split it into files, one response each"
    )
    assert result["peak_kib"] < PEAK_BOUND_MIB * 1024, result


LIVE = "2021-04-14T01:00:00Z"


def test_a_large_odds_api_file_is_read_a_game_at_a_time(database_url: str, tmp_path: Path) -> None:
    """About 40 MB of live prices (a day recorded in play; held whole, as Python objects, it
    took eight times its size): read, skipped, no game created."""
    books = [
        {"key": "draftkings", "title": "DraftKings", "last_update": LIVE, "markets": [
            {"key": "h2h", "outcomes": [{"name": "New York Mets", "price": -120 - b},
                                        {"name": "Philadelphia Phillies", "price": 105 + b}]},
            {"key": "totals", "outcomes": [{"name": "Over", "price": -110, "point": 8.5},
                                           {"name": "Under", "price": -110, "point": 8.5}]},
        ]}
        for b in range(40)
    ]  # fmt: skip
    path = tmp_path / "live.json"
    games = 3_000
    with path.open("w") as stream:
        stream.write("[")
        for i in range(games):
            game = {
                "id": f"e{i % 50}", "sport_key": "baseball_mlb",
                "commence_time": "2021-04-13T23:10:00Z", "home_team": "New York Mets",
                "away_team": "Philadelphia Phillies", "bookmakers": books,
            }  # fmt: skip
            stream.write(("," if i else "") + json.dumps(game))
        stream.write("]")
    assert path.stat().st_size > 40_000_000
    result = run_import(database_url, "odds-api", path)
    assert (result["read"], result["skipped"], result["imported"]) == (games * 80, games * 80, 0)
    assert result["games_created"] == 0
    print(f"peak {result['peak_kib'] // 1024} MiB")
    assert result["peak_kib"] < PEAK_BOUND_MIB * 1024, result
