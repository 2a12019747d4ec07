"""Table models: one pydantic model per table, and the Python name of every column."""

from __future__ import annotations

from .catalog import Catalog, TableInfo
from .columntypes import MODELS_IMPORT, TypeResolver
from .errors import PlanError, Where
from .names import BASEMODEL_ATTRIBUTES, is_identifier, snake
from .options import Options
from .pgtypes import Import
from .plan import FieldPlan, ModelPlan


def field_name(options: Options, raw: str, where: Where, *keys: str) -> str:
    """The field (or parameter) name of a column: `rename` first, else snake_case."""
    renamed = options.renamed(*keys, raw)
    name = renamed or snake(raw) or raw
    if renamed is None and raw and raw != name and raw.lower() == name:
        name = raw.lower()
    if not is_identifier(name):
        raise where.error(
            f"{raw!r} becomes {name!r}, which is not a valid Python name: "
            f"add rename: {{{(keys[0] if keys else raw)!r}: ...}}"
        )
    if name.startswith("_") or name.startswith("model_") or name in BASEMODEL_ATTRIBUTES:
        raise where.error(
            f"{raw!r} would shadow or hide a pydantic attribute as {name!r}: add a rename"
        )
    return name


def table_field_name(options: Options, info: TableInfo, column: str, where: Where) -> str:
    schema, table = info.key
    return field_name(options, column, where, f"{table}.{column}", f"{schema}.{table}.{column}")


def plan_tables(
    catalog: Catalog, types: TypeResolver, options: Options, errors: list[PlanError]
) -> tuple[list[ModelPlan], set[Import]]:
    """A model per table, in (schema, name) order, and the imports models.py needs."""
    models: list[ModelPlan] = []
    imports: set[Import] = set()
    for info in sorted(catalog.tables.values(), key=lambda t: t.key):
        where = Where(file=f"table {info.key[0]}.{info.key[1]}")
        fields: list[FieldPlan] = []
        arbitrary = False
        for column in info.columns:
            at = where.at(column.name)
            try:
                name = table_field_name(options, info, column.name, at)
                py = types.column_type(column, at, nullable=not column.not_null, param=False)
            except PlanError as error:
                errors.append(error)
                continue
            imports.update(i for i in py.imports if i.module != MODELS_IMPORT)
            arbitrary = arbitrary or py.arbitrary
            fields.append(FieldPlan(name, py.expr, column.comment))
        seen: set[str] = set()
        for f in fields:
            if f.name in seen:
                errors.append(where.at(f.name).error(f"two columns become field {f.name!r}"))
            seen.add(f.name)
        models.append(
            ModelPlan(info.model, tuple(fields), info.table.comment, arbitrary_types=arbitrary)
        )
    return models, imports
