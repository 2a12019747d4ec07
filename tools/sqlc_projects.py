"""Other people's sqlc projects, read as sqlc reads them, for tools/corpus.py.

A project is a sqlc config file (sqlc.yaml, sqlc.yml or sqlc.json; version 1 or 2). Each of
its PostgreSQL blocks keeps what sqlc's analysis depends on (schema and queries as files,
directories or globs; strict_order_by, strict_function_checks) and the generator options the
plugin shares with sqlc's Go generator; the rest (Go overrides, vet rules, cloud) is Go's.
Schemas kept as migrations are read as the migration tools apply them: golang-migrate's
*.up.sql only, goose's and sql-migrate's Up sections, dbmate's migrate:up, tern's part above
its marker, pg_dump output without psql's meta-commands.
"""

from __future__ import annotations

import glob
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONFIG_NAMES = ("sqlc.yaml", "sqlc.yml", "sqlc.json")
# block keys that change what sqlc's analysis reports
_ANALYSIS_KEYS = ("strict_order_by", "strict_function_checks")
# Go generator options whose meaning the plugin shares
_SHARED_OPTIONS = ("emit_exact_table_names", "query_parameter_limit")
_DOWN_MARKERS = (
    re.compile(r"^--\s*\+goose\s+Down\b", re.IGNORECASE | re.MULTILINE),
    re.compile(r"^--\s*\+migrate\s+Down\b", re.IGNORECASE | re.MULTILINE),
    re.compile(r"^--\s*migrate:down\b", re.MULTILINE),
    re.compile(r"^-{3,}\s*create above\s*/\s*drop below\s*-{3,}", re.IGNORECASE | re.MULTILINE),
)
_NAME_LINE = re.compile(r"^--\s*name:\s*\S+\s+:\w+", re.MULTILINE)
_LEADING_NUMBER = re.compile(r"^(\d+)")


class ProjectError(Exception):
    """The config cannot be read; the text says why."""


@dataclass(frozen=True)
class Block:
    """One PostgreSQL `sql` block (or v1 package) of a config."""

    number: int  # its position among the config's blocks, from 1
    schema: tuple[str, ...]
    queries: tuple[str, ...]
    analysis: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Project:
    config: Path
    version: str
    blocks: tuple[Block, ...]
    other_engines: int  # mysql and sqlite blocks, left out

    @property
    def directory(self) -> Path:
        return self.config.parent


def find_projects(root: Path) -> list[Path]:
    """Every sqlc config under root, in path order (one per directory: yaml before json)."""
    found: dict[Path, Path] = {}
    for name in CONFIG_NAMES:
        for path in sorted(root.rglob(name)):
            found.setdefault(path.parent, path)
    return sorted(found.values())


def read_project(config: Path) -> Project:
    try:
        text = config.read_text()
        data = json.loads(text) if config.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise ProjectError(f"cannot read {config.name}: {error}") from None
    if not isinstance(data, dict):
        raise ProjectError(f"{config.name} is not a mapping")
    version = str(data.get("version", ""))
    raw_blocks = data.get("sql") if version == "2" else data.get("packages")
    if version not in ("1", "2") or not isinstance(raw_blocks, list):
        raise ProjectError(f"{config.name}: version {version!r} with no sql/packages list")
    blocks, others = [], 0
    for number, raw in enumerate(raw_blocks, 1):
        if not isinstance(raw, dict) or raw.get("engine") != "postgresql":
            others += 1
            continue
        go = ((raw.get("gen") or {}).get("go") or {}) if version == "2" else raw
        blocks.append(
            Block(
                number=number,
                schema=_paths(raw.get("schema")),
                queries=_paths(raw.get("queries")),
                analysis={k: raw[k] for k in _ANALYSIS_KEYS if k in raw},
                options={k: go[k] for k in _SHARED_OPTIONS if k in go},
            )
        )
    return Project(config, version, tuple(blocks), others)


def _paths(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return ()


def sql_files(directory: Path, entries: tuple[str, ...]) -> list[Path]:
    """The .sql files sqlc reads for schema or queries entries: files, directories, globs.

    In a directory, files come in the order migration tools apply them (by leading version
    number, then name), and golang-migrate's *.down.sql are left out, as sqlc leaves them.
    """
    files: list[Path] = []
    for entry in entries:
        path = directory / entry
        if any(char in entry for char in "*?["):
            matches = [Path(p) for p in sorted(glob.glob(str(path)))]
        elif path.is_dir():
            matches = sorted(path.glob("*.sql"), key=_migration_order)
        else:
            matches = [path]
        files.extend(p for p in matches if p.is_file() and not p.name.endswith(".down.sql"))
    return files


def _migration_order(path: Path) -> tuple[int, str]:
    match = _LEADING_NUMBER.match(path.name)
    return (int(match.group(1)) if match else -1, path.name)


def up_sql(text: str) -> str:
    """What a migration tool applies of a file: the part before its down marker, without
    psql meta-commands (pg_dump's \\restrict) and its output-settings noise."""
    for marker in _DOWN_MARKERS:
        found = marker.search(text)
        if found:
            text = text[: found.start()]
    return "\n".join(line for line in text.splitlines() if not line.startswith("\\"))


def named_queries(files: list[Path]) -> int:
    return sum(len(_NAME_LINE.findall(path.read_text(errors="replace"))) for path in files)
