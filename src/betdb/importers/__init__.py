"""Importers: MLB Stats API schedules, odds observations, betting splits, analyses, signals.

Each returns an ImportReport whose counts add up
(``read == imported + updated + unchanged + duplicates + len(rejected)``); a record that cannot
be imported is rejected with its line and reason, never dropped silently, and never stops the
others. A file that cannot be read at all raises ImportFileError before anything is written.
"""

from betdb.importers.judgments import import_analyses, import_signals
from betdb.importers.odds import import_odds
from betdb.importers.report import ImportFileError, ImportReport, Rejection
from betdb.importers.schedule import import_schedule
from betdb.importers.splits import import_splits

__all__ = [
    "ImportFileError",
    "ImportReport",
    "Rejection",
    "import_analyses",
    "import_odds",
    "import_schedule",
    "import_signals",
    "import_splits",
]
