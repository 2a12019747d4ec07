"""Records of a line-oriented file, CSV or JSONL (chosen by extension), read one at a time.

A file is read as bytes and decoded line by line, so a line that is not UTF-8 is rejected on
its own instead of failing the whole file; a file that is UTF-16 or UTF-32 (by its byte order
mark) or whose CSV header cannot be read is refused as a whole before anything is written.
CSV fields may be quoted but not span lines. Blank lines are skipped and not counted.

Memory stays bounded whatever the file: a line is read at most `max_record_bytes` at a time,
and a longer one is rejected and skipped in small chunks, never held whole.
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

from betdb.importers.fields import FieldError
from betdb.importers.rejects import (  # current_umask and refuse_rejects_path: kept importable here
    RejectsWriter,
)
from betdb.importers.rejects import (
    current_umask as current_umask,
)
from betdb.importers.rejects import (
    refuse_rejects_path as refuse_rejects_path,
)
from betdb.importers.report import QUOTE_LIMIT, ImportFileError, shortened
from betdb.importers.values import MAX_DEPTH, check_record

MAX_RECORD_BYTES = 1 << 20
"""The longest line (record) read, by default: 1 MiB."""
SKIP_CHUNK = 1 << 16

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


@dataclass(frozen=True)
class Line:
    number: int
    data: bytes
    """The line without its ending; only its first bytes when it is `oversized`."""
    length: int
    """Its length in bytes, without the line ending."""
    oversized: bool = False


def numbered_lines(stream: IO[bytes], path: Path, limit: int) -> Iterator[Line]:
    """Each line of the stream; a UTF-8 BOM is dropped, a line over `limit` bytes comes as its
    start only (the rest is read in small chunks and dropped)."""
    number = 0
    while data := stream.readline(limit + 1):
        number += 1
        if number == 1:
            refuse_wide_encodings(path, data)
            data = data.removeprefix(codecs.BOM_UTF8)
        if len(data) <= limit or data.endswith(b"\n"):
            data = data.rstrip(b"\r\n")
            yield Line(number, data, len(data))
            continue
        length, tail = len(data), data
        while not tail.endswith(b"\n") and (tail := stream.readline(SKIP_CHUNK)):
            length += len(tail)
        ending = len(tail) - len(tail.rstrip(b"\r\n")) if tail.endswith(b"\n") else 0
        yield Line(number, data[: QUOTE_LIMIT * 4], length - ending, oversized=True)


@dataclass(frozen=True)
class Record:
    line: int
    raw: str
    """The line as text (undecodable bytes shown as \\x escapes)."""
    fields: dict[str, object] | None
    """Field name to value; None when the line is not a record (see `problem`)."""
    problem: str | None = None
    oversized: bool = False
    """`raw` is only the start of a line longer than the limit."""


class RecordReader:
    """The records of one CSV or JSONL file whose fields are `required` and `optional`."""

    def __init__(
        self,
        path: Path,
        *,
        required: tuple[str, ...],
        optional: tuple[str, ...],
        max_record_bytes: int = MAX_RECORD_BYTES,
    ):
        if max_record_bytes < 1:
            raise ValueError(f"max_record_bytes must be at least 1, got {max_record_bytes}")
        self.path = path
        self.format = record_format(path)
        self.required = required
        self.known = frozenset((*required, *optional, REASON))
        self.max_record_bytes = max_record_bytes
        self.header: list[str] | None = None
        self.header_text = ""

    def __iter__(self) -> Iterator[Record]:
        with self.path.open("rb") as stream:
            for line in numbered_lines(stream, self.path, self.max_record_bytes):
                if line.oversized:
                    if self.format is RecordFormat.CSV and self.header is None:
                        raise ImportFileError(
                            self.path,
                            f"the header is {line.length:,} bytes long, over the limit of"
                            f" {self.max_record_bytes:,} bytes",
                            line=1,
                        )
                    yield Record(
                        line.number,
                        shortened(line.data.decode("utf-8", errors="backslashreplace")),
                        None,
                        f"the record is {line.length:,} bytes long, over the limit of"
                        f" {self.max_record_bytes:,} bytes",
                        oversized=True,
                    )
                elif line.data.strip():
                    record = (
                        self._csv(line.number, line.data)
                        if self.format is RecordFormat.CSV
                        else self._jsonl(line.number, line.data)
                    )
                    if record is not None:
                        yield record
        if self.format is RecordFormat.CSV and self.header is None:
            raise ImportFileError(self.path, "the file is empty: no header line")

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
        twice = sorted({name for name in self.header if self.header.count(name) > 1})
        if missing or unknown or twice:
            problems = []
            if twice:
                problems.append(f"column(s) {shortened(', '.join(twice))} given twice")
            if missing:
                problems.append(f"missing column(s) {', '.join(missing)}")
            if unknown:
                problems.append(f"unknown column(s) {shortened(', '.join(unknown))}")
            raise ImportFileError(
                self.path,
                f"header: {'; '.join(problems)} (columns: {', '.join(self.required)};"
                f" optional: {', '.join(sorted(self.known - set(self.required) - {REASON}))})",
                line=number,
            )

    def _csv(self, number: int, data: bytes) -> Record | None:
        """The line's record; None for the header. Decoded strict UTF-8 without NUL, a CSV
        field can hold nothing the database refuses, so check_record is not needed here."""
        if self.header is None:
            self._read_header(number, data)
            return None
        raw = data.decode("utf-8", errors="backslashreplace")
        try:
            values = next(csv.reader([decode_line(data)], strict=True))
        except UnreadableLineError as error:
            return Record(number, raw, None, str(error))
        except csv.Error as error:
            return Record(number, raw, None, f"not a CSV row: {error}")
        if len(values) != len(self.header):
            return Record(
                number,
                raw,
                None,
                f"has {len(values)} fields where the header has {len(self.header)}"
                " (a truncated or misquoted row?)",
            )
        return Record(number, raw, dict(zip(self.header, values, strict=True)))

    def _jsonl(self, number: int, data: bytes) -> Record:
        raw = data.decode("utf-8", errors="backslashreplace")
        try:
            value = json.loads(decode_line(data))
        except UnreadableLineError as error:
            return Record(number, raw, None, str(error))
        except json.JSONDecodeError as error:
            return Record(number, raw, None, f"not JSON: {error.msg} at column {error.colno}")
        except RecursionError:
            return Record(
                number,
                raw,
                None,
                f"not JSON this importer reads: nested deeper than {MAX_DEPTH} levels",
            )
        except ValueError as error:  # an integer of more digits than Python converts
            return Record(number, raw, None, f"not JSON this importer reads: {error}")
        if not isinstance(value, dict):
            return Record(number, raw, None, f"not a JSON object but {type(value).__name__}")
        try:
            check_record(value)
        except FieldError as error:
            return Record(number, raw, value, str(error))
        unknown = [key for key in value if key not in self.known]
        if unknown:
            return Record(
                number,
                raw,
                value,
                f"unknown field(s) {', '.join(repr(shortened(key)) for key in unknown)}",
            )
        return Record(number, raw, value)


def default_rejects_path(path: Path) -> Path:
    """odds.csv -> odds.rejects.csv"""
    return path.with_name(f"{path.stem}.rejects{path.suffix}")


class RejectsFile(RejectsWriter):
    """Rejected records in the input's format, each with a `reason` (see RejectsWriter: never
    the input, written aside and renamed into place, an earlier run's removed when clean)."""

    def __init__(self, path: Path, reader: RecordReader) -> None:
        header = (
            (lambda: f"{reader.header_text},{REASON}\n")
            if reader.format is RecordFormat.CSV
            else None
        )
        super().__init__(reader.path, path, header=header)
        self.reader = reader

    def write(self, record: Record, reason: str) -> None:
        stream = self.stream()
        if self.reader.format is RecordFormat.CSV:
            quoted = io.StringIO()
            csv.writer(quoted, lineterminator="").writerow([f"line {record.line}: {reason}"])
            raw = record.raw
            if record.oversized:  # only a start of the line: kept as one field, padded
                start = io.StringIO()
                width = len(self.reader.header or ()) or 1
                csv.writer(start, lineterminator="").writerow([raw] + [""] * (width - 1))
                raw = start.getvalue()
            stream.write(f"{raw},{quoted.getvalue()}\n")
        else:
            stream.write(self._json_line(record, f"line {record.line}: {reason}") + "\n")

    @staticmethod
    def _json_line(record: Record, reason: str) -> str:
        if record.fields is not None and not record.oversized:
            try:
                return json.dumps(
                    {**record.fields, REASON: reason}, default=str, ensure_ascii=False
                )
            except (RecursionError, ValueError, TypeError):
                pass  # what json cannot write again is written as the line it came from
        return json.dumps({"raw": record.raw, REASON: reason}, ensure_ascii=False)
