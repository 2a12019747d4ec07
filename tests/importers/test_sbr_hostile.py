"""SBR archives an adversary made: hostile workbooks refused before they are read, cells read by
an explicit pattern, error cells and other sheets reported, the rejects file never the input,
and a file of another season stopped before it overwrites anything."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import asyncpg
import pytest

from betdb import UnifiedRepository
from betdb.importers.checks import SeasonRangeError
from betdb.importers.rejects import RejectsPathError
from betdb.importers.report import ImportFileError, ImportReport, stopped_at
from betdb.importers.sbr_archive import SeasonContradictionError, import_sbr_archive, season_of
from betdb.importers.sheets import SheetLimits

from .conftest import adds_up, count
from .xlsx import Error, sheet_xml, write_xlsx

REAL = Path(__file__).parents[1] / "data" / "real"
SEASON_2019 = REAL / "sbr" / "mlb-odds-2019.xlsx"
SEASON_2021 = REAL / "sbr" / "mlb-odds-2021.xlsx"
HEADER = ["Date", "Rot", "VH", "Team", "Pitcher", "1st", "2nd", "3rd", "4th", "5th", "6th",
          "7th", "8th", "9th", "Final", "Open", "Close", "RunLine", "", "OpenOU", "",
          "CloseOU", ""]  # fmt: skip
AWAY = [401, 961, "V", "PIT", "CKUHL", 0, 0, 0, 0, 0, 0, 0, 0, "x", 5, 183, 190, 1.5, -120, 7,
        -110, 6.5, -115]  # fmt: skip
HOME = [401, 962, "H", "CUB", "KHENDRICK", 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, -205, -210, -1.5, 100,
        7, -110, 6.5, -105]  # fmt: skip
CLOSE = HEADER.index("Close")


def season(path: Path, *rows: list[object], others: int = 0) -> Path:
    sheets: list[tuple[str, list[list[object]]]] = [("2021", [HEADER, *rows])]
    sheets += [(f"other{i}", [["a note"]]) for i in range(others)]
    return write_xlsx(path, sheets)


def changed(row: list[object], **cells: object) -> list[object]:
    row = list(row)
    for name, value in cells.items():
        row[HEADER.index(name)] = value
    return row


async def test_the_rejects_path_naming_the_spreadsheet_or_a_link_to_it_is_refused(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    sheet = season(tmp_path / "mlb-odds-2021.xlsx", AWAY, changed(HOME, Team="???"))
    before = sheet.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(sheet)
    hard = tmp_path / "hard.csv"
    os.link(sheet, hard)
    for rejects in (sheet, link, hard):
        with pytest.raises(RejectsPathError, match="is the file being imported"):
            await import_sbr_archive(repo, sheet, rejects=rejects)
    assert sheet.read_bytes() == before


async def test_a_rejects_path_that_is_a_directory_is_named_not_the_input(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    sheet = season(tmp_path / "mlb-odds-2021.xlsx", AWAY, HOME)
    with pytest.raises(RejectsPathError, match=f"the rejects path {tmp_path} is a directory"):
        await import_sbr_archive(repo, sheet, rejects=tmp_path)


async def test_a_clean_rerun_removes_the_stale_rejects_file(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    sheet = season(tmp_path / "mlb-odds-2021.xlsx", AWAY, changed(HOME, Team="???"))
    first = await import_sbr_archive(repo, sheet)
    assert first.rejects_path == tmp_path / "mlb-odds-2021.rejects.csv"
    assert first.rejects_path.read_text().splitlines()[0].startswith("line,Date,Rot,VH")
    season(sheet, AWAY, HOME)
    second = await import_sbr_archive(repo, sheet)
    assert (second.imported, second.rejects_path) == (1, None)
    assert not (tmp_path / "mlb-odds-2021.rejects.csv").exists()
    assert os.listdir(tmp_path) == ["mlb-odds-2021.xlsx"]


@pytest.mark.parametrize(
    ("dimension_or_cell", "limit"),
    [
        ("A1:XFD1048576", "over the limit of 20,000 rows"),
        ("AZ1000000", "over the limit of 20,000 rows"),
        ("ZZ10", "over the limit of 100 columns"),
    ],
)
async def test_a_sheet_reaching_past_a_season_is_refused_naming_the_limit(
    repo: UnifiedRepository, tmp_path: Path, dimension_or_cell: str, limit: str
) -> None:
    head = sheet_xml([HEADER, AWAY, HOME])
    if ":" in dimension_or_cell:  # the declared dimension alone
        xml = head.replace("<sheetData>", f'<dimension ref="{dimension_or_cell}"/><sheetData>')
    else:  # one real cell far away, no dimension
        cell = f'<row r="{dimension_or_cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">'
        cell += f'<c r="{dimension_or_cell}"><v>1</v></c></row>'
        xml = head.replace("</sheetData>", cell + "</sheetData>")
    sheet = write_xlsx(tmp_path / "mlb-odds-2021.xlsx", [("2021", xml)])
    with pytest.raises(ImportFileError, match=limit):
        await import_sbr_archive(repo, sheet)


async def test_a_zip_bomb_sheet_is_refused_by_its_size_before_it_is_inflated(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    padding = "<!--" + " " * (80 << 20) + "-->"
    xml = sheet_xml([HEADER, AWAY, HOME]).replace("<sheetData>", padding + "<sheetData>")
    sheet = write_xlsx(tmp_path / "mlb-odds-2021.xlsx", [("2021", xml)])
    assert sheet.stat().st_size < 200_000
    with pytest.raises(ImportFileError, match="over the limit of 67,108,864"):
        await import_sbr_archive(repo, sheet)


async def test_the_sheet_size_limit_is_configurable(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    xml = sheet_xml([HEADER, AWAY, HOME]).replace("<sheetData>", " " * 5000 + "<sheetData>")
    sheet = write_xlsx(tmp_path / "mlb-odds-2021.xlsx", [("2021", xml)])
    limits = SheetLimits(max_sheet_bytes=4000)
    with pytest.raises(
        ImportFileError, match=r"sheet1\.xml is 7,527 bytes uncompressed, over the limit of 4,000"
    ):
        await import_sbr_archive(repo, sheet, limits=limits)


async def test_the_row_and_column_caps_are_configurable(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    sheet = season(tmp_path / "mlb-odds-2021.xlsx", AWAY, HOME)
    with pytest.raises(ImportFileError, match="reaches row 3, over the limit of 2 rows"):
        await import_sbr_archive(repo, sheet, limits=SheetLimits(max_rows=2))
    report = await import_sbr_archive(repo, sheet, limits=SheetLimits(max_rows=3, max_columns=23))
    assert report.imported == 1


async def test_a_file_that_is_not_a_zip_is_refused_in_one_sentence(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    sheet = tmp_path / "mlb-odds-2021.xlsx"
    sheet.write_bytes(b"Date,VH\n")
    with pytest.raises(ImportFileError, match=r"not an \.xlsx spreadsheet"):
        await import_sbr_archive(repo, sheet)
    truncated = tmp_path / "mlb-odds-2020.xlsx"
    truncated.write_bytes(season(tmp_path / "x-2021.xlsx", AWAY, HOME).read_bytes()[:300])
    with pytest.raises(ImportFileError, match=r"not an \.xlsx spreadsheet"):
        await import_sbr_archive(repo, truncated)


@pytest.mark.parametrize(
    "value",
    [
        "NaN",
        "sNaN",
        "Infinity",
        "-inf",
        "1_5_0",
        "\u0661\u0665\u0660",
        "1e3",
        float("nan"),
        float("inf"),
    ],
)
async def test_a_price_cell_that_is_not_ascii_digits_is_left_out_with_a_warning(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path, value: object
) -> None:
    sheet = season(tmp_path / "mlb-odds-2021.xlsx", changed(AWAY, Close=value), HOME)
    report = await import_sbr_archive(repo, sheet)
    assert (report.read, report.imported, len(report.rejected)) == (1, 1, 0)
    assert len(report.warnings) == 1
    assert "row 2 Close" in report.warnings[0].reason
    assert await count(connection, "untimed_lines WHERE side = 'away' AND moment = 'closing'"
                       " AND market = 'moneyline'") == 0  # fmt: skip


async def test_a_total_of_a_thousand_is_one_warning_not_a_failed_file(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    sheet = season(
        tmp_path / "mlb-odds-2021.xlsx", changed(AWAY, CloseOU=1000), changed(HOME, CloseOU=1000)
    )
    report = await import_sbr_archive(repo, sheet)
    assert (report.imported, len(report.rejected), len(report.warnings)) == (1, 0, 1)
    assert (
        "row 2 CloseOU: 1000.0 is not a line (two decimals, below 1000)"
        in report.warnings[0].reason
    )
    assert await count(connection, "untimed_lines") == 8


async def test_an_error_cell_is_named_not_read_as_empty(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    sheet = season(tmp_path / "mlb-odds-2021.xlsx", changed(AWAY, Close=Error("#N/A")), HOME)
    report = await import_sbr_archive(repo, sheet)
    assert report.imported == 1
    assert [w.reason for w in report.warnings] == [
        "imported without the line(s) of row 2 Close: error cell #N/A (the sheet's formula failed)"
    ]


async def test_another_sheet_holding_values_is_reported(
    repo: UnifiedRepository, tmp_path: Path
) -> None:
    sheet = season(tmp_path / "mlb-odds-2021.xlsx", AWAY, HOME, others=1)
    report = await import_sbr_archive(repo, sheet)
    assert report.imported == 1
    assert [str(w) for w in report.warnings] == [
        "sheet 'other0': sheet 'other0' holds values and was not read: only the first sheet"
        " is imported (save each season in a file of its own)"
    ]


def test_a_season_outside_the_one_range_is_refused_from_the_option_and_the_file_name() -> None:
    for year in (1875, 2100, 2200):
        with pytest.raises(SeasonRangeError, match="seasons 1876 to 2099 only"):
            season_of(Path("x.xlsx"), year)
    for name in ("mlb-odds-1850.xlsx", "mlb-odds-2199.xlsx"):
        with pytest.raises(SeasonRangeError, match="seasons 1876 to 2099 only"):
            season_of(Path(name), None)
    assert season_of(Path("mlb-odds-2099.xlsx"), None) == 2099


async def test_another_seasons_file_is_stopped_before_it_writes_unless_forced(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    await import_sbr_archive(repo, SEASON_2021)
    games, lines = await count(connection, "games"), await count(connection, "untimed_lines")
    wrong = shutil.copy(SEASON_2019, tmp_path / "odds.xlsx")
    with pytest.raises(SeasonContradictionError, match="contradicts the stored season 2021"):
        await import_sbr_archive(repo, wrong, season=2021)
    assert (await count(connection, "games"), await count(connection, "untimed_lines")) == (
        games,
        lines,
    )
    assert not (tmp_path / "odds.rejects.csv").exists()
    forced = await import_sbr_archive(repo, wrong, season=2021, force=True)
    assert adds_up(forced)
    # A game whose score contradicts the stored one keeps its lines: its pair is rejected.
    assert forced.rejected
    assert all("contradicts the stored" in r.reason for r in forced.rejected)
    assert forced.games_created == forced.imported


def test_the_test_workbook_is_a_zip_calamine_reads(tmp_path: Path) -> None:
    sheet = season(tmp_path / "x.xlsx", AWAY, HOME)
    with zipfile.ZipFile(sheet) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()


class StopError(Exception):
    """Stands for Ctrl-C, which the command catches (a KeyboardInterrupt would end pytest)."""


async def test_an_interrupted_import_says_the_row_it_reached_and_that_nothing_was_committed(
    repo: UnifiedRepository, connection: asyncpg.Connection, tmp_path: Path
) -> None:
    sheet = Path(shutil.copy(SEASON_2021, tmp_path / "mlb-odds-2021.xlsx"))
    report = ImportReport(path=sheet)
    pairs = 0

    def progress(_rows: int) -> None:
        nonlocal pairs
        pairs += 1
        if pairs == 10:
            raise StopError

    with pytest.raises(StopError):
        await import_sbr_archive(repo, sheet, on_progress=progress, report=report)
    # The header is row 1; the tenth visitor/home pair is rows 20 and 21.
    assert stopped_at(report) == (
        f"{sheet}: stopped at line 21 with 0 row(s) committed (a re-run imports the rest)"
    )
    assert await count(connection, "games") == 0
    assert os.listdir(tmp_path) == ["mlb-odds-2021.xlsx"]
