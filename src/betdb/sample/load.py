"""Loading the shipped sample through the importers; a second load adds nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from betdb import UnifiedRepository
from betdb.importers import (
    ImportReport,
    import_analyses,
    import_odds,
    import_schedule,
    import_signals,
    import_splits,
)


def sample_dir() -> Path:
    """The directory of schedule.json, odds.csv, splits.jsonl, analyses.jsonl, signals.jsonl."""
    return Path(__file__).parent / "data"


async def load_sample(
    repository: UnifiedRepository, *, rejects_dir: Path | None = None
) -> dict[str, ImportReport]:
    """Import the sample's schedule, odds, splits, analyses and signals, in that order.

    Every importer skips what is stored already, so loading twice leaves the database as the
    first load did (the second run's reports count duplicates and unchanged games). Rejected
    records, which the shipped sample has none of, would go to `rejects_dir` (default: a
    directory under the system's temporary directory, as the package's may be read-only).
    """
    data = sample_dir()
    rejects = rejects_dir or Path(tempfile.gettempdir()) / "betdb-sample-rejects"
    return {
        "schedule": await import_schedule(repository, data / "schedule.json"),
        "odds": await import_odds(
            repository, data / "odds.csv", rejects=rejects / "odds.rejects.csv"
        ),
        "splits": await import_splits(
            repository, data / "splits.jsonl", rejects=rejects / "splits.rejects.jsonl"
        ),
        "analyses": await import_analyses(
            repository, data / "analyses.jsonl", rejects=rejects / "analyses.rejects.jsonl"
        ),
        "signals": await import_signals(
            repository, data / "signals.jsonl", rejects=rejects / "signals.rejects.jsonl"
        ),
    }
