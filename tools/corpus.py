"""Run every sqlc project under a directory through the plugin, and say how each one fared.

python tools/corpus.py DIR [--dsn URL | --no-database] [--json FILE] [--markdown FILE]

Per project (a sqlc.yaml, sqlc.yml or sqlc.json under DIR; sqlc_projects.py says what is
kept of it): `sqlc generate` with the plugin in place of the Go generator (emit_sync on,
each PostgreSQL block its own package), py_compile, and the count of queries typed, with
fallback values (`object`) and skipped; then one `mypy --strict` over every package. With a
server (--dsn: a superuser URL; by default a scratch embedded server), each block's schema is
applied to a fresh database, the project is generated again with sqlc's database analyzer,
and `verify` compares that package with the database.

One line per project, then the totals. The files under DIR are only read.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import py_compile
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlc_projects import (
    Block,
    Project,
    ProjectError,
    find_projects,
    named_queries,
    read_project,
    sql_files,
    up_sql,
)

import sqlc_gen_asyncpg
from sqlc_gen_asyncpg import verify
from sqlc_gen_asyncpg._wire import WireConnection, WireError

BIN = Path(sys.executable).parent


class CorpusError(Exception):
    """The harness itself could not run a step; the text says which."""


_PLUGIN_FAILED = "error generating code: process: error running command sqlc-gen-asyncpg: "
_MYPY_LINE = re.compile(r"^(?P<path>[^:]+\.py):\d+: error: (?P<message>.*)$")


@dataclass
class Counts:
    """Queries of a project's packages: typed, with fallback values, not generated."""

    typed: int = 0
    fallback: int = 0
    skipped: int = 0
    fallback_columns: int = 0
    fallback_parameters: int = 0
    columns: int = 0  # result columns of every generated query


@dataclass
class Outcome:
    project: str
    queries: int = 0
    status: str = "generated"  # generated, refused, broken, sqlc error, unreadable, no postgresql
    reason: str = ""
    seconds: float = 0.0  # sqlc generate, without a database
    offline: Counts = field(default_factory=Counts)
    analyzer: Counts | None = None
    schema_errors: list[str] = field(default_factory=list)
    analyzer_error: str = ""
    verified: int = 0  # statements verify compared
    mismatches: list[str] = field(default_factory=list)
    verify_error: str = ""
    packages: list[str] = field(default_factory=list)

    @property
    def line(self) -> str:
        if self.status != "generated":
            return f"{self.project}: {self.status}: {self.reason}{self._database_part()}"
        lead = "generated"
        if self.offline.fallback_columns:
            lead += f" with {self.offline.fallback_columns} fallback columns"
        return f"{self.project}: {lead}, {_counted(self.offline, self.queries)}" + (
            self._database_part()
        )

    def _database_part(self) -> str:
        parts = []
        if self.schema_errors:
            parts.append("schema does not load: " + "; ".join(self.schema_errors))
        if self.analyzer_error:
            parts.append(f"sqlc's database analyzer failed: {self.analyzer_error}")
        elif self.analyzer is not None:
            parts.append(f"with the database analyzer: {_counted(self.analyzer, self.queries)}")
        if self.analyzer_error and (self.verified or self.mismatches or self.verify_error):
            parts.append("the code generated without a database verified instead")
        if self.analyzer is not None or self.verified or self.mismatches or self.verify_error:
            if self.verify_error:
                parts.append(f"verify could not run: {self.verify_error}")
            else:
                agreed = "agree" if not self.mismatches else f"{len(self.mismatches)} mismatches"
                parts.append(f"verify: {self.verified} statements, {agreed}")
        return "".join(f"; {part}" for part in parts)


def _counted(counts: Counts, queries: int) -> str:
    said = f"{counts.typed} of {queries} queries typed"
    if counts.fallback:
        said += (
            f", {counts.fallback} with fallback values ({counts.fallback_columns} columns,"
            f" {counts.fallback_parameters} parameters)"
        )
    if counts.skipped:
        said += f", {counts.skipped} skipped"
    return said


class Workspace:
    """Where a project's config and output go: sqlc reads the project's files where they are."""

    def __init__(self, root: Path, index: int, project: Project) -> None:
        self.root = root / f"p{index:02d}"
        self.root.mkdir(parents=True)
        self.index = index
        self.project = project

    def package(self, block: Block, *, database: bool) -> str:
        return f"corpus_{self.index:02d}_{block.number}" + ("_db" if database else "")

    def gen(self, *, database: bool) -> Path:
        return self.root / ("gen_db" if database else "gen")

    def write_config(self, blocks: Sequence[Block], uris: dict[int, str] | None = None) -> Path:
        """sqlc's config for the blocks, analysed with the databases at uris when given."""
        database = uris is not None
        sql = []
        for block in blocks:
            package = self.package(block, database=database)
            entry: dict[str, Any] = {
                "engine": "postgresql",
                "schema": [self._relative(p) for p in block.schema],
                "queries": [self._relative(p) for p in block.queries],
                **block.analysis,
                "codegen": [
                    {
                        "plugin": "py",
                        "out": os.path.relpath(self.gen(database=database) / package, self.root),
                        "options": {"package": package, "emit_sync": True, **block.options},
                    }
                ],
            }
            if uris is not None:
                entry["database"] = {"uri": uris[block.number]}
                entry["analyzer"] = {"database": True}
            sql.append(entry)
        plugin = {"name": "py", "process": {"cmd": "sqlc-gen-asyncpg", "format": "json"}}
        config = self.root / ("sqlc_db.json" if database else "sqlc.json")
        config.write_text(json.dumps({"version": "2", "plugins": [plugin], "sql": sql}, indent=2))
        return config

    def _relative(self, entry: str) -> str:
        return os.path.relpath(self.project.directory / entry, self.root)

    def sqlc(self, command: str, config: Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        result = subprocess.run(
            [str(BIN / "sqlc"), "-f", config.name, command],
            cwd=self.root, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        # sqlc names files by the config's relative paths: say them as the project does
        result.stderr = result.stderr.replace(self._relative(".") + os.sep, "")
        return result


def _first_error(stderr: str) -> str:
    stderr = stderr.replace(_PLUGIN_FAILED, "")
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    interesting = [line for line in lines if not line.startswith("#")]
    return (interesting or lines or ["(no message)"])[0][:300]


def _counts(packages: Sequence[str], queries: int) -> Counts:
    counts = Counts()
    for package in packages:
        for typed in verify.typed_queries(package):
            fallbacks = typed.fallback_columns + typed.fallback_parameters
            counts.fallback += bool(fallbacks)
            counts.typed += not fallbacks
            counts.fallback_columns += typed.fallback_columns
            counts.columns += typed.columns
            counts.fallback_parameters += typed.fallback_parameters
    counts.skipped = max(0, queries - counts.typed - counts.fallback)
    return counts


def generate_offline(space: Workspace, outcome: Outcome) -> None:
    """sqlc generate without a database, counting what was typed."""
    started = time.perf_counter()
    generated = space.sqlc("generate", space.write_config(space.project.blocks))
    outcome.seconds = round(time.perf_counter() - started, 2)
    if generated.returncode != 0:
        # the plugin's refusals come through sqlc's "error running command"; the rest is sqlc's
        refused = _PLUGIN_FAILED in generated.stderr
        outcome.status = "refused" if refused else "sqlc error"
        outcome.reason = _first_error(generated.stderr)
        return
    gen = space.gen(database=False)
    outcome.packages = [space.package(b, database=False) for b in space.project.blocks]
    try:
        for path in sorted(gen.rglob("*.py")):
            py_compile.compile(str(path), doraise=True)
        sys.path.insert(0, str(gen))
        outcome.offline = _counts(outcome.packages, outcome.queries)
    except Exception as error:  # whatever a generated package raises on import, it is broken
        outcome.status, outcome.reason = "broken", f"{type(error).__name__}: {error}"[:300]


def with_database(dsn: str, database: str) -> str:
    return urlunsplit(urlsplit(dsn)._replace(path=f"/{database}"))


def apply_schema(admin: str, database: str, files: Sequence[Path]) -> str:
    """A fresh database holding the files' schema: '' when it loads, else the server's reason."""
    try:
        with WireConnection.connect(admin) as wire:
            wire.query(f'DROP DATABASE IF EXISTS "{database}"')
            wire.query(f'CREATE DATABASE "{database}"')
        with WireConnection.connect(with_database(admin, database)) as wire:
            for path in files:
                try:
                    wire.query(up_sql(path.read_text(errors="replace")))
                except WireError as error:
                    return f"{path.name}: {error}"
    except WireError as error:
        return str(error)
    return ""


def generate_with_database(space: Workspace, outcome: Outcome, admin: str) -> None:
    uris: dict[int, str] = {}
    for block in space.project.blocks:
        database = space.package(block, database=True)
        files = sql_files(space.project.directory, block.schema)
        error = apply_schema(admin, database, files)
        if error:
            outcome.schema_errors.append(f"block {block.number}: {error}")
        else:
            uris[block.number] = with_database(admin, database)
    loaded = [b for b in space.project.blocks if b.number in uris]
    if not loaded:
        return
    generated = space.sqlc("generate", space.write_config(loaded, uris))
    if generated.returncode != 0:
        outcome.analyzer_error = _first_error(generated.stderr)
        if outcome.status == "generated":  # the code made without a database is verified instead
            _verify(outcome, uris, loaded, [space.package(b, database=False) for b in loaded])
        return
    sys.path.insert(0, str(space.gen(database=True)))
    packages = [space.package(b, database=True) for b in loaded]
    outcome.packages += packages
    queries = sum(named_queries(sql_files(space.project.directory, b.queries)) for b in loaded)
    try:
        outcome.analyzer = _counts(packages, queries)
    except Exception as error:  # importing generated code: whatever it raises is reported
        outcome.verify_error = f"{type(error).__name__}: {error}"[:300]
        return
    _verify(outcome, uris, loaded, packages)


def _verify(
    outcome: Outcome, uris: dict[int, str], blocks: Sequence[Block], packages: Sequence[str]
) -> None:
    try:
        for block, package in zip(blocks, packages, strict=True):
            report = verify.verify(uris[block.number], package)
            outcome.verified += report.statements
            outcome.mismatches += report.mismatches
    except Exception as error:  # verify runs generated code: whatever it raises is reported
        outcome.verify_error = f"{type(error).__name__}: {error}"[:300]


def mypy_errors(work: Path, outcomes: Sequence[Outcome]) -> tuple[dict[str, list[str]], str]:
    """One `mypy --strict` over every package generated: its errors by project, and a verdict."""
    owners = {package: o.project for o in outcomes for package in o.packages}
    if not owners:
        return {}, "mypy --strict: no package to check"
    roots = sorted({str(p) for p in work.glob("p*/gen*")})
    env = {**os.environ, "MYPYPATH": os.pathsep.join(roots)}
    command = [str(BIN / "mypy"), "--strict", "--cache-dir", str(work / ".mypy_cache")]
    for package in sorted(owners):
        command += ["-p", package]
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    errors: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        match = _MYPY_LINE.match(line)
        if match is None:
            continue
        package = next((p for p in Path(match["path"]).parts if p in owners), None)
        if package is not None:
            errors.setdefault(owners[package], []).append(line)
    if result.returncode != 0 and not errors:
        raise CorpusError(
            f"mypy --strict did not run: {_first_error(result.stdout + result.stderr)}"
        )
    found = sum(len(lines) for lines in errors.values())
    return errors, f"mypy --strict over {len(owners)} packages: {found} errors"


def run_project(space: Workspace, name: str, admin: str | None) -> Outcome:
    outcome = Outcome(name)
    project = space.project
    if not project.blocks:
        outcome.status, outcome.reason = "no postgresql", "the config has no PostgreSQL block"
        return outcome
    outcome.queries = sum(
        named_queries(sql_files(project.directory, block.queries)) for block in project.blocks
    )
    generate_offline(space, outcome)
    if outcome.status != "sqlc error" and admin is not None:
        generate_with_database(space, outcome, admin)
    return outcome


@contextmanager
def server(dsn: str | None, wanted: bool) -> Iterator[str | None]:
    if not wanted:
        yield None
    elif dsn:
        yield dsn
    else:
        from betdb.embedded import scratch_server

        with scratch_server() as scratch:
            yield scratch.dsn


def run(root: Path, work: Path, admin: str | None) -> tuple[list[Outcome], str]:
    """Every project's outcome, and mypy's verdict over all the generated packages."""
    outcomes = []
    for index, config in enumerate(find_projects(root), 1):
        name = str(config.parent.relative_to(root)) if config.parent != root else root.name
        try:
            project = read_project(config)
        except ProjectError as error:
            outcomes.append(Outcome(name, status="unreadable", reason=str(error)))
            continue
        outcome = run_project(Workspace(work, index, project), name, admin)
        outcomes.append(outcome)
        print(outcome.line, flush=True)
    errors_by_project, verdict = mypy_errors(work, outcomes)
    for project, errors in errors_by_project.items():
        outcome = next(o for o in outcomes if o.project == project)
        said = f"mypy --strict: {len(errors)} errors, first: {errors[0]}"[:400]
        if outcome.status == "generated":
            outcome.status, outcome.reason = "broken", said
        else:  # only the package generated with the database analyzer exists
            outcome.analyzer_error = said
        print(outcome.line, flush=True)
    return outcomes, verdict


def totals(outcomes: Sequence[Outcome], mypy: str) -> dict[str, Any]:
    generated = [o for o in outcomes if o.status == "generated"]
    analyzed = [o for o in outcomes if o.analyzer is not None]
    largest = max(generated, key=lambda o: o.queries, default=None)
    by_status: dict[str, int] = {}
    for outcome in outcomes:
        key = outcome.status
        if key == "generated" and outcome.offline.fallback:
            key = "generated with fallbacks"
        by_status[key] = by_status.get(key, 0) + 1
    return {
        "projects": len(outcomes),
        "by_status": by_status,
        "queries": sum(o.queries for o in outcomes),
        "typed": sum(o.offline.typed for o in generated),
        "fallback": sum(o.offline.fallback for o in generated),
        "fallback_columns": sum(o.offline.fallback_columns for o in generated),
        "result_columns": sum(o.offline.columns for o in generated),
        "skipped": sum(o.offline.skipped for o in generated),
        "not_generated": sum(o.queries for o in outcomes if o.status != "generated"),
        "analyzer_projects": len(analyzed),
        "analyzer_typed": sum(o.analyzer.typed for o in analyzed if o.analyzer),
        "analyzer_fallback": sum(o.analyzer.fallback for o in analyzed if o.analyzer),
        "verified_projects": sum(bool(o.verified or o.mismatches) for o in outcomes),
        "verified_statements": sum(o.verified for o in outcomes),
        "mismatches": sum(len(o.mismatches) for o in outcomes),
        "mypy": mypy,
        "largest": None if largest is None else [largest.project, largest.queries, largest.seconds],
    }


def summary(total: dict[str, Any]) -> list[str]:
    statuses = ", ".join(
        f"{count} {status}" for status, count in sorted(total["by_status"].items())
    )
    lines = [
        f"{total['projects']} projects: {statuses}",
        f"queries: {total['queries']} in all; {total['typed']} typed, {total['fallback']} with"
        f" fallback values ({total['fallback_columns']} columns), {total['skipped']} skipped,"
        f" {total['not_generated']} in projects that did not generate",
        f"result columns: {total['result_columns']} in all, {total['fallback_columns']}"
        f" ({_share(total['fallback_columns'], total['result_columns'])}) fall back to object",
        total["mypy"],
    ]
    if total["analyzer_projects"]:
        lines.append(
            f"with sqlc's database analyzer ({total['analyzer_projects']} projects generated):"
            f" {total['analyzer_typed']} typed, {total['analyzer_fallback']} with"
            f" fallback values"
        )
    if total["verified_projects"]:
        lines.append(
            f"verify ({total['verified_projects']} projects whose schema loads):"
            f" {total['verified_statements']} statements, {total['mismatches']} mismatches"
        )
    if total["largest"]:
        name, queries, seconds = total["largest"]
        lines.append(f"largest project: {name}, {queries} queries, sqlc generate {seconds:.2f} s")
    return lines


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "0%"


def versions(admin: str | None) -> dict[str, str]:
    sqlc = subprocess.run([str(BIN / "sqlc"), "version"], capture_output=True, text=True)
    found = {
        "date": datetime.date.today().isoformat(),
        "sqlc": sqlc.stdout.strip(),
        "sqlc-gen-asyncpg": sqlc_gen_asyncpg.__version__,
        "python": platform.python_version(),
        "cpus": str(os.cpu_count()),
    }
    if admin is not None:
        with WireConnection.connect(admin) as wire:
            found["postgresql"] = str(wire.query("SHOW server_version")[0][0])
    return found


def markdown(outcomes: Sequence[Outcome], total: dict[str, Any], about: dict[str, str]) -> str:
    server = f", PostgreSQL {about['postgresql']}" if "postgresql" in about else ""
    rows = [
        f"Run on {about['date']} with sqlc {about['sqlc']}, sqlc-gen-asyncpg"
        f" {about['sqlc-gen-asyncpg']}{server}, Python {about['python']}, {about['cpus']} CPUs.",
        "",
        "| project | queries | without a database | with sqlc's database analyzer | verify |",
        "| --- | ---: | --- | --- | --- |",
    ]
    for o in outcomes:
        offline = _counted(o.offline, o.queries)
        if o.status != "generated":
            offline = f"{o.status}: {o.reason}"
        elif o.offline.fallback_columns:
            offline = f"{o.offline.fallback_columns} fallback columns; {offline}"
        database = checked = ""
        if o.schema_errors:
            database = "schema does not load: " + "; ".join(o.schema_errors)
        elif o.analyzer_error:
            database = f"sqlc failed: {o.analyzer_error}"
        elif o.analyzer is not None:
            database = _counted(o.analyzer, o.queries)
        if o.analyzer is not None or o.verified or o.mismatches or o.verify_error:
            agreed = "agree" if not o.mismatches else f"{len(o.mismatches)} mismatches"
            checked = o.verify_error or f"{o.verified} statements, {agreed}"
            if o.analyzer_error:
                checked += " (the code generated without a database)"
        cells = [o.project, str(o.queries), offline, database, checked]
        rows.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join([*rows, "", *(f"- {line}" for line in summary(total)), ""])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/corpus.py", description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path, help="a directory holding sqlc projects")
    parser.add_argument("--dsn", help="a superuser postgresql:// URL (default: a scratch server)")
    parser.add_argument("--no-database", action="store_true", help="stop after generating")
    parser.add_argument("--json", type=Path, help="also write the outcomes as JSON here")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown here")
    args = parser.parse_args(argv)
    if not args.directory.is_dir():
        parser.error(f"{args.directory} is not a directory")
    if args.dsn and not args.dsn.startswith(("postgresql://", "postgres://")):
        parser.error("--dsn must be a postgresql:// URL (each block gets a database of its own)")
    with tempfile.TemporaryDirectory(prefix="corpus-") as scratch:
        try:
            with server(args.dsn, not args.no_database) as admin:
                about = versions(admin)
                outcomes, mypy = run(args.directory.resolve(), Path(scratch), admin)
        except (WireError, CorpusError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    total = totals(outcomes, mypy)
    for line in summary(total):
        print(line)
    if args.json:
        projects = [{**asdict(o), "line": o.line} for o in outcomes]
        document = {"about": about, "projects": projects, "totals": total}
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    if args.markdown:
        args.markdown.write_text(markdown(outcomes, total, about))
    return 0


if __name__ == "__main__":
    sys.exit(main())
