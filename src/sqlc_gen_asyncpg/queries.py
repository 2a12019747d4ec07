"""Query planning: for each query of one file, its method, parameters, result and SQL."""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import sqltext
from .catalog import Catalog, TableInfo
from .columntypes import MODELS_IMPORT, TypeResolver
from .errors import PlanError, Where
from .names import is_identifier, pascal, snake, unkeyword, upper_snake
from .options import Options
from .pgtypes import Import, PyType, aliased_module
from .plan import (
    AdapterPlan,
    ColumnRead,
    DecoderPlan,
    ExactCheck,
    FieldPlan,
    ModelPlan,
    ModelRead,
    ModulePlan,
    ParamPlan,
    QueryPlan,
    Read,
    RecordColumn,
    RecordPlan,
    text_enums,
)
from .request import Column, Query
from .tables import field_name, named_field, table_field_name

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
BATCH_COMMANDS = (":batchexec", ":batchmany", ":batchone")
NO_ROWS = (":exec", ":execrows", ":execresult", ":copyfrom", ":batchexec")
LIST_COMMANDS = (":many", ":batchmany", ":batchone")  # their rows arrive in one list
# The executor method each command runs through.
DRIVER_METHODS = {
    ":one": "fetchrow",
    ":many": "fetch",
    ":exec": "execute",
    ":execrows": "execute",
    ":execresult": "execute",
    ":copyfrom": "copy_records_to_table",
    ":batchexec": "executemany",
    ":batchone": "fetchmany",
    ":batchmany": "fetchmany",
}
# What an asyncpg.Record has itself, which a column must not hide.
RECORD_ATTRIBUTES = frozenset({"get", "items", "keys", "values", "to_model"})
# What a tuple has itself, which a column of the sync flavour's tuple rows must not hide.
SYNC_ROW_ATTRIBUTES = frozenset({"count", "index"})
# Local variables of the generated methods, kept clear of parameter names.
_LOCALS = ("record", "records", "status", "sets", "results", "row")


# What a query module defines or imports by name, which no query may take.
MODULE_NAMES = (
    "Querier",
    "SyncQuerier",
    "Arguments",
    "ParamsModel",
    "Executor",
    "CursorExecutor",
    "TransactionRequiredError",
    "Column",
    "SyncExecutor",
    "SyncCursorExecutor",
    "SyncColumn",
    "AsyncIterator",
    "Iterator",
    "Iterable",
    "Sequence",
    "Any",
    "jsonb",
    "jsonb_at",
    "untyped",
    "untyped_at",
    "SyncRows",
    "text_labels",
    "cast",
    "gc",
)


def _derived_names(ident: str) -> tuple[str, ...]:
    """The names a query's Python names are made of (see plan_query), to find a free one."""
    upper, camel = upper_snake(ident), pascal(ident)
    return (
        unkeyword(snake(ident)),
        upper,
        f"{camel}Row",
        f"{camel}Params",
        f"{camel}Values",
        f"{camel}Record",
        f"Sync{camel}Record",
        f"{upper}_BATCH",
    )


def _import_of(python_class: str) -> Import | None:
    """What makes a class of the fast path's checks known in the module; None: a builtin."""
    module, _, name = python_class.rpartition(".")
    if module:
        return Import(aliased_module(module))
    if name in ("int", "float", "bool", "str", "bytes"):
        return None
    return Import(MODELS_IMPORT, name)  # an enum


def returns(cmd: str, result: str | None) -> str:
    """The annotation of what a method of this command returns, given one result's."""
    return {
        ":one": f"{result} | None",
        ":many": f"list[{result}]",
        ":exec": "None",
        ":execrows": "int",
        ":execresult": "str",
        ":copyfrom": "int",
        ":batchexec": "None",
        ":batchone": f"list[{result} | None]",
        ":batchmany": f"list[list[{result}]]",
    }[cmd]


@dataclass(frozen=True)
class _ModuleState:
    """What a ModulePlanner has gathered, kept to undo a query that is skipped."""

    models: int
    decoders: dict[str, DecoderPlan]
    adapters: dict[str, AdapterPlan]
    imports: set[Import]
    names: dict[str, str]
    records: dict[str, RecordPlan]
    annotation_imports: dict[str, set[Import]]


class ModulePlanner:
    """Plans the queries of one query file into one module; errors of a query go to `errors`."""

    def __init__(
        self,
        catalog: Catalog,
        types: TypeResolver,
        options: Options,
        errors: list[PlanError],
        *,
        filename: str,
        module: str,
    ) -> None:
        self.catalog = catalog
        self.types = types
        self.options = options
        self.errors = errors
        self.filename = filename
        self.module = module
        self.models: list[ModelPlan] = []
        self.decoders: dict[str, DecoderPlan] = {}
        self.adapters: dict[str, AdapterPlan] = {}
        self.imports: set[Import] = set()
        self.names: dict[str, str] = {}  # module-level and method names -> owning query
        self.records: dict[str, RecordPlan] = {}
        self.annotation_imports: dict[str, set[Import]] = {}  # decoder -> its fields' imports
        self.idents: dict[str, str] = {}  # query name -> what its Python names derive from
        for name in (*MODULE_NAMES, *catalog.enums.values()):
            self.names[name] = "the module's own"
        for info in catalog.tables.values():
            self.names[info.model] = "the module's own"

    def plan(self, queries: list[Query]) -> ModulePlan:
        plans: list[QueryPlan] = []
        for query in queries:
            where = Where(file=self.filename, query=query.name)
            self.idents[query.name] = self._free_ident(query, where)
            saved = self._state()
            try:
                plans.append(self.plan_query(query, where))
            except PlanError as error:
                if self.types.diagnostics.strict:
                    self.errors.append(error)
                    continue
                self._restore(saved)  # nothing of a skipped query is left in the module
                column = f" ({error.what} {error.column})" if error.column else ""
                self.types.diagnostics.warn(
                    where.error(f"skipped, not generated{column}: {error.message}")
                )
        return ModulePlan(
            module=self.module,
            source=self.filename,
            queries=tuple(plans),
            models=tuple(self.models),
            decoders=tuple(self.decoders[k] for k in sorted(self.decoders)),
            adapters=tuple(self.adapters[k] for k in sorted(self.adapters)),
            imports=frozenset(self.imports),
            records=tuple(self.records.values()),
        )

    def ident(self, query: Query) -> str:
        """The name a query's Python names derive from: its own, unless that collides."""
        return self.idents.get(query.name, query.name)

    def _free_ident(self, query: Query, where: Where) -> str:
        """The query's name, or the first of `Name_2`, `Name_3`, ... whose Python names are all
        free in the module (an earlier query's, or the module's own); `query_Name` when the
        name starts with a digit."""
        base = query.name
        if not is_identifier(unkeyword(snake(base))) and is_identifier(snake(f"query_{base}")):
            base = f"query_{base}"
        ident, number = base, 1
        while any(name in self.names for name in _derived_names(ident)):
            number += 1
            ident = f"{base}_{number}"
        if ident != query.name:
            taken = next(n for n in _derived_names(base) if n in self.names) if number > 1 else ""
            clash = f" ({taken!r} is {self.names[taken]}'s)" if taken else ""
            self.types.diagnostics.warn(
                where.error(f"its Python names are made from {ident!r}{clash}: rename the query")
            )
        return ident

    def _state(self) -> _ModuleState:
        return _ModuleState(
            len(self.models),
            dict(self.decoders),
            dict(self.adapters),
            set(self.imports),
            dict(self.names),
            dict(self.records),
            dict(self.annotation_imports),
        )

    def _restore(self, state: _ModuleState) -> None:
        del self.models[state.models :]
        self.decoders = state.decoders
        self.adapters = state.adapters
        self.imports = state.imports
        self.names = state.names
        self.records = state.records
        self.annotation_imports = state.annotation_imports

    def claim(self, name: str, owner: str, where: Where) -> None:
        if name in self.names:
            raise where.error(
                f"{owner} and {self.names[name]} both become {name!r} in {self.module}.py; "
                "rename one of the queries"
            )
        self.names[name] = owner

    def adapter(self, annotation: str, *, prefix: str) -> str:
        for plan in self.adapters.values():
            if plan.annotation == annotation and not plan.query:
                return plan.constant
        constant = self._adapter_constant(prefix)
        self.adapters[constant] = AdapterPlan(constant, annotation)
        self.imports.add(Import("pydantic"))
        return constant

    def arguments(self, query: Query, params: tuple[ParamPlan, ...], where: Where) -> str:
        """The `Arguments` check of a query's parameters, with its fast path where it has one."""
        constant = self._adapter_constant(f"{upper_snake(self.ident(query))}_ARGS")
        exact = tuple(p.exact for p in params if p.exact is not None)
        function: str | None = None
        if len(exact) == len(params):
            function = f"_{snake(self.ident(query))}_is_exact"
            self.claim(function, query.name, where)
            self.imports.add(Import("typing", "Any"))
            # Only a fast path that is emitted names the exact types (a params model has none).
            known = (_import_of(check.python_class) for check in exact)
            self.imports.update(i for i in known if i is not None)
        self.adapters[constant] = AdapterPlan(
            constant,
            f"tuple[{', '.join(p.annotation for p in params)}]",  # mypy: not the values alias
            query.name,
            tuple(p.name for p in params),
            exact_function=function,
            exact=exact if function else (),
        )
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

    def plan_query(self, query: Query, where: Where) -> QueryPlan:
        if query.cmd not in SUPPORTED_COMMANDS:
            raise where.error(
                f"annotation {query.cmd} is not supported; "
                f"use one of {', '.join(SUPPORTED_COMMANDS)}"
            )
        method = unkeyword(snake(self.ident(query)))  # a query named In: in_
        constant = upper_snake(self.ident(query))
        if not is_identifier(method):
            raise where.error(f"the query name becomes {method!r}, not a valid method name")
        self.claim(method, query.name, where)
        self.claim(constant, query.name, where)
        params = self.plan_params(query, where)
        sql_text = sqltext.rewrite_slices(
            query.text, [p.number for p in query.params if p.column.is_sqlc_slice]
        )
        doc = tuple(line[1:] if line.startswith(" ") else line for line in query.comments)
        taken = {p.name for p in params}
        suffix = ""
        while any(f"{base}{suffix}" in taken for base in _LOCALS):
            suffix += "_"

        result, read = self.plan_result(query, where)
        record_class = None
        if self.options.row_type_of(query.name) == "record" and isinstance(read, ModelRead):
            record_class = self.record_class(read, query, where)
            result, read = record_class, None
        rows_decoder = self.rows_decoder(query.cmd, read)
        needs_model = query.cmd == ":copyfrom" or query.cmd in BATCH_COMMANDS
        if query.cmd == ":copyfrom" and not params:
            raise where.error(":copyfrom needs an INSERT with parameters")
        params_model: str | None = None
        if params and (needs_model or len(params) > self.options.query_parameter_limit):
            params_model = f"{pascal(self.ident(query))}Params"
            self.claim(params_model, query.name, where)
            self.models.append(
                ModelPlan(
                    params_model,
                    tuple(FieldPlan(p.name, p.annotation) for p in params),
                    arbitrary_types=any(p.arbitrary for p in params),
                    base="ParamsModel",
                )
            )
            self.imports.add(Import("pydantic"))
            self.imports.add(Import(".db", "ParamsModel"))
        values_alias: str | None = None
        if params and needs_model:
            values_alias = f"{pascal(self.ident(query))}Values"
            self.claim(values_alias, query.name, where)
        args_adapter: str | None = None
        if params and (needs_model or params_model is None):
            args_adapter = self.arguments(query, params, where)
        iter_method: str | None = None
        if query.cmd == ":many" and self.options.emit_iter_methods:
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
            sql=f"-- name: {query.name} {query.cmd}\n{sql_text}\n",
            docstring=doc,
            params=params,
            params_model=params_model,
            values_alias=values_alias,
            args_adapter=args_adapter,
            result=result,
            read=read,
            rows_decoder=rows_decoder,
            record_class=record_class,
            returns=returns(query.cmd, result),
            driver_method=DRIVER_METHODS[query.cmd],
            iter_method=iter_method,
            iter_returns=f"AsyncIterator[{result}]" if iter_method else None,
            local=f"record{suffix}",
            width=sum(self._width(c) for c in query.columns),
        )
        if query.cmd in (":batchone", ":batchmany"):
            batch_constant = f"{constant}_BATCH"
            self.claim(batch_constant, query.name, where)
            batch = (
                f"-- name: {query.name} {query.cmd}\n"
                f"WITH batch_query AS (\n{sql_text}\n)\n"
                f"SELECT *, ${len(query.params) + 1}::int4 AS batch_index FROM batch_query\n"
            )
            plan = replace(plan, batch_constant=batch_constant, batch_sql=batch)
        if query.cmd == ":copyfrom":
            plan = self.plan_copy(plan, query, where)
        return plan

    def rows_decoder(self, cmd: str, read: Read | None) -> str | None:
        """The loop decoding a list of rows, for a command returning lists of models.

        A loop with its locals bound once beats a function call per row, and it pauses the
        garbage collector, which otherwise scans the young models many times over.
        """
        if cmd not in LIST_COMMANDS or not isinstance(read, ModelRead) or read.none_when_null:
            return None
        decoder = self.decoders[read.decoder]
        function = decoder.function.replace("_decode_", "_decode_many_", 1)
        self.decoders[read.decoder] = replace(decoder, rows_function=function)
        self.imports.update({Import("gc"), Import("itertools"), Import("collections")})
        return function

    def record_class(self, read: ModelRead, query: Query, where: Where) -> str:
        """The Record subclass rows of this shape come back as (row_type record)."""
        decoder = self.decoders[read.decoder]
        name = f"{decoder.model.removesuffix('Row')}Record"
        if name in self.records:
            return name
        self.claim(name, query.name, where)
        # Sync as in SyncQuerier: the sync flavour's tuple row of the same columns
        sync_name = f"Sync{name}" if self.options.emit_sync else ""
        if sync_name:
            self.claim(sync_name, query.name, where)
        columns: list[RecordColumn] = []
        for (field, value), annotation in zip(decoder.reads, decoder.annotations, strict=True):
            if not isinstance(value, ColumnRead):
                raise where.at(field).error(
                    "row_type record cannot hold sqlc.embed; give this query row_type model"
                )
            if field in RECORD_ATTRIBUTES:
                raise where.at(field).error(
                    f"a column named {field!r} would hide asyncpg.Record.{field}: add a rename"
                )
            if self.options.emit_sync and field in SYNC_ROW_ATTRIBUTES:
                raise where.at(field).error(
                    f"a column named {field!r} would hide tuple.{field} in the sync row of"
                    f" {name}: add a rename"
                )
            columns.append(RecordColumn(field, annotation, value.index, value.adapter, value.enum))
        self.records[name] = RecordPlan(
            name,
            decoder.model,
            decoder.function,
            tuple(columns),
            sync_name,
            text_enums(decoder.reads),
        )
        self.imports.update(self.annotation_imports[decoder.function])
        self.imports.add(Import(".db", "Column"))
        return name

    def _width(self, column: Column) -> int:
        """How many record columns a result column takes: an embed takes its table's."""
        info = self.catalog.table(column.embed_table)
        return len(info.columns) if info is not None else 1

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
        return replace(
            plan,
            copy_table=table.name,
            copy_schema=table.schema or None,
            copy_columns=tuple(columns),
        )

    def plan_params(self, query: Query, where: Where) -> tuple[ParamPlan, ...]:
        plans: list[ParamPlan] = []
        seen: set[str] = set()
        raw_names: set[str] = set()
        for param in sorted(query.params, key=lambda p: p.number):
            column = param.column
            raw = column.name or f"param_{param.number}"
            at = where.at_parameter(raw)
            keys: list[str] = []
            if column.table is not None and column.original_name:
                keys.append(f"{column.table.name}.{column.original_name}")
            keys.append(raw)
            name = field_name(self.options, raw, at, *keys)
            if name == "self":
                raise at.error("a parameter named self needs a rename")
            base = name
            number = 2
            while name in seen:
                name = f"{base}_{number}"
                number += 1
            if name != base and raw not in raw_names:
                self.types.diagnostics.warn(
                    at.error(f"two parameters become {base!r}; this one is {name!r}")
                )
            seen.add(name)
            raw_names.add(raw)
            nullable = not column.not_null
            py = self.types.column_type(column, at, nullable=nullable, param=True)
            self.use(py)
            exact = None
            if py.exact is not None:
                exact = ExactCheck(
                    py.exact,
                    nullable=nullable,
                    finite=py.exact == "_decimal.Decimal",
                    text=py.exact == "str",
                    override=py.override,
                )
            plans.append(
                ParamPlan(
                    name,
                    py.expr,
                    param.number,
                    exact,
                    sync_kind=py.sync_kind,
                    arbitrary=py.arbitrary,
                )
            )
        return tuple(plans)

    def plan_result(self, query: Query, where: Where) -> tuple[str | None, Read | None]:
        """The annotation of one result row and how it is read from a record."""
        if query.cmd in NO_ROWS:
            return None, None
        if not query.columns:
            raise where.error(f"{query.cmd} needs a query that returns columns")
        table = self.whole_table(query)
        if table is not None:
            decoder = self.decoder_for_table(table, 0, where)
            self.imports.add(Import(MODELS_IMPORT, table.model))
            return table.model, ModelRead(decoder)
        columns = query.columns
        if len(columns) == 1 and columns[0].embed_table is None:
            column = columns[0]
            if not self.result_nullable(query, column):
                py = self.types.column_type(
                    column, where.at(column.name), nullable=False, param=False
                )
                self.use(py)
                return py.expr, self.read(py, 0)
        return self.row_model(query, where)

    def result_nullable(self, query: Query, column: Column) -> bool:
        if column.table is not None:
            return not column.not_null
        # sqlc reports not_null for sum(), max(), casts of them and more: trust it only where
        # the value is a table column, or where the author vouches for it (option not_null).
        return f"{query.name}.{column.name}" not in self.options.not_null

    def read(self, py: PyType, index: int) -> ColumnRead:
        if py.expr == "None":
            return ColumnRead(index, void=True)
        if not py.adapt:
            return ColumnRead(index, enum=py.enum, holds_enum=py.holds_enum)
        self.use(py)
        adapter = self.adapter(py.expr, prefix="COLUMN_TYPE")
        return ColumnRead(index, adapter, holds_enum=py.holds_enum)

    def whole_table(self, query: Query) -> TableInfo | None:
        first = query.columns[0].table
        info = self.catalog.table(first)
        if first is None or info is None or len(info.columns) != len(query.columns):
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

    def decoder_for_table(self, info: TableInfo, offset: int, where: Where) -> str:
        base = snake(info.model)
        function = f"_decode_{base}" if offset == 0 else f"_decode_{base}_at_{offset}"
        if function in self.decoders:
            return function
        reads: list[tuple[str, Read]] = []
        annotations: list[str] = []
        imports: set[Import] = set()
        for index, column in enumerate(info.columns):
            at = where.at(column.name)
            name = info.field_names.get(index) or table_field_name(
                self.options, info, column.name, at, index
            )
            py = self.types.column_type(column, at, nullable=not column.not_null, param=False)
            reads.append((name, self.read(py, offset + index)))
            annotations.append(py.expr)
            imports.update(py.imports)
        self.decoders[function] = DecoderPlan(
            function,
            info.model,
            f"_{upper_snake(info.model)}_FIELDS",
            tuple(reads),
            tuple(annotations),
        )
        self.annotation_imports[function] = imports
        self.imports.add(Import(MODELS_IMPORT, info.model))
        self.imports.add(Import("asyncpg"))
        self.imports.add(Import("pydantic"))
        return function

    def row_model(self, query: Query, where: Where) -> tuple[str, ModelRead]:
        model = f"{pascal(self.ident(query))}Row"
        self.claim(model, query.name, where)
        fields: list[FieldPlan] = []
        reads: list[tuple[str, Read]] = []
        used: set[str] = set()
        raw_names: set[str] = set()
        embeds = sqltext.EmbedResolver(query.text, self.catalog.default_schema)
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
                info = self.catalog.table(column.embed_table)
                if info is None:
                    key = self.catalog.key(column.embed_table.schema, column.embed_table.name)
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
                if nullable:
                    # one NOT NULL column says whether the row is there; without one, all do
                    sentinel = next((i for i, c in enumerate(info.columns) if c.not_null), None)
                    tested = (
                        (index + sentinel,)
                        if sentinel is not None
                        else tuple(index + i for i in range(len(info.columns)))
                    )
                    reads.append((name, ModelRead(decoder, tested)))
                    fields.append(FieldPlan(name, f"{info.model} | None"))
                else:
                    reads.append((name, ModelRead(decoder)))
                    fields.append(FieldPlan(name, info.model))
                self.imports.add(Import(MODELS_IMPORT, info.model))
                index += len(info.columns)
                continue
            keys: list[str] = []
            if column.table is not None and column.original_name:
                keys.append(f"{column.table.name}.{column.original_name}")
            named, alias = named_field(
                self.options, column.name or f"column_{index + 1}", at, *keys
            )
            name = self._unique(named, used)
            # the same name twice (a.id, b.id) is numbered silently, as sqlc's Go output does
            if name != named and column.name not in raw_names:
                self.types.diagnostics.warn(
                    at.error(f"two columns become field {named!r}; this one is {name!r}")
                )
            raw_names.add(column.name)
            py = self.types.column_type(
                column, at, nullable=self.result_nullable(query, column), param=False
            )
            self.use(py)
            arbitrary = arbitrary or py.arbitrary
            fields.append(FieldPlan(name, py.expr, alias=alias))
            reads.append((name, self.read(py, index)))
            index += 1
        self.models.append(ModelPlan(model, tuple(fields), arbitrary_types=arbitrary))
        function = f"_decode_{snake(model)}"
        self.decoders[function] = DecoderPlan(
            function,
            model,
            f"_{upper_snake(model)}_FIELDS",
            tuple(reads),
            tuple(f.annotation for f in fields),
        )
        self.annotation_imports[function] = set()  # used by the row model already
        self.imports.add(Import("pydantic"))
        self.imports.add(Import("asyncpg"))
        return model, ModelRead(function)

    @staticmethod
    def _unique(name: str, used: set[str]) -> str:
        candidate, number = name, 2
        while candidate in used:
            candidate = f"{name}_{number}"
            number += 1
        used.add(candidate)
        return candidate
