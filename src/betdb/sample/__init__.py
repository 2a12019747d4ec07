"""The shipped sample: one MLB week (16-22 June 2025) with odds, splits, analyses, signals.

``load_sample`` imports it (idempotently) through the same importers the CLI uses;
``write_synthetic`` writes large generated files for benchmarks.
"""

from __future__ import annotations

import datetime as dt

from betdb.sample.load import load_sample, sample_dir
from betdb.sample.synthetic import write_synthetic

SAMPLE_DATE = dt.date(2025, 6, 21)
"""The day the demo shows: a Saturday with a doubleheader, and odds for every game."""
SAMPLE_GAME_PK = 777706
"""Boston at the Yankees on SAMPLE_DATE, whose moneyline has the steam move."""
RLM_GAME_PK = 777709
"""Houston at Texas on SAMPLE_DATE: the public bets the over, the total drops a half run."""


__all__ = [
    "RLM_GAME_PK",
    "SAMPLE_DATE",
    "SAMPLE_GAME_PK",
    "load_sample",
    "sample_dir",
    "write_synthetic",
]
