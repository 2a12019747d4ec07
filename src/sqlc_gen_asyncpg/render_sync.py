"""The sync flavour (option emit_sync): a SyncQuerier on psycopg 3 beside each Querier, and
sync_db.py (the sync executor protocol and configure_sync_connection).

The SyncQuerier runs the same SQL constants (psycopg's RawCursor takes ``$1``), validates
through the same ``Arguments`` and builds the same row models with the same decoders. A query
whose rows are typed asyncpg Records returns, on the sync side, rows of a typed tuple subclass
named ``Sync<Record class>`` (an asyncpg.Record cannot be built outside asyncpg's C code): the
same read-only properties over psycopg's own values, and the same ``to_model()``. Parameters
psycopg would type wrongly from their class (the plan's ``sync_kind``) travel wrapped by
``untyped``; sync_types.py renders the rest. A SyncQuerier takes a psycopg Connection or
ConnectionPool through the adapters of render_sync_adapters.py, or any sync executor.
"""

from __future__ import annotations

import re

from .layout import (
    INDENT,
    WIDTH,
    docstring,
    file_text,
    fit,
    fit_item,
    header,
    join_blocks,
    render_imports,
)
from .names import snake, upper_snake
from .pgtypes import Import
from .plan import DecoderPlan, ModulePlan, PackagePlan, QueryPlan, RecordPlan, text_enums
from .render_queries import (
    call_args,
    copy_items,
    labels_constant,
    param_sets,
    read_expression,
    rows_decoder,
    text_rows_function,
)
from .render_sync_adapters import ADAPTER_IMPORTS, ADAPTERS
from .render_sync_types import extension_names, needs_sync_types

SYNC_DB = ".sync_db"
_JSON = "pydantic.JsonValue"


def _sync_names(module: ModulePlan) -> dict[str, str]:
    """Each record class of `module` and its sync tuple row class."""
    return {record.class_name: record.sync_class_name for record in module.records}


def _as_sync(annotation: str, names: dict[str, str]) -> str:
    """An annotation with every record class replaced by its sync tuple row class."""
    if not names:
        return annotation
    pattern = "|".join(re.escape(name) for name in names)
    return re.sub(rf"\b({pattern})\b", lambda m: names[m.group(1)], annotation)


def _row_read(plan: QueryPlan, record: str, names: dict[str, str]) -> str:
    """The expression turning one psycopg tuple `record` into the query's result."""
    if plan.record_class:
        return f"{names[plan.record_class]}({record})"
    return read_expression(plan.read, record) if plan.read else ""


def _rows_constant(record: RecordPlan) -> str:
    """The SyncRows a :many query of `record`'s rows reads them with."""
    return f"_{upper_snake(record.sync_class_name)}_ROWS"


def _text_constant(decoder: DecoderPlan) -> str:
    """The SyncRows a :many query decoded by `decoder` reads its enums as text with."""
    return f"{decoder.fields_constant.removesuffix('_FIELDS')}_FROM_TEXT"


def _text_decoders(module: ModulePlan) -> dict[str, DecoderPlan]:
    """The list decoders of sync :many queries whose enums can come as their labels, by name."""
    used = {q.rows_decoder for q in module.queries if q.cmd == ":many" and not q.record_class}
    return {
        decoder.rows_function: decoder
        for decoder in module.decoders
        if decoder.rows_function is not None
        and decoder.rows_function in used
        and text_enums(decoder.reads)
    }


def _module_enums(module: ModulePlan, decoders: dict[str, DecoderPlan]) -> list[str]:
    """The enums the module's sync rows map from their labels (`decoders`: _text_decoders)."""
    enums = {e for record in module.records for e in record.text_enums}
    for decoder in decoders.values():
        enums.update(text_enums(decoder.reads))
    return sorted(enums)


def _make_row(record: RecordPlan) -> list[str]:
    """The function building one sync row of `record` from psycopg's tuple, its enums read as
    their labels; then the SyncRows naming them."""
    name = record.sync_class_name
    function = f"_make_{snake(name)}"
    items = [
        f"{labels_constant(c.enum)}[r[{c.index}]]" if c.enum else f"r[{c.index}]"
        for c in record.columns  # every item of the row, in order (_contiguous)
    ]
    values = (
        [f"{INDENT}values = ({items[0]},)"]
        if len(items) == 1
        else fit(INDENT, "values = (", items, ")")
    )
    return [
        f"def {function}(r: tuple[Any, ...]) -> {name}:",
        *docstring(INDENT, [f"A {name} of psycopg's tuple, whose enums came as their labels."]),
        *values,
        f"{INDENT}return {name}(values)",
        "",
        "",
        *fit("", f"{_rows_constant(record)} = SyncRows(", [function, *record.text_enums], ")"),
    ]


def _sync_rows(module: ModulePlan, decoders: dict[str, DecoderPlan]) -> list[str]:
    """What the SyncQuerier's :many queries read their rows with: the labels of enums read as
    text, each record's row maker and the list decoders of rows whose enums came as text."""
    out: list[str] = []
    enums = _module_enums(module, decoders)
    if enums:
        out.extend(f"{labels_constant(enum)} = text_labels({enum})" for enum in enums)
    blocks: list[list[str]] = []
    for record in module.records:
        if not record.sync_class_name:
            continue
        if record.text_enums and _contiguous(record):
            blocks.append(_make_row(record))
        else:
            constant = _rows_constant(record)
            blocks.append([f"{constant} = SyncRows({record.sync_class_name})"])
    rows = "list[tuple[Any, ...]]"
    for decoder in decoders.values():
        blocks.append(rows_decoder(decoder, rows, text=True))
        arguments = ["None", *text_enums(decoder.reads), f"decode={text_rows_function(decoder)}"]
        blocks.append(fit("", f"{_text_constant(decoder)} = SyncRows(", arguments, ")"))
    if out and blocks:
        out.extend(["", ""])
    return out + join_blocks(blocks)


def _contiguous(record: RecordPlan) -> bool:
    """Whether the record's columns are every item of the row, in order."""
    return [c.index for c in record.columns] == list(range(len(record.columns)))


def _sync_record(record: RecordPlan) -> list[str]:
    model, name = record.model, record.sync_class_name
    out = [
        f"class {name}(tuple[Any, ...]):",
        *docstring(
            INDENT,
            [
                f"A row of {record.class_name}'s shape as psycopg reads it: a tuple, with the",
                f"same typed read-only columns; to_model() gives the pydantic {model}.",
            ],
        ),
        "",
        f"{INDENT}__slots__ = ()",
        "",
    ]
    for column in record.columns:
        args = str(column.index)
        if column.adapter:
            args += f", {column.adapter}.validate_python"
        line = f"{INDENT}{column.name} = SyncColumn[{column.annotation}]({args})"
        if len(line) <= WIDTH:
            out.append(line)
            continue
        first, *rest = column.annotation.split(" | ")
        out.extend(
            [
                f"{INDENT}{column.name} = SyncColumn[",
                f"{INDENT * 2}{first}",
                *(f"{INDENT * 2}| {part}" for part in rest),
                f"{INDENT}]({args})",
            ]
        )
    out.extend(
        [
            "",
            f"{INDENT}def to_model(self) -> {model}:",
            *docstring(INDENT * 2, [f"The row as the pydantic model {model}."]),
            f"{INDENT * 2}return {record.decoder}(self)",
        ]
    )
    return out


def _signature(plan: QueryPlan, name: str, returns: str, *, prefetch: bool) -> list[str]:
    args = ["self"]
    if plan.params_model and plan.values_alias:
        args.append(f"params: Iterable[{plan.params_model} | {plan.values_alias}]")
    elif plan.params_model:
        args.append(f"params: {plan.params_model}")
    elif plan.params:
        args.append("*")
        args.extend(f"{p.name}: {p.annotation}" for p in plan.params)
    if prefetch:
        if "*" not in args:
            args.append("*")
        args.append("prefetch: int = 100")
    return fit(INDENT, f"def {name}(", args, f") -> {returns}:")


def _json_indices(plan: QueryPlan) -> tuple[int, ...]:
    """The parameters holding json: psycopg cannot tell a list meant as json from an array,
    nor a str meant as json from text, so these travel wrapped as Jsonb."""
    return tuple(i for i, p in enumerate(plan.params) if _JSON in p.annotation)


def _untyped(plan: QueryPlan) -> tuple[tuple[int, str], ...]:
    """The parameters psycopg would type wrongly from their class, with the type they are sent
    as (untyped text); not in COPY, whose binary rows take the columns' own types."""
    if plan.cmd == ":copyfrom":
        return ()
    return tuple((i, p.sync_kind) for i, p in enumerate(plan.params) if p.sync_kind)


def _wrapped_values(plan: QueryPlan, values: str, *, room: int = WIDTH) -> str | list[str]:
    """`values` (one parameter set as a tuple) with each parameter wrapped as psycopg needs:
    on one line if it has `room`, else exploded."""
    calls: list[tuple[str, str]] = []
    untyped = _untyped(plan)
    if untyped:
        kinds = ", ".join(f'({i}, "{kind}")' for i, kind in untyped)
        calls.append(("untyped_at", f"({kinds},)" if len(untyped) == 1 else f"({kinds})"))
    json = _json_indices(plan)
    if json:
        calls.append(("jsonb_at", _indices(json)))
    inner = values
    for function, argument in calls[:-1]:
        inner = f"{function}({inner}, {argument})"
    function, argument = calls[-1]
    return fit_item(f"{function}(", [inner, argument], ")", room=room)


def _wrapped_field(plan: QueryPlan, index: int, value: str) -> str:
    kinds = dict(_untyped(plan))
    if index in kinds:
        return f'untyped({value}, "{kinds[index]}")'
    return f"jsonb({value})" if index in _json_indices(plan) else value


def _sync_call_args(plan: QueryPlan, constant: str) -> list[str | list[str]]:
    if not _json_indices(plan) and not _untyped(plan):
        return call_args(plan, constant)
    if plan.params_model:
        return [
            constant,
            *(_wrapped_field(plan, i, f"params.{p.name}") for i, p in enumerate(plan.params)),
        ]
    head, packed = call_args(plan, constant)
    assert isinstance(packed, str)
    room = WIDTH - len(INDENT * 3) - 2  # inside the call, with its star and trailing comma
    wrapped = _wrapped_values(plan, packed[1:], room=room)
    if isinstance(wrapped, str):
        return [head, f"*{wrapped}"]
    return [head, [f"*{wrapped[0]}", *wrapped[1:]]]


def _indices(json: tuple[int, ...]) -> str:
    return f"({json[0]},)" if len(json) == 1 else f"({', '.join(map(str, json))})"


def _wrap_sets(plan: QueryPlan, indent: str, target: str) -> list[str]:
    if not _json_indices(plan) and not _untyped(plan):
        return []
    expression = _wrapped_values(plan, "values", room=WIDTH - len(indent) - len(INDENT))
    if isinstance(expression, str):
        line = f"{indent}{target} = [{expression} for values in {target}]"
        if len(line) <= WIDTH:
            return [line]
        expression = [expression]
    return [
        f"{indent}{target} = [",
        *(f"{indent}{INDENT}{line}" for line in expression),
        f"{indent}{INDENT}for values in {target}",
        f"{indent}]",
    ]


def _call(indent: str, head: str, method: str, items: list[str | list[str]]) -> list[str]:
    return fit(indent, f"{head}self._conn.{method}(", items, ")")


def _method(
    plan: QueryPlan, records: dict[str, str], module: ModulePlan, decoders: dict[str, DecoderPlan]
) -> list[str]:
    sfx = plan.local[len("record") :]
    record, rows, status = f"record{sfx}", f"records{sfx}", f"status{sfx}"
    sets, results = f"sets{sfx}", f"results{sfx}"
    body = INDENT * 2
    read = _row_read(plan, record, records)
    result = _as_sync(plan.result or "", records)
    cmd, driver = plan.cmd, plan.driver_method
    out = _signature(plan, plan.method, _as_sync(plan.returns, records), prefetch=False)
    out.extend(docstring(body, plan.docstring))
    call = _sync_call_args(plan, plan.constant)
    if cmd == ":one":
        out.extend(_call(body, f"{record} = ", driver, call))
        out.append(f"{body}return None if {record} is None else {read}")
    elif cmd == ":many" and plan.record_class:
        shape = next(r for r in module.records if r.class_name == plan.record_class)
        rows_arg = f"rows={_rows_constant(shape)}"
        out.extend(_call(body, f"{rows} = ", driver, [*call, rows_arg]))
        out.append(f"{body}return cast(list[{records[plan.record_class]}], {rows})")
    elif cmd == ":many" and plan.rows_decoder in decoders:
        decoder = decoders[plan.rows_decoder]
        out.extend(_call(body, f"{rows} = ", driver, [*call, f"rows={_text_constant(decoder)}"]))
        out.append(f"{body}return cast(list[{decoder.model}], {rows})")
    elif cmd == ":many":
        out.extend(_call(body, f"{rows} = ", driver, call))
        if plan.rows_decoder:
            out.append(f"{body}return {plan.rows_decoder}({rows})")
        else:
            out.append(f"{body}return [{read} for {record} in {rows}]")
    elif cmd == ":exec":
        out.extend(_call(body, "", driver, call))
    elif cmd == ":execrows":
        out.extend(_call(body, f"{status} = ", driver, call))
        out.append(f'{body}return int({status}.rpartition(" ")[2])')
    elif cmd == ":execresult":
        out.extend(_call(body, "return ", driver, call))
    elif cmd == ":copyfrom":
        out.extend(param_sets(plan, body, rows))
        out.extend(_wrap_sets(plan, body, rows))
        out.extend(_call(body, f"{status} = ", driver, copy_items(plan, rows)))
        out.append(f'{body}return int({status}.rpartition(" ")[2])')
    elif cmd == ":batchexec":
        out.extend(param_sets(plan, body, sets))
        out.extend(_wrap_sets(plan, body, sets))
        out.extend(_call(body, "", driver, [plan.constant, sets]))
    else:
        out.extend(param_sets(plan, body, sets))
        out.extend(_wrap_sets(plan, body, sets))
        indexed = f"[(*values, index) for index, values in enumerate({sets})]"
        out.extend(_call(body, f"{rows} = ", driver, [plan.batch_constant or "", indexed]))
        loop = [f"{body}for {record} in {rows}:"]
        if cmd == ":batchone":
            out.append(f"{body}{results}: list[{result} | None] = [None] * len({sets})")
            out.extend(loop)
            out.append(f"{body}{INDENT}{results}[{record}[{plan.width}]] = {read}")
        else:
            out.append(f"{body}{results}: list[list[{result}]] = [[] for _ in {sets}]")
            out.extend(loop)
            out.append(f"{body}{INDENT}{results}[{record}[{plan.width}]].append({read})")
        out.append(f"{body}return {results}")
    return out


def _iter_method(plan: QueryPlan, records: dict[str, str]) -> list[str]:
    assert plan.iter_method is not None
    sfx = plan.local[len("record") :]
    record = f"record{sfx}"
    body = INDENT * 2
    returns = f"Iterator[{_as_sync(plan.result or '', records)}]"
    out = _signature(plan, plan.iter_method, returns, prefetch=True)
    out.extend(
        docstring(
            body, [f"Stream {plan.method} through a server-side cursor; needs a transaction."]
        )
    )
    out.append(
        f"{body}if not isinstance(self._conn, SyncCursorExecutor) "
        "or not self._conn.is_in_transaction():"
    )
    error = [f'"{plan.iter_method}"', "self._conn", "sync=True"]
    out.extend(fit(body + INDENT, "raise TransactionRequiredError(", error, ")"))
    call = [*_sync_call_args(plan, plan.constant), "prefetch=prefetch"]
    out.extend(fit(body, f"for {record} in self._conn.cursor(", call, "):"))
    out.append(f"{body}{INDENT}yield {_row_read(plan, record, records) or record}")
    return out


def sync_imports(module: ModulePlan) -> set[Import]:
    """What the SyncQuerier of `module` needs beyond the async module's own imports."""
    imports = {Import(SYNC_DB, "SyncConnection"), Import(SYNC_DB, "sync_executor")}
    if module.decoders or module.records:  # they take psycopg's rows, tuple[Any, ...]
        imports.add(Import("typing", "Any"))
    if any(_json_indices(q) and (q.params_model and not q.values_alias) for q in module.queries):
        imports.add(Import(SYNC_DB, "jsonb"))
    if any(
        _json_indices(q) and not (q.params_model and not q.values_alias) for q in module.queries
    ):
        imports.add(Import(SYNC_DB, "jsonb_at"))
    if any(_untyped(q) and (q.params_model and not q.values_alias) for q in module.queries):
        imports.add(Import(SYNC_DB, "untyped"))
    if any(_untyped(q) and not (q.params_model and not q.values_alias) for q in module.queries):
        imports.add(Import(SYNC_DB, "untyped_at"))
    if module.records:
        imports.add(Import(SYNC_DB, "SyncColumn"))
    decoders = _text_decoders(module)
    if any(q.record_class and q.cmd == ":many" for q in module.queries) or decoders:
        imports.add(Import("typing", "cast"))
    if module.records or decoders:
        imports.add(Import(SYNC_DB, "SyncRows"))
    enums = _module_enums(module, decoders)
    if enums:
        imports.add(Import(SYNC_DB, "text_labels"))
        imports.update(Import(".models", enum) for enum in enums)
    if any(q.iter_method for q in module.queries):
        imports.update(
            {
                Import("collections.abc", "Iterator"),
                Import(SYNC_DB, "SyncCursorExecutor"),
                Import(".db", "TransactionRequiredError"),
            }
        )
    return imports


def render_sync_querier(module: ModulePlan) -> list[str]:
    """The sync tuple row class of each record class of `module`, then its SyncQuerier."""
    records = _sync_names(module)
    out = join_blocks([_sync_record(record) for record in module.records])
    if out:
        out.extend(["", ""])
    decoders = _text_decoders(module)
    rows = _sync_rows(module, decoders)
    if rows:
        out.extend([*rows, "", ""])
    out += [
        "class SyncQuerier:",
        f'{INDENT}"""The queries of {module.source}, run on a psycopg Connection or'
        ' ConnectionPool."""',
        "",
        f"{INDENT}def __init__(self, conn: SyncConnection) -> None:",
        f"{INDENT * 2}self._conn = sync_executor(conn)",
    ]
    for query in module.queries:
        out.append("")
        out.extend(_method(query, records, module, decoders))
        if query.iter_method:
            out.append("")
            out.extend(_iter_method(query, records))
    return out


_PROTOCOL = '''Row = tuple[Any, ...]


class SyncExecutor(Protocol):
    """What a SyncQuerier runs statements on: ``$1`` placeholders, rows as tuples.

    The adapters below make one of a psycopg Connection (ConnectionExecutor) or a psycopg_pool
    ConnectionPool (PoolExecutor); a betdb-style sync executor qualifies as it is.
    """

    def execute(self, query: str, *args: object) -> str: ...

    def executemany(self, command: str, args: Iterable[Sequence[object]]) -> None: ...

    def fetch(self, query: str, *args: object, rows: "SyncRows | None" = ...) -> list[Row]: ...

    def fetchrow(self, query: str, *args: object) -> Row | None: ...

    def fetchmany(self, query: str, args: Iterable[Sequence[object]]) -> list[Row]: ...

    def copy_records_to_table(
        self,
        table_name: str,
        *,
        records: Iterable[Sequence[object]],
        columns: Sequence[str] | None = ...,
        schema_name: str | None = ...,
    ) -> str: ...


@runtime_checkable
class SyncCursorExecutor(Protocol):
    """A sync executor that can stream: one connection that knows whether it is in a
    transaction (server-side cursors need one)."""

    def is_in_transaction(self) -> bool: ...

    def cursor(self, query: str, *args: object, prefetch: int | None = ...) -> Iterator[Row]: ...


# The enums configure_sync_connection registered on each connection: their oids there.
_ENUM_OIDS: "_weakref.WeakKeyDictionary[Any, dict[type, int]]" = _weakref.WeakKeyDictionary()


class SyncRows:
    """How a :many query's rows are read: its cursor set up before it runs (prepare()), its
    list of rows finished after (finish()), both inside the executor's statement.

    The enums named load as their labels, by psycopg's own text loader in C: a loader giving
    members is a Python call per value, the larger part of reading a list of rows. `make_row`,
    if set, builds each row from psycopg's tuple, mapping those labels to their members;
    `decode`, if set, turns the whole list into models, mapping them likewise.
    """

    __slots__ = ("decode", "enums", "make_row")

    def __init__(
        self,
        make_row: Callable[[Any], Any] | None,
        *enums: type,
        decode: Callable[[list[Row]], list[Any]] | None = None,
    ) -> None:
        self.make_row = make_row
        self.enums = enums
        self.decode = decode

    def prepare(self, cursor: Any) -> None:
        """Set up `cursor` (a psycopg Cursor, not yet executed) to read these rows."""
        oids = _ENUM_OIDS.get(cursor.connection) if self.enums else None
        if oids:
            from psycopg.types.string import TextLoader

            adapters = cursor.adapters
            for enum in self.enums:
                oid = oids.get(enum)
                if oid is not None:
                    adapters.register_loader(oid, TextLoader)
        make_row = self.make_row
        if make_row is not None:
            cursor.row_factory = lambda _: make_row

    def finish(self, rows: list[Row]) -> list[Any]:
        """The rows the query returns, of the list the cursor read."""
        return rows if self.decode is None else self.decode(rows)'''


_JSONB = """
def jsonb(value: object) -> object:
    \"\"\"A json parameter as psycopg must send it: a list or str alone would go as an array or
    text. None stays None (SQL NULL, as on the async side).\"\"\"
    from psycopg.types.json import Jsonb  # here: the async side never loads psycopg

    return None if value is None else Jsonb(value)


def jsonb_at(values: tuple[Any, ...], indices: tuple[int, ...]) -> tuple[Any, ...]:
    \"\"\"`values` with the json parameters at `indices` wrapped by jsonb().\"\"\"
    return tuple(jsonb(v) if i in indices else v for i, v in enumerate(values))
"""


_UNTYPED = """
class Untyped:
    \"\"\"A parameter psycopg would type wrongly from its Python class (an int meant as pg_lsn, a
    dict meant as hstore, an asyncpg class): sent as text of no type, which the server types
    from the statement, as it does for asyncpg's prepared statements.\"\"\"

    __slots__ = ("kind", "value")

    def __init__(self, value: object, kind: str) -> None:
        self.value = value
        self.kind = kind  # the PostgreSQL type, with a [] per array dimension


def untyped(value: object, kind: str) -> object:
    \"\"\"`value` to be sent untyped as `kind`; None stays None (SQL NULL).\"\"\"
    return None if value is None else Untyped(value, kind)


def untyped_at(values: tuple[Any, ...], kinds: tuple[tuple[int, str], ...]) -> tuple[Any, ...]:
    \"\"\"`values` with the parameters at the indices of `kinds` wrapped by untyped().\"\"\"
    wrapped = list(values)
    for index, kind in kinds:
        wrapped[index] = untyped(wrapped[index], kind)
    return tuple(wrapped)
"""

_ROWS = '''_T = TypeVar("_T")


if TYPE_CHECKING:

    class SyncColumn(Generic[_T]):
        """A column of a sync row class, read-only and typed T (item `index`, through `convert`)."""

        def __init__(self, index: int, convert: Callable[[Any], _T] | None = None) -> None: ...

        @overload
        def __get__(self, row: None, owner: object) -> "SyncColumn[_T]": ...

        @overload
        def __get__(self, row: Row, owner: object) -> _T: ...

        def __get__(self, row: Row | None, owner: object) -> "_T | SyncColumn[_T]": ...

else:

    class SyncColumn:
        """At run time a column is a property over the tuple's own item lookup, in C."""

        def __class_getitem__(cls, annotation):
            return cls

        def __new__(cls, index, convert=None):
            get = _operator.itemgetter(index)
            return property(get if convert is None else lambda row: convert(get(row)))'''


# The one lookup configure_sync_connection makes: enums and composites by schema and name,
# extension types by name in whichever schema their extension was created in.
_LOOKUP = """_TYPES = (
    "SELECT n.nspname, t.typname, t.oid::int, t.typarray::int, t.typtype::text,"
    " ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum AS e"
    "  WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),"
    " ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute AS a"
    "  WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),"
    " ARRAY(SELECT a.atttypid::int FROM pg_catalog.pg_attribute AS a"
    "  WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)"
    " FROM pg_catalog.pg_type AS t JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace"
    " WHERE (n.nspname, t.typname) IN (SELECT * FROM unnest($1::text[], $2::text[]))"
    " OR (t.typname = ANY($3::text[]) AND t.typtype = 'b')"
)"""


# A range's subtype or a domain's base type (through domains over domains), appended to a
# composite's field types: the lookup's last array, before its FROM.
_UNDERLYING = """    " || ARRAY(SELECT r.rngsubtype::int FROM pg_catalog.pg_range AS r"
    "  WHERE t.oid IN (r.rngtypid, r.rngmultitypid))"
    " || ARRAY(WITH RECURSIVE d(oid) AS (SELECT t.typbasetype WHERE t.typtype = 'd'"
    "  UNION ALL SELECT b.typbasetype FROM pg_catalog.pg_type AS b JOIN d ON b.oid = d.oid"
    "  WHERE b.typtype = 'd') SELECT d.oid::int FROM d JOIN pg_catalog.pg_type AS b"
    "  ON b.oid = d.oid WHERE b.typtype <> 'd')"
"""


def _lookup_sql(own_types: tuple[tuple[str, str], ...]) -> list[str]:
    lines = _LOOKUP.splitlines()
    if own_types:
        at = next(i for i, line in enumerate(lines) if " FROM pg_catalog.pg_type AS t" in line)
        lines[at:at] = _UNDERLYING.splitlines()
    return lines


def _own_types(types: tuple[tuple[str, str], ...]) -> list[str]:
    return [
        "# The schema's own ranges, multiranges and domains in arrays the queries use.",
        *fit(
            "",
            "_OWN_TYPES: tuple[tuple[str, str], ...] = (",
            [f'("{schema}", "{name}")' for schema, name in sorted(types)],
            ")" if len(types) > 1 else ",)",
        ),
    ]


def _uses_untyped(plan: PackagePlan) -> bool:
    return any(_untyped(q) for module in plan.modules for q in module.queries)


_ENUM_LOADERS = """
class _TextLabels(dict[object, object]):
    \"\"\"An enum's labels (str) to its members, and None to None; a member finds itself (the
    keys are the members, equal to their labels). __missing__ runs only for a label the enum
    does not know.\"\"\"

    def __init__(self, members: type[StrEnum]) -> None:
        super().__init__({member: member for member in members})
        self[None] = None
        self.enum = members.__name__

    def __missing__(self, label: object) -> object:
        raise UnknownLabelError(self.enum, str(label).encode())


@_functools.cache
def text_labels(members: type[StrEnum]) -> dict[object, object]:
    \"\"\"The labels of `members` to its members: how a sync row whose enums were read as text
    (SyncRows) gets them, by a dict's own lookup.\"\"\"
    return _TextLabels(members)


@_functools.cache
def _enum_loaders(members: type[StrEnum], encoding: str) -> tuple[type[Any], type[Any]]:
    \"\"\"Text and binary loaders of one enum whose load is a dict's C-level __getitem__:
    psycopg calls it once per value, and a Python load() would cost a frame each time.\"\"\"
    from psycopg.adapt import Loader
    from psycopg.pq import Format

    labels = _Labels(members._value2member_map_, members.__name__, encoding)

    class TextLoader(Loader):
        # the dict's own lookup as the class's load: a C method, which an instance does not
        # bind, and nothing to set when psycopg makes a loader (per cursor and column)
        load = cast(Any, labels.__getitem__)

    class BinaryLoader(TextLoader):
        format = Format.BINARY

    return TextLoader, BinaryLoader


@_functools.cache
def _enum_dumpers(
    members: type[StrEnum], enum_oid: int, encoding: str
) -> tuple[type[Any], type[Any]]:
    \"\"\"Text and binary dumpers of one enum, its label bytes by a dict's C-level __getitem__
    (COPY calls it once per value; psycopg's own dumper is a Python dump() doing the same).\"\"\"
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    labels = {member: member.value.encode(encoding) for member in members}

    class TextDumper(Dumper):
        oid = enum_oid
        dump = cast(Any, labels.__getitem__)  # as the loaders' load

    class BinaryDumper(TextDumper):
        format = Format.BINARY

    return TextDumper, BinaryDumper
"""


def render_sync_db(plan: PackagePlan) -> str:
    imports = {
        Import("collections.abc", "Iterable"),
        Import("collections.abc", "Iterator"),
        Import("collections.abc", "Sequence"),
        Import("typing", "TYPE_CHECKING"),
        Import("typing", "Any"),
        Import("typing", "Protocol"),
        Import("typing", "runtime_checkable"),
        Import("collections.abc", "Callable"),
        Import("weakref"),
        *ADAPTER_IMPORTS,
    }
    if plan.uses_records:
        imports.update(
            {
                Import("operator"),
                Import("typing", "Generic"),
                Import("typing", "TypeVar"),
                Import("typing", "overload"),
            }
        )
    if plan.enums:
        imports.add(Import("enum", "StrEnum"))
        imports.add(Import("functools"))
    for enum in plan.enums:
        imports.add(Import(".models", enum.class_name))
    if plan.enums:
        imports.add(Import(".db", "_Labels"))  # one lookup and one unknown-label error for both
        imports.add(Import(".db", "UnknownLabelError"))
    head = [
        *header(plan, "the schema and the plugin"),
        '"""The sync executor protocol and the psycopg connection setup of the SyncQueriers."""',
        "",
        *render_imports(imports, plan.first_party),
        "",
        "if TYPE_CHECKING:",
        f"{INDENT}import psycopg",
    ]
    configure = [
        'def configure_sync_connection(conn: "psycopg.Connection[Any]") -> None:',
        f'{INDENT}"""Register what the SyncQueriers rely on: init_connection\'s counterpart.',
        "",
        f"{INDENT}Call it on every connection, e.g. as psycopg_pool.ConnectionPool(configure=...):",
        f"{INDENT}enums load as their StrEnum members and dump as their labels; json values are",
        f"{INDENT}Python objects both ways; cursors are RawCursors (the SQL has $1 placeholders).",
        f'{INDENT}"""',
        f"{INDENT}# imported here: the async Queriers import this module and never load psycopg",
        f"{INDENT}import psycopg",
    ]
    extensions = extension_names(plan)
    own_types = (*plan.ranges, *plan.domain_arrays)
    lookup = bool(plan.enums or plan.composites or own_types or extensions)
    if plan.enums:
        configure.append(f"{INDENT}from psycopg.types.enum import EnumInfo, register_enum")
    if plan.json_types:
        configure.append(f"{INDENT}from psycopg.types.json import JsonbDumper")
    if needs_sync_types(plan):
        configure.append("")
        configure.append(f"{INDENT}from . import sync_types")
    configure.extend(["", f"{INDENT}conn.cursor_factory = psycopg.RawCursor"])
    if lookup:
        configure.extend(_lookup(plan, extensions))
    if needs_sync_types(plan):
        configure.append(f"{INDENT}sync_types.register_builtins(conn)")
    if plan.json_types:
        configure.append(f"{INDENT}conn.adapters.register_dumper(dict, JsonbDumper)")
    blocks = [head, _PROTOCOL.splitlines(), ADAPTERS.splitlines(), _JSONB.strip().splitlines()]
    if plan.uses_records:
        blocks.append(_ROWS.splitlines())
    if _uses_untyped(plan):
        blocks.append(_UNTYPED.strip().splitlines())
    if lookup:
        blocks.append(_lookup_sql(own_types))
    if plan.enums:
        blocks.append(
            [
                "# Each enum of the schema and its StrEnum, registered on every connection.",
                *fit(
                    "",
                    "_ENUMS: dict[tuple[str, str], type[StrEnum]] = {",
                    [f'("{e.db_schema}", "{e.db_name}"): {e.class_name}' for e in plan.enums],
                    "}",
                ),
            ]
        )
        blocks.append(_ENUM_LOADERS.strip().splitlines())
    if plan.composites:
        blocks.append(
            [
                "# The composites the queries read, registered on every connection.",
                *fit(
                    "",
                    "_COMPOSITES: tuple[tuple[str, str], ...] = (",
                    [f'("{schema}", "{name}")' for schema, name in plan.composites],
                    ")" if len(plan.composites) > 1 else ",)",
                ),
            ]
        )
    if own_types:
        blocks.append(_own_types(own_types))
    if extensions:
        names = ", ".join(f'"{name}"' for name in extensions)
        trail = "," if len(extensions) == 1 else ""
        blocks.append(
            [
                "# The extension types the queries use, registered where the database has them.",
                f"_EXTENSIONS: tuple[str, ...] = ({names}{trail})",
            ]
        )
    return file_text(join_blocks([*blocks, configure]))


def _lookup(plan: PackagePlan, extensions: tuple[str, ...]) -> list[str]:
    """configure_sync_connection's one round trip: every enum, composite and extension type."""
    named = [
        n
        for n, used in (
            ("*_ENUMS", plan.enums),
            ("*_COMPOSITES", plan.composites),
            ("*_OWN_TYPES", plan.ranges or plan.domain_arrays),
        )
        if used
    ]
    wanted = "list(_EXTENSIONS)" if extensions else "[]"
    out = [
        f"{INDENT}# one round trip for all of them, as a pool opens connections often; a type",
        f"{INDENT}# not there yet (an unmigrated database) has no column to read either",
        f"{INDENT}named: list[tuple[str, str]] = [{', '.join(named)}]",
        f"{INDENT}wanted: tuple[list[str], ...] = (",
        f"{INDENT * 2}[s for s, _ in named],",
        f"{INDENT * 2}[n for _, n in named],",
        f"{INDENT * 2}{wanted},",
        f"{INDENT})",
        f"{INDENT}# in autocommit, so that a pool finds the connection as idle as it gave it",
        f"{INDENT}autocommit = conn.autocommit",
        f"{INDENT}if conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:",
        f"{INDENT * 2}conn.autocommit = True",
        f"{INDENT}try:",
        f"{INDENT * 2}# tuples, whatever row factory the connection has",
        f"{INDENT * 2}with conn.cursor(row_factory=psycopg.rows.tuple_row) as cursor:",
        f"{INDENT * 3}found = cursor.execute(_TYPES, wanted).fetchall()",
        f"{INDENT}finally:",
        f"{INDENT * 2}if conn.autocommit != autocommit:",
        f"{INDENT * 3}conn.autocommit = autocommit",
        f"{INDENT}for row in found:",
    ]
    columns = ["schema", "name", "oid", "array_oid", "kind", "labels", "fields", "field_types"]
    others = bool(plan.composites or plan.ranges or plan.domain_arrays or extensions)
    if not others:
        columns = [
            c if c in ("schema", "name", "oid", "array_oid", "labels") else "_" for c in columns
        ]
    elif not plan.enums:
        columns = ["_" if c in ("schema", "labels") else c for c in columns]
    out.append(f"{INDENT * 2}{', '.join(columns)} = row")
    enum = [
        "members = _ENUMS[schema, name]",
        "# by label: psycopg would otherwise match member names to labels",
        "info = EnumInfo(name, oid, array_oid, labels)",
        "register_enum(info, conn, members, mapping={m: m.value for m in members})",
        "for loader in _enum_loaders(members, conn.info.encoding):",
        f"{INDENT}conn.adapters.register_loader(oid, loader)",
        "for dumper in _enum_dumpers(members, oid, conn.info.encoding):",
        f"{INDENT}conn.adapters.register_dumper(members, dumper)",
        "_ENUM_OIDS.setdefault(conn, {})[members] = oid  # for SyncRows",
    ]
    other = ["sync_types.register_found(conn, kind, name, oid, array_oid, fields, field_types)"]
    if plan.enums and others:
        out.append(f'{INDENT * 2}if kind == "e":')
        out.extend(f"{INDENT * 3}{line}" for line in enum)
        out.append(f"{INDENT * 2}else:")
        out.extend(f"{INDENT * 3}{line}" for line in other)
    elif plan.enums:
        out.extend(f"{INDENT * 2}{line}" for line in enum)
    else:
        out.extend(f"{INDENT * 2}{line}" for line in other)
    return out
