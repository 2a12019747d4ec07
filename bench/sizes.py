"""How big each benchmark is: the full set, the quick set, and a tiny one for the smoke test."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    name: str
    read_rows: int  # rows of the one game the :many benchmark reads
    read_repeats: int
    point_calls: int  # per method and query, split over point_repeats interleaved blocks
    point_repeats: int
    copy_rows: int  # COPY paths
    row_by_row_rows: int  # executemany and ORM add_all: the same data, cut so it finishes
    copy_repeats: int  # the COPY paths: their ratio is close to 1, so more repeats
    ingest_repeats: int  # the row-by-row paths
    stream_rows: int  # the one game the streaming benchmark reads
    stream_repeats: int
    scale_small: int  # odds rows in the table
    scale_large: int
    scale_calls: int  # per query, size and repeat
    scale_repeats: int
    concurrency_seconds: float  # per round; rounds alternate betdb and SQLAlchemy
    concurrency_rounds: int


FULL = Sizes(
    name="full",
    read_rows=200_000,
    read_repeats=5,
    point_calls=20_000,
    point_repeats=5,
    copy_rows=1_000_000,
    row_by_row_rows=100_000,
    copy_repeats=9,
    ingest_repeats=3,
    stream_rows=2_000_000,
    stream_repeats=3,
    scale_small=1_000_000,
    scale_large=10_000_000,
    scale_calls=200,
    scale_repeats=5,
    concurrency_seconds=15,
    concurrency_rounds=2,
)

QUICK = Sizes(
    name="quick",
    read_rows=50_000,  # the goals are stated for 200k (full); 200k here is 2 minutes more
    read_repeats=5,
    point_calls=2_000,
    point_repeats=3,
    copy_rows=50_000,
    row_by_row_rows=5_000,
    copy_repeats=9,
    ingest_repeats=3,
    stream_rows=300_000,
    stream_repeats=2,
    scale_small=100_000,
    scale_large=1_000_000,
    scale_calls=50,
    scale_repeats=3,
    concurrency_seconds=4,
    concurrency_rounds=2,
)

# Numbers too small to mean anything; it proves that every benchmark runs end to end.
TINY = Sizes(
    name="tiny",
    read_rows=2_000,
    read_repeats=2,
    point_calls=200,
    point_repeats=2,
    copy_rows=2_000,
    row_by_row_rows=500,
    copy_repeats=2,
    ingest_repeats=2,
    stream_rows=5_000,
    stream_repeats=1,
    scale_small=5_000,
    scale_large=20_000,
    scale_calls=5,
    scale_repeats=2,
    concurrency_seconds=0.5,
    concurrency_rounds=1,
)
