"""Checking an .xlsx workbook before a spreadsheet library reads it.

A reader such as calamine allocates a sheet's whole range at once: one cell at XFD1048576 in a
2 KB file asks for hundreds of gigabytes, and a zip bomb inflates a small file into gigabytes of
XML. So the workbook is first read as the zip it is, in bounded memory: its entries' sizes, each
sheet's declared dimension, then each sheet's XML streamed through (at most `max_sheet_bytes`,
whatever its header claims) to find the rows and columns its cells really occupy. A workbook
over a limit is refused with one sentence naming the limit; one within them is safe to read.
The scan also finds what the reader hides: error cells (``#N/A``, read as empty) and sheets
other than the first that hold values.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from betdb.importers.report import ImportFileError

MAX_ROWS = 20_000
"""Rows a season's sheet may have: about 5,000 (two a game) in every season seen."""
MAX_COLUMNS = 100
"""Columns a season's sheet may have: about 25 in every season seen."""
MAX_SHEET_BYTES = 64 << 20
"""Uncompressed XML a sheet may have: a season's is about 2 MiB."""
MAX_PART_BYTES = 8 << 20
"""Uncompressed size of the workbook's other parts (shared strings, workbook, styles)."""
KEPT_ERROR_CELLS = 10_000
CHUNK = 1 << 16
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

# A row or cell start tag (any namespace prefix), and its r attribute.
TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
REFERENCE = re.compile(rb'\sr\s*=\s*["\']([A-Za-z]{0,3})([0-9]{0,9})["\']')
ERROR_TYPE = re.compile(rb'\st\s*=\s*["\']e["\']')
ERROR_VALUE = re.compile(rb"\s*<(?:[A-Za-z_][\w.-]*:)?v>([^<]{0,32})<")
VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is)[\s>]")
DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref\s*=\s*["\']([^"\']{1,40})["\']')


@dataclass(frozen=True)
class SheetLimits:
    max_rows: int = MAX_ROWS
    max_columns: int = MAX_COLUMNS
    max_sheet_bytes: int = MAX_SHEET_BYTES


@dataclass
class SheetScan:
    """What a sheet's XML holds: its extent, and its error cells by (row, column), 1-based."""

    name: str
    rows: int = 0
    columns: int = 0
    has_values: bool = False
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def cell_name(row: int, column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


def sheet_parts(path: Path, archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, zip entry) of each worksheet in the workbook's order."""
    try:
        workbook = ElementTree.fromstring(read_part(path, archive, "xl/workbook.xml"))
        rels = ElementTree.fromstring(read_part(path, archive, "xl/_rels/workbook.xml.rels"))
    except ElementTree.ParseError as error:
        raise ImportFileError(path, f"not an .xlsx spreadsheet: its workbook: {error}") from None
    targets = {
        rel.get("Id"): str(rel.get("Target") or "")
        for rel in rels.iter(f"{RELATIONSHIPS}Relationship")
    }
    parts = []
    for sheet in workbook.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(RELATIONSHIP_ID), "")
        entry = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts.append((str(sheet.get("name") or "?"), str(PurePosixPath(entry))))
    if not parts:
        raise ImportFileError(path, "not an .xlsx spreadsheet: the workbook lists no sheet")
    return parts


def read_part(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ImportFileError(path, f"not an .xlsx spreadsheet: no {name}") from None
    if info.file_size > MAX_PART_BYTES:
        raise ImportFileError(
            path, f"{name} is {info.file_size:,} bytes, over the limit of {MAX_PART_BYTES:,}"
        )
    with archive.open(info) as stream:
        data = stream.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise ImportFileError(path, f"{name} inflates past the limit of {MAX_PART_BYTES:,} bytes")
    return data


def refuse_extent(path: Path, name: str, rows: int, columns: int, limits: SheetLimits) -> None:
    if rows > limits.max_rows:
        raise ImportFileError(
            path,
            f"sheet {name!r} reaches row {rows:,}, over the limit of {limits.max_rows:,} rows"
            " a season can have (--max-rows raises it)",
        )
    if columns > limits.max_columns:
        raise ImportFileError(
            path,
            f"sheet {name!r} reaches column {cell_name(1, columns)[:-1]} ({columns:,}), over the"
            f" limit of {limits.max_columns:,} columns (--max-columns raises it)",
        )


def scan_sheet(
    path: Path, archive: zipfile.ZipFile, name: str, entry: str, limits: SheetLimits
) -> SheetScan:
    try:
        info = archive.getinfo(entry)
    except KeyError:
        raise ImportFileError(
            path, f"not an .xlsx spreadsheet: sheet {name!r} has no {entry}"
        ) from None
    if info.file_size > limits.max_sheet_bytes:
        raise ImportFileError(
            path,
            f"sheet {name!r} is {info.file_size:,} bytes of XML, over the limit of"
            f" {limits.max_sheet_bytes:,} bytes",
        )
    scan = SheetScan(name)
    row = column = 0
    seen = 0
    carry = b""
    dimension_checked = False
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            seen += len(chunk)
            if seen > limits.max_sheet_bytes:
                raise ImportFileError(
                    path,
                    f"sheet {name!r} inflates past the limit of {limits.max_sheet_bytes:,}"
                    " bytes of XML",
                )
            data = carry + chunk
            if not dimension_checked and (declared := DIMENSION.search(data)):
                dimension_checked = True
                refuse_declared(path, name, declared.group(1).decode("ascii", "replace"), limits)
            end = data.rfind(b">") + 1
            # Keep an unfinished tag for the next chunk; a cell's value may follow its tag.
            cut = max(data.rfind(b"<", 0, len(data)), end) if len(data) - end < 4096 else end
            body, carry = data[:cut], data[cut:]
            for tag in TAG.finditer(body):
                reference = REFERENCE.search(tag.group(2))
                if tag.group(1) == b"row":
                    row = int(reference.group(2)) if reference and reference.group(2) else row + 1
                    column = 0
                    scan.rows = max(scan.rows, row)
                    continue
                if reference and reference.group(1):
                    column = column_number(reference.group(1).decode())
                    if reference.group(2):
                        row = int(reference.group(2))
                else:
                    column += 1
                scan.rows, scan.columns = max(scan.rows, row), max(scan.columns, column)
                if scan.rows > limits.max_rows or scan.columns > limits.max_columns:
                    refuse_extent(path, name, scan.rows, scan.columns, limits)
                after = body[tag.end() : tag.end() + 64]
                if not tag.group(2).endswith(b"/") and VALUE.match(after.lstrip()):
                    scan.has_values = True
                if ERROR_TYPE.search(tag.group(2)) and len(scan.error_cells) < KEPT_ERROR_CELLS:
                    value = ERROR_VALUE.match(after)
                    scan.error_cells[(row, column)] = (
                        value.group(1).decode("utf-8", "replace") if value else "an error"
                    )
    return scan


def refuse_declared(path: Path, name: str, reference: str, limits: SheetLimits) -> None:
    """The sheet's own claim of its extent (``A1:XFD1048576``), before reading its cells."""
    last = reference.split(":")[-1]
    found = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,9})", last)
    if found:
        refuse_extent(path, name, int(found.group(2)), column_number(found.group(1)), limits)


def check_workbook(path: Path, limits: SheetLimits) -> list[SheetScan]:
    """Each sheet's scan, first sheet first; ImportFileError when the file is no .xlsx or is
    over a limit."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise ImportFileError(path, f"not an .xlsx spreadsheet: {error}") from None
    try:
        with archive:
            parts = sheet_parts(path, archive)
            first = parts[0][1]
            for info in archive.infolist():
                limit = limits.max_sheet_bytes if info.filename == first else MAX_PART_BYTES
                if info.file_size > max(limit, limits.max_sheet_bytes):
                    raise ImportFileError(
                        path,
                        f"{info.filename} is {info.file_size:,} bytes uncompressed, over the"
                        f" limit of {max(limit, limits.max_sheet_bytes):,}",
                    )
            return [scan_sheet(path, archive, name, entry, limits) for name, entry in parts]
    except (zipfile.BadZipFile, EOFError, NotImplementedError, ValueError) as error:
        if isinstance(error, ImportFileError):
            raise
        raise ImportFileError(path, f"not an .xlsx spreadsheet: {error}") from None
    except OSError as error:
        raise ImportFileError(path, f"cannot read the spreadsheet: {error}") from None
