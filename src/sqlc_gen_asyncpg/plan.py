"""Every decision about the generated Python: names, types, nullability, shapes of queries.

The plan is plain data; render.py turns it into text without deciding anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import __version__, sqltext
from .names import (
    BASEMODEL_ATTRIBUTES,
    class_name,
    enum_member,
    is_identifier,
    pascal,
    snake,
    upper_snake,
)
from .options import Options, Override
from .pgtypes import BUILTIN, PSEUDO_TYPES, Import, PyType, canonical
from .request import Column, GenerateRequest, Identifier, Parameter, Query, Table

SUPPORTED_COMMANDS = (
    ":one",
    ":many",
    ":exec",
    ":execrows",
    ":execresult",
    ":copyfrom",
    ":batchexec",
    ":batchmany",
    ":batchone",
)
_LOCALS = ("record", "records", "status", "sets", "results")
BATCH_COMMANDS = (":batchexec", ":batchmany", ":batchone")
SKIPPED_SCHEMAS = frozenset({"pg_catalog", "information_schema", "pg_temp"})
LINE_LENGTH = 100
MODELS_IMPORT = ".models"


class PlanError(Exception):
    """A construct the plugin cannot translate; names where it is."""

    def __init__(self, message: str, *, file: str = "", query: str = "", column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.query = query
        self.column = column

    def __str__(self) -> str:
        where = [
            part
            for part in (
                self.file,
                f"query {self.query}" if self.query else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        ]
        return f"{': '.join(where)}: {self.message}" if where else self.message


class PlanFailedError(Exception):
    def __init__(self, errors: list[PlanError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Where:
    file: str = ""
    query: str = ""
    column: str = ""

    def error(self, message: str) -> PlanError:
        return PlanError(message, file=self.file, query=self.query, column=self.column)

    def at(self, column: str) -> Where:
        return Where(self.file, self.query, column)


@dataclass(frozen=True)
class EnumPlan:
    class_name: str
    db_schema: str
    db_name: str
    members: tuple[tuple[str, str], ...]
    comment: str


@dataclass(frozen=True)
class FieldPlan:
    name: str
    annotation: str
    comment: str = ""


@dataclass(frozen=True)
class ModelPlan:
    class_name: str
    fields: tuple[FieldPlan, ...]
    comment: str = ""
    arbitrary_types: bool = False
    base: str = "pydantic.BaseModel"


@dataclass(frozen=True)
class DecoderPlan:
    """A function building `model` from a record without validation."""

    function: str
    model: str
    fields_constant: str
    reads: tuple[tuple[str, str], ...]  # (field name, expression reading the record `r`)


@dataclass(frozen=True)
class AdapterPlan:
    """A module-level validator: a query's `Arguments` (when `query` is set) or the pydantic
    TypeAdapter converting an overridden column."""

    constant: str
    annotation: str
    query: str = ""
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParamPlan:
    name: str
    annotation: str
    number: int
    db_column: str


@dataclass(frozen=True)
class QueryPlan:
    name: str
    cmd: str
    method: str
    constant: str
    sql: str
    docstring: tuple[str, ...]
    params: tuple[ParamPlan, ...]
    params_model: str | None  # the method takes one model (or sets of them) instead of keywords
    values_alias: str | None  # copyfrom and batches: the tuple form of one parameter set
    args_adapter: str | None
    result: str | None  # annotation of one result (a model or a scalar); None: no rows
    read: str | None  # expression decoding record `r` into one result
    iter_method: str | None
    batch_constant: str | None = None
    batch_sql: str | None = None
    copy_table: str | None = None
    copy_schema: str | None = None
    copy_columns: tuple[str, ...] = ()
    local: str = "record"
    width: int = 0  # columns in one record


@dataclass(frozen=True)
class ModulePlan:
    module: str
    source: str
    queries: tuple[QueryPlan, ...]
    models: tuple[ModelPlan, ...]
    decoders: tuple[DecoderPlan, ...]
    adapters: tuple[AdapterPlan, ...]
    imports: frozenset[Import]


@dataclass(frozen=True)
class PackagePlan:
    header: str
    schema_sources: tuple[str, ...]
    package: str
    enums: tuple[EnumPlan, ...]
    tables: tuple[ModelPlan, ...]
    models_imports: frozenset[Import]
    modules: tuple[ModulePlan, ...]
    json_types: tuple[str, ...]
    first_party: str
    validation_error: str = ""


@dataclass
class _TableInfo:
    key: tuple[str, str]
    table: Table
    model: str
    columns: tuple[Column, ...]


@dataclass
class _Catalog:
    default_schema: str
    tables: dict[tuple[str, str], _TableInfo] = field(default_factory=dict)
    enums: dict[tuple[str, str], str] = field(default_factory=dict)
    composites: set[tuple[str, str]] = field(default_factory=set)
    domains: dict[tuple[str, str], str] = field(default_factory=dict)


def _key(schema: str, name: str, default: str) -> tuple[str, str]:
    if "." in name and not schema:
        schema, name = name.split(".", 1)
    return (schema or default, name)


class Planner:
    def __init__(self, request: GenerateRequest, options: Options, *, root: Path) -> None:
        self.request = request
        self.options = options
        self.root = root
        self.errors: list[PlanError] = []
        self.catalog = _Catalog(request.catalog.default_schema or "public")
        self.enums: list[EnumPlan] = []
        self.tables: list[ModelPlan] = []
        self.models_imports: set[Import] = set()
        self.json_types: set[str] = set()

    # ---------- catalog ----------

    def _index_catalog(self) -> None:
        default = self.catalog.default_schema
        used_names: dict[str, str] = {}
        for schema in self.request.catalog.schemas:
            if schema.name in SKIPPED_SCHEMAS:
                continue
            prefix = "" if schema.name == default else f"{schema.name}_"
            for enum in schema.enums:
                key = (schema.name, enum.name)
                name = self.options.model_name(f"{schema.name}.{enum.name}", enum.name) or pascal(
                    prefix + enum.name
                )
                self._claim(used_names, name, f"enum {schema.name}.{enum.name}")
                self.catalog.enums[key] = name
                members: list[tuple[str, str]] = []
                seen: set[str] = set()
                for value in enum.vals:
                    member = enum_member(value)
                    while member in seen:
                        member += "_"
                    seen.add(member)
                    members.append((member, value))
                self.enums.append(
                    EnumPlan(name, schema.name, enum.name, tuple(members), enum.comment)
                )
            for composite in schema.composite_types:
                self.catalog.composites.add((schema.name, composite.name))
            for table in schema.tables:
                qualified = f"{schema.name}.{table.rel.name}"
                if (
                    schema.name in self.options.exclude_schemas
                    or table.rel.name in self.options.exclude_tables
                    or qualified in self.options.exclude_tables
                ):
                    continue
                name = self.options.model_name(qualified, table.rel.name) or class_name(
                    prefix + table.rel.name, exact=self.options.emit_exact_table_names
                )
                self._claim(used_names, name, f"table {qualified}")
                key = (schema.name, table.rel.name)
                self.catalog.tables[key] = _TableInfo(key, table, name, table.columns)
        self.catalog.domains = sqltext.domains(self._schema_texts(), default)

    def _claim(self, used: dict[str, str], name: str, what: str) -> None:
        if not is_identifier(name):
            self.errors.append(
                PlanError(f"{what} becomes {name!r}, not a valid class name: add rename_models")
            )
        elif name in used:
            self.errors.append(
                PlanError(f"{what} and {used[name]} both become class {name}: add rename_models")
            )
        used[name] = what

    def _schema_texts(self) -> list[str]:
        texts: list[str] = []
        for entry in self.request.settings.schema:
            path = self.root / entry
            files = sorted(path.glob("*.sql")) if path.is_dir() else [path]
            for file in files:
                try:
                    texts.append(file.read_text(encoding="utf-8"))
                except OSError:
                    continue
        return texts

    # ---------- types ----------

    def _override_for(self, column: Column, type_name: str) -> Override | None:
        if column.table is not None:
            table = column.table.name
            schema = column.table.schema or self.catalog.default_schema
            name = column.original_name or column.name
            keys = {f"{table}.{name}", f"{schema}.{table}.{name}"}
            for override in self.options.overrides:
                if override.column in keys:
                    return override
        for override in self.options.overrides:
            if override.db_type is None:
                continue
            if override.nullable is not None and override.nullable == column.not_null:
                continue
            if canonical(override.db_type) == type_name:
                return override
        return None

    def _override_type(self, override: Override) -> PyType:
        module, _, _ = override.py_type.rpartition(".")
        imports = frozenset({Import(module)}) if module else frozenset()
        builtin = next((t for t in BUILTIN.values() if t.expr == override.py_type), None)
        return PyType(
            override.py_type,
            imports,
            adapt=override.validate and builtin is None,
            arbitrary=builtin is None,
        )

    def _scalar(self, type_id: Identifier, where: Where) -> PyType:
        schema, name = type_id.schema, type_id.name
        if "." in name and not schema:
            schema, name = name.split(".", 1)
        key = (schema or self.catalog.default_schema, name)
        if schema in ("", "pg_catalog"):
            builtin = BUILTIN.get(canonical(name))
            if builtin is not None:
                if canonical(name) in ("json", "jsonb"):
                    self.json_types.add(canonical(name))
                return builtin
        if key in self.catalog.enums:
            enum = self.catalog.enums[key]
            return PyType(enum, frozenset({Import(MODELS_IMPORT, enum)}))
        if key in self.catalog.domains:
            base = self.catalog.domains[key]
            return self._scalar(Identifier("", "", base), where)
        if key in self.catalog.composites:
            return PyType(
                "asyncpg.Record",
                frozenset({Import("asyncpg")}),
                arbitrary=True,
                param_expr="tuple[Any, ...]",
                param_imports=frozenset({Import("typing", "Any")}),
            )
        if canonical(name) in PSEUDO_TYPES or not name:
            raise where.error(
                f"sqlc could not infer a type (it reports {name or 'nothing'!r}); "
                "add a cast in the query such as ::bigint"
            )
        shown = f"{schema}.{name}" if schema else name
        raise where.error(
            f"unknown type {shown!r}: add an override with db_type {shown!r} and a py_type"
        )

    def _domain_array(self, type_id: Identifier) -> tuple[Identifier, int]:
        """A domain over an array is that array: its element type and its dimensions."""
        dims = 0
        while True:
            schema, name = type_id.schema, type_id.name
            if "." in name and not schema:
                schema, name = name.split(".", 1)
            base = self.catalog.domains.get((schema or self.catalog.default_schema, name))
            if base is None or not base.endswith("[]"):
                return type_id, dims
            element = base.removesuffix("[]" * base.count("[]"))
            dims += base.count("[]")
            type_id = Identifier("", "", element)

    def column_type(self, column: Column, where: Where, *, nullable: bool, param: bool) -> PyType:
        """The annotation of a column or parameter, arrays and nullability included."""
        type_name = canonical(column.type.name) if not column.type.schema else column.type.name
        override = self._override_for(column, type_name)
        if override is not None and override.column is not None:
            base = self._override_type(override)
            expr = f"{base.expr} | None" if nullable else base.expr
            return PyType(expr, base.imports, adapt=base.adapt, arbitrary=base.arbitrary)
        # a db_type override replaces the element type; arrays and nullability stay
        element_type, domain_dims = self._domain_array(column.type)
        element = self._override_type(override) if override else self._scalar(element_type, where)
        dims = max(column.array_dims, 1 if column.is_array else 0) + domain_dims
        imports = set(element.imports_for(param=param))
        if column.is_sqlc_slice:
            imports.add(Import("collections.abc", "Sequence"))
            expr = f"Sequence[{element.param}]"
        elif dims:
            expr = f"{element.param if param else element.expr} | None"
            container = "Sequence" if param else "list"
            if param:
                imports.add(Import("collections.abc", "Sequence"))
            for _ in range(dims):
                expr = f"{container}[{expr}]"
        else:
            expr = element.param if param else element.expr
        if nullable:
            expr = f"{expr} | None"
        return PyType(
            expr,
            frozenset(imports),
            adapt=element.adapt,
            arbitrary=element.arbitrary,
            param_expr=None,
        )

    # ---------- models ----------

    def _field_name(self, raw: str, where: Where, *keys: str) -> str:
        renamed = self.options.renamed(*keys, raw)
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

    def _plan_tables(self) -> None:
        for info in sorted(self.catalog.tables.values(), key=lambda t: t.key):
            where = Where(file=f"table {info.key[0]}.{info.key[1]}")
            fields: list[FieldPlan] = []
            arbitrary = False
            for column in info.columns:
                at = where.at(column.name)
                try:
                    name = self._field_name(
                        column.name,
                        at,
                        f"{info.key[1]}.{column.name}",
                        f"{info.key[0]}.{info.key[1]}.{column.name}",
                    )
                    py = self.column_type(column, at, nullable=not column.not_null, param=False)
                except PlanError as error:
                    self.errors.append(error)
                    continue
                self.models_imports.update(i for i in py.imports if i.module != MODELS_IMPORT)
                arbitrary = arbitrary or py.arbitrary
                fields.append(FieldPlan(name, py.expr, column.comment))
            self._check_unique_fields(fields, where)
            self.tables.append(
                ModelPlan(info.model, tuple(fields), info.table.comment, arbitrary_types=arbitrary)
            )

    def _check_unique_fields(self, fields: list[FieldPlan], where: Where) -> None:
        seen: set[str] = set()
        for f in fields:
            if f.name in seen:
                self.errors.append(where.at(f.name).error(f"two columns become field {f.name!r}"))
            seen.add(f.name)

    # ---------- queries ----------

    def plan(self) -> PackagePlan:
        if self.request.settings.engine not in ("", "postgresql"):
            raise PlanFailedError(
                [PlanError(f"engine {self.request.settings.engine!r} is not supported")]
            )
        self._index_catalog()
        self._plan_tables()
        by_file: dict[str, list[Query]] = {}
        for query in self.request.queries:
            by_file.setdefault(query.filename, []).append(query)
        modules: list[ModulePlan] = []
        module_names: dict[str, str] = {}
        for filename in sorted(by_file):
            module = snake(PurePosixPath(filename).stem)
            where = Where(file=filename)
            if not is_identifier(module) or module in ("models", "db", "__init__"):
                self.errors.append(
                    where.error(f"the query file becomes module {module!r}, which is reserved")
                )
                continue
            if module in module_names:
                self.errors.append(
                    where.error(f"{filename} and {module_names[module]} both become {module}.py")
                )
                continue
            module_names[module] = filename
            modules.append(_ModulePlanner(self, filename, module, by_file[filename]).plan())
        if self.errors:
            raise PlanFailedError(self.errors)
        return PackagePlan(
            header=self._header(),
            schema_sources=self.request.settings.schema,
            package=self.options.package,
            enums=tuple(self.enums),
            tables=tuple(self.tables),
            models_imports=frozenset(self.models_imports),
            modules=tuple(modules),
            json_types=tuple(sorted(self.json_types)),
            first_party=self.options.package.split(".")[0] if self.options.package else "",
            validation_error=self.options.validation_error,
        )

    def _header(self) -> str:
        return f"sqlc {self.request.sqlc_version} and sqlc-gen-asyncpg {__version__}"


class _ModulePlanner:
    def __init__(self, planner: Planner, filename: str, module: str, queries: list[Query]):
        self.p = planner
        self.filename = filename
        self.module = module
        self.queries = queries
        self.models: list[ModelPlan] = []
        self.decoders: dict[str, DecoderPlan] = {}
        self.adapters: dict[str, AdapterPlan] = {}
        self.imports: set[Import] = set()
        self.names: dict[str, str] = {}  # module-level and method names -> owning query

    def claim(self, name: str, owner: str, where: Where) -> None:
        if name in self.names:
            raise where.error(
                f"{owner} and {self.names[name]} both become {name!r} in {self.module}.py; "
                "rename one of the queries"
            )
        self.names[name] = owner

    def plan(self) -> ModulePlan:
        plans: list[QueryPlan] = []
        for query in self.queries:
            where = Where(file=self.filename, query=query.name)
            try:
                plans.append(self.plan_query(query, where))
            except PlanError as error:
                self.p.errors.append(error)
        return ModulePlan(
            module=self.module,
            source=self.filename,
            queries=tuple(plans),
            models=tuple(self.models),
            decoders=tuple(self.decoders[k] for k in sorted(self.decoders)),
            adapters=tuple(self.adapters[k] for k in sorted(self.adapters)),
            imports=frozenset(self.imports),
        )

    def adapter(self, annotation: str, *, prefix: str) -> str:
        for plan in self.adapters.values():
            if plan.annotation == annotation and not plan.query:
                return plan.constant
        constant = self._adapter_constant(prefix)
        self.adapters[constant] = AdapterPlan(constant, annotation)
        self.imports.add(Import("pydantic"))
        return constant

    def arguments(self, annotation: str, *, query: str, names: tuple[str, ...], prefix: str) -> str:
        constant = self._adapter_constant(prefix)
        self.adapters[constant] = AdapterPlan(constant, annotation, query, names)
        self.imports.add(Import(".db", "Arguments"))
        return constant

    def _adapter_constant(self, prefix: str) -> str:
        constant = f"_{prefix}"
        number = 1
        while constant in self.adapters:
            number += 1
            constant = f"_{prefix}_{number}"
        return constant

    def use(self, py: PyType) -> None:
        self.imports.update(py.imports)

    # ---------- one query ----------

    def plan_query(self, query: Query, where: Where) -> QueryPlan:
        if query.cmd not in SUPPORTED_COMMANDS:
            raise where.error(
                f"annotation {query.cmd} is not supported; "
                f"use one of {', '.join(SUPPORTED_COMMANDS)}"
            )
        method = snake(query.name)
        constant = upper_snake(query.name)
        if not is_identifier(method):
            raise where.error(f"the query name becomes {method!r}, not a valid method name")
        self.claim(method, query.name, where)
        self.claim(constant, query.name, where)
        params = self.plan_params(query, where)
        sql_text = sqltext.rewrite_slices(
            query.text, [p.number for p in query.params if p.column.is_sqlc_slice]
        )
        sql = f"-- name: {query.name} {query.cmd}\n{sql_text}\n"
        doc = tuple(line[1:] if line.startswith(" ") else line for line in query.comments)
        taken = {p.name for p in params}
        suffix = ""
        while any(f"{base}{suffix}" in taken for base in _LOCALS):
            suffix += "_"
        local = f"record{suffix}"

        result, read = self.plan_result(query, where)
        needs_model = query.cmd == ":copyfrom" or query.cmd in BATCH_COMMANDS
        if query.cmd == ":copyfrom" and not params:
            raise where.error(":copyfrom needs an INSERT with parameters")
        params_model: str | None = None
        args_adapter: str | None = None
        if params and (needs_model or len(params) > self.p.options.query_parameter_limit):
            params_model = f"{pascal(query.name)}Params"
            self.claim(params_model, query.name, where)
            self.models.append(
                ModelPlan(
                    params_model,
                    tuple(FieldPlan(p.name, p.annotation) for p in params),
                    arbitrary_types=any(self._param_arbitrary(q) for q in query.params),
                    base="ParamsModel",
                )
            )
            self.imports.add(Import("pydantic"))
            self.imports.add(Import(".db", "ParamsModel"))
        values_alias: str | None = None
        if params and needs_model:
            values_alias = f"{pascal(query.name)}Values"
            self.claim(values_alias, query.name, where)
            args_adapter = self.arguments(
                f"tuple[{', '.join(p.annotation for p in params)}]",  # mypy: not the alias
                query=query.name,
                names=tuple(p.name for p in params),
                prefix=f"{constant}_ARGS",
            )
        elif params and params_model is None:
            args_adapter = self.arguments(
                f"tuple[{', '.join(p.annotation for p in params)}]",
                query=query.name,
                names=tuple(p.name for p in params),
                prefix=f"{constant}_ARGS",
            )
        iter_method: str | None = None
        if query.cmd == ":many" and self.p.options.emit_iter_methods:
            iter_method = f"iter_{method}"
            self.claim(iter_method, query.name, where)
            if "prefetch" in {p.name for p in params}:
                raise where.at("prefetch").error(
                    "a parameter named prefetch clashes with the streaming method's prefetch"
                )
            self.imports.add(Import("collections.abc", "AsyncIterator"))
            self.imports.add(Import(".db", "CursorExecutor"))
            self.imports.add(Import(".db", "TransactionRequiredError"))
        if query.cmd in BATCH_COMMANDS or query.cmd == ":copyfrom":
            self.imports.add(Import("collections.abc", "Iterable"))
        plan = QueryPlan(
            name=query.name,
            cmd=query.cmd,
            method=method,
            constant=constant,
            sql=sqltext.python_sql(sql, where),
            docstring=doc,
            params=params,
            params_model=params_model,
            values_alias=values_alias,
            args_adapter=args_adapter,
            result=result,
            read=read,
            iter_method=iter_method,
            local=local,
            width=sum(
                len(self.p.catalog.tables[key].columns)
                if c.embed_table is not None
                and (
                    key := _key(
                        c.embed_table.schema, c.embed_table.name, self.p.catalog.default_schema
                    )
                )
                in self.p.catalog.tables
                else 1
                for c in query.columns
            ),
        )
        if query.cmd in (":batchone", ":batchmany"):
            batch_constant = f"{constant}_BATCH"
            self.claim(batch_constant, query.name, where)
            batch = (
                f"-- name: {query.name} {query.cmd}\n"
                f"WITH batch_query AS (\n{sql_text}\n)\n"
                f"SELECT *, ${len(query.params) + 1}::int4 AS batch_index FROM batch_query\n"
            )
            plan = _replace(
                plan, batch_constant=batch_constant, batch_sql=sqltext.python_sql(batch, where)
            )
        if query.cmd == ":copyfrom":
            plan = self.plan_copy(plan, query, where)
        return plan

    def _param_arbitrary(self, param: Parameter) -> bool:
        try:
            return self.p.column_type(param.column, Where(), nullable=False, param=True).arbitrary
        except PlanError:
            return False

    def plan_copy(self, plan: QueryPlan, query: Query, where: Where) -> QueryPlan:
        table = query.insert_into_table
        if table is None:
            raise where.error(":copyfrom needs INSERT INTO table (columns) VALUES ($1, ...)")
        columns: list[str] = []
        for param in query.params:
            name = param.column.original_name or param.column.name
            if param.column.table is None or not name:
                raise where.at(name or f"${param.number}").error(
                    ":copyfrom parameters must each be a plain column value"
                )
            columns.append(name)
        return _replace(
            plan,
            copy_table=table.name,
            copy_schema=table.schema or None,
            copy_columns=tuple(columns),
        )

    def plan_params(self, query: Query, where: Where) -> tuple[ParamPlan, ...]:
        plans: list[ParamPlan] = []
        seen: set[str] = set()
        for param in sorted(query.params, key=lambda p: p.number):
            column = param.column
            raw = column.name or f"param_{param.number}"
            at = where.at(raw)
            keys: list[str] = []
            if column.table is not None and column.original_name:
                keys.append(f"{column.table.name}.{column.original_name}")
            keys.append(raw)
            name = self.p._field_name(raw, at, *keys)
            if name == "self":
                raise at.error("a parameter named self needs a rename")
            base = name
            number = 2
            while name in seen:
                name = f"{base}_{number}"
                number += 1
            seen.add(name)
            py = self.p.column_type(column, at, nullable=not column.not_null, param=True)
            self.use(py)
            plans.append(ParamPlan(name, py.expr, param.number, column.original_name))
        return tuple(plans)

    # ---------- results ----------

    def plan_result(self, query: Query, where: Where) -> tuple[str | None, str | None]:
        """The annotation of one result row and the expression decoding record `r`."""
        if query.cmd in (":exec", ":execrows", ":execresult", ":copyfrom", ":batchexec"):
            return None, None
        if not query.columns:
            raise where.error(f"{query.cmd} needs a query that returns columns")
        table = self.whole_table(query)
        if table is not None:
            decoder = self.decoder_for_table(table, 0, where)
            self.imports.add(Import(MODELS_IMPORT, table.model))
            return table.model, f"{decoder}({{0}})"
        columns = query.columns
        if len(columns) == 1 and columns[0].embed_table is None:
            column = columns[0]
            nullable = self.result_nullable(query, column)
            if not nullable:
                py = self.p.column_type(column, where.at(column.name), nullable=False, param=False)
                self.use(py)
                return py.expr, self.read(py, 0, "{0}")
        return self.row_model(query, where)

    def result_nullable(self, query: Query, column: Column) -> bool:
        if column.table is not None:
            return not column.not_null
        # sqlc reports not_null for sum(), max(), casts of them and more: trust it only where
        # the value is a table column, or where the author vouches for it (option not_null).
        return f"{query.name}.{column.name}" not in self.p.options.not_null

    def read(self, py: PyType, index: int, var: str = "r") -> str:
        if not py.adapt:
            return f"{var}[{index}]"
        self.use(py)
        adapter = self.adapter(py.expr, prefix="COLUMN_TYPE")
        return f"{adapter}.validate_python({var}[{index}])"

    def whole_table(self, query: Query) -> _TableInfo | None:
        first = query.columns[0].table
        if first is None:
            return None
        info = self.p.catalog.tables.get(
            _key(first.schema, first.name, self.p.catalog.default_schema)
        )
        if info is None or len(info.columns) != len(query.columns):
            return None
        for mine, theirs in zip(query.columns, info.columns, strict=True):
            if (
                mine.table is None
                or mine.table.name != first.name
                or mine.table.schema != first.schema
                or (mine.original_name or mine.name) != theirs.name
                or mine.name != theirs.name
                or mine.not_null != theirs.not_null
                or mine.embed_table is not None
            ):
                return None
        return info

    def decoder_for_table(self, info: _TableInfo, offset: int, where: Where) -> str:
        base = snake(info.model)
        function = f"_decode_{base}" if offset == 0 else f"_decode_{base}_at_{offset}"
        if function in self.decoders:
            return function
        reads: list[tuple[str, str]] = []
        for index, column in enumerate(info.columns):
            at = where.at(column.name)
            name = self.p._field_name(
                column.name,
                at,
                f"{info.key[1]}.{column.name}",
                f"{info.key[0]}.{info.key[1]}.{column.name}",
            )
            py = self.p.column_type(column, at, nullable=not column.not_null, param=False)
            reads.append((name, self.read(py, offset + index)))
        self.decoders[function] = DecoderPlan(
            function, info.model, f"_{upper_snake(info.model)}_FIELDS", tuple(reads)
        )
        self.imports.add(Import(MODELS_IMPORT, info.model))
        self.imports.add(Import("asyncpg"))
        return function

    def row_model(self, query: Query, where: Where) -> tuple[str, str]:
        model = f"{pascal(query.name)}Row"
        self.claim(model, query.name, where)
        fields: list[FieldPlan] = []
        reads: list[tuple[str, str]] = []
        used: set[str] = set()
        embeds = sqltext.EmbedResolver(query.text, self.p.catalog.default_schema)
        index = 0
        arbitrary = False
        embed_counts: dict[str, int] = {}
        for column in query.columns:
            if column.embed_table is not None:
                embed_counts[column.embed_table.name] = (
                    embed_counts.get(column.embed_table.name, 0) + 1
                )
        for column in query.columns:
            at = where.at(column.name)
            if column.embed_table is not None:
                key = _key(
                    column.embed_table.schema,
                    column.embed_table.name,
                    self.p.catalog.default_schema,
                )
                info = self.p.catalog.tables.get(key)
                if info is None:
                    raise at.error(f"sqlc.embed of {key[0]}.{key[1]}, which has no model")
                alias, nullable = embeds.resolve(info.key[1], [c.name for c in info.columns])
                name = snake(info.model)
                if (
                    embed_counts[column.embed_table.name] > 1
                    and alias
                    and is_identifier(snake(alias))
                ):
                    name = snake(alias)
                name = self._unique(name, used)
                decoder = self.decoder_for_table(info, index, where)
                sentinel = next((i for i, c in enumerate(info.columns) if c.not_null), None)
                if nullable:
                    if sentinel is not None:
                        test = f"r[{index + sentinel}] is None"
                    else:
                        test = " and ".join(
                            f"r[{index + i}] is None" for i in range(len(info.columns))
                        )
                    reads.append((name, f"None if {test} else {decoder}(r)"))
                    fields.append(FieldPlan(name, f"{info.model} | None"))
                else:
                    reads.append((name, f"{decoder}(r)"))
                    fields.append(FieldPlan(name, info.model))
                self.imports.add(Import(MODELS_IMPORT, info.model))
                index += len(info.columns)
                continue
            keys: list[str] = []
            if column.table is not None and column.original_name:
                keys.append(f"{column.table.name}.{column.original_name}")
            name = self._unique(
                self.p._field_name(column.name or f"column_{index + 1}", at, *keys), used
            )
            py = self.p.column_type(
                column, at, nullable=self.result_nullable(query, column), param=False
            )
            self.use(py)
            arbitrary = arbitrary or py.arbitrary
            fields.append(FieldPlan(name, py.expr))
            reads.append((name, self.read(py, index)))
            index += 1
        self.models.append(ModelPlan(model, tuple(fields), arbitrary_types=arbitrary))
        function = f"_decode_{snake(model)}"
        self.decoders[function] = DecoderPlan(
            function, model, f"_{upper_snake(model)}_FIELDS", tuple(reads)
        )
        self.imports.add(Import("pydantic"))
        self.imports.add(Import("asyncpg"))
        return model, f"{function}({{0}})"

    @staticmethod
    def _unique(name: str, used: set[str]) -> str:
        candidate, number = name, 2
        while candidate in used:
            candidate = f"{name}_{number}"
            number += 1
        used.add(candidate)
        return candidate


def _replace(plan: QueryPlan, **changes: object) -> QueryPlan:
    from dataclasses import replace

    return replace(plan, **changes)  # type: ignore[arg-type]


def plan_request(request: GenerateRequest, options: Options, *, root: Path) -> PackagePlan:
    return Planner(request, options, root=root).plan()


__all__ = ["PlanError", "PlanFailedError", "plan_request", "re"]
