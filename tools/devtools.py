"""Tools for working on betdb itself: the schema dump and the drift check.

python tools/devtools.py schema [OUT]      migrate a scratch server from zero, dump to OUT
python tools/devtools.py drift [--root D]  fail, naming the stale files, if the committed
                                           schema dump or generated code is out of date
python tools/devtools.py verify            migrate a scratch server from zero and run the
                                           plugin's verify over src/betdb/generated on it
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from betdb.embedded import EmbeddedPostgresError, bin_dir, scratch_server
from betdb.migrate import MigrationError, migrate_up, migration_versions, run_dbmate
from sqlc_gen_asyncpg import verify

SCHEMA_FILE = Path("db/schema/schema.sql")
GENERATED_DIR = Path("src/betdb/generated")

# pg_dump lines that change from run to run or machine to machine, not with the schema.
_NOISE_PREFIXES = ("\\restrict", "\\unrestrict", "-- Dumped from database version", "-- Dumped by")


class DevtoolsError(RuntimeError):
    pass


def normalise_dump(text: str) -> str:
    lines = [line for line in text.splitlines() if not line.startswith(_NOISE_PREFIXES)]
    return "\n".join(lines).strip("\n") + "\n"


def dump_schema(migrations: Path, out: Path) -> None:
    """Apply every migration to a fresh scratch server and write the normalised dump to out."""
    with scratch_server() as server, tempfile.TemporaryDirectory() as scratch:
        dsn = server.dsn_for("betdb")
        raw = Path(scratch) / "schema.sql"
        migrate_up(dsn, migrations=migrations)
        # dbmate skips the dump silently when pg_dump is missing, and must use the server's own.
        # Partition bounds are printed in the session time zone: pin it so every machine agrees.
        env = {"PATH": f"{bin_dir()}{os.pathsep}{os.environ.get('PATH', '')}", "PGTZ": "UTC"}
        run_dbmate(dsn, "dump", migrations=migrations, extra_env=env,
                   dbmate_options=["--schema-file", str(raw)])  # fmt: skip
        if not raw.exists() or raw.stat().st_size == 0:
            raise DevtoolsError(f"dbmate dump wrote nothing to {raw}: is pg_dump in {bin_dir()}?")
        text = raw.read_text()
        missing = [v for v in migration_versions(migrations) if f"('{v}')" not in text]
        if "CREATE TABLE public.schema_migrations" not in text or missing:
            raise DevtoolsError(
                f"the schema dump is incomplete (missing migration versions: {missing})"
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(normalise_dump(text))


def generate(root: Path, schema: Path, into: Path) -> Path:
    """Run sqlc for the project at root against schema, in a copy under into; return its output."""
    shutil.copy(root / "sqlc.yaml", into / "sqlc.yaml")
    shutil.copytree(root / "db" / "queries", into / "db" / "queries")
    (into / SCHEMA_FILE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(schema, into / SCHEMA_FILE)
    interpreter_bin = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{interpreter_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        ["sqlc", "generate"], cwd=into, capture_output=True, text=True, env=env, timeout=300
    )
    if result.returncode != 0:
        raise DevtoolsError(f"sqlc generate failed:\n{result.stderr.strip()}")
    return into / GENERATED_DIR


def differing_files(committed: Path, fresh: Path) -> list[str]:
    """Relative paths that are missing, extra or different between two trees."""

    def files(root: Path) -> set[str]:
        if not root.exists():
            return set()
        return {
            str(p.relative_to(root))
            for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }

    ours, theirs = files(committed), files(fresh)
    stale = ours ^ theirs
    stale |= {
        name
        for name in ours & theirs
        if not filecmp.cmp(committed / name, fresh / name, shallow=False)
    }
    return sorted(stale)


def drift(root: Path) -> list[str]:
    """Files under root that differ from what the migrations and queries produce now."""
    stale: list[str] = []
    with tempfile.TemporaryDirectory(prefix="betdb-drift-") as scratch_dir:
        scratch = Path(scratch_dir)
        fresh_schema = scratch / "schema.sql"
        dump_schema(root / "db" / "migrations", fresh_schema)
        committed_schema = root / SCHEMA_FILE
        if (
            not committed_schema.exists()
            or committed_schema.read_bytes() != fresh_schema.read_bytes()
        ):
            stale.append(str(SCHEMA_FILE))
        (scratch / "project").mkdir()
        fresh_generated = generate(root, fresh_schema, scratch / "project")
        stale.extend(
            str(GENERATED_DIR / name)
            for name in differing_files(root / GENERATED_DIR, fresh_generated)
        )
    return stale


def verify_generated(migrations: Path, package: str) -> int:
    """verify's exit status for the generated package against a freshly migrated database."""
    with scratch_server() as server:
        dsn = server.dsn_for("betdb")
        migrate_up(dsn, migrations=migrations)
        return verify.main(["--dsn", dsn, "--package", package])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/devtools.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    schema = commands.add_parser("schema", help="dump the migrated schema")
    schema.add_argument("out", nargs="?", type=Path, default=SCHEMA_FILE)
    schema.add_argument("--migrations", type=Path, default=Path("db/migrations"))
    check = commands.add_parser("drift", help="fail if committed artefacts are stale")
    check.add_argument("--root", type=Path, default=Path.cwd())
    agree = commands.add_parser("verify", help="compare the generated code with a migrated server")
    agree.add_argument("--migrations", type=Path, default=Path("db/migrations"))
    agree.add_argument("--package", default="betdb.generated")
    args = parser.parse_args(argv)

    try:
        if args.command == "schema":
            dump_schema(args.migrations, args.out)
            print(f"wrote {args.out}")
            return 0
        if args.command == "verify":
            return verify_generated(args.migrations, args.package)
        stale = drift(args.root.resolve())
    except (DevtoolsError, MigrationError, EmbeddedPostgresError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if stale:
        print("stale (run `make schema generate` and commit):", file=sys.stderr)
        for name in stale:
            print(f"  {name}", file=sys.stderr)
        return 1
    print("schema dump and generated code are current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
