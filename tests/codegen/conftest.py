"""Running sqlc with our plugin on a codegen case, and loading its golden package."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import asyncpg
import pytest

HERE = Path(__file__).parent
CASES = HERE / "cases"
GOLDEN = HERE / "golden"
BIN = Path(sys.executable).parent
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def run_sqlc(case_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{BIN}:{os.environ.get('PATH', '')}", "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [str(BIN / "sqlc"), "generate"],
        cwd=case_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def generate(case: str, tmp_path: Path) -> dict[str, str]:
    """The files the plugin generates for a case, by name."""
    work = tmp_path / case
    shutil.copytree(CASES / case, work)
    result = run_sqlc(work)
    assert result.returncode == 0, result.stderr
    return {p.name: p.read_text() for p in sorted((work / "gen").glob("*.py"))}


def load(case: str) -> ModuleType:
    return importlib.import_module(f"codegen.golden.{case}")


@pytest.fixture
async def case_connection(empty_database_url: str) -> asyncpg.Connection:
    """A connection to a fresh database holding the everything case's schema, codecs installed."""
    package = load("everything")
    conn = await asyncpg.connect(empty_database_url)
    await conn.execute((CASES / "everything" / "schema.sql").read_text())
    await package.init_connection(conn)
    yield conn
    await conn.close()
