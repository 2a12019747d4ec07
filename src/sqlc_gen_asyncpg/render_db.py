"""db.py (the executor protocol, argument checks, codecs) and the package's __init__.py."""

from __future__ import annotations

from .layout import INDENT, file_text, fit, header, join_blocks, quote, render_imports
from .pgtypes import Import
from .plan import PackagePlan

_FETCHES = """    async def fetch(
        self,
        query: str,
        *args: object,
        timeout: float | None = ...,
    ) -> list[_asyncpg.Record]: ...

    async def fetchrow(
        self,
        query: str,
        *args: object,
        timeout: float | None = ...,
    ) -> _asyncpg.Record | None: ...

    async def fetchmany(
        self,
        query: str,
        args: Iterable[Any],
        *,
        timeout: float | None = None,
    ) -> list[_asyncpg.Record]: ...
"""

# With record classes, each read also takes record_class= and returns rows of that class.
_FETCHES_WITH_RECORDS = """    @overload
    async def fetch(
        self,
        query: str,
        *args: object,
        timeout: float | None = ...,
    ) -> list[_asyncpg.Record]: ...

    @overload
    async def fetch(
        self,
        query: str,
        *args: object,
        timeout: float | None = ...,
        record_class: type[R],
    ) -> list[R]: ...

    @overload
    async def fetchrow(
        self,
        query: str,
        *args: object,
        timeout: float | None = ...,
    ) -> _asyncpg.Record | None: ...

    @overload
    async def fetchrow(
        self,
        query: str,
        *args: object,
        timeout: float | None = ...,
        record_class: type[R],
    ) -> R | None: ...

    @overload
    async def fetchmany(
        self,
        query: str,
        args: Iterable[Any],
        *,
        timeout: float | None = None,
    ) -> list[_asyncpg.Record]: ...

    @overload
    async def fetchmany(
        self,
        query: str,
        args: Iterable[Any],
        *,
        timeout: float | None = None,
        record_class: type[R],
    ) -> list[R]: ...
"""

_CURSOR = """    def cursor(
        self,
        query: str,
        *args: object,
        prefetch: int | None = ...,
    ) -> AsyncIterable[_asyncpg.Record]: ...
"""

_CURSOR_WITH_RECORDS = """    @overload
    def cursor(
        self,
        query: str,
        *args: object,
        prefetch: int | None = ...,
    ) -> AsyncIterable[_asyncpg.Record]: ...

    @overload
    def cursor(
        self,
        query: str,
        *args: object,
        prefetch: int | None = ...,
        record_class: type[R],
    ) -> AsyncIterable[R]: ...
"""

_COLUMN = '''if TYPE_CHECKING:

    class Column(Generic[T]):
        """A column of a record class, read-only and typed T (item `index`, through `convert`)."""

        def __init__(self, index: int, convert: Callable[[Any], T] | None = None) -> None: ...

        @overload
        def __get__(self, record: None, owner: object) -> "Column[T]": ...

        @overload
        def __get__(self, record: _asyncpg.Record, owner: object) -> T: ...

        def __get__(self, record: _asyncpg.Record | None, owner: object) -> "T | Column[T]": ...

else:

    class Column:
        """At run time a column is a property over the driver's own item lookup, in C."""

        def __class_getitem__(cls, annotation):
            return cls

        def __new__(cls, index, convert=None):
            get = _operator.itemgetter(index)
            return property(get if convert is None else lambda record: convert(get(record)))'''


_EXECUTOR = '''class Executor(Protocol):
    """What a Querier runs statements on: an asyncpg Connection, Pool or pooled connection."""

    async def execute(self, query: str, *args: object, timeout: float | None = ...) -> str: ...

    async def executemany(
        self,
        command: str,
        args: Iterable[Sequence[object]],
        *,
        timeout: float | None = ...,
    ) -> None: ...

{fetches}
    async def copy_records_to_table(
        self,
        table_name: str,
        *,
        records: Iterable[Sequence[object]],
        columns: Sequence[str] | None = ...,
        schema_name: str | None = ...,
        timeout: float | None = ...,
    ) -> str: ...


@runtime_checkable
class CursorExecutor(Protocol):
    """An executor that can stream: one connection that knows whether it is in a transaction.

    asyncpg's Connection and pooled connections qualify, and so does any executor with these
    two methods; a Pool does not, as its statements may each run on another connection.
    """

    def is_in_transaction(self) -> bool: ...

{cursor}

class TransactionRequiredError(RuntimeError):
    """A streaming method was called outside a transaction (server-side cursors need one)."""

    def __init__(self, method: str, executor: object, *, sync: bool = False) -> None:
        usage = (
            "with pool.connection() as conn, conn.transaction(): ..."  # psycopg_pool's
            if sync
            else "async with pool.acquire() as conn, conn.transaction(): ..."
        )
        given = getattr(executor, "wrapped", executor)  # what a sync adapter was made of
        super().__init__(
            f"{method} reads through a server-side cursor, which needs one connection inside a"
            f" transaction; got a {type(given).__name__} outside one. Use: {usage}"
        )'''


def render_db(plan: PackagePlan) -> str:
    imports = {
        Import("collections.abc", "AsyncIterable"),
        Import("collections.abc", "Iterable"),
        Import("collections.abc", "Sequence"),
        Import("typing", "Any"),
        Import("typing", "Protocol"),
        Import("typing", "runtime_checkable"),
        Import("asyncpg"),
    }
    if plan.json_types:
        imports.add(Import("json"))
    if plan.enums:
        imports.add(Import("collections.abc", "Callable"))
        imports.add(Import("collections.abc", "Mapping"))
    for enum in plan.enums:
        imports.add(Import(".models", enum.class_name))
    imports.update({Import("pydantic"), Import("typing", "Generic"), Import("typing", "TypeVar")})
    imports.update({Import("collections.abc", "Callable"), Import("typing", "cast")})
    # what Arguments needs to call an override's validators directly (_direct_check)
    imports.update(
        {Import(m) for m in ("datetime", "decimal", "enum", "inspect", "typing", "uuid")}
    )
    if plan.uses_records:
        imports.update(
            {Import("operator"), Import("typing", "TYPE_CHECKING"), Import("typing", "overload")}
        )
    error_class: list[str] = _INVALID_ARGUMENTS.splitlines()
    if plan.invalid_arguments:
        imports.add(plan.invalid_arguments)
        error_class = [f"InvalidArgumentsError = {plan.invalid_arguments.name}"]
    head = [
        *header(plan, "the schema and the plugin"),
        '"""The executor protocol and the connection setup shared by the generated queriers."""',
        "",
        *render_imports(imports, plan.first_party),
    ]
    init = [
        "async def init_connection(conn: _asyncpg.Connection) -> None:",
        f'{INDENT}"""Install the codecs the generated code relies on.',
        "",
        f"{INDENT}Call it on every connection, e.g. as asyncpg.create_pool(init=init_connection):",
        f"{INDENT}json values decode to Python objects and enums to their StrEnum members.",
        f'{INDENT}"""',
    ]
    if plan.json_types or plan.enums:
        init.append(f"{INDENT}# binary codecs: COPY (copy_records_to_table) has no text path")
    for json_type in plan.json_types:
        suffix = "jsonb" if json_type == "jsonb" else "json"
        init.extend(
            fit(
                INDENT,
                "await conn.set_type_codec(",
                [
                    quote(json_type),
                    'schema="pg_catalog"',
                    f"encoder=_encode_{suffix}",
                    f"decoder=_decode_{suffix}",
                    'format="binary"',
                ],
                ")",
            )
        )
    for enum in plan.enums:
        init.extend(
            fit(
                INDENT,
                "await conn.set_type_codec(",
                [
                    quote(enum.db_name),
                    f"schema={quote(enum.db_schema)}",
                    "encoder=str.encode",  # a StrEnum member is its label
                    f"decoder=_label_decoder({enum.class_name}._value2member_map_, "
                    f"{quote(enum.class_name)})",
                    'format="binary"',
                ],
                ")",
            )
        )
    init.extend(_extension_codecs(plan.extension_types))
    if not plan.json_types and not plan.enums and not plan.extension_types:
        init.append(f"{INDENT}del conn  # no codecs needed for this schema")
    records = plan.uses_records
    executor = _EXECUTOR.replace("{fetches}", _FETCHES_WITH_RECORDS if records else _FETCHES)
    executor = executor.replace("{cursor}", _CURSOR_WITH_RECORDS if records else _CURSOR)
    blocks = [head]
    if records:
        blocks.append(['R = TypeVar("R", bound=_asyncpg.Record)'])
    blocks.extend([executor.splitlines(), error_class, _ARGUMENTS.splitlines()])
    if records:
        blocks.append(_COLUMN.splitlines())
    if plan.json_types:
        blocks.append(_JSON_CODECS.splitlines())
    if plan.enums:
        blocks.append(_ENUM_CODECS.splitlines())
    if plan.extension_types:
        blocks.append(_EXTENSION_SQL.splitlines())
    if {"vector", "halfvec"} & set(plan.extension_types):
        blocks.append(_VECTOR_CODECS.splitlines())
    blocks.append(init)
    return file_text(join_blocks(blocks))


def _extension_codecs(names: tuple[str, ...]) -> list[str]:
    """Codecs of extension types, each where the database has it: none where it has not."""
    if not names:
        return []
    wanted = ", ".join(quote(n) for n in names)
    out = [
        f"{INDENT}# extension types: in the schema the extension was created in, if it was",
        f"{INDENT}for name, schema in await conn.fetch(_EXTENSION_TYPES, [{wanted}]):",
    ]
    branches: dict[str, list[str]] = {}
    if "hstore" in names:
        branches["hstore"] = fit(
            INDENT * 3,
            "await conn.set_builtin_type_codec(",
            ['"hstore"', "schema=schema", 'codec_name="pg_contrib.hstore"'],
            ")",
        )
    for vector in ("halfvec", "vector"):  # halfvec's text is vector's, at half precision
        if vector in names:
            branches[vector] = fit(
                INDENT * 3,
                "await conn.set_type_codec(",
                [
                    quote(vector),
                    "schema=schema",
                    "encoder=_encode_vector",
                    "decoder=_decode_vector",
                ],
                ")",
            )
    for index, name in enumerate(names):
        branch = branches[name]
        keyword = "if" if index == 0 else "elif"
        out.append(f"{INDENT * 2}{keyword} name == {quote(name)}:")
        out.extend(branch)
    return out


_EXTENSION_SQL = """_EXTENSION_TYPES = (
    "SELECT t.typname, n.nspname FROM pg_catalog.pg_type t"
    " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
    " WHERE t.typname = ANY($1::text[]) AND t.typtype = 'b'"
)"""

_VECTOR_CODECS = """def _encode_vector(value: Sequence[float]) -> str:
    return "[" + ",".join(repr(float(v)) for v in value) + "]"


def _decode_vector(data: str) -> list[float]:
    return [float(v) for v in data.strip("[]").split(",") if v]"""

_INVALID_ARGUMENTS = '''class InvalidArgumentsError(ValueError):
    """Arguments a query refused before any SQL ran: `query` names it, `errors` say why."""

    def __init__(self, message: str, *, query: str, errors: list[Any]) -> None:
        super().__init__(message)
        self.query = query
        self.errors = errors'''

_ARGUMENTS = '''T = TypeVar("T")

_ARGS_CONFIG = _pydantic.ConfigDict(arbitrary_types_allowed=True, defer_build=True)

# Classes whose exact instances pydantic passes through unchanged, so a validator over one of
# them sees the value as given (Decimal too, when finite; enums are classes of their own).
_PASSED_AS_IS: frozenset[type] = frozenset(
    {
        int,
        float,
        bool,
        str,
        bytes,
        _datetime.datetime,
        _datetime.date,
        _datetime.time,
        _datetime.timedelta,
        _uuid.UUID,
    }
)
_VALIDATORS = (_pydantic.AfterValidator, _pydantic.BeforeValidator, _pydantic.PlainValidator)


class _NotExactError(Exception):
    """A value the direct check cannot decide as pydantic would: the TypeAdapter decides."""


def _exact_base(base: type) -> Callable[[Any], Any] | None:
    """What pydantic does with base for a value of its exact class (it passes it), or None."""
    if base is _decimal.Decimal:

        def finite_decimal(value: Any) -> Any:
            if type(value) is _decimal.Decimal and value.is_finite():
                return value
            raise _NotExactError

        return finite_decimal
    if base in _PASSED_AS_IS or (isinstance(base, type) and issubclass(base, _enum.Enum)):

        def exact(value: Any) -> Any:
            if type(value) is base:
                return value
            raise _NotExactError

        return exact
    return None


def _takes_the_value_alone(func: Any) -> bool:
    """Whether pydantic calls func(value), without its ValidationInfo (pydantic's own rule)."""
    try:
        parameters = list(_inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return True  # a C callable: pydantic passes no info to it either
    positional = (_inspect.Parameter.POSITIONAL_ONLY, _inspect.Parameter.POSITIONAL_OR_KEYWORD)
    required = [
        p
        for i, p in enumerate(parameters)
        if p.kind in positional and (i == 0 or p.default is _inspect.Parameter.empty)
    ]
    return len(required) == 1


def _then(first: Callable[[Any], Any], second: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: second(first(value))


def _direct_check(annotation: Any) -> tuple[type | None, Callable[[Any], Any]] | None:
    """An override's validators called directly, as pydantic calls them, or None.

    For Annotated[base, *validators] where each is a pydantic After/Before/PlainValidator
    taking the value alone and base is a class pydantic passes as it is: (gate, check). With
    only AfterValidators, gate is base and check runs them on a value of exactly that class;
    otherwise gate is None and check does it all, raising _NotExactError where the base class
    would convert (the TypeAdapter does that). Built once, when the module is imported: the
    plugin cannot import the override's module, as sqlc runs it in its own process.
    """
    if _typing.get_origin(annotation) is not _typing.Annotated:
        return None
    base, *metadata = _typing.get_args(annotation)
    check = _exact_base(base)
    if check is None or not metadata:
        return None
    steps: list[tuple[type, Callable[[Any], Any]]] = []
    for item in metadata:
        func = getattr(item, "func", None)
        if type(item) not in _VALIDATORS or func is None or not _takes_the_value_alone(func):
            return None
        steps.append((type(item), func))
    # pydantic applies the metadata inside out: each item wraps the schema before it
    afters = [func for kind, func in steps if kind is _pydantic.AfterValidator]
    if len(afters) == len(steps) and base is not _decimal.Decimal:
        run = afters[0]
        for func in afters[1:]:
            run = _then(run, func)
        return base, run
    for kind, func in steps:
        if kind is _pydantic.AfterValidator:
            check = _then(check, func)
        elif kind is _pydantic.BeforeValidator:
            check = _then(func, check)
        else:
            check = func  # a PlainValidator replaces what came before it
    return None, check


class Arguments(Generic[T]):
    """One query's arguments, checked before any SQL runs: pydantic validates the types, then
    text PostgreSQL cannot store (NUL, lone surrogates) is refused; failures raise
    InvalidArgumentsError naming the query and the parameter.

    Values that each have their exact type (`exact` says so) skip pydantic, which would pass
    them unchanged; only the `overrides` (position, annotation) still run their validators,
    called directly where _direct_check can (else through a TypeAdapter). Anything else, and
    any failure, takes the full check, so every error reads the same.
    """

    def __init__(
        self,
        shape: type[T],
        query: str,
        names: tuple[str, ...],
        *,
        exact: Callable[[tuple[object, ...]], bool] | None = None,
        overrides: tuple[tuple[int, Any], ...] = (),
    ) -> None:
        self._adapter = _pydantic.TypeAdapter(shape, config=_ARGS_CONFIG)
        self._query = query
        self._names = names
        self._exact = exact
        checks: list[tuple[int, type | None, Callable[[Any], Any], Callable[[Any], Any]]] = []
        for index, annotation in overrides:
            adapter = _pydantic.TypeAdapter(annotation, config=_ARGS_CONFIG).validate_python
            gate, check = _direct_check(annotation) or (None, adapter)
            checks.append((index, gate, check, adapter))
        self._overrides = tuple(checks)

    def validate_python(self, values: tuple[object, ...]) -> T:
        if self._exact is not None and self._exact(values):
            if not self._overrides:
                return cast(T, values)
            fixed: list[object] | None = None  # a copy only if a validator changed a value
            try:
                for index, gate, check, adapter in self._overrides:
                    value = checked = values[index]
                    if type(value) is gate:
                        checked = check(value)
                    elif gate is not None:
                        # None is nullable here (exact allowed it), and base refuses it anyway
                        if value is not None:
                            checked = adapter(value)
                    else:
                        try:
                            checked = check(value)
                        except _NotExactError:
                            checked = adapter(value)
                    if checked is not value:
                        if fixed is None:
                            fixed = list(values)
                        fixed[index] = checked
            except (ValueError, AssertionError):  # what pydantic reports; the full check does
                pass
            else:
                return cast(T, values if fixed is None else tuple(fixed))
        try:
            checked = self._adapter.validate_python(values)
        except _pydantic.ValidationError as error:
            errors: list[Any] = error.errors(include_url=False, include_input=False)
            reasons = "; ".join(f"{self._where(e['loc'])}: {e['msg']}" for e in errors)
            raise InvalidArgumentsError(
                f"{self._query}: {reasons}", query=self._query, errors=errors
            ) from None
        for index, value in enumerate(values):
            reason = _unstorable_text(value)
            if reason:
                raise InvalidArgumentsError(
                    f"{self._query}: {self._names[index]}: {reason}",
                    query=self._query,
                    errors=[{"loc": (index,), "msg": reason, "type": "unstorable_text"}],
                )
        return checked

    def _where(self, loc: tuple[int | str, ...]) -> str:
        if loc and isinstance(loc[0], int) and loc[0] < len(self._names):
            return ".".join([self._names[loc[0]], *map(str, loc[1:])])
        return ".".join(map(str, loc)) or "arguments"


class ParamsModel(_pydantic.BaseModel):
    """Base of the params models: text PostgreSQL cannot store is refused when one is built."""

    @_pydantic.field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: object) -> object:
        reason = _unstorable_text(value)
        if reason:
            raise ValueError(reason)
        return value


def _unstorable_text(value: object) -> str | None:
    """Why PostgreSQL cannot store the text in value (also inside lists and JSON), or None."""
    if isinstance(value, str):
        if "\\x00" in value:
            return "text cannot contain NUL (0x00) characters"
        if not value.isascii():
            try:
                value.encode()
            except UnicodeEncodeError:
                return "text is not valid Unicode (it holds a lone surrogate)"
    elif isinstance(value, list | tuple):
        for item in value:
            reason = _unstorable_text(item)
            if reason:
                return reason
    elif isinstance(value, dict):
        for key, item in value.items():
            reason = _unstorable_text(key) or _unstorable_text(item)
            if reason:
                return reason
    return None'''


_JSON_CODECS = """def _encode_json(value: object) -> bytes:
    return _json.dumps(value).encode()


def _decode_json(data: bytes) -> object:
    return _json.loads(data)


def _encode_jsonb(value: object) -> bytes:
    return b"\\x01" + _json.dumps(value).encode()  # jsonb's binary format: version 1, then text


def _decode_jsonb(data: bytes) -> object:
    return _json.loads(data[1:])"""

_ENUM_CODECS = '''class UnknownLabelError(ValueError):
    """A value of an enum read from the database that its StrEnum has no member for: the
    schema gained a label after the code was generated (regenerate it)."""

    def __init__(self, enum: str, label: bytes) -> None:
        self.enum = enum
        self.label = bytes(label).decode(errors="replace")
        super().__init__(
            f"enum {enum} has no member {self.label!r}: the database has a label added"
            " after the code was generated (regenerate it)"
        )


class _Labels(dict[bytes, object]):
    """An enum's labels (bytes) to its members; __missing__ runs only for a label not known."""

    def __init__(self, members: Mapping[str, object], enum: str, encoding: str = "utf-8"):
        super().__init__((label.encode(encoding), member) for label, member in members.items())
        self.enum = enum

    def __missing__(self, label: bytes) -> object:
        raise UnknownLabelError(self.enum, label)


def _label_decoder(members: Mapping[str, object], enum: str) -> Callable[[bytes], object]:
    """An enum's binary format is its label: a dict's own lookup turns it into the member
    without a Python frame per value."""
    return _Labels(members, enum).__getitem__'''


def render_init(plan: PackagePlan) -> str:
    name = plan.package or "the generated package"
    lines = [
        *header(plan, "the schema and the queries"),
        f'"""Typed queries over asyncpg, generated by sqlc: {name}."""',
        "",
        "from .db import (",
        f"{INDENT}CursorExecutor,",
        f"{INDENT}Executor,",
        f"{INDENT}InvalidArgumentsError,",
        f"{INDENT}TransactionRequiredError,",
        *([f"{INDENT}UnknownLabelError,"] if plan.enums else []),
        f"{INDENT}init_connection,",
        ")",
    ]
    names = ["CursorExecutor", "Executor", "InvalidArgumentsError", "TransactionRequiredError"]
    if plan.enums:
        names.append("UnknownLabelError")
    # isort order in __all__ (ruff RUF022): capitals first, then the functions
    if plan.emit_sync:
        lines.extend(
            [
                "from .sync_db import (",
                f"{INDENT}SyncCursorExecutor,",
                f"{INDENT}SyncExecutor,",
                f"{INDENT}configure_sync_connection,",
                ")",
            ]
        )
        names += ["SyncCursorExecutor", "SyncExecutor", "configure_sync_connection"]
    names.append("init_connection")
    names.sort(key=lambda name: (not name[0].isupper(), name))
    lines.extend(["", "__all__ = [", *(f'{INDENT}"{name}",' for name in names), "]"])
    return file_text(lines)
