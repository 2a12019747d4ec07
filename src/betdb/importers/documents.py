"""What the importers of whole documents (JSON responses, spreadsheets) share: reading a JSON
file as saved (a byte-order mark, a wrapper), the rejects file of records without lines, and
finding clubs by the codes and names sources use.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

from betdb import UnifiedRepository
from betdb.importers.fields import FieldError
from betdb.importers.records import refuse_wide_encodings
from betdb.importers.rejects import RejectsWriter
from betdb.importers.report import ImportFileError, Rejection
from betdb.importers.values import MAX_DEPTH

MAX_DOCUMENT_BYTES = 64 << 20
"""The largest file read whole: a day's scoreboard or one game's feed is well under a megabyte,
and decoding a file whole takes several times its size in memory."""


def load_json(path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> object:
    """The JSON value of a file saved as UTF-8 (with or without a byte-order mark);
    ImportFileError naming the position when it is not, or the size when the file is larger
    than `max_bytes` (read whole, it would take memory out of proportion)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportFileError(
            path,
            f"{size:,} bytes is more than one response of this source can be (at most"
            f" {max_bytes >> 20} MiB read whole): split it into files, one response each",
        )
    data = path.read_bytes()
    refuse_wide_encodings(path, data)
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ImportFileError(
            path,
            f"not UTF-8: byte 0x{data[error.start]:02X} (a Latin-1 file? save it as UTF-8)",
            line=line,
            column=column,
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            path, f"not valid JSON: {error.msg} (truncated?)", line=error.lineno, column=error.colno
        ) from None
    except RecursionError:
        raise ImportFileError(path, f"JSON nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise ImportFileError(path, f"not JSON betdb reads: {error}") from None


def record_text(record: object) -> str:
    """A record as the JSON it came as, for its rejection (its repr when JSON cannot say it)."""
    try:
        return json.dumps(record, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):
        return repr(record)[:1000]


def default_rejects_path(path: Path) -> Path:
    """schedule.json -> schedule.rejects.jsonl"""
    return path.with_name(f"{path.stem}.rejects.jsonl")


class JsonRejects(RejectsWriter):
    """Rejected records of a document, one JSON object a line: where, reason and the record;
    ASCII-escaped, so any text a record holds (a lone surrogate) is written. See RejectsWriter."""

    def __init__(self, source: Path, path: Path) -> None:
        super().__init__(source, path)

    def write(self, rejection: Rejection) -> None:
        try:
            record: object = json.loads(rejection.raw)
        except (ValueError, RecursionError):
            record = rejection.raw
        where = rejection.where or f"line {rejection.line}"
        line = {"where": where, "reason": rejection.reason, "record": record}
        try:
            text = json.dumps(line, ensure_ascii=True, default=str)
        except (ValueError, RecursionError):
            text = json.dumps({**line, "record": rejection.raw}, ensure_ascii=True)
        self.write_line(text + "\n")

    def close(self) -> None:
        self.finish()


class Clubs:
    """The clubs by every code (abbreviations and aliases) and full name (current and former)."""

    def __init__(self, codes: dict[str, int], names: dict[str, int]) -> None:
        self.codes = codes
        self.names = names

    @classmethod
    async def load(cls, repository: UnifiedRepository) -> Clubs:
        coded = await repository.games.list_team_codes()
        codes = {row.code: row.team_id for row in coded if row.code is not None}
        named = await repository.games.list_team_names()
        names = {row.name.casefold(): row.team_id for row in named}
        return cls(codes, names)

    def by_code(self, code: object, cell: str) -> int:
        if not isinstance(code, str) or not code.strip():
            raise FieldError(f"{cell}: no club code")
        team_id = self.codes.get(code.strip().upper())
        if team_id is None:
            raise FieldError(f"{cell}: unknown club code {code.strip()!r} (not a team alias)")
        return team_id

    def by_name(self, name: object, field: str) -> int:
        if not isinstance(name, str) or not name.strip():
            raise FieldError(f"{field}: no club name")
        team_id = self.names.get(" ".join(name.split()).casefold())
        if team_id is None:
            raise FieldError(f"{field}: unknown club {name!r} (not a current or former club name)")
        return team_id
