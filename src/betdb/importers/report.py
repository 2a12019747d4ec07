"""What an import did: counts that add up, and the first rejected records with their reasons."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

KEPT_REJECTIONS = 100
"""Rejections a report keeps with their reasons; all of them are counted and in the rejects file."""
QUOTE_LIMIT = 200
"""Characters of a value a reason quotes; the rest is elided."""
RAW_LIMIT = 1000
"""Characters of a rejected record a report keeps."""
REASON_LIMIT = 500


def shortened(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` itself when short, else its start and how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


@dataclass(frozen=True)
class Rejection:
    """One record that was not imported, and why."""

    line: int
    """1-based line of the file; 0 where the format has no lines of its own (JSON)."""
    reason: str
    """A sentence naming the field and what was wrong with it."""
    raw: str
    """The record as it stood in the file (its start, when longer than RAW_LIMIT)."""
    where: str = ""
    """A locator for formats without lines, e.g. ``dates[2].games[5]``."""

    def __post_init__(self) -> None:
        # A report holds many of these: never a whole megabyte line or a reason quoting one.
        object.__setattr__(self, "reason", shortened(self.reason, REASON_LIMIT))
        object.__setattr__(self, "raw", shortened(self.raw, RAW_LIMIT))

    def __str__(self) -> str:
        return f"{self.where or f'line {self.line}'}: {self.reason}"


class Rejections:
    """Every rejection counted, the first KEPT_REJECTIONS kept: ``len()`` is the count, iterating
    and indexing see the kept ones."""

    def __init__(self, keep: int = KEPT_REJECTIONS) -> None:
        self.keep = keep
        self.kept: list[Rejection] = []
        self.count = 0

    def append(self, rejection: Rejection) -> None:
        self.count += 1
        if len(self.kept) < self.keep:
            self.kept.append(rejection)

    def extend(self, rejections: Iterable[Rejection]) -> None:
        for rejection in rejections:
            self.append(rejection)

    @property
    def truncated(self) -> bool:
        return self.count > len(self.kept)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Rejection]:
        return iter(self.kept)

    def __getitem__(self, index: int) -> Rejection:
        return self.kept[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list):
            return not self.truncated and self.kept == other
        if isinstance(other, Rejections):
            return (self.count, self.kept) == (other.count, other.kept)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rejections(count={self.count}, kept={self.kept!r})"


@dataclass
class ImportReport:
    """The outcome of importing one file.

    Every record read is counted once: ``read == imported + updated + unchanged + duplicates
    + skipped + len(rejected)``.
    """

    path: Path
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: int = 0
    """Records read and deliberately not imported (a market betdb does not keep, a game whose
    clubs are not known yet); `skip_reasons` says why, with a count per reason."""
    skip_reasons: dict[str, int] = field(default_factory=dict)
    rejected: Rejections = field(default_factory=Rejections)
    warnings: Rejections = field(default_factory=Rejections)
    """Records imported with something to report (a stored score that disagrees, kept)."""
    seconds: float = 0.0
    rejects_path: Path | None = None
    """Where the rejected records were written, if any were."""
    line: int = 0
    """The line of the last record read (where an interrupted import stopped)."""
    committed: int = 0
    """Rows written whose transaction committed: all of imported and updated once done."""
    games_created: int = 0
    """Games the import created (not found among stored games); not a count of records."""
    in_doubt: int = 0
    """Rows whose COMMIT was under way when the import stopped: stored or not, nobody knows
    (a re-run imports them or counts them as stored, either way)."""

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped += count
        self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + count

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, JSON syntax, header): nothing was written."""

    def __init__(
        self, path: Path, problem: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        self.column = column
        position = ""
        if line is not None:
            position = f" at line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"{path}{position}: {problem}")


class ImportStoppedError(Exception):
    """The import stopped part way (the database went away): what it reached and committed.

    What was committed stays; a re-run of the same file imports the rest and counts the
    committed rows as duplicates or unchanged.
    """

    def __init__(self, report: ImportReport, cause: str, *, refused: bool = False) -> None:
        self.report = report
        self.cause = cause
        self.refused = refused
        """The database refused a record (a re-run stops there again) rather than went away."""
        # Odds are written in batches: the refused record is in the batch ending at this line.
        hint = f"fix the record refused at or before line {report.line:,}" if refused else None
        super().__init__(f"{stopped_at(report, hint)}: {cause}")

    @property
    def line(self) -> int:
        return self.report.line

    @property
    def committed(self) -> int:
        return self.report.committed


def stopped_at(report: ImportReport, hint: str | None = None) -> str:
    """Where an import that did not finish stopped, and what of it is stored."""
    doubt = (
        f" and {report.in_doubt:,} more whose commit was under way (stored or not)"
        if report.in_doubt
        else ""
    )
    return (
        f"{report.path}: stopped at line {report.line:,} with {report.committed:,} row(s)"
        f" committed{doubt} ({hint or 'a re-run imports the rest'})"
    )
