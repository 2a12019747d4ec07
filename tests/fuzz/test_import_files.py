"""File-level fuzzing of every import format (issue 16): valid files, mutated in their bytes,
encoding, structure and the values of every field at the edges of its range, imported through
the `betdb import` command against a real database.

Every run must hold: exit code 0, 1 or 2; never a traceback; on failure one red line; on
success totals that add up, a bounded report and one rejects line per rejection; the rows
added to the importer's table are exactly those the report calls imported (and updated, for
the schedule's upserts); every other table unchanged; and no run stops part way (the database
never goes away here, so a stop would be a record sinking the file) - were one to, it must
have changed only the rows it says it committed.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.importers.xlsx import Error, sheet_xml, write_xlsx
from typer.testing import CliRunner

from betdb.cli import app
from betdb.testing import run_sync

from .conftest import FUZZ

T0 = dt.datetime(2025, 6, 21, 19, 0, tzinfo=dt.UTC)
GAME = "777706"
KEPT_REJECTIONS = 100
TABLES = """
SELECT c.relname FROM pg_class AS c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
  AND c.relname <> 'schema_migrations'
ORDER BY c.relname
"""

Record = dict[str, Any]

# Values at the edges of every field's range, and past them, as JSON values.
EDGE_VALUES: list[object] = [
    None, True, False, 0, 1, -1, 1.0, -0.0, 0.5, 1.0000001, 99, -99, 100, -100, 2**31 - 1,
    2**31, -(2**31) - 1, 2**63, 10**30, 1e308, float("nan"), float("inf"), float("-inf"),
    "", " ", "0", "-0", "+150", "-110", "1.5", "8.25", "8.50", "-1.5", "1e309", "NaN", "inf",
    "true", "1.0", "yes", "\x00", "\ud800", "a\udfffb", "é", "🙂", "\u202e", '"', "a,b", "a\rb",
    "x" * 3000, "'; DROP TABLE odds; --", "[/bold]", "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999Z", "0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00",
    "2025-06-21T19:00:00", "2025-06-21", "2025-06-21T19:00:00+23:59", "1800-01-01T00:00:00Z",
    "2024-01-01T00:00:00Z", "2030-06-21T19:00:00Z", "mlb", "sbr", "action_network", "vsin",
    "moneyline", "total", "run_line", "over", "home", "draftkings", GAME, "1", "2147483648",
    [], {}, [[["deep"]]], {"a": {"b": [1, 2, {"c": None}]}}, ["x", 1], {"\x00": 1},
]  # fmt: skip
# JSON text that json.dumps will not write: non-standard numbers, escapes, nesting, size.
RAW_JSON = [
    "NaN", "Infinity", "-Infinity", "1e309", "-1e309", "1" * 5000, '"\\u0000"', '"\\ud800"',
    '"\\udc00\\ud800"', "[" * 3000 + "]" * 3000, '{"a":' * 70 + "1" + "}" * 70, "tru", "[1,",
    '{"x": NaN}', '"\\x41"', "-", "01", "1.e5", '{"a": 1, "a": 2}',
]  # fmt: skip
INTERESTING_BYTES = [
    b"\x00", b"\xff", b"\xfe", b"\xe9", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b'"', b",",
    b"\n", b"\r", b"\r\n", b"{", b"}", b"[", b"\\", b"\\u0000", b"\\ud800", b" ", b"\t", b"\x1a",
    b"\n\n\n", b"-", b"e", b"9",
]  # fmt: skip
PRICED = [
    ("moneyline", "home", None), ("moneyline", "away", None), ("total", "over", "8.5"),
    ("total", "under", "8.5"), ("run_line", "home", "-1.5"), ("run_line", "away", "1.5"),
    ("first_five_total", "over", "4.5"),
]  # fmt: skip
BOOKS = ("draftkings", "pinnacle", "fanduel", "circa")


def stamp(minutes: int) -> str:
    return (T0 + dt.timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


@st.composite
def odds_records(draw: st.DrawFn) -> list[Record]:
    records = []
    for _ in range(draw(st.integers(1, 8))):
        market, side, line = draw(st.sampled_from(PRICED))
        records.append({
            "source": "sbr", "game_source": "mlb", "external_game_id": GAME,
            "sportsbook": draw(st.sampled_from(BOOKS)), "market": market, "side": side,
            "line": line, "price": draw(st.sampled_from([-110, 120, -150, 100, -100, -250])),
            "observed_at": stamp(draw(st.integers(-5000, 300))),
        })  # fmt: skip
    return records


@st.composite
def split_records(draw: st.DrawFn) -> list[Record]:
    records = []
    for _ in range(draw(st.integers(1, 6))):
        market, side, line = draw(st.sampled_from(PRICED))
        records.append({
            "source": "action_network", "game_source": "mlb", "external_game_id": GAME,
            "market": market, "side": side, "line": line,
            "bet_pct": draw(st.sampled_from([0, 0.5, 0.74, 1])),
            "money_pct": draw(st.sampled_from([0.43, 0.0001, None])),
            "bet_count": draw(st.sampled_from([None, 0, 5120])),
            "captured_at": stamp(draw(st.integers(-5000, 300))),
        })  # fmt: skip
    return records


@st.composite
def analysis_records(draw: st.DrawFn) -> list[Record]:
    return [
        {
            "external_game_id": GAME,
            "analysis_type": "steam_move",
            "strategy_name": "follow_the_steam",
            "strategy_version": str(draw(st.integers(1, 4))),
            "market": "moneyline",
            "side": draw(st.sampled_from(["home", "away"])),
            "signals_detected": ["steam_move"],
            "confidence_score": draw(st.sampled_from([0, 0.91, 1])),
            "recommendation": "bet",
            "risk_level": "medium",
            "features": {"books_moved": draw(st.integers(0, 9))},
            "expires_at": draw(st.sampled_from([None, stamp(600)])),
        }
        for _ in range(draw(st.integers(1, 5)))
    ]


@st.composite
def signal_records(draw: st.DrawFn) -> list[Record]:
    return [
        {
            "external_game_id": GAME,
            "signal_type": "steam_move",
            "detector_name": "steam_detector",
            "detector_version": "1.2.0",
            "market": "moneyline",
            "side": draw(st.sampled_from(["home", "away"])),
            "sportsbook": draw(st.sampled_from(["pinnacle", None])),
            "signal_strength": 0.84,
            "confidence_score": 0.81,
            "features": {},
            "detected_at": stamp(draw(st.integers(-600, 0))),
        }
        for _ in range(draw(st.integers(1, 5)))
    ]


CLUBS = [(111, 147), (147, 111), (108, 117), (119, 137), (121, 143)]


@st.composite
def schedule_games(draw: st.DrawFn) -> list[Record]:
    games = []
    for _ in range(draw(st.integers(1, 5))):
        away, home = draw(st.sampled_from(CLUBS))
        state = draw(st.sampled_from(["S", "F"]))
        day = draw(st.integers(21, 24))
        games.append({
            "gamePk": draw(st.integers(777700, 777712)), "gameType": "R", "season": "2025",
            "gameDate": f"2025-06-{day}T23:15:00Z", "officialDate": f"2025-06-{day}",
            "status": {"codedGameState": state,
                       "detailedState": {"S": "Scheduled", "F": "Final"}[state]},
            "teams": {"away": {"team": {"id": away}, **({"score": 3} if state == "F" else {})},
                      "home": {"team": {"id": home}, **({"score": 2} if state == "F" else {})}},
            "venue": {"id": 3313, "name": "Yankee Stadium"}, "doubleHeader": "N", "gameNumber": 1,
        })  # fmt: skip
    return games


def leaf_paths(value: object, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every value inside a record (keys and list positions), the record's own first."""
    paths = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            paths.extend(leaf_paths(inner, (*prefix, key)))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            paths.extend(leaf_paths(inner, (*prefix, index)))
    return paths


def replace_at(value: Any, path: tuple[Any, ...], new: object) -> None:
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = new


@st.composite
def mutated_records(draw: st.DrawFn, records: list[Record]) -> tuple[list[Record], list[str]]:
    """Records with some values set to edge values; the raw JSON fragments put in by name."""
    raws: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        record = draw(st.sampled_from(records))
        paths = leaf_paths(record)
        choice = draw(st.integers(0, 9))
        if choice == 0 and record:
            record.pop(draw(st.sampled_from(sorted(record))))
        elif choice == 1:
            record[draw(st.sampled_from(["odds_format", "reason", "", "\ud800", "x" * 300]))] = 1
        elif choice == 2:
            raws.append(draw(st.sampled_from(RAW_JSON)))
            replace_at(record, draw(st.sampled_from(paths)), f"@@raw{len(raws) - 1}@@")
        elif paths:
            edge = copy.deepcopy(draw(st.sampled_from(EDGE_VALUES)))  # never shared: no cycles
            replace_at(record, draw(st.sampled_from(paths)), edge)
    return records, raws


def json_text(value: object, raws: list[str]) -> str:
    text = json.dumps(value)  # ensure_ascii: NUL and lone surrogates as \u escapes
    for index, raw in enumerate(raws):
        text = text.replace(f'"@@raw{index}@@"', raw)
    return text


def csv_bytes(records: list[Record], columns: list[str]) -> bytes:
    """The records as CSV under `columns` (which may repeat, miss or add names)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([csv_field(record.get(name)) for name in columns])
    return out.getvalue().encode("utf-8", errors="surrogatepass")


def csv_field(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


@st.composite
def byte_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """The file's bytes with a few changes: inserted, deleted or overwritten bytes, lines
    repeated, dropped or swapped, a truncated end, another encoding."""
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 8))
        at = draw(st.integers(0, len(data)))
        if kind == 0:
            data = data[:at] + draw(st.sampled_from(INTERESTING_BYTES)) + data[at:]
        elif kind == 1:
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif kind == 2:
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at + 1 :]
        elif kind == 3:
            data = data[:at]
        elif kind in (4, 5):
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == 4:
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif kind == 6:
            text = data.decode("utf-8", errors="surrogateescape")
            encoding = draw(st.sampled_from(["utf-16", "utf-32", "utf-8-sig", "latin-1"]))
            data = text.encode(encoding, errors="replace")
        elif kind == 7:
            data = data[:at] + b"x" * draw(st.sampled_from([600, 5000])) + data[at:]
        else:
            data = data[:at] + b"\n" + b" " * draw(st.integers(0, 3)) + b"\n" + data[at:]
    return data


def snapshot(database_url: str) -> dict[str, Counter[str]]:
    async def read() -> dict[str, Counter[str]]:
        connection = await asyncpg.connect(database_url)
        try:
            tables = [row["relname"] for row in await connection.fetch(TABLES)]
            return {
                table: Counter(
                    row[0] for row in await connection.fetch(f"SELECT t::text FROM {table} t")
                )
                for table in tables
            }
        finally:
            await connection.close()

    return run_sync(read())


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, database_url: str) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


@pytest.fixture
def seeded(runner: CliRunner, database_url: str, tmp_path: Path) -> str:
    """A database holding game 777706 (Boston at the Yankees, 21 June 2025, 23:15 UTC)."""
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"dates": [{"date": "2025-06-21", "games": [{
        "gamePk": int(GAME), "gameType": "R", "season": "2025",
        "gameDate": "2025-06-21T23:15:00Z", "officialDate": "2025-06-21",
        "status": {"codedGameState": "S", "detailedState": "Scheduled"},
        "teams": {"away": {"team": {"id": 111}}, "home": {"team": {"id": 147}}},
        "doubleHeader": "N", "gameNumber": 1,
    }]}]}))  # fmt: skip
    result = runner.invoke(app, ["import", "schedule", str(path)])
    assert result.exit_code == 0, result.output
    return database_url


COMMITTED = re.compile(r"with ([\d,]+) row\(s\) committed")


def import_holds_its_invariants(
    runner: CliRunner,
    database_url: str,
    command: list[str],
    table: str,
    rejects: Path | None,
    *,
    also: frozenset[str] = frozenset(),
    rows_per_record: bool = True,
    rejects_lines_per_record: bool = True,
) -> None:
    """`also`: tables the import may change besides `table` (games it creates: as many as the
    report says it created, plus stored games it attached an id or a score to, at most one
    each record it imported or updated); `rows_per_record`: `table` gains one row a record
    imported (else at least one)."""
    before = snapshot(database_url)
    result = runner.invoke(app, ["import", *command, "--json"])
    after = snapshot(database_url)
    exception = result.exception
    assert exception is None or isinstance(exception, SystemExit), (
        f"traceback: {exception!r}\n{result.output}"
    )
    assert result.exit_code in (0, 1, 2), result.output
    added = {name: sum((after[name] - before[name]).values()) for name in before}
    removed = {name: sum((before[name] - after[name]).values()) for name in before}
    others = {
        name
        for name in before
        if name != table and name not in also and (added[name] or removed[name])
    }
    assert not others, f"tables outside the import changed: {others}"
    if result.exit_code == 0:
        report = json.loads(result.stdout)
        rejected = report["rejected_count"]
        assert report["read"] == (
            report["imported"] + report["updated"] + report["unchanged"] + report["duplicates"]
            + report["skipped"] + rejected
        ), report  # fmt: skip
        assert len(report["rejected"]) == min(rejected, KEPT_REJECTIONS)
        if rows_per_record:
            assert (added[table], removed[table]) == (
                report["imported"] + report["updated"],
                report["updated"],
            ), report
        else:
            written = {table} | (also - {"games"})
            rows = sum(added[name] for name in written)
            assert (rows > 0) == (report["imported"] + report["updated"] > 0), report
            assert all(removed[name] <= added[name] for name in written), report
        if "games" in also:
            assert added["games"] - removed["games"] == report["games_created"], report
            # A stored game is changed only by what is imported into it (an event attached).
            assert removed["games"] <= report["imported"] + report["updated"], report
        if rejects is not None:
            lines = rejects.read_bytes().count(b"\n") if rejects.exists() else 0
            header = 1 if rejected and rejects.suffix == ".csv" else 0
            if rejects_lines_per_record:
                assert lines == rejected + header, report
            else:
                assert (lines > 0) == (rejected > 0), report
            assert (report["rejects_path"] is None) == (rejected == 0)
    else:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: "), result.stderr
        # The database never goes away here: a stop means a record sank the file.
        assert "stopped at line" not in lines[0], result.stderr
        committed = COMMITTED.search(lines[0])
        assert added[table] == (int(committed.group(1).replace(",", "")) if committed else 0)
        assert removed[table] == 0
        assert not any(added[name] or removed[name] for name in also), (added, removed)


Format = tuple[str, str, str, Callable[[], st.SearchStrategy[list[Record]]]]
LINE_FORMATS: dict[str, Format] = {
    "odds-csv": ("odds", "odds", "csv", odds_records),
    "odds-jsonl": ("odds", "odds", "jsonl", odds_records),
    "splits-jsonl": ("splits", "betting_splits", "jsonl", split_records),
    "splits-csv": ("splits", "betting_splits", "csv", split_records),
    "analyses-jsonl": ("analyses", "betting_analyses", "jsonl", analysis_records),
    "signals-jsonl": ("signals", "sharp_signals", "jsonl", signal_records),
}


@pytest.mark.parametrize("name", sorted(LINE_FORMATS))
def test_a_mutated_import_file_never_breaks_the_import_invariants(
    runner: CliRunner, seeded: str, tmp_path: Path, name: str
) -> None:
    command, table, extension, records_of = LINE_FORMATS[name]

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        records, raws = data.draw(mutated_records(data.draw(records_of())))
        if extension == "csv":
            columns = sorted({key for record in records for key in record})
            header_change = data.draw(st.integers(0, 5))
            if header_change == 0 and columns:
                columns.append(data.draw(st.sampled_from(columns)))
            elif header_change == 1 and columns:
                columns.remove(data.draw(st.sampled_from(columns)))
            content = csv_bytes(records, columns)
        else:
            content = "".join(json_text(r, raws) + "\n" for r in records).encode()
        content = data.draw(byte_mutations(content))
        path = tmp_path / f"{name}.{extension}"
        path.write_bytes(content)
        rejects = tmp_path / f"rejected.{extension}"
        options = ["--rejects", str(rejects)]
        cap = data.draw(st.sampled_from([None, 64, 700]))
        if cap is not None:
            options += ["--max-record-bytes", str(cap)]
        if command == "odds":
            options += ["--batch-size", str(data.draw(st.sampled_from([1, 3, 5000])))]
        import_holds_its_invariants(runner, seeded, [command, str(path), *options], table, rejects)

    run()


def test_a_mutated_schedule_file_never_breaks_the_import_invariants(
    runner: CliRunner, seeded: str, tmp_path: Path
) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        games, raws = data.draw(mutated_records(data.draw(schedule_games())))
        document: Any = {"dates": [{"date": "2025-06-21", "games": games}]}
        shape = data.draw(st.integers(0, 7))
        if shape == 0:
            document = {"dates": {"games": games}}
        elif shape == 1:
            document = games
        elif shape == 2:
            document["dates"].append({"date": "2025-06-22"})
        content = data.draw(byte_mutations(json_text(document, raws).encode()))
        path = tmp_path / "schedule.json"
        path.write_bytes(content)
        import_holds_its_invariants(runner, seeded, ["schedule", str(path)], "games", None)

    run()


def odds_api_event(draw: st.DrawFn, i: int) -> Record:
    book = draw(st.sampled_from(BOOKS))
    return {
        "id": f"event{draw(st.integers(0, 3))}", "sport_key": "baseball_mlb",
        "commence_time": draw(st.sampled_from(["2025-06-21T23:15:00Z", "2025-06-22T17:05:00Z"])),
        "home_team": "New York Yankees", "away_team": "Boston Red Sox",
        "bookmakers": [{"key": book, "title": book.title(), "last_update": stamp(-60 * i),
                        "markets": [
            {"key": "h2h", "outcomes": [{"name": "Boston Red Sox", "price": 105},
                                        {"name": "New York Yankees", "price": -120}]},
            {"key": draw(st.sampled_from(["totals", "h2h_lay"])), "outcomes": [
                {"name": "Over", "price": -110, "point": 8.5},
                {"name": "Under", "price": -110, "point": 8.5}]},
            {"key": "spreads", "outcomes": [
                {"name": "Boston Red Sox", "price": -150, "point": 1.5},
                {"name": "New York Yankees", "price": 130, "point": -1.5}]},
        ]}],
    }  # fmt: skip


@st.composite
def odds_api_events(draw: st.DrawFn) -> list[Record]:
    return [odds_api_event(draw, i) for i in range(draw(st.integers(1, 4)))]


def test_a_mutated_odds_api_file_never_breaks_the_import_invariants(
    runner: CliRunner, seeded: str, tmp_path: Path
) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        events, raws = data.draw(mutated_records(data.draw(odds_api_events())))
        document: Any = events
        shape = data.draw(st.integers(0, 5))
        if shape == 0:
            document = {"success": True, "data": events}
        elif shape == 1:
            document = {"message": "quota"}
        content = data.draw(byte_mutations(json_text(document, raws).encode()))
        path = tmp_path / "snapshot.json"
        path.write_bytes(content)
        rejects = tmp_path / "rejected.jsonl"
        options = ["--rejects", str(rejects)]
        options += data.draw(st.sampled_from([[], ["--include-live"]]))
        options += data.draw(
            st.sampled_from([[], ["--odds-format", "american"], ["--odds-format", "decimal"]])
        )
        import_holds_its_invariants(
            runner, seeded, ["odds-api", str(path), *options], "odds", rejects,
            also=frozenset({"games"}), rows_per_record=False,
        )  # fmt: skip

    run()


@st.composite
def sbd_games(draw: st.DrawFn) -> list[Record]:
    def quote(price: str) -> dict[str, str]:
        return {"american": price}

    return [
        {
            "_id": f"g{i}",
            "date": "2025-06-21T23:15:00.000Z",
            "gameday": "2025-06-21",
            "home": {"code": "NYY"},
            "away": {"code": "BOS"},
            "sportsbooks": [
                {
                    "name": draw(st.sampled_from(BOOKS)),
                    "odds": {
                        "moneyline": {"home": quote("-120"), "away": quote("+110")},
                        "spread": {
                            "home": {"points": "-1.5", "odds": quote("+130")},
                            "away": {"points": "+1.5", "odds": quote("-150")},
                        },
                        "total": {
                            "over": {"points": "8.5", "odds": quote("-110")},
                            "under": {"points": "8.5", "odds": quote("-110")},
                        },
                    },
                }
            ],
            "bettingSplits": {
                "moneyline": {
                    "updated": stamp(draw(st.integers(-600, -1))),
                    "home": {"bets": 10, "betsPercentage": 66.01, "stakePercentage": 52.49},
                    "away": {"bets": 5, "betsPercentage": 33.99, "stakePercentage": 47.51},
                }
            },
        }
        for i in range(draw(st.integers(1, 3)))
    ]


def test_a_mutated_sbd_file_never_breaks_the_import_invariants(
    runner: CliRunner, seeded: str, tmp_path: Path
) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        games, raws = data.draw(mutated_records(data.draw(sbd_games())))
        document: Any = {"group": "mlb", "games": games}
        if data.draw(st.integers(0, 5)) == 0:
            document = games
        content = data.draw(byte_mutations(json_text(document, raws).encode()))
        path = tmp_path / "sbd.json"
        path.write_bytes(content)
        rejects = tmp_path / "rejected.jsonl"
        options = ["--rejects", str(rejects)]
        options += data.draw(
            st.sampled_from([[], ["--observed-at", stamp(-30)], ["--include-live"]])
        )
        import_holds_its_invariants(
            runner, seeded, ["sbd", str(path), *options], "odds", rejects,
            also=frozenset({"games", "betting_splits"}), rows_per_record=False,
        )  # fmt: skip

    run()


SBR_HEADER = ["Date", "Rot", "VH", "Team", "Pitcher", "1st", "2nd", "3rd", "4th", "5th", "6th",
              "7th", "8th", "9th", "Final", "Open", "Close", "RunLine", "", "OpenOU", "",
              "CloseOU", ""]  # fmt: skip
# Cells at the edges of what a sheet holds: numbers past every column's range, text that looks
# like a number to Python but is not one to betdb, error cells, no line.
CELL_EDGES: list[object] = [
    None, "", " ", "NL", "pk?", "½", "8½", "-1.5(-104)", "1.5(", 0, -0.0, 99, -99, 100, 1000,
    -100001, 2**31, 10**30, 1e308, float("nan"), float("inf"), "NaN", "sNaN", "Infinity",
    "1_5_0", "\u0661\u0665\u0660", "1e3", "+150", "-110", "x", "V", "H", "N", "NYY", "BOS",
    "ZZZ", 621, 1399, 229, "0621", True, "\ufeff", "a\u202eb", "x" * 3000, Error("#N/A"),
    Error("#DIV/0!"),
]  # fmt: skip


@st.composite
def sbr_rows(draw: st.DrawFn) -> list[list[object]]:
    rows: list[list[object]] = [list(SBR_HEADER)]
    for i in range(draw(st.integers(1, 3))):
        away = [621, 901 + 2 * i, "V", "BOS", "PITCHER", 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 110, 105,
                1.5, -150, 8.5, -110, 8, -105]  # fmt: skip
        home = [621, 902 + 2 * i, "H", "NYY", "PITCHER", 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, -120, -115,
                -1.5, 130, 8.5, -110, 8, -115]  # fmt: skip
        rows += [away, home]
    for _ in range(draw(st.integers(0, 4))):
        if not rows:
            break
        kind = draw(st.integers(0, 9))
        row = draw(st.integers(0, len(rows) - 1))
        if kind == 0:
            rows.pop(row)
        elif kind == 1:
            rows.insert(draw(st.integers(0, len(rows))), list(rows[row]))
        elif kind == 2:
            rows[row] = rows[row][: draw(st.integers(0, len(rows[row])))]
        elif rows[row]:
            column = draw(st.integers(0, len(rows[row]) - 1))
            rows[row][column] = draw(st.sampled_from(CELL_EDGES))
    return rows or [[]]


def zip_mutations(draw: st.DrawFn, path: Path) -> None:
    """The workbook's zip itself damaged: truncated, bytes changed, an entry dropped."""
    kind = draw(st.integers(0, 6))
    data = path.read_bytes()
    if kind == 0:
        path.write_bytes(data[: draw(st.integers(0, len(data)))])
    elif kind == 1:
        at = draw(st.integers(0, len(data) - 1))
        path.write_bytes(data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at + 1 :])
    elif kind == 2:
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        parts.pop(draw(st.sampled_from(sorted(parts))))
        with zipfile.ZipFile(path, "w") as archive:
            for name, content in parts.items():
                archive.writestr(name, content)


def test_a_mutated_sbr_workbook_never_breaks_the_import_invariants(
    runner: CliRunner, seeded: str, tmp_path: Path
) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        rows = data.draw(sbr_rows())
        sheets: list[tuple[str, Any]] = [("2025", rows)]
        structure = data.draw(st.integers(0, 7))
        if structure == 0:
            sheets.append(("notes", [["a note"]]))
        elif structure == 1:
            far = data.draw(st.sampled_from(["XFD1048576", "AZ1000000", "A20001", "CW1"]))
            sheets[0] = ("2025", sheet_xml(rows, dimension=f"A1:{far}"))
        elif structure == 2:
            text = sheet_xml(rows)
            at = data.draw(st.integers(0, len(text)))
            sheets[0] = ("2025", text[:at] + data.draw(st.sampled_from(["<", "&", "\x00", ""])))
        path = write_xlsx(tmp_path / "mlb-odds-2025.xlsx", sheets)
        if data.draw(st.integers(0, 3)) == 0:
            zip_mutations(data.draw, path)
        rejects = tmp_path / "rejected.csv"
        options = ["--rejects", str(rejects)]
        options += data.draw(st.sampled_from([[], ["--force"], ["--max-rows", "4"]]))
        import_holds_its_invariants(
            runner, seeded, ["sbr-archive", str(path), *options], "untimed_lines", rejects,
            also=frozenset({"games"}), rows_per_record=False, rejects_lines_per_record=False,
        )  # fmt: skip

    run()
