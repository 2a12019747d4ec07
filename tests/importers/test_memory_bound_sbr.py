"""Memory stays bounded for SBR's spreadsheets too: a sheet at the row cap (20,000 rows with
its header, 9,999 games, four real seasons), imported twice in a subprocess whose peak resident
size (VmHWM) is read from /proc, as for the other formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .test_memory_bound import run_import as run_script
from .test_sbr_hostile import HEADER
from .xlsx import write_xlsx

IMPORT = """
import asyncio, json, sys
from pathlib import Path
import asyncpg
from betdb import UnifiedRepository
from betdb.generated import init_connection
from betdb.importers import import_sbr_archive

async def main(dsn, kind, path):
    connection = await asyncpg.connect(dsn)
    await init_connection(connection)
    repo = UnifiedRepository(connection)
    reports = [await import_sbr_archive(repo, Path(path), season=2021, force=True)
               for _ in range(2)]
    await connection.close()
    status = Path("/proc/self/status").read_text()
    peak = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    print(json.dumps({"read": [r.read for r in reports],
                      "imported": [r.imported for r in reports],
                      "peak_kib": int(peak.split()[1])}))

asyncio.run(main(*sys.argv[1:]))
"""
SHEET_PEAK_BOUND_MIB = 256
"""A sheet's games are planned together (a wholesale contradiction is judged before writing), so
the peak grows with the sheet, about 16 KiB a game over the interpreter's 47 MiB, up to the row
cap: about 90 MiB for a real season, about 210 MiB at the cap, never the gigabytes of a sheet
that declares a million rows."""
CLUBS = ["ARI", "ATL", "BAL", "BOS", "CUB", "CWS", "CIN", "CLE", "COL", "DET", "HOU", "KAN",
         "LAA", "LOS", "MIA", "MIL", "MIN", "NYM", "NYY", "OAK", "PHI", "PIT", "SDG", "SEA",
         "SFO", "STL", "TAM", "TEX", "TOR", "WAS"]  # fmt: skip


def season_at_the_row_cap(path: Path, games: int = 9_999) -> Path:
    rows: list[list[object]] = [HEADER]
    opening = dt.date(2021, 4, 1)
    for game in range(games):
        day, slot = divmod(game, 15)
        date = opening + dt.timedelta(days=day % 183)
        clubs = CLUBS[day % 30 :] + CLUBS[: day % 30]
        away, home = clubs[2 * slot], clubs[2 * slot + 1]
        mmdd = date.month * 100 + date.day
        rows.append([mmdd, 901 + 2 * slot, "V", away, "A PITCHER-R", 0, 0, 1, 0, 0, 0, 2, 0, 0,
                     3, 120, 125, 1.5, -150, 8.5, -110, 8, -105])  # fmt: skip
        rows.append([mmdd, 902 + 2 * slot, "H", home, "B PITCHER-L", 1, 0, 0, 0, 2, 0, 0, 1,
                     "x", 4, -130, -135, -1.5, 130, 8.5, -110, 8, -115])  # fmt: skip
    return write_xlsx(path, [("2021", rows)])


def test_a_sheet_at_the_row_cap_imports_twice_in_bounded_memory(
    database_url: str, tmp_path: Path
) -> None:
    sheet = season_at_the_row_cap(tmp_path / "mlb-odds-2021.xlsx")
    result = run_script(database_url, "sbr", sheet, IMPORT)
    assert result["read"] == [9_999, 9_999]  # a record is a game: its two rows
    assert result["imported"] == [9_999, 0]
    print(f"peak {result['peak_kib'] // 1024} MiB")
    assert result["peak_kib"] < SHEET_PEAK_BOUND_MIB * 1024, result
