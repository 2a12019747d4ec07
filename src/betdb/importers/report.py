"""What an import did: counts that add up, and every rejected record with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Rejection:
    """One record that was not imported, and why."""

    line: int
    """1-based line of the file; 0 where the format has no lines of its own (JSON)."""
    reason: str
    """A sentence naming the field and what was wrong with it."""
    raw: str
    """The record as it stood in the file."""
    where: str = ""
    """A locator for formats without lines, e.g. ``dates[2].games[5]``."""

    def __str__(self) -> str:
        return f"{self.where or f'line {self.line}'}: {self.reason}"


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
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)
    """Records imported with something to report (a stored score that disagrees, kept)."""
    seconds: float = 0.0
    rejects_path: Path | None = None
    """Where the rejected records were written, if any were."""

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped += count
        self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + count

    @property
    def accounted(self) -> int:
        return (
            self.imported
            + self.updated
            + self.unchanged
            + self.duplicates
            + self.skipped
            + len(self.rejected)
        )

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
