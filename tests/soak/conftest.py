"""The soak's durable server, a fresh database per scenario, and where the figures go.

BETDB_SOAK_SECONDS sets how long each scenario's load runs: a few seconds by default so that
``make test`` runs every scenario; ``make soak`` runs them at full length.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from betdb import BetdbSettings
from betdb.embedded import EmbeddedPostgres
from betdb.migrate import migrate_up
from betdb.testing import PostgresServer

SOAK_SECONDS = float(os.environ.get("BETDB_SOAK_SECONDS", "5"))
# Generous: the load, its faults, recovery and the read-back, on a busy two-core machine.
SOAK_TIMEOUT = int(SOAK_SECONDS * 4 + 120)

_reports: list[tuple[str, dict[str, Any]]] = []


def soak_settings(dsn: str, **overrides: Any) -> BetdbSettings:
    """A pool of 10 with betdb's defaults, except a breaker that half-opens after 1 s (the
    default 10 s would dominate every recovery time measured here)."""
    base: dict[str, Any] = {
        "dsn": dsn,
        "pool_min_size": 2,
        "pool_max_size": 10,
        "breaker_reset_timeout": 1.0,
        "sslmode": "disable",
    }
    return BetdbSettings(**{**base, **overrides})


@pytest.fixture(scope="package")
def durable_server() -> Iterator[tuple[EmbeddedPostgres, PostgresServer]]:
    """A server of the soak's own with fsync on (the session's scratch server has it off), so
    that a crash keeps every commit it acknowledged and restarting it disturbs no other test."""
    root = Path(tempfile.mkdtemp(prefix="betdb-soak-pg-"))
    server = EmbeddedPostgres(root / "data")
    try:
        server.start()
        admin = PostgresServer(dsn=server.dsn, kind="embedded", data_dir=server.data_dir)
        migrate_up(admin.create_database("soak_template"))
        yield server, admin
    finally:
        try:
            server.stop("immediate")
        finally:
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def soak_database_url(durable_server: tuple[EmbeddedPostgres, PostgresServer]) -> Iterator[str]:
    _, admin = durable_server
    dsn = admin.create_database(template="soak_template")
    yield dsn
    admin.drop_database(urlsplit(dsn).path.lstrip("/"))


@pytest.fixture
def soak_report(request: pytest.FixtureRequest) -> Callable[[str, dict[str, Any]], Path]:
    """Write a scenario's figures to build/soak/<scenario>.json and show them after the run."""

    def write(scenario: str, figures: dict[str, Any]) -> Path:
        directory = request.config.rootpath / "build" / "soak"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{scenario}.json"
        stamped = {
            "scenario": scenario,
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            **figures,
        }
        path.write_text(json.dumps(stamped, indent=2) + "\n")
        _reports.append((scenario, stamped))
        return path

    return write


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _reports:
        return
    terminalreporter.section("soak figures (build/soak/*.json)")
    for scenario, figures in _reports:
        writes = figures.get("writes", {})
        terminalreporter.write_line(
            f"{scenario}: {figures['operations']} ops in {figures['seconds']} s "
            f"({figures['throughput_per_second']}/s), p50 {figures['p50_ms']} ms, "
            f"p99 {figures['p99_ms']} ms; errors {figures['errors'] or 'none'}; "
            f"recovery {figures['recovery_seconds'] or '-'} s; "
            f"writes acknowledged {writes.get('acknowledged')}, "
            f"unknown {writes.get('unknown')} ({writes.get('unknown_present')} present), "
            f"acknowledged missing {writes.get('acknowledged_missing')}"
        )
