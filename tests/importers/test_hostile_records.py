"""Hostile records (issue 16): each bad record is rejected on its own, with its line, and never
reaches the driver; the file's other records are imported all the same."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.importers import (
    ImportFileError,
    ImportReport,
    import_analyses,
    import_odds,
    import_schedule,
    import_signals,
    import_splits,
)

from .conftest import (
    ODDS_HEADER,
    adds_up,
    analysis,
    count,
    jsonl,
    schedule,
    signal,
    split,
    stats_api_game,
    write_json,
)

ODDS = "sbr,777706,draftkings,moneyline,home,,-150,2025-06-21T19:00:00Z"
HEADER = ODDS_HEADER.replace("source,", "source,game_source,", 1)
JsonImporter = Callable[..., Awaitable[ImportReport]]


def odds_record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": "sbr", "game_source": "mlb", "external_game_id": "777706",
        "sportsbook": "draftkings", "market": "moneyline", "side": "home", "line": None,
        "price": -150, "observed_at": "2025-06-21T19:00:00Z",
    }  # fmt: skip
    record.update(changes)
    return record


# Each JSONL importer, a valid record of it, and its table; a record with `changes` applied to
# the text field `text` or the time field `time`.
JSONL_IMPORTERS: dict[str, tuple[JsonImporter, Callable[..., dict[str, Any]], str, str, str]] = {
    "odds": (import_odds, odds_record, "odds", "sportsbook", "observed_at"),
    "splits": (import_splits, split, "betting_splits", "external_game_id", "captured_at"),
    "analyses": (import_analyses, analysis, "betting_analyses", "strategy_name", "expires_at"),
    "signals": (import_signals, signal, "sharp_signals", "detector_name", "detected_at"),
}


@pytest.fixture
async def game(repo: UnifiedRepository, tmp_path: Path) -> int:
    report = await import_schedule(
        repo, write_json(tmp_path / "schedule.json", schedule(stats_api_game(777706)))
    )
    assert report.imported == 1
    return 777706


def escaped_jsonl(path: Path, *records: dict[str, Any]) -> Path:
    """JSON Lines as a hostile writer sends them: NUL and lone surrogates as \\u escapes."""
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="ascii")
    return path


def test_the_fixture_writer_escapes_nul_and_surrogates(tmp_path: Path) -> None:
    text = escaped_jsonl(tmp_path / "a.jsonl", {"a": "\x00\ud800"}).read_text()
    assert text == '{"a": "\\u0000\\ud800"}\n'


# 1. A rejects file that is the input


@pytest.mark.parametrize("alias", ["same", "symlink", "hardlink"])
async def test_rejects_path_equal_to_input_is_refused(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path, alias: str
) -> None:
    odds = tmp_path / "odds.csv"
    content = f"{HEADER}\nsbr,mlb,777706,nobook,moneyline,home,,-150,2025-06-21T19:00:00Z\n"
    odds.write_text(content)
    rejects = tmp_path / "rejects.csv"
    if alias == "same":
        rejects = odds
    elif alias == "symlink":
        rejects.symlink_to(odds)
    else:
        os.link(odds, rejects)
    with pytest.raises(ImportFileError, match="is the file being imported"):
        await import_odds(repo, odds, rejects=rejects)
    assert odds.read_text() == content
    assert await count(connection, "odds") == 0


async def test_rejects_path_equal_to_input_is_refused_by_every_jsonl_importer(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    path = jsonl(tmp_path / "splits.jsonl", split(bet_pct=74))
    content = path.read_bytes()
    with pytest.raises(ImportFileError, match="is the file being imported"):
        await import_splits(repo, path, rejects=path)
    assert path.read_bytes() == content


async def test_a_stale_rejects_file_does_not_survive_a_run_without_rejections(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    path = jsonl(tmp_path / "splits.jsonl", split(), split(bet_pct=74))
    first = await import_splits(repo, path)
    assert first.rejects_path == tmp_path / "splits.rejects.jsonl"
    assert first.rejects_path.exists()
    jsonl(path, split())
    second = await import_splits(repo, path)
    assert (second.read, second.duplicates, second.rejects_path) == (1, 1, None)
    assert not (tmp_path / "splits.rejects.jsonl").exists()


async def test_rejects_are_written_aside_and_renamed_into_place_at_the_end(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    rejects = tmp_path / "odds.rejects.csv"
    rejects.write_text("an earlier run's rejects\n")
    row = "sbr,mlb,777706,{},moneyline,home,,-150,2025-06-21T19:{:02d}:00Z"
    lines = [row.format(book, m) for m in range(10) for book in ("nobook", "draftkings")]
    odds = tmp_path / "odds.csv"
    odds.write_text("\n".join([HEADER, *lines]) + "\n")
    seen: list[str] = []
    report = await import_odds(
        repo, odds, batch_size=1, on_progress=lambda _rows: seen.append(rejects.read_text())
    )
    assert (report.imported, len(report.rejected), len(seen)) == (10, 10, 10)
    assert set(seen) == {"an earlier run's rejects\n"}
    assert len(rejects.read_text().splitlines()) == 11
    assert [p.name for p in tmp_path.iterdir() if "rejects" in p.name] == [  # noqa: ASYNC240
        "odds.rejects.csv"
    ]


# 2 and 5. Times out of range, and times that leave years 1..9999 in UTC


@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999Z",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:00:00-05:00",
        "1800-06-21T19:00:00Z",
        "2200-06-21T19:00:00Z",
    ],
)
@pytest.mark.parametrize("kind", sorted(JSONL_IMPORTERS))
async def test_sentinel_and_out_of_range_times_reject_their_record_only(
    repo: UnifiedRepository,
    connection: asyncpg.Connection,
    game: int,
    tmp_path: Path,
    kind: str,
    moment: str,
) -> None:
    importer, record, table, _text, time = JSONL_IMPORTERS[kind]
    path = jsonl(tmp_path / f"{kind}.jsonl", record(**{time: moment}), record())
    report = await importer(repo, path)
    assert (report.read, report.imported, len(report.rejected)) == (2, 1, 1)
    assert report.rejected[0].line == 1
    assert report.rejected[0].reason.startswith(f"{time} {moment!r} is out of range")
    assert await count(connection, table) == 1
    assert await connection.fetchval(f"SELECT count(*) FROM {table} WHERE {time} = 'infinity'") == 0


@pytest.mark.parametrize(
    ("kind", "moment", "reason"),
    [
        ("odds", "2024-01-01T00:00:00Z", "observed_at '2024-01-01T00:00:00Z' is 537 days before"),
        ("odds", "2026-06-21T00:00:00Z", "observed_at '2026-06-21T00:00:00Z' is 364 days after"),
        ("splits", "2023-06-21T00:00:00Z", "captured_at '2023-06-21T00:00:00Z' is 731 days before"),
    ],
)
async def test_odds_and_splits_far_from_their_games_first_pitch_are_rejected(
    repo: UnifiedRepository, game: int, tmp_path: Path, kind: str, moment: str, reason: str
) -> None:
    importer, record, _table, _text, time = JSONL_IMPORTERS[kind]
    path = jsonl(tmp_path / f"{kind}.jsonl", record(**{time: moment}), record())
    report = await importer(repo, path)
    assert (report.imported, len(report.rejected)) == (1, 1)
    assert report.rejected[0].reason.startswith(reason)
    assert "first pitch 2025-06-21 23:15 UTC" in report.rejected[0].reason


async def test_sentinel_times_in_odds_csv_reject_their_line_only(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path
) -> None:
    odds = tmp_path / "odds.csv"
    row = "sbr,mlb,777706,draftkings,moneyline,home,,-150,{}"
    odds.write_text(
        "\n".join(
            [
                HEADER,
                row.format("0001-01-01T00:00:00+05:00"),
                row.format("9999-12-31T23:59:59.999999Z"),
                row.format("2025-06-21T19:00:00Z"),
            ]
        )
        + "\n"
    )
    report = await import_odds(repo, odds, batch_size=1)
    assert (report.imported, [r.line for r in report.rejected]) == (1, [2, 3])
    assert await count(connection, "odds") == 1


# 4. A header with a column twice


@pytest.mark.parametrize("twice", ["price", "source", "observed_at"])
async def test_a_csv_header_with_a_duplicated_column_is_refused(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path, twice: str
) -> None:
    odds = tmp_path / "odds.csv"
    odds.write_text(f"{HEADER},{twice}\nsbr,mlb,777706,draftkings,moneyline,home,,-150,"
                    "2025-06-21T19:00:00Z,+150\n")  # fmt: skip
    with pytest.raises(ImportFileError, match=f"header: column\\(s\\) {twice} given twice"):
        await import_odds(repo, odds)
    assert await count(connection, "odds") == 0


async def test_a_splits_csv_header_with_a_duplicated_column_is_refused(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    path = tmp_path / "splits.csv"
    path.write_text(
        "source,external_game_id,game_source,market,side,captured_at,bet_pct,bet_pct\n"
        "action_network,777706,mlb,moneyline,home,2025-06-21T19:00:00Z,0.5,0.9\n"
    )
    with pytest.raises(ImportFileError, match="bet_pct given twice"):
        await import_splits(repo, path)


# 6 and 7. NUL and lone surrogates in text; the rejects file holds them all the same


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "a\udfffb"])
@pytest.mark.parametrize("kind", sorted(JSONL_IMPORTERS))
async def test_nul_and_lone_surrogates_in_text_reject_their_record_only(
    repo: UnifiedRepository,
    connection: asyncpg.Connection,
    game: int,
    tmp_path: Path,
    kind: str,
    bad: str,
) -> None:
    importer, record, table, text, _time = JSONL_IMPORTERS[kind]
    path = escaped_jsonl(tmp_path / f"{kind}.jsonl", record(), record(**{text: bad}))
    report = await importer(repo, path)
    assert (report.read, report.imported, [r.line for r in report.rejected]) == (2, 1, [2])
    word = "NUL" if bad == "\x00" else "lone surrogate"
    assert report.rejected[0].reason.startswith(f"{text} contains a {word}")
    assert await count(connection, table) == 1
    assert report.rejects_path is not None
    rejected = [json.loads(line) for line in report.rejects_path.read_text("utf-8").splitlines()]
    assert [r[text] for r in rejected] == [bad]


async def test_a_lone_surrogate_in_a_key_or_nested_value_is_rejected(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    path = escaped_jsonl(
        tmp_path / "a.jsonl",
        analysis(features={"\ud83d": 1}),
        analysis(features={"books": ["x", {"y": "\x00"}]}),
        analysis(),
    )
    report = await import_analyses(repo, path)
    assert report.imported == 1
    assert [r.reason for r in report.rejected] == [
        "features has a key that contains a lone surrogate (\\ud83d): text must be valid Unicode",
        "features.books[1].y contains a NUL character, which PostgreSQL cannot store",
    ]


async def test_rejects_file_escapes_lone_surrogates_it_is_given(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    path = escaped_jsonl(tmp_path / "signals.jsonl", signal(detector_name="\ud800", market="x"))
    report = await import_signals(repo, path)
    assert report.rejects_path is not None
    text = report.rejects_path.read_text("utf-8")
    assert "\\ud800" in text
    assert json.loads(text)["detector_name"] == "\ud800"


# 9 and 10. JSON PostgreSQL cannot store, and JSON too deep to read


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e309", "-1e309"])
async def test_non_finite_numbers_in_features_reject_their_record(
    repo: UnifiedRepository, connection: asyncpg.Connection, game: int, tmp_path: Path, number: str
) -> None:
    path = tmp_path / "analyses.jsonl"
    good = json.dumps(analysis())
    bad = good.replace('{"books_moved": 6}', f'{{"books_moved": [1, {number}]}}')
    path.write_text(f"{good}\n{bad}\n")
    report = await import_analyses(repo, path)
    assert (report.imported, [r.line for r in report.rejected]) == (1, [2])
    assert report.rejected[0].reason == (
        "features.books_moved[1] is not a finite number (NaN and infinity cannot be stored)"
    )
    assert await count(connection, "betting_analyses") == 1


async def test_non_finite_numbers_in_csv_features_reject_their_line(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    path = tmp_path / "signals.csv"
    columns = [key for key in signal() if key != "features"]
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*columns, "features"])
        writer.writerow([signal()[key] for key in columns] + ['{"x": NaN}'])
        writer.writerow([signal()[key] for key in columns] + ['{"x": 1}'])
    report = await import_signals(repo, path)
    assert (report.imported, [r.line for r in report.rejected]) == (1, [2])
    assert report.rejected[0].reason.startswith("features.x is not a finite number")


@pytest.mark.parametrize("depth", [65, 5000, 200_000])
@pytest.mark.parametrize("kind", sorted(JSONL_IMPORTERS))
async def test_deeply_nested_json_rejects_its_record(
    repo: UnifiedRepository, game: int, tmp_path: Path, kind: str, depth: int
) -> None:
    importer, record, _table, text, _time = JSONL_IMPORTERS[kind]
    path = tmp_path / f"{kind}.jsonl"
    good = json.dumps(record())
    deep = json.dumps(record(**{text: "DEEP"})).replace('"DEEP"', "[" * depth + "]" * depth)
    path.write_text(f"{deep}\n{good}\n")
    report = await importer(repo, path)
    assert (report.read, report.imported, [r.line for r in report.rejected]) == (2, 1, [1])
    assert "nested deeper than 64 levels" in report.rejected[0].reason


# 11 and 12. Records longer than the cap; many rejections


async def test_a_record_longer_than_the_cap_is_rejected_without_being_held(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    odds = tmp_path / "odds.csv"
    long = "sbr,mlb,777706,draftkings,moneyline,home,,-150,2025-06-21T19:00:00Z" + "x" * 5000
    good = "sbr,mlb,777706,draftkings,moneyline,away,,+130,2025-06-21T19:00:00Z"
    odds.write_text(f"{HEADER}\n{long}\n{good}\n")
    report = await import_odds(repo, odds, max_record_bytes=1000)
    assert (report.read, report.imported, [r.line for r in report.rejected]) == (2, 1, [2])
    rejection = report.rejected[0]
    assert len(long) == 5067
    assert rejection.reason == "the record is 5,067 bytes long, over the limit of 1,000 bytes"
    assert len(rejection.raw) < 300
    assert rejection.raw.startswith("sbr,mlb,777706,draftkings")
    assert report.rejects_path is not None
    assert len(report.rejects_path.read_bytes()) < 1000


async def test_a_long_value_is_quoted_truncated_in_the_reason(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    path = jsonl(tmp_path / "splits.jsonl", split(market="m" * 100_000))
    report = await import_splits(repo, path)
    assert len(report.rejected) == 1
    assert report.rejected[0].reason.startswith("market 'mmmm")
    assert len(report.rejected[0].reason) < 600
    assert len(report.rejected[0].raw) < 1100


async def test_rejections_keep_counts_and_only_the_first_reasons(
    repo: UnifiedRepository, game: int, tmp_path: Path
) -> None:
    odds = tmp_path / "odds.csv"
    bad = "sbr,mlb,777706,nobook,moneyline,home,,-150,2025-06-21T19:00:00Z"
    odds.write_text("\n".join([HEADER, *[bad] * 5000]) + "\n")
    report = await import_odds(repo, odds)
    assert (report.read, len(report.rejected)) == (5000, 5000)
    assert adds_up(report)
    assert len(report.rejected.kept) == 100
    assert [r.line for r in report.rejected][:3] == [2, 3, 4]
    assert report.rejects_path is not None
    assert len(report.rejects_path.read_text().splitlines()) == 5001


# 21. The odds importer's context cache


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        ({"is_opening": True}, {"is_opening": 1.0}, "is_opening 1.0 is not true or false"),
        ({"line": 1}, {"line": True}, "line must be a number, got True"),
    ],
)
async def test_the_odds_context_cache_compares_values_with_their_types(
    repo: UnifiedRepository,
    game: int,
    tmp_path: Path,
    first: dict[str, Any],
    second: dict[str, Any],
    reason: str,
) -> None:
    total = {"market": "total", "side": "over"} if "line" in first else {}
    path = jsonl(
        tmp_path / "odds.jsonl",
        odds_record(**total, **first),
        odds_record(**total, **second, observed_at="2025-06-21T19:01:00Z"),
    )
    report = await import_odds(repo, path)
    assert [(r.line, r.reason) for r in report.rejected] == [(2, reason)]
    assert report.imported == 1


async def test_a_header_naming_a_huge_unknown_column_is_refused_in_a_short_message(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    odds = tmp_path / "odds.csv"
    odds.write_text(f"{HEADER},{'z' * 100_000}\n")
    with pytest.raises(ImportFileError, match="unknown column") as refused:
        await import_odds(repo, odds)
    assert len(str(refused.value)) < 600
    odds.write_text(f"{HEADER},{'z' * 2_000_000}\n")
    with pytest.raises(ImportFileError, match="the header is 2,000,0"):
        await import_odds(repo, odds)
