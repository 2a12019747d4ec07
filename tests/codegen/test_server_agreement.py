"""Every generated query agrees with PostgreSQL on the types of its parameters and columns.

The comparison is the plugin's own `verify` (sqlc_gen_asyncpg.verify), the command users run
in CI; see its docstring for what is compared and the differences that are deliberate. Here it
runs over the codegen cases and the project's queries, and is shown to fail, naming the query
and column, on packages whose annotations were altered.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from sqlc_gen_asyncpg.verify import Report, verify

from .conftest import CASES, GOLDEN, run_sqlc

ROOT = Path(__file__).parents[2]
TESTS = Path(__file__).parents[1]


def statements_in(queries: Path) -> int:
    """The named queries in a directory, counting the batch form of :batchone/:batchmany too."""
    names = [
        line.split()
        for path in queries.glob("*.sql")
        for line in path.read_text().splitlines()
        if line.startswith("-- name:")
    ]
    return len(names) + sum(1 for words in names if words[3] in (":batchone", ":batchmany"))


async def has_pgvector(conn: asyncpg.Connection) -> bool:
    found = await conn.fetchval("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
    return found is not None


async def apply_schema(dsn: str, case: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        if case == "pgvector" and not await has_pgvector(conn):
            pytest.skip("the embedded server ships no pgvector (the vector extension)")
        await conn.execute((CASES / case / "schema.sql").read_text())
    finally:
        await conn.close()


def run_verify(dsn: str, package: str, cwd: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """The command as a user's CI runs it; cwd holds the package, tests/ the codegen helpers."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(cwd), str(TESTS)])}
    command = [sys.executable, "-m", "sqlc_gen_asyncpg", "verify", "--dsn", dsn]
    return subprocess.run(
        [*command, "--package", package, *extra],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def altered_golden(tmp_path: Path, name: str, file: str, old: str, new: str) -> str:
    """A copy of the everything case's golden package, named `name`, with one line changed."""
    shutil.copytree(GOLDEN / "everything", tmp_path / name)
    path = tmp_path / name / file
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} is not once in {file}"
    path.write_text(text.replace(old, new))
    return name


# case -> (its rename option, statements: queries plus the batch forms of :batchone/:batchmany)
CASE_FACTS = {
    "everything": ((("authors.lambda", "lambda_"),), 21),
    "joins_and_types": ((), 10),
    "reserved": ((("keywords.renamed", "renamed_as"), ("keywords.validate", "is_valid")), 7),
    "pgtypes": ((), 5),
    "extensions": ((), 4),
    "pgvector": ((), 4),
    "names": ((("modules.json", "json_"),), 5),
    "records": ((("authors.lambda", "lambda_"),), 12),
    "usertypes": ((), 6),
    "fallback": ((), 5),
}


# An override to the application's own class: what its codec makes, verify cannot know.
OVERRIDDEN = {"usertypes": "site"}


def assert_agrees(report: Report, overridden: str = "") -> None:
    assert not report.mismatches, "\n".join(report.mismatches)
    unchecked = [u for u in report.unchecked if not overridden or f" {overridden}: " not in u]
    assert not unchecked, "\n".join(unchecked)


@pytest.mark.parametrize("case", sorted(CASE_FACTS))
async def test_codegen_case_agrees_with_the_server(case: str, empty_database_url: str) -> None:
    renames, statements = CASE_FACTS[case]
    await apply_schema(empty_database_url, case)
    report = verify(empty_database_url, f"codegen.golden.{case}", renames=renames)
    assert_agrees(report, OVERRIDDEN.get(case, ""))
    assert report.statements == statements == statements_in(CASES / case)


def test_every_codegen_case_is_compared_with_the_server() -> None:
    cases = sorted(p.name for p in CASES.iterdir() if p.is_dir())
    assert sorted(CASE_FACTS) == cases


def test_project_queries_and_enums_agree_with_the_server(database_url: str) -> None:
    report = verify(database_url, "betdb.generated")
    assert_agrees(report)
    assert report.statements == statements_in(ROOT / "db" / "queries")
    assert report.enums == (ROOT / "db" / "schema" / "schema.sql").read_text().count(" AS ENUM")


async def test_verify_exits_zero_and_counts_what_it_compared(
    empty_database_url: str, tmp_path: Path
) -> None:
    await apply_schema(empty_database_url, "everything")
    result = run_verify(
        empty_database_url, "codegen.golden.everything", tmp_path, "--rename", "lambda=lambda_"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.splitlines()[-1]
    assert last == (
        "codegen.golden.everything: 21 statements (async and sync: the same SQL, both flavours'"
        " types) and 1 enums compared with the server: agree"
    )


async def test_a_wrong_type_mapping_makes_verify_fail_naming_query_and_column(
    empty_database_url: str, tmp_path: Path
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
    await apply_schema(empty_database_url, "everything")
    result = run_verify(empty_database_url, "mistyped", tmp_path, "--rename", "lambda=lambda_")
    assert result.returncode == 1, result.stdout + result.stderr
    mismatches = [line for line in result.stdout.splitlines() if line.startswith("mismatch: ")]
    born = (
        "column born: the server's pg_catalog.timestamptz needs datetime.datetime,"
        " generated datetime.date | None"
    )
    assert f"mismatch: GetAuthor (mistyped.query.GET_AUTHOR): {born}" in mismatches
    assert (
        "mismatch: CreateAuthor (mistyped.query.CREATE_AUTHOR): parameter born: the server's"
        " pg_catalog.timestamptz needs datetime.datetime, generated datetime.date | None"
    ) in mismatches
    assert all("born: the server's" in line for line in mismatches), mismatches
    assert result.stdout.splitlines()[-1].endswith(f": {len(mismatches)} mismatches")


async def test_an_altered_annotation_in_a_golden_package_makes_verify_fail(
    empty_database_url: str, tmp_path: Path
) -> None:
    package = altered_golden(
        tmp_path, "altered", "models.py", "    born: _datetime.datetime | None\n",
        "    born: _datetime.date | None\n",
    )  # fmt: skip
    await apply_schema(empty_database_url, "everything")
    result = run_verify(empty_database_url, package, tmp_path, "--rename", "lambda=lambda_")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "mismatch: ListAuthorsByMood (altered.query.LIST_AUTHORS_BY_MOOD): column born:"
        " the server's pg_catalog.timestamptz needs datetime.datetime,"
        " generated datetime.date | None"
    ) in result.stdout.splitlines()


async def test_a_nullable_column_typed_not_null_is_named_with_its_table_column(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = altered_golden(
        tmp_path, "unsafe", "models.py", "    bio: str | None\n", "    bio: str\n"
    )
    await apply_schema(empty_database_url, "everything")
    report = verify(empty_database_url, package, renames=[("lambda", "lambda_")])
    assert "GetAuthor (unsafe.query.GET_AUTHOR): column bio: public.authors.bio is nullable," \
        " generated str" in report.mismatches  # fmt: skip


async def test_an_enum_whose_labels_differ_from_pg_enum_is_named(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = altered_golden(
        tmp_path, "moody", "models.py", '    SO_SO = "so-so"\n', '    SO_SO = "so_so"\n'
    )
    await apply_schema(empty_database_url, "everything")
    report = verify(empty_database_url, package, renames=[("lambda", "lambda_")])
    labels = "('happy', 'sad', 'so-so', '1st')"
    assert (
        "enum moody.models.Mood: generated ('happy', 'sad', 'so_so', '1st'),"
        f" the server's public.mood has {labels}"
    ) in report.mismatches
    assert (
        "GetAuthor (moody.query.GET_AUTHOR): column mood: Mood has ('happy', 'sad', 'so_so',"
        f" '1st'), the server's public.mood has {labels}"
    ) in report.mismatches


def test_verify_without_a_server_or_package_says_why_and_exits_2(tmp_path: Path) -> None:
    unreachable = run_verify("postgresql://u@127.0.0.1:1/db", "codegen.golden.everything", tmp_path)
    assert unreachable.returncode == 2
    assert "verify: cannot connect to 127.0.0.1:1:" in unreachable.stderr
    missing = run_verify("postgresql://u@127.0.0.1:1/db", "no_such_package", tmp_path)
    assert missing.returncode == 2
    assert "verify: cannot import no_such_package: No module named 'no_such_package'" in (
        missing.stderr
    )
