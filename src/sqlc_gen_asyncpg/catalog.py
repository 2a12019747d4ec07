"""The schema sqlc reports, indexed by (schema, name): which tables, enums, composites, domains."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import sqltext
from .errors import Diagnostics, PlanError
from .names import class_name, enum_member, is_identifier, pascal
from .options import Options
from .plan import EnumPlan
from .request import Column, GenerateRequest, Identifier, Table

SKIPPED_SCHEMAS = frozenset({"pg_catalog", "information_schema", "pg_temp"})


@dataclass
class TableInfo:
    key: tuple[str, str]
    table: Table
    model: str
    columns: tuple[Column, ...]
    field_names: dict[int, str] = field(default_factory=dict)  # column position -> model field


@dataclass
class Catalog:
    default_schema: str
    tables: dict[tuple[str, str], TableInfo] = field(default_factory=dict)
    enums: dict[tuple[str, str], str] = field(default_factory=dict)  # -> class name
    composites: set[tuple[str, str]] = field(default_factory=set)
    domains: dict[tuple[str, str], str] = field(default_factory=dict)  # -> base type
    ranges: dict[tuple[str, str], str] = field(default_factory=dict)  # -> subtype
    multiranges: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # -> range
    enum_plans: list[EnumPlan] = field(default_factory=list)

    def key(self, schema: str, name: str) -> tuple[str, str]:
        """(schema, name) of a possibly qualified name, the default schema filled in."""
        if "." in name and not schema:
            schema, name = name.split(".", 1)
        return (schema or self.default_schema, name)

    def table(self, identifier: Identifier | None) -> TableInfo | None:
        if identifier is None:
            return None
        return self.tables.get(self.key(identifier.schema, identifier.name))


def index_catalog(
    request: GenerateRequest, options: Options, *, root: Path, diagnostics: Diagnostics
) -> Catalog:
    """The catalog with a class name for every enum and table; name clashes go to errors."""
    catalog = Catalog(request.catalog.default_schema or "public")
    default = catalog.default_schema
    used_names: dict[str, str] = {}
    for schema in request.catalog.schemas:
        if schema.name in SKIPPED_SCHEMAS:
            continue
        prefix = "" if schema.name == default else f"{schema.name}_"
        for enum in schema.enums:
            name = options.model_name(f"{schema.name}.{enum.name}", enum.name) or pascal(
                prefix + enum.name
            )
            name = _claim(used_names, name, f"enum {schema.name}.{enum.name}", diagnostics)
            catalog.enums[(schema.name, enum.name)] = name
            catalog.enum_plans.append(
                EnumPlan(name, schema.name, enum.name, _members(enum.vals), enum.comment)
            )
        for composite in schema.composite_types:
            catalog.composites.add((schema.name, composite.name))
        for table in schema.tables:
            qualified = f"{schema.name}.{table.rel.name}"
            if (
                schema.name in options.exclude_schemas
                or table.rel.name in options.exclude_tables
                or qualified in options.exclude_tables
            ):
                continue
            name = options.model_name(qualified, table.rel.name) or class_name(
                prefix + table.rel.name, exact=options.emit_exact_table_names
            )
            name = _claim(used_names, name, f"table {qualified}", diagnostics)
            key = (schema.name, table.rel.name)
            catalog.tables[key] = TableInfo(key, table, name, table.columns)
    texts = _schema_texts(request, root)
    catalog.domains = sqltext.domains(texts, default)
    for key, (subtype, multirange) in sqltext.ranges(texts, default).items():
        catalog.ranges[key] = subtype
        catalog.multiranges[multirange] = key
    return catalog


def _members(labels: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    members: list[tuple[str, str]] = []
    seen: set[str] = set()
    for label in labels:
        member = enum_member(label)
        while member in seen:
            member += "_"
        seen.add(member)
        members.append((member, label))
    return tuple(members)


def _claim(used: dict[str, str], name: str, what: str, diagnostics: Diagnostics) -> str:
    """The class name of `what`: `name`, or when another took it or it is no identifier,
    `name2`, `name3`, ... (`Model2ndTry` for `2nd_try`), with a warning."""
    wanted = name
    if not is_identifier(name):
        name = f"Model{name}" if is_identifier(f"Model{name}") else "Model"
    base, number = name, 1
    while name in used:
        number += 1
        name = f"{base}{number}"
    if name != wanted:
        other = f" ({used[wanted]} is {wanted})" if wanted in used else ""
        diagnostics.warn(PlanError(f"{what} is class {name}{other}: add rename_models"))
    used[name] = what
    return name


def _schema_texts(request: GenerateRequest, root: Path) -> list[str]:
    """The schema files' text: sqlc reports no domains, so the plugin reads them itself."""
    texts: list[str] = []
    for entry in request.settings.schema:
        path = root / entry
        files = sorted(path.glob("*.sql")) if path.is_dir() else [path]
        for file in files:
            try:
                texts.append(file.read_text(encoding="utf-8"))
            except OSError:
                continue
    return texts
