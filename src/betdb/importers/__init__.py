"""Importers: MLB Stats API schedules, odds observations, betting splits, analyses, signals.

Each returns an ImportReport whose counts add up
(``read == imported + updated + unchanged + duplicates + len(rejected)``); a record that cannot
be imported is rejected with its line and reason, never dropped silently, and never stops the
others. A file that cannot be read at all raises ImportFileError before anything is written;
an import the database stops raises ImportStoppedError, naming the line reached and the rows
committed, and a re-run of the file completes it.
"""

from betdb.importers.judgments import import_analyses, import_signals
from betdb.importers.odds import import_odds
from betdb.importers.records import MAX_RECORD_BYTES
from betdb.importers.report import ImportFileError, ImportReport, ImportStoppedError, Rejection
from betdb.importers.schedule import import_schedule
from betdb.importers.splits import import_splits

__all__ = [
    "MAX_RECORD_BYTES",
    "ImportFileError",
    "ImportReport",
    "ImportStoppedError",
    "Rejection",
    "import_analyses",
    "import_odds",
    "import_schedule",
    "import_signals",
    "import_splits",
]
