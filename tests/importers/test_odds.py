"""Importing odds files: streamed batches through COPY, duplicates counted, bad rows rejected."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.generated import init_connection
from betdb.generated.models import DataSource
from betdb.importers import ImportFileError, import_odds, import_schedule

from .conftest import ODDS_HEADER as SOURCE_HEADER
from .conftest import adds_up, count, schedule, stats_api_game, write_json

# The prices come from SBR; the games are named by their MLB gamePk.
ODDS_HEADER = SOURCE_HEADER.replace("source,", "source,game_source,", 1)
GOOD = [
    "sbr,mlb,777706,draftkings,moneyline,home,,-150,2025-06-21T19:00:00Z",
    "sbr,mlb,777706,draftkings,moneyline,away,,+130,2025-06-21T19:00:00Z",
    "sbr,mlb,777706,pinnacle,total,over,8.5,-105,2025-06-21T19:00:00-04:00",
    "sbr,mlb,777706,pinnacle,total,under,8.5,-115,2025-06-21T19:00:00-04:00",
    "sbr,mlb,777706,fanduel,run_line,home,-1.5,+140,2025-06-21T19:05:00Z",
]


@pytest.fixture
async def game(repo: UnifiedRepository, tmp_path: Path) -> int:
    report = await import_schedule(
        repo, write_json(tmp_path / "schedule.json", schedule(stats_api_game(777706)))
    )
    assert report.imported == 1
    return 777706


def odds_file(path: Path, *lines: str, header: str = ODDS_HEADER) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


async def test_odds_are_stored_with_their_game_book_and_values(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path
) -> None:
    report = await import_odds(repo, odds_file(tmp_path / "odds.csv", *GOOD))
    assert (report.read, report.imported, report.duplicates, report.rejected) == (5, 5, 0, [])
    assert report.rejects_path is None
    assert not (tmp_path / "odds.rejects.csv").exists()
    rows = await connection.fetch(
        "SELECT b.key, o.market::text, o.side::text, o.line::text, o.price,"
        " to_char(o.observed_at AT TIME ZONE 'UTC', 'HH24:MI') AS utc, o.source::text"
        " FROM odds o JOIN sportsbooks b USING (sportsbook_id) ORDER BY 6, 1, 2, 3"
    )
    assert [tuple(r) for r in rows] == [
        ("draftkings", "moneyline", "away", None, 130, "19:00", "sbr"),
        ("draftkings", "moneyline", "home", None, -150, "19:00", "sbr"),
        ("fanduel", "run_line", "home", "-1.50", 140, "19:05", "sbr"),
        ("pinnacle", "total", "over", "8.50", -105, "23:00", "sbr"),
        ("pinnacle", "total", "under", "8.50", -115, "23:00", "sbr"),
    ]


async def test_reimporting_the_same_odds_skips_every_row_as_a_duplicate(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path
) -> None:
    path = odds_file(tmp_path / "odds.csv", *GOOD)
    await import_odds(repo, path)
    again = await import_odds(repo, path, batch_size=2)
    assert (again.read, again.imported, again.duplicates, again.rejected) == (5, 0, 5, [])
    assert await count(connection, "odds") == 5


async def test_rows_repeated_within_the_file_count_once_even_across_batches(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path
) -> None:
    same_line_written_again = GOOD[2].replace("8.5", "8.50")
    lines = [GOOD[0], GOOD[0], GOOD[1], GOOD[2], same_line_written_again, GOOD[0]]
    report = await import_odds(repo, odds_file(tmp_path / "odds.csv", *lines), batch_size=2)
    assert (report.read, report.imported, report.duplicates) == (6, 3, 3)
    assert adds_up(report)
    assert await count(connection, "odds") == 3


BAD = {
    3: ("sbr,mlb,999999,draftkings,moneyline,home,,-150,2025-06-21T19:00:00Z",
        "no game with mlb id 999999 (import its schedule first)"),
    4: ("sbr,mlb,777706,bookie_joe,moneyline,home,,-150,2025-06-21T19:00:00Z",
        "unknown sportsbook 'bookie_joe': neither a sbr book id in sportsbook_mappings nor"
        " one of our book keys"),
    5: ("sbr,mlb,777706,draftkings,moneylime,home,,-150,2025-06-21T19:00:00Z",
        "market 'moneylime' is not one of moneyline, run_line, total, first_five_moneyline,"
        " first_five_run_line, first_five_total, home_team_total, away_team_total,"
        " alternate_run_line, alternate_total"),
    6: ("sbr,mlb,777706,draftkings,total,home,8.5,-110,2025-06-21T19:00:00Z",
        "side 'home' does not fit market total: over or under"),
    7: ("sbr,mlb,777706,draftkings,moneyline,home,,+50,2025-06-21T19:00:00Z",
        "price +50 is not American odds: -100 or below, or +100 or above"),
    8: ("sbr,mlb,777706,draftkings,moneyline,home,,-99,2025-06-21T19:00:00Z",
        "price -99 is not American odds: -100 or below, or +100 or above"),
    9: ("sbr,mlb,777706,draftkings,moneyline,home,,1.91,2025-06-21T19:00:00Z",
        "price '1.91' is not a whole number"),
    10: ("sbr,mlb,777706,draftkings,total,over,,-110,2025-06-21T19:00:00Z",
         "line is missing: a total needs one"),
    11: ("sbr,mlb,777706,draftkings,moneyline,home,1.5,-150,2025-06-21T19:00:00Z",
         "line 1.5 given for a moneyline, which has none"),
    12: ("sbr,mlb,777706,draftkings,moneyline,home,,-150,2025-06-21T19:00:00",
         "observed_at '2025-06-21T19:00:00' has no UTC offset"
         " (write e.g. 2025-06-21T19:00:00Z or 2025-06-21T19:00:00-04:00)"),
    13: ("sbr,mlb,777706,draftkings,moneyline,home,,-150",
         "has 8 fields where the header has 9 (a truncated or misquoted row?)"),
    14: ("espn,mlb,777706,draftkings,moneyline,home,,-150,2025-06-21T19:00:00Z",
         "source 'espn' is not one of mlb, sbr, action_network, vsin, sbd, odds_api"),
    15: ("sbr,mlb,777706,draftkings,total,under,-8.5,-110,2025-06-21T19:00:00Z",
         "line -8.5 of a total must be above 0"),
    16: ("sbr,mlb,abc,draftkings,moneyline,home,,-150,2025-06-21T19:00:00Z",
         "external_game_id 'abc' is not a mlb game id"),
    17: ("sbr,mlb,777706,draftkings,moneyline,home,,-99999999999,2025-06-21T19:00:00Z",
         "price -99999999999 is out of range"),
    18: ("sbr,mlb,777706,draftkings,moneyline,home,,-1000000,2025-06-21T19:00:00Z",
         "price -1000000 is out of range (American odds up to ±100,000)"),
}  # fmt: skip


async def test_bad_rows_are_rejected_with_line_and_reason_and_the_good_rows_kept(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path
) -> None:
    lines = [GOOD[0], *(BAD[n][0] for n in sorted(BAD)), GOOD[1]]
    report = await import_odds(repo, odds_file(tmp_path / "odds.csv", *lines), batch_size=3)
    assert (report.read, report.imported, len(report.rejected)) == (18, 2, 16)
    assert adds_up(report)
    assert {r.line: r.reason for r in report.rejected} == {n: BAD[n][1] for n in BAD}
    assert {r.line: r.raw for r in report.rejected} == {n: BAD[n][0] for n in BAD}
    assert await count(connection, "odds") == 2
    assert report.rejects_path == tmp_path / "odds.rejects.csv"
    with report.rejects_path.open(encoding="utf-8") as stream:
        rejected = list(csv.DictReader(stream))
    assert len(rejected) == 16
    assert rejected[0]["external_game_id"] == "999999"
    assert rejected[0]["reason"] == f"line 3: {BAD[3][1]}"
    assert rejected[4]["price"] == "+50"
    assert rejected[4]["reason"] == f"line 7: {BAD[7][1]}"


async def test_undecodable_bytes_reject_their_line_only(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    path = tmp_path / "odds.csv"
    latin1 = "sbr,mlb,777706,caesars,moneyline,home,,-150,2025-06-21T19:00:00Z,Caf\u00e9".encode(
        "latin-1"
    )
    path.write_bytes(
        "\n".join([f"{ODDS_HEADER},bet_limit", GOOD[0] + ","]).encode() + b"\n" + latin1 + b"\n"
    )
    report = await import_odds(repo, path)
    assert (report.read, report.imported) == (2, 1)
    assert [(r.line, r.reason) for r in report.rejected] == [
        (3, "not UTF-8: byte 0xE9 at column 69 (a Latin-1 or Windows-1252 file? save it as UTF-8)")
    ]
    assert report.rejected[0].raw.endswith("Caf\\xe9")


async def test_jsonl_odds_with_a_truncated_last_line_keep_the_complete_ones(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path
) -> None:
    names = ODDS_HEADER.split(",")
    records = [dict(zip(names, line.split(","), strict=True)) for line in GOOD[:3]]
    records[1]["price"] = 130  # numbers may be JSON numbers
    text = "\n".join(json.dumps(r) for r in records)
    path = tmp_path / "odds.jsonl"
    path.write_text(text[:-25], encoding="utf-8")
    report = await import_odds(repo, path)
    assert (report.read, report.imported) == (3, 2)
    assert report.rejected[0].line == 3
    assert report.rejected[0].reason.startswith("not JSON: Unterminated string")
    rejects = report.rejects_path
    assert rejects == tmp_path / "odds.rejects.jsonl"
    assert json.loads(rejects.read_text(encoding="utf-8"))["raw"] == report.rejected[0].raw
    assert await count(connection, "odds") == 2


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (f"{ODDS_HEADER}\n{GOOD[0]}\n".encode("utf-16"), " at line 1: the file is UTF-16"),
        (f"{ODDS_HEADER}\n{GOOD[0]}\n".encode("utf-32"), " at line 1: the file is UTF-32"),
        (b"source,external_game_id,sportsbook,market,side,price,observed_at\n",
         " at line 1: header: missing column(s) line"),
        (f"{ODDS_HEADER},odds_format\n".encode(),
         " at line 1: header: unknown column(s) odds_format"),
        (b"", ": the file is empty: no header line"),
    ],
)  # fmt: skip
async def test_a_file_whose_header_cannot_be_read_is_refused_and_nothing_written(
    repo: UnifiedRepository,
    connection: asyncpg.Connection,
    game: int,
    tmp_path: Path,
    content: bytes,
    problem: str,
) -> None:
    path = tmp_path / "odds.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as refused:
        await import_odds(repo, path)
    assert str(refused.value).startswith(f"{path}{problem}")
    assert await count(connection, "odds") == 0


async def test_an_unknown_extension_is_refused(repo: UnifiedRepository, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"unknown format '\.txt'"):
        await import_odds(repo, odds_file(tmp_path / "odds.txt", *GOOD))


async def test_games_and_books_resolve_through_the_sources_own_ids(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path
) -> None:
    await connection.execute("UPDATE games SET action_network_game_id = 241907")
    book = await repo.sportsbooks.get_sportsbook_by_key(key="betmgm")
    assert book is not None
    await repo.sportsbooks.map_sportsbook(
        source=DataSource.ACTION_NETWORK, external_id="68", sportsbook_id=book.sportsbook_id
    )
    path = odds_file(
        tmp_path / "odds.csv",
        "action_network,241907,68,moneyline,home,,-145,2025-06-21T19:00:00Z,,true,false",
        "action_network,777706,68,moneyline,home,,-150,2025-06-21T22:00:00Z,mlb,false,true",
        "action_network,777706,68,moneyline,away,,+125,2025-06-21T22:00:00Z,mlb,no,yes",
        header=f"{SOURCE_HEADER},game_source,is_opening,is_closing",
    )
    report = await import_odds(repo, path)
    assert (report.imported, report.rejected) == (3, [])
    rows = await connection.fetch(
        "SELECT sportsbook_id, price, is_opening, is_closing, source::text FROM odds ORDER BY 2"
    )
    assert [tuple(r) for r in rows] == [
        (book.sportsbook_id, -150, False, True, "action_network"),
        (book.sportsbook_id, -145, True, False, "action_network"),
        (book.sportsbook_id, 125, False, True, "action_network"),
    ]


async def test_progress_is_reported_for_every_record_read(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    calls: list[int] = []
    lines = [*GOOD, BAD[7][0], GOOD[0]]
    report = await import_odds(
        repo, odds_file(tmp_path / "odds.csv", *lines), batch_size=2, on_progress=calls.append
    )
    assert sum(calls) == report.read == 7
    assert len(calls) >= 3


async def test_two_imports_racing_over_the_same_rows_store_each_once(
    database_url: str, tmp_path: Path
) -> None:
    async with asyncpg.create_pool(
        database_url, min_size=2, max_size=4, init=init_connection
    ) as pool:
        repo = UnifiedRepository(pool)
        await import_schedule(
            repo, write_json(tmp_path / "schedule.json", schedule(stats_api_game(777706)))
        )
        lines = [
            f"sbr,mlb,777706,{book},moneyline,home,,{-110 - minute},2025-06-21T19:{minute:02d}:00Z"
            for book in ("pinnacle", "circa", "draftkings", "fanduel")
            for minute in range(60)
        ]
        first = odds_file(tmp_path / "a.csv", *lines)
        second = odds_file(tmp_path / "b.csv", *reversed(lines))
        reports = await asyncio.gather(
            import_odds(repo, first, batch_size=7), import_odds(repo, second, batch_size=5)
        )
        assert sum(r.imported for r in reports) == 240
        assert all(adds_up(r) and r.read == 240 for r in reports)
        assert await pool.fetchval("SELECT count(*) FROM odds") == 240
