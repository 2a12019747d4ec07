"""Hypothesis profiles of the import fuzz harness: a few examples in `make test`, many in
`make soak` (BETDB_FUZZ_PROFILE=soak)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile(
    "betdb-fuzz-quick", max_examples=8, deadline=None, database=None, suppress_health_check=HEALTH
)
settings.register_profile(
    "betdb-fuzz-soak", max_examples=400, deadline=None, database=None, suppress_health_check=HEALTH
)

FUZZ = settings.get_profile(f"betdb-fuzz-{os.environ.get('BETDB_FUZZ_PROFILE', 'quick')}")
"""The settings every fuzz test runs with (a decorator)."""
