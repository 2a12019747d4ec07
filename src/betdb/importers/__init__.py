"""Importers: MLB Stats API schedules of every era, SBR's odds archive, The Odds API (v3 and
v4), Action Network's scoreboard, SportsBettingDime, and betdb's own odds, splits, analyses and
signals files.

Each returns an ImportReport whose counts add up
(``read == imported + updated + unchanged + duplicates + skipped + len(rejected)``); a record that
cannot be imported is rejected with its line and reason, never dropped silently, and never stops the
others. A file that cannot be read at all raises ImportFileError before anything is written;
an import the database stops raises ImportStoppedError, naming the line reached and the rows
committed, and a re-run of the file completes it.

What they share, for an importer to plug into: ``rejects`` (the one rejects writer and how an
import ends), ``checks`` (every value's check before the driver, the first-pitch window, the
season range), ``jsonstream`` (a document's array a game at a time), ``sheets`` (an .xlsx
checked before it is read) and ``report``.

Each takes a UnifiedRepository and is awaited; outside an event loop, run it on a
SyncUnifiedRepository with ``run_on_sync_repository(import_odds, db.repository(), path)``.
"""

from betdb._awaited import run_on_sync_repository
from betdb.importers.action_network import import_action_network
from betdb.importers.judgments import import_analyses, import_signals
from betdb.importers.odds import import_odds
from betdb.importers.odds_api import import_odds_api
from betdb.importers.records import MAX_RECORD_BYTES
from betdb.importers.report import ImportFileError, ImportReport, ImportStoppedError, Rejection
from betdb.importers.sbd import import_sbd
from betdb.importers.sbr_archive import import_sbr_archive
from betdb.importers.schedule import import_schedule
from betdb.importers.splits import import_splits

__all__ = [
    "MAX_RECORD_BYTES",
    "ImportFileError",
    "ImportReport",
    "ImportStoppedError",
    "Rejection",
    "import_action_network",
    "import_analyses",
    "import_odds",
    "import_odds_api",
    "import_sbd",
    "import_sbr_archive",
    "import_schedule",
    "import_signals",
    "import_splits",
    "run_on_sync_repository",
]
