"""One querier module per query file: SQL constants, validators, row models, decoders, Querier."""

from __future__ import annotations

from .layout import (
    INDENT,
    WIDTH,
    docstring,
    file_text,
    fit,
    fit_item,
    header,
    join_blocks,
    python_sql,
    quote,
    render_imports,
)
from .names import upper_snake
from .pgtypes import Import
from .plan import (
    AdapterPlan,
    ColumnRead,
    DecoderPlan,
    ModulePlan,
    PackagePlan,
    QueryPlan,
    Read,
    RecordPlan,
)
from .render_models import model_class


def labels_constant(enum: str) -> str:
    """The module constant mapping the labels of `enum` (read as text) to its members."""
    return f"_LABELS_{upper_snake(enum)}"


def read_expression(read: Read, record: str, *, text: bool = False) -> str:
    """The expression reading one value (a column or an embedded model) from `record`;
    `text`: its enums come as their labels, mapped to the members here."""
    if isinstance(read, ColumnRead):
        if read.void:
            return "None"
        value = f"{record}[{read.index}]"
        if text and read.enum is not None:
            return f"{labels_constant(read.enum)}[{value}]"
        return f"{read.adapter}.validate_python({value})" if read.adapter else value
    call = f"{read.decoder}({record})"
    if not read.none_when_null:
        return call
    test = " and ".join(f"{record}[{index}] is None" for index in read.none_when_null)
    return f"None if {test} else {call}"


def _adapter(adapter: AdapterPlan) -> list[str]:
    if adapter.query:
        return _arguments(adapter)
    line = f"{adapter.constant} = _pydantic.TypeAdapter({adapter.annotation})"
    if len(line) <= WIDTH:
        return [line]
    return [f"{adapter.constant} = _pydantic.TypeAdapter(", f"{INDENT}{adapter.annotation},", ")"]


def _arguments(adapter: AdapterPlan) -> list[str]:
    names = [quote(name) for name in adapter.names]
    names_item = f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"
    shape: str | list[str] = adapter.annotation
    if len(INDENT + adapter.annotation) + 1 > WIDTH and adapter.annotation.startswith("tuple["):
        inner = _split_top(adapter.annotation[len("tuple[") : -1])
        shape = ["tuple[", *(f"{INDENT}{t}," for t in inner), "]"]
    names_lines: str | list[str] = names_item
    if len(INDENT + names_item) + 1 > WIDTH:
        names_lines = fit_item("(", names, ")", room=WIDTH - len(INDENT) - 1)
    items: list[str | list[str]] = [shape, quote(adapter.query), names_lines]
    if adapter.exact_function:
        items.append(f"exact={adapter.exact_function}")
    overrides = [
        f"({index}, {check.override})"
        for index, check in enumerate(adapter.exact)
        if check.override is not None
    ]
    if len(overrides) == 1:
        items.append(f"overrides=({overrides[0]},)")
    elif overrides:
        items.append(fit_item("overrides=(", overrides, ")", room=WIDTH - len(INDENT) - 1))
    return fit("", f"{adapter.constant} = Arguments(", items, ")")


def _exact_function(adapter: AdapterPlan) -> list[str]:
    """A test that every argument has its exact type, so pydantic would pass them unchanged."""
    tests = [f"len(v) == {len(adapter.exact)}"]
    for index, check in enumerate(adapter.exact):
        value = f"v[{index}]"
        test = f"type({value}) is {check.python_class}"
        if check.finite:
            test = f"({test} and {value}.is_finite())"
        elif check.text:
            test = f'({test} and {value}.isascii() and "\\x00" not in {value})'
        if check.nullable:
            test = f"({value} is None or {test})"
        tests.append(test)
    body = INDENT * 2
    head = [
        f"def {adapter.exact_function}(v: tuple[Any, ...]) -> bool:",
        f'{INDENT}"""Whether each argument of {adapter.query} has its exact type."""',
    ]
    line = f"{INDENT}return {' and '.join(tests)}"
    if len(line) <= WIDTH:
        return [*head, line]
    if len(tests) == 2 and tests[1].startswith("("):
        # ruff keeps `a and (b)` whole and opens the parentheses of b instead
        inner = tests[1][1:-1]
        if len(body + inner) > WIDTH and " or " in inner:
            nullable, _, rest = inner.partition(" or ")
            inner_lines = [f"{body}{nullable}", f"{body}or {rest}"]
        else:
            inner_lines = [f"{body}{inner}"]
        return [*head, f"{INDENT}return {tests[0]} and (", *inner_lines, f"{INDENT})"]
    return [
        *head,
        f"{INDENT}return (",
        f"{body}{tests[0]}",
        *(f"{body}and {test}" for test in tests[1:]),
        f"{INDENT})",
    ]


def _split_top(text: str) -> list[str]:
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def _field_items(decoder: DecoderPlan, *, text: bool = False) -> list[str]:
    """`"field": value` of each field the decoder fills, read from record `r`."""
    return [
        f"{quote(name)}: {read_expression(read, 'r', text=text)}" for name, read in decoder.reads
    ]


def _fill(indent: str, decoder: DecoderPlan, row: str, fields: str) -> list[str]:
    """Statements filling the model `row` from record `r`: its __dict__ and pydantic's slots."""
    return [
        *fit(indent, "values = {", _field_items(decoder), "}"),
        f'{indent}_setattr({row}, "__dict__", values)',
        f"{indent}_set_fields_set({row}, {fields})",
        f"{indent}_set_extra({row}, None)",
        f"{indent}_set_private({row}, None)",
    ]


def _decoder(decoder: DecoderPlan, row: str) -> list[str]:
    out = fit("", f"def {decoder.function}(", [f"r: {row}"], f") -> {decoder.model}:")
    out.append(f"{INDENT}row = {decoder.model}.__new__({decoder.model})")
    out.extend(_fill(INDENT, decoder, "row", decoder.fields_constant))
    out.append(f"{INDENT}return row")
    return out


def text_rows_function(decoder: DecoderPlan) -> str:
    """The sync flavour's list decoder of rows whose enums came as their labels."""
    assert decoder.rows_function is not None
    return f"{decoder.rows_function}_from_text"


def rows_decoder(decoder: DecoderPlan, rows: str, *, text: bool = False) -> list[str]:
    """The decoder of a list of records; `text`: one whose enums come as their labels.

    The values of every row first, in one comprehension; then the models, each step over all
    of them through map() in C: a loop doing every step of a row measured slower.
    """
    model, body = decoder.model, INDENT * 2
    function = text_rows_function(decoder) if text else decoder.rows_function
    signature = f"def {function}("
    return [
        *fit("", signature, [f"records: {rows}"], f") -> list[{model}]:"),
        f"{INDENT}collecting = _gc.isenabled()",
        f"{INDENT}_gc.disable()  # nothing here awaits; the collector would only rescan the rows",
        f"{INDENT}try:",
        *_values(body, decoder, text=text),
        f"{body}model = {model}",
        f"{body}rows = list(map(model.__new__, _repeat(model, len(values))))",
        f'{body}_consume(map(_setattr, rows, _repeat("__dict__"), values))',
        f"{body}_consume(map(_set_fields_set, rows, _repeat({decoder.fields_constant})))",
        f"{body}_consume(map(_set_extra, rows, _repeat(None)))",
        f"{body}_consume(map(_set_private, rows, _repeat(None)))",
        f"{body}return rows",
        f"{INDENT}finally:",
        f"{body}if collecting:",
        f"{body}{INDENT}_gc.enable()",
    ]


def _values(indent: str, decoder: DecoderPlan, *, text: bool) -> list[str]:
    """`values = [...]`: each record's field values as a dict, laid out as ruff lays it out."""
    items = _field_items(decoder, text=text)
    one = "{" + ", ".join(items) + "}"
    line = f"{indent}values = [{one} for r in records]"
    if len(line) <= WIDTH:
        return [line]
    inner = indent + INDENT
    if len(f"{inner}{one} for r in records") <= WIDTH:
        return [f"{indent}values = [", f"{inner}{one} for r in records", f"{indent}]"]
    dict_lines = (
        [f"{inner}{one}"]
        if len(f"{inner}{one}") <= WIDTH
        else [f"{inner}{{", *(f"{inner}{INDENT}{item}," for item in items), f"{inner}}}"]
    )
    return [f"{indent}values = [", *dict_lines, f"{inner}for r in records", f"{indent}]"]


def _fields_constant(decoder: DecoderPlan) -> list[str]:
    names = [quote(name) for name, _ in decoder.reads]
    return fit("", f"{decoder.fields_constant} = {{", names, "}")


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
    return fit(INDENT, f"async def {name}(", args, f") -> {returns}:")


def call_args(plan: QueryPlan, constant: str) -> list[str | list[str]]:
    if plan.params_model:
        return [constant, *(f"params.{p.name}" for p in plan.params)]
    if plan.params:
        names = ", ".join(p.name for p in plan.params)
        packed = f"({names},)" if len(plan.params) == 1 else f"({names})"
        return [constant, f"*{plan.args_adapter}.validate_python({packed})"]
    return [constant]


def _await_call(indent: str, head: str, method: str, items: list[str | list[str]]) -> list[str]:
    return fit(indent, f"{head}await self._conn.{method}(", items, ")")


def param_sets(plan: QueryPlan, indent: str, target: str) -> list[str]:
    values = ", ".join(f"item.{p.name}" for p in plan.params)
    converted = f"({values},)" if len(plan.params) == 1 else f"({values})"
    if len(f"{indent}{INDENT}{converted}") > WIDTH:
        return [
            f"{indent}{target} = [",
            f"{indent}{INDENT}(",
            *(f"{indent}{INDENT * 2}item.{p.name}," for p in plan.params),
            f"{indent}{INDENT})",
            f"{indent}{INDENT}if isinstance(item, {plan.params_model})",
            f"{indent}{INDENT}else {plan.args_adapter}.validate_python(item)",
            f"{indent}{INDENT}for item in params",
            f"{indent}]",
        ]
    expression = (
        f"{converted} if isinstance(item, {plan.params_model}) "
        f"else {plan.args_adapter}.validate_python(item)"
    )
    line = f"{indent}{target} = [{expression} for item in params]"
    if len(line) <= WIDTH:
        return [line]
    if len(f"{indent}{INDENT}{expression}") <= WIDTH:
        return [
            f"{indent}{target} = [",
            f"{indent}{INDENT}{expression}",
            f"{indent}{INDENT}for item in params",
            f"{indent}]",
        ]
    return [
        f"{indent}{target} = [",
        f"{indent}{INDENT}{converted}",
        f"{indent}{INDENT}if isinstance(item, {plan.params_model})",
        f"{indent}{INDENT}else {plan.args_adapter}.validate_python(item)",
        f"{indent}{INDENT}for item in params",
        f"{indent}]",
    ]


def _method(plan: QueryPlan) -> list[str]:
    sfx = plan.local[len("record") :]
    record, records, status = f"record{sfx}", f"records{sfx}", f"status{sfx}"
    sets, results = f"sets{sfx}", f"results{sfx}"
    body_indent = INDENT * 2
    read = read_expression(plan.read, record) if plan.read else ""
    cmd, driver = plan.cmd, plan.driver_method
    out = _signature(plan, plan.method, plan.returns, prefetch=False)
    out.extend(docstring(body_indent, plan.docstring))
    call = [*call_args(plan, plan.constant), *_record_class(plan)]
    if plan.record_class and cmd in (":one", ":many"):
        # the driver builds the rows as the record class: they are the result as they are
        out.extend(_await_call(body_indent, "return ", driver, call))
    elif cmd == ":one":
        out.extend(_await_call(body_indent, f"{record} = ", driver, call))
        out.append(f"{body_indent}return None if {record} is None else {read}")
    elif cmd == ":many":
        out.extend(_await_call(body_indent, f"{records} = ", driver, call))
        if plan.rows_decoder:
            out.append(f"{body_indent}return {plan.rows_decoder}({records})")
        else:
            out.append(f"{body_indent}return [{read} for {record} in {records}]")
    elif cmd == ":exec":
        out.extend(_await_call(body_indent, "", driver, call))
    elif cmd == ":execrows":
        out.extend(_await_call(body_indent, f"{status} = ", driver, call))
        out.append(f'{body_indent}return int({status}.rpartition(" ")[2])')
    elif cmd == ":execresult":
        out.extend(_await_call(body_indent, "return ", driver, call))
    elif cmd == ":copyfrom":
        out.extend(param_sets(plan, body_indent, records))
        out.extend(_await_call(body_indent, f"{status} = ", driver, copy_items(plan, records)))
        out.append(f'{body_indent}return int({status}.rpartition(" ")[2])')
    elif cmd == ":batchexec":
        out.extend(param_sets(plan, body_indent, sets))
        out.extend(_await_call(body_indent, "", driver, [plan.constant, sets]))
    else:
        out.extend(param_sets(plan, body_indent, sets))
        indexed = f"[(*values, index) for index, values in enumerate({sets})]"
        batch = [plan.batch_constant or "", indexed, *_record_class(plan)]
        out.extend(_await_call(body_indent, f"{records} = ", driver, batch))
        if plan.record_class:
            loop = [f"{body_indent}for {record} in {records}:"]
            read = record
        elif plan.rows_decoder:
            row = f"row{sfx}"
            loop = fit(
                body_indent,
                f"for {record}, {row} in zip(",
                [records, f"{plan.rows_decoder}({records})", "strict=True"],
                "):",
            )
            read = row
        else:
            loop = [f"{body_indent}for {record} in {records}:"]
        if cmd == ":batchone":
            out.append(f"{body_indent}{results}: list[{plan.result} | None] = [None] * len({sets})")
            out.extend(loop)
            out.append(f"{body_indent}{INDENT}{results}[{record}[{plan.width}]] = {read}")
        else:
            out.append(f"{body_indent}{results}: list[list[{plan.result}]] = [[] for _ in {sets}]")
            out.extend(loop)
            out.append(f"{body_indent}{INDENT}{results}[{record}[{plan.width}]].append({read})")
        out.append(f"{body_indent}return {results}")
    return out


def copy_items(plan: QueryPlan, records: str) -> list[str | list[str]]:
    """The arguments of copy_records_to_table for the parameter sets in `records`."""
    columns = fit_item("columns=[", [quote(c) for c in plan.copy_columns], "]", room=WIDTH - 13)
    items: list[str | list[str]] = [quote(plan.copy_table or ""), f"records={records}", columns]
    if plan.copy_schema:
        items.append(f"schema_name={quote(plan.copy_schema)}")
    return items


def _record_class(plan: QueryPlan) -> list[str | list[str]]:
    return [f"record_class={plan.record_class}"] if plan.record_class else []


def _record(record: RecordPlan) -> list[str]:
    model = record.model
    out = [
        f"class {record.class_name}(_asyncpg.Record):",
        *docstring(
            INDENT,
            [f"One row as the driver builds it (in C); to_model() gives the pydantic {model}."],
        ),
        "",
    ]
    for column in record.columns:
        args = str(column.index)
        if column.adapter:
            args += f", {column.adapter}.validate_python"
        line = f"{INDENT}{column.name} = Column[{column.annotation}]({args})"
        if len(line) <= WIDTH:
            out.append(line)
            continue
        first, *rest = column.annotation.split(" | ")
        out.extend(
            [
                f"{INDENT}{column.name} = Column[",
                f"{INDENT * 2}{first}",
                *(f"{INDENT * 2}| {part}" for part in rest),
                f"{INDENT}]({args})",
            ]
        )
    out.extend(
        [
            "",
            f"{INDENT}def to_model(self) -> {record.model}:",
            *docstring(INDENT * 2, [f"The row as the pydantic model {record.model}."]),
            f"{INDENT * 2}return {record.decoder}(self)",
        ]
    )
    return out


def _iter_method(plan: QueryPlan) -> list[str]:
    assert plan.iter_method is not None
    assert plan.iter_returns is not None
    sfx = plan.local[len("record") :]
    record = f"record{sfx}"
    body = INDENT * 2
    out = _signature(plan, plan.iter_method, plan.iter_returns, prefetch=True)
    out.extend(
        docstring(
            body,
            [f"Stream {plan.method} through a server-side cursor; needs a transaction."],
        )
    )
    out.append(
        f"{body}if not isinstance(self._conn, CursorExecutor) "
        "or not self._conn.is_in_transaction():"
    )
    error = f"TransactionRequiredError({quote(plan.iter_method)}, self._conn)"
    out.append(f"{body}{INDENT}raise {error}")
    call = [*call_args(plan, plan.constant), "prefetch=prefetch", *_record_class(plan)]
    out.extend(fit(body, f"async for {record} in self._conn.cursor(", call, "):"))
    out.append(f"{body}{INDENT}yield {read_expression(plan.read, record) if plan.read else record}")
    return out


def render_module(
    plan: PackagePlan,
    module: ModulePlan,
    sync: tuple[set[Import], list[str]] | None = None,
) -> str:
    """The module's text; `sync` adds the sync flavour's imports and its SyncQuerier."""
    imports = set(module.imports)
    imports.add(Import(".db", "Executor"))
    if sync is not None:
        imports.update(sync[0])
    imports = {i for i in imports if not (i.module == ".models" and not i.name)}
    head = [
        *header(plan, module.source),
        f'"""Queries from {module.source}."""',
        "",
        *render_imports(imports, plan.first_party),
    ]
    constants: list[list[str]] = []
    for query in module.queries:
        constants.append([f'{query.constant} = """{python_sql(query.sql)}"""'])
        if query.batch_constant and query.batch_sql:
            constants.append([f'{query.batch_constant} = """{python_sql(query.batch_sql)}"""'])
    support: list[str] = []
    for query in module.queries:
        if query.values_alias:
            annotations = [p.annotation for p in query.params]
            line = f"{query.values_alias} = tuple[{', '.join(annotations)}]"
            if len(line) <= WIDTH:
                support.append(line)
            else:
                trailing = "," if len(annotations) > 1 else ""
                support.extend(
                    [
                        f"{query.values_alias} = tuple[",
                        *(f"{INDENT}{a}," for a in annotations[:-1]),
                        f"{INDENT}{annotations[-1]}{trailing}",
                        "]",
                    ]
                )
    exact_functions: list[list[str]] = []
    for adapter in module.adapters:
        if adapter.exact_function:
            exact_functions.append(_exact_function(adapter))
    for adapter in module.adapters:
        support.extend(_adapter(adapter))
    decoders: list[list[str]] = []
    if module.decoders:
        preface = [
            "# Rows arrive typed by PostgreSQL, so decoders fill pydantic's own slots without",
            "# validation (model_construct without its checks). The *_FIELDS sets are shared:",
            "# pydantic only adds to them, and they already hold every field.",
            "_setattr = object.__setattr__",
            '_set_fields_set = vars(_pydantic.BaseModel)["__pydantic_fields_set__"].__set__',
            '_set_extra = vars(_pydantic.BaseModel)["__pydantic_extra__"].__set__',
            '_set_private = vars(_pydantic.BaseModel)["__pydantic_private__"].__set__',
        ]
        if any(decoder.rows_function for decoder in module.decoders):
            preface.extend(
                [
                    "_repeat = _itertools.repeat",
                    "",
                    "",
                    'def _consume(steps: "map[object]") -> None:',
                    f'{INDENT}"""Run a list decoder\'s step over all its rows, in C."""',
                    f"{INDENT}_collections.deque(steps, maxlen=0)",
                    "",
                    "",
                ]
            )
        written: set[str] = set()
        for decoder in module.decoders:
            if decoder.fields_constant not in written:
                written.add(decoder.fields_constant)
                preface.extend(_fields_constant(decoder))
        decoders.append(preface)
        # the sync flavour's rows are psycopg's tuples, read by the same decoders
        row = "_asyncpg.Record | tuple[Any, ...]" if plan.emit_sync else "_asyncpg.Record"
        rows = f"list[{row.replace(' | ', '] | list[')}]"
        for decoder in module.decoders:
            decoders.append(_decoder(decoder, row))
            if decoder.rows_function:
                decoders.append(rows_decoder(decoder, rows))
    records = [_record(r) for r in module.records]
    querier = [
        "class Querier:",
        f'{INDENT}"""The queries of {module.source}, run on a connection, pool or transaction."""',
        "",
        f"{INDENT}def __init__(self, conn: Executor) -> None:",
        f"{INDENT * 2}self._conn = conn",
    ]
    for query in module.queries:
        querier.append("")
        querier.extend(_method(query))
        if query.iter_method:
            querier.append("")
            querier.extend(_iter_method(query))
    blocks = [head, *constants, *exact_functions]
    if support:
        blocks.append(support)
    blocks.extend(model_class(m) for m in module.models)
    blocks.extend(decoders)
    blocks.extend(records)
    blocks.append(querier)
    if sync is not None:
        blocks.append(sync[1])
    return file_text(join_blocks(blocks))
