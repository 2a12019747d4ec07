"""Table models: one pydantic model per table, and the Python name of every column."""

from __future__ import annotations

from dataclasses import replace

from .catalog import Catalog, TableInfo
from .columntypes import MODELS_IMPORT, TypeResolver
from .errors import Diagnostics, PlanError, Where
from .names import is_identifier, is_protected, snake, unreserved
from .options import Options
from .pgtypes import Import
from .plan import FieldPlan, ModelPlan


def field_name(options: Options, raw: str, where: Where, *keys: str) -> str:
    """The field (or parameter) name of a column: `rename` first, else snake_case."""
    return named_field(options, raw, where, *keys)[0]


def named_field(options: Options, raw: str, where: Where, *keys: str) -> tuple[str, str]:
    """A column's field name, and the column's own name when the field had to take another
    (`in` -> `in_`): pydantic serializes the field under it. `rename` wins, without alias."""
    renamed = options.renamed(*keys, raw)
    name = renamed or snake(raw) or raw
    if renamed is None and raw and raw != name and raw.lower() == name:
        name = raw.lower()
    alias = ""
    if renamed is None and name[:1].isdigit():
        name, alias = f"column_{name}", raw  # 2fa_secret: column_2fa_secret
    if renamed is None and unreserved(name) != name:
        name = unreserved(name)
        alias = raw
    if not is_identifier(name):
        raise where.error(
            f"{raw!r} becomes {name!r}, which is not a valid Python name: "
            f"add rename: {{{(keys[0] if keys else raw)!r}: ...}}"
        )
    if name.startswith("_") or is_protected(name) or (renamed and unreserved(name) != name):
        raise where.error(
            f"{raw!r} would shadow or hide a pydantic attribute as {name!r}: add a rename"
        )
    return name, alias


def table_field_name(
    options: Options, info: TableInfo, column: str, where: Where, position: int
) -> str:
    return table_field(options, info, column, where, position)[0]


def table_field(
    options: Options, info: TableInfo, column: str, where: Where, position: int
) -> tuple[str, str]:
    """A table column's field name and serialization alias (see named_field); position: 0-based."""
    schema, table = info.key
    if not column:  # a view's unnamed column (SELECT 1): sqlc's Go names it column_1
        return f"column_{position + 1}", ""
    return named_field(options, column, where, f"{table}.{column}", f"{schema}.{table}.{column}")


def unique_fields(
    fields: list[FieldPlan], where: Where, diagnostics: Diagnostics
) -> list[FieldPlan]:
    """The fields, a later one whose name an earlier took numbered `_2`, `_3`, ... with a
    warning (`userId` and `user_id` both become user_id)."""
    seen = {f.name for f in fields}
    taken: set[str] = set()
    unique: list[FieldPlan] = []
    for f in fields:
        name, number = f.name, 1
        while name in taken:
            number += 1
            name = f"{f.name}_{number}"
        while number > 1 and name in seen:
            number += 1
            name = f"{f.name}_{number}"
        if name != f.name:
            diagnostics.warn(
                where.at(f.alias or f.name).error(
                    f"two columns become field {f.name!r}; this one is {name!r}: add a rename"
                )
            )
            f = replace(f, name=name)
        taken.add(name)
        unique.append(f)
    return unique


def plan_tables(
    catalog: Catalog, types: TypeResolver, options: Options, errors: list[PlanError]
) -> tuple[list[ModelPlan], set[Import]]:
    """A model per table, in (schema, name) order, and the imports models.py needs."""
    models: list[ModelPlan] = []
    imports: set[Import] = set()
    for info in sorted(catalog.tables.values(), key=lambda t: t.key):
        where = Where(file=f"table {info.key[0]}.{info.key[1]}")
        fields: list[FieldPlan] = []
        positions: list[int] = []
        arbitrary = False
        for position, column in enumerate(info.columns):
            at = where.at(column.name)
            try:
                name, alias = table_field(options, info, column.name, at, position)
                py = types.column_type(column, at, nullable=not column.not_null, param=False)
            except PlanError as error:
                errors.append(error)
                continue
            imports.update(i for i in py.imports if i.module != MODELS_IMPORT)
            arbitrary = arbitrary or py.arbitrary
            fields.append(FieldPlan(name, py.expr, column.comment, alias))
            positions.append(position)
        fields = unique_fields(fields, where, types.diagnostics)
        info.field_names = {p: f.name for p, f in zip(positions, fields, strict=True)}
        models.append(
            ModelPlan(info.model, tuple(fields), info.table.comment, arbitrary_types=arbitrary)
        )
    return models, imports
