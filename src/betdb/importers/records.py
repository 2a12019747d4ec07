"""Records of a line-oriented file, CSV or JSONL (chosen by extension), read one at a time.

A file is read as bytes and decoded line by line, so a line that is not UTF-8 is rejected on
its own instead of failing the whole file; a file that is UTF-16 or UTF-32 (by its byte order
mark) or whose CSV header cannot be read is refused as a whole before anything is written.
CSV fields may be quoted but not span lines. Blank lines are skipped and not counted.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO

from betdb.importers.report import ImportFileError

# UTF-32's little-endian mark begins with UTF-16's: test the longer one first.
WIDE_ENCODING_MARKS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)

REASON = "reason"
"""The field a rejects file adds; ignored on import, so a corrected rejects file imports."""


class RecordFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


def record_format(path: Path) -> RecordFormat:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return RecordFormat.CSV
    if suffix in (".jsonl", ".ndjson"):
        return RecordFormat.JSONL
    raise ImportFileError(path, f"unknown format {suffix!r}: expected a .csv or .jsonl file")


def refuse_wide_encodings(path: Path, head: bytes) -> None:
    for mark, encoding in WIDE_ENCODING_MARKS:
        if head.startswith(mark):
            raise ImportFileError(
                path, f"the file is {encoding} (byte order mark); save it as UTF-8", line=1
            )


class UnreadableLineError(ValueError):
    """A line that is not a record at all; the message is the rejection reason."""


def decode_line(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableLineError(
            f"not UTF-8: byte 0x{data[error.start]:02X} at column {error.start + 1}"
            " (a Latin-1 or Windows-1252 file? save it as UTF-8)"
        ) from None
    if "\x00" in text:
        raise UnreadableLineError("contains NUL bytes (a UTF-16 file? save it as UTF-8)")
    return text


def numbered_lines(stream: IO[bytes], path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes without the line ending) for each line; a UTF-8 BOM is dropped."""
    for number, data in enumerate(stream, start=1):
        if number == 1:
            refuse_wide_encodings(path, data)
            data = data.removeprefix(codecs.BOM_UTF8)
        yield number, data.rstrip(b"\r\n")


@dataclass(frozen=True)
class Record:
    line: int
    raw: str
    """The line as text (undecodable bytes shown as \\x escapes)."""
    fields: dict[str, object] | None
    """Field name to value; None when the line is not a record (see `problem`)."""
    problem: str | None = None


class RecordReader:
    """The records of one CSV or JSONL file whose fields are `required` and `optional`."""

    def __init__(self, path: Path, *, required: tuple[str, ...], optional: tuple[str, ...]):
        self.path = path
        self.format = record_format(path)
        self.required = required
        self.known = frozenset((*required, *optional, REASON))
        self.header: list[str] | None = None
        self.header_text = ""

    def __iter__(self) -> Iterator[Record]:
        with self.path.open("rb") as stream:
            lines = numbered_lines(stream, self.path)
            if self.format is RecordFormat.CSV:
                yield from self._csv(lines)
            else:
                yield from self._jsonl(lines)

    def _read_header(self, number: int, data: bytes) -> None:
        try:
            self.header_text = decode_line(data)
            names = next(csv.reader([self.header_text], strict=True))
        except (UnreadableLineError, csv.Error) as error:
            raise ImportFileError(
                self.path, f"the header cannot be read: {error}", line=number
            ) from None
        self.header = [name.strip() for name in names]
        missing = [name for name in self.required if name not in self.header]
        unknown = [name for name in self.header if name not in self.known]
        if missing or unknown:
            problems = []
            if missing:
                problems.append(f"missing column(s) {', '.join(missing)}")
            if unknown:
                problems.append(f"unknown column(s) {', '.join(unknown)}")
            raise ImportFileError(
                self.path,
                f"header: {'; '.join(problems)} (columns: {', '.join(self.required)};"
                f" optional: {', '.join(sorted(self.known - set(self.required) - {REASON}))})",
                line=number,
            )

    def _csv(self, lines: Iterator[tuple[int, bytes]]) -> Iterator[Record]:
        for number, data in lines:
            if not data.strip():
                continue
            if self.header is None:
                self._read_header(number, data)
                continue
            raw = data.decode("utf-8", errors="backslashreplace")
            try:
                values = next(csv.reader([decode_line(data)], strict=True))
            except UnreadableLineError as error:
                yield Record(number, raw, None, str(error))
                continue
            except csv.Error as error:
                yield Record(number, raw, None, f"not a CSV row: {error}")
                continue
            if len(values) != len(self.header):
                yield Record(
                    number,
                    raw,
                    None,
                    f"has {len(values)} fields where the header has {len(self.header)}"
                    " (a truncated or misquoted row?)",
                )
                continue
            yield Record(number, raw, dict(zip(self.header, values, strict=True)))
        if self.header is None:
            raise ImportFileError(self.path, "the file is empty: no header line")

    def _jsonl(self, lines: Iterator[tuple[int, bytes]]) -> Iterator[Record]:
        for number, data in lines:
            if not data.strip():
                continue
            raw = data.decode("utf-8", errors="backslashreplace")
            try:
                value = json.loads(decode_line(data))
            except UnreadableLineError as error:
                yield Record(number, raw, None, str(error))
                continue
            except json.JSONDecodeError as error:
                yield Record(number, raw, None, f"not JSON: {error.msg} at column {error.colno}")
                continue
            if not isinstance(value, dict):
                yield Record(number, raw, None, f"not a JSON object but {type(value).__name__}")
                continue
            unknown = [key for key in value if key not in self.known]
            if unknown:
                yield Record(
                    number, raw, value, f"unknown field(s) {', '.join(map(repr, unknown))}"
                )
                continue
            yield Record(number, raw, value)


def default_rejects_path(path: Path) -> Path:
    """odds.csv -> odds.rejects.csv"""
    return path.with_name(f"{path.stem}.rejects{path.suffix}")


class RejectsFile:
    """Rejected records in the input's format, each with a `reason`; created on first use."""

    def __init__(self, path: Path, reader: RecordReader) -> None:
        self.path = path
        self.reader = reader
        self._stream: io.TextIOWrapper | None = None

    def write(self, record: Record, reason: str) -> None:
        stream = self._open()
        if self.reader.format is RecordFormat.CSV:
            quoted = io.StringIO()
            csv.writer(quoted, lineterminator="").writerow([f"line {record.line}: {reason}"])
            stream.write(f"{record.raw},{quoted.getvalue()}\n")
        else:
            rejected = dict(record.fields) if record.fields is not None else {"raw": record.raw}
            rejected[REASON] = f"line {record.line}: {reason}"
            stream.write(json.dumps(rejected, default=str, ensure_ascii=False) + "\n")

    def _open(self) -> io.TextIOWrapper:
        if self._stream is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = self.path.open("w", encoding="utf-8", newline="")
            if self.reader.format is RecordFormat.CSV:
                self._stream.write(f"{self.reader.header_text},{REASON}\n")
        return self._stream

    @property
    def written(self) -> bool:
        return self._stream is not None

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
