"""The schema dump and the drift check that `make check` runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from devtools import GENERATED_DIR, SCHEMA_FILE, drift, dump_schema

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The parts of the project the drift check reads, copied so they can be made stale."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT / "db", root / "db")
    shutil.copytree(PROJECT / GENERATED_DIR, root / GENERATED_DIR)
    shutil.copy(PROJECT / "sqlc.yaml", root / "sqlc.yaml")
    return root


def test_schema_dump_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "first.sql", tmp_path / "second.sql"
    dump_schema(PROJECT / "db" / "migrations", first)
    dump_schema(PROJECT / "db" / "migrations", second)
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text()
    assert "CREATE TABLE public.teams" in text
    assert "\\restrict" not in text
    assert "Dumped from database version" not in text


def test_committed_schema_dump_and_generated_code_are_current(project_copy: Path) -> None:
    assert drift(project_copy) == []


def test_drift_names_the_schema_dump_and_models_when_a_migration_is_new(
    project_copy: Path,
) -> None:
    (project_copy / "db" / "migrations" / "29990101000000_add_venues.sql").write_text(
        "-- migrate:up\nCREATE TABLE venues (venue_id integer PRIMARY KEY, name text NOT NULL);\n"
        "-- migrate:down\nDROP TABLE venues;\n"
    )
    stale = drift(project_copy)
    assert str(SCHEMA_FILE) in stale
    assert str(GENERATED_DIR / "models.py") in stale


def test_drift_names_the_generated_module_when_a_query_changes(project_copy: Path) -> None:
    queries = project_copy / "db" / "queries" / "teams.sql"
    queries.write_text(
        queries.read_text() + "\n-- name: CountTeams :one\nSELECT count(*) FROM teams;\n"
    )
    assert drift(project_copy) == [str(GENERATED_DIR / "teams.py")]


def test_drift_names_a_hand_edited_generated_file(project_copy: Path) -> None:
    models = project_copy / GENERATED_DIR / "models.py"
    models.write_text(models.read_text() + "\n# edited by hand\n")
    assert drift(project_copy) == [str(GENERATED_DIR / "models.py")]
