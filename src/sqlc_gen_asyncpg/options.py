"""The plugin's `options:` block from sqlc.yaml, read into one typed object."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class OptionsError(ValueError):
    """The options block is malformed."""


@dataclass(frozen=True)
class Override:
    """Use py_type for every column of db_type, or for one column ("table.column")."""

    py_type: str
    db_type: str | None = None
    column: str | None = None
    nullable: bool | None = None
    validate: bool = True


@dataclass(frozen=True)
class Options:
    package: str = ""
    query_parameter_limit: int = 4
    overrides: tuple[Override, ...] = ()
    rename: tuple[tuple[str, str], ...] = ()
    rename_models: tuple[tuple[str, str], ...] = ()
    not_null: frozenset[str] = frozenset()
    exclude_tables: frozenset[str] = frozenset()
    exclude_schemas: frozenset[str] = frozenset()
    emit_iter_methods: bool = True
    emit_exact_table_names: bool = False
    # A SyncQuerier on psycopg 3 next to each Querier (same SQL, validation, models, names),
    # and sync_db.py: the SyncExecutor protocol and configure_sync_connection.
    emit_sync: bool = False
    validation_error: str = ""
    row_type: str = "model"  # how rows come back: pydantic models, or typed asyncpg Records
    row_types: tuple[tuple[str, str], ...] = ()  # query name -> row type, over row_type
    # Refuse what is otherwise generated with a warning: untyped columns, skipped queries.
    strict_types: bool = False

    def row_type_of(self, query: str) -> str:
        return dict(self.row_types).get(query, self.row_type)

    def renamed(self, *keys: str) -> str | None:
        table = dict(self.rename)
        return next((table[key] for key in keys if key in table), None)

    def model_name(self, *keys: str) -> str | None:
        table = dict(self.rename_models)
        return next((table[key] for key in keys if key in table), None)


_KNOWN = {
    "package",
    "query_parameter_limit",
    "overrides",
    "rename",
    "rename_models",
    "not_null",
    "exclude_tables",
    "exclude_schemas",
    "emit_iter_methods",
    "emit_exact_table_names",
    "emit_sync",
    "validation_error",
    "row_type",
    "row_types",
    "strict_types",
}
ROW_TYPES = ("model", "record")


def _string_map(data: Any, key: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise OptionsError(f"options.{key} must map names to names")
    return tuple(sorted(data.items()))


def _strings(data: Any, key: str) -> frozenset[str]:
    if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
        raise OptionsError(f"options.{key} must be a list of names")
    return frozenset(data)


def _bool(data: Any, key: str) -> bool:
    if not isinstance(data, bool):
        raise OptionsError(f"options.{key} must be true or false")
    return data


def _override(data: Any, index: int) -> Override:
    where = f"options.overrides[{index}]"
    if not isinstance(data, dict):
        raise OptionsError(f"{where} must be a mapping")
    unknown = set(data) - {"py_type", "db_type", "column", "nullable", "validate"}
    if unknown:
        raise OptionsError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    py_type = data.get("py_type")
    if not isinstance(py_type, str) or not _DOTTED.match(py_type):
        raise OptionsError(f"{where}.py_type must be a dotted path such as decimal.Decimal")
    db_type, column = data.get("db_type"), data.get("column")
    if (db_type is None) == (column is None):
        raise OptionsError(f"{where} needs exactly one of db_type and column")
    if column is not None and (not isinstance(column, str) or column.count(".") not in (1, 2)):
        raise OptionsError(f"{where}.column must be table.column or schema.table.column")
    if db_type is not None and not isinstance(db_type, str):
        raise OptionsError(f"{where}.db_type must be a type name")
    nullable = data.get("nullable")
    if nullable is not None and not isinstance(nullable, bool):
        raise OptionsError(f"{where}.nullable must be true or false")
    return Override(
        py_type=py_type,
        db_type=db_type,
        column=column,
        nullable=nullable,
        validate=_bool(data.get("validate", True), f"overrides[{index}].validate"),
    )


def parse_options(raw: bytes) -> Options:
    if not raw.strip() or raw.strip() == b'""':
        return Options()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise OptionsError(f"options are not valid JSON: {error}") from error
    if data == "" or data is None:
        return Options()
    if not isinstance(data, dict):
        raise OptionsError("options must be a mapping")
    unknown = set(data) - _KNOWN
    if unknown:
        raise OptionsError(f"unknown options: {', '.join(sorted(unknown))}")
    limit = data.get("query_parameter_limit", 4)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise OptionsError("options.query_parameter_limit must be a non-negative integer")
    package = data.get("package", "")
    if not isinstance(package, str) or (package and not _DOTTED.match(package)):
        raise OptionsError("options.package must be a dotted module path")
    validation_error = data.get("validation_error", "")
    if not isinstance(validation_error, str) or (
        validation_error and not (_DOTTED.match(validation_error) and "." in validation_error)
    ):
        raise OptionsError(
            "options.validation_error must be the dotted path of an exception class, "
            "such as myapp.errors.ValidationError"
        )
    row_type = data.get("row_type", "model")
    if row_type not in ROW_TYPES:
        raise OptionsError("options.row_type must be model or record")
    row_types = _string_map(data.get("row_types", {}), "row_types")
    wrong = sorted(name for name, kind in row_types if kind not in ROW_TYPES)
    if wrong:
        raise OptionsError(f"options.row_types must map query names to model or record: {wrong[0]}")
    overrides = data.get("overrides", [])
    if not isinstance(overrides, list):
        raise OptionsError("options.overrides must be a list")
    return Options(
        package=package,
        query_parameter_limit=limit,
        overrides=tuple(_override(item, i) for i, item in enumerate(overrides)),
        rename=_string_map(data.get("rename", {}), "rename"),
        rename_models=_string_map(data.get("rename_models", {}), "rename_models"),
        not_null=_strings(data.get("not_null", []), "not_null"),
        exclude_tables=_strings(data.get("exclude_tables", []), "exclude_tables"),
        exclude_schemas=_strings(data.get("exclude_schemas", []), "exclude_schemas"),
        emit_iter_methods=_bool(data.get("emit_iter_methods", True), "emit_iter_methods"),
        emit_exact_table_names=_bool(
            data.get("emit_exact_table_names", False), "emit_exact_table_names"
        ),
        emit_sync=_bool(data.get("emit_sync", False), "emit_sync"),
        validation_error=validation_error,
        row_type=row_type,
        row_types=row_types,
        strict_types=_bool(data.get("strict_types", False), "strict_types"),
    )
