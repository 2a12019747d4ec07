"""Every generated query agrees with PostgreSQL on the types of its parameters and columns.

See codegen.agreement for what is compared and the differences that are deliberate.
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import types
from pathlib import Path

import asyncpg
import pytest

from .agreement import Catalog, disagreements
from .conftest import CASES, load, run_sqlc
from .wire import WireConnection

ROOT = Path(__file__).parents[2]


def statements_in(queries: Path) -> int:
    """The named queries in a directory, counting the batch form of :batchone/:batchmany too."""
    names = [
        line.split()
        for path in queries.glob("*.sql")
        for line in path.read_text().splitlines()
        if line.startswith("-- name:")
    ]
    return len(names) + sum(1 for words in names if words[3] in (":batchone", ":batchmany"))


def querier_modules(package: types.ModuleType) -> list[types.ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if info.name not in ("db", "models")
    ]


async def check_package(
    dsn: str, package: types.ModuleType, renames: dict[str, str]
) -> tuple[list[str], int]:
    """The disagreements over all querier modules of a package, and how many statements ran."""
    conn = await asyncpg.connect(dsn)
    wire = await WireConnection.connect(dsn)
    try:
        catalog = await Catalog.load(conn)
        problems: list[str] = []
        checked = 0
        for module in querier_modules(package):
            found, count = await disagreements(conn, wire, catalog, module, renames=renames)
            problems.extend(found)
            checked += count
    finally:
        await wire.close()
        await conn.close()
    return problems, checked


async def apply_schema(dsn: str, case: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute((CASES / case / "schema.sql").read_text())
    finally:
        await conn.close()


# case -> (its rename option, statements: queries plus the batch forms of :batchone/:batchmany)
CASE_FACTS = {
    "everything": ({"lambda": "lambda_"}, 20),
    "joins_and_types": ({}, 10),
    "records": ({"lambda": "lambda_"}, 12),
}


@pytest.mark.parametrize("case", sorted(CASE_FACTS))
async def test_codegen_case_agrees_with_the_server(case: str, empty_database_url: str) -> None:
    renames, statements = CASE_FACTS[case]
    await apply_schema(empty_database_url, case)
    problems, checked = await check_package(empty_database_url, load(case), renames)
    assert not problems, "\n".join(problems)
    assert checked == statements == statements_in(CASES / case)


def test_every_codegen_case_is_compared_with_the_server() -> None:
    assert sorted(CASE_FACTS) == sorted(p.name for p in CASES.iterdir() if p.is_dir())


async def test_project_queries_agree_with_the_server(database_url: str) -> None:
    import betdb.generated

    problems, checked = await check_package(database_url, betdb.generated, {})
    assert not problems, "\n".join(problems)
    assert checked == statements_in(ROOT / "db" / "queries")


async def test_a_wrong_type_mapping_makes_the_comparison_fail(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "case"
    shutil.copytree(CASES / "everything", work)
    config = work / "sqlc.yaml"
    wrong = (
        "          overrides:\n"
        "            - db_type: timestamptz\n"
        "              py_type: datetime.date\n"
    )
    config.write_text(config.read_text().replace("          overrides:\n", wrong))
    result = run_sqlc(work)
    assert result.returncode == 0, result.stderr
    shutil.copytree(work / "gen", tmp_path / "mistyped")
    monkeypatch.syspath_prepend(str(tmp_path))
    await apply_schema(empty_database_url, "everything")
    problems, _ = await check_package(
        empty_database_url, importlib.import_module("mistyped"), {"lambda": "lambda_"}
    )
    born = "column born: pg_catalog.timestamptz needs datetime, not datetime.date | None"
    assert f"mistyped.query.GET_AUTHOR: {born}" in problems
    assert "mistyped.query.CREATE_AUTHOR: parameter born: pg_catalog.timestamptz needs" in (
        "\n".join(problems)
    )
    assert all("born" in problem for problem in problems), problems
