"""The plan: plain data saying the Python shape of every model and query.

The planner (planner.py and the modules it calls) decides it; render.py only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from .pgtypes import Import


@dataclass(frozen=True)
class EnumPlan:
    class_name: str
    db_schema: str
    db_name: str
    members: tuple[tuple[str, str], ...]  # (member name, label)
    comment: str


@dataclass(frozen=True)
class FieldPlan:
    name: str
    annotation: str
    comment: str = ""
    alias: str = ""  # the column's name, when the field had to take another (`in_`)


@dataclass(frozen=True)
class ModelPlan:
    class_name: str
    fields: tuple[FieldPlan, ...]
    comment: str = ""
    arbitrary_types: bool = False
    base: str = "_pydantic.BaseModel"


@dataclass(frozen=True)
class ColumnRead:
    """The value of column `index` of a record, through the TypeAdapter `adapter` if set;
    None itself when `void` (psycopg reads a void as '', asyncpg as None). `enum`: the StrEnum
    of a plain enum column; `holds_enum`: enum values inside another shape (an array of them)."""

    index: int
    adapter: str | None = None
    void: bool = False
    enum: str | None = None
    holds_enum: bool = False


@dataclass(frozen=True)
class ModelRead:
    """A model built by the decoder `decoder` from a whole record.

    None instead when the columns in `none_when_null` are all null (an embed on the nullable
    side of an outer join); never None when it is empty.
    """

    decoder: str
    none_when_null: tuple[int, ...] = ()


Read = ColumnRead | ModelRead


def text_enums(reads: tuple[tuple[str, Read], ...]) -> tuple[str, ...]:
    """The enums a sync list of rows read this way may load as text, to map to their members
    itself: those of its plain enum columns. None when some value holds enums in another
    shape (an array, a composite, an embedded table's row), which psycopg's loaders of the
    enum build: they must stay the members' loaders."""
    enums: set[str] = set()
    for _, read in reads:
        if isinstance(read, ModelRead) or read.holds_enum:
            return ()
        if read.enum is not None:
            enums.add(read.enum)
    return tuple(sorted(enums))


@dataclass(frozen=True)
class DecoderPlan:
    """A function building `model` from a record without validation."""

    function: str
    model: str
    fields_constant: str
    reads: tuple[tuple[str, Read], ...]  # (field name, where its value comes from)
    annotations: tuple[str, ...]  # of each field, in the order of reads
    rows_function: str | None = None  # its loop over many records, when a query returns lists


@dataclass(frozen=True)
class RecordColumn:
    """One typed, read-only column of a record class: item `index`, through `adapter` if set."""

    name: str
    annotation: str
    index: int
    adapter: str | None = None
    enum: str | None = None  # the StrEnum of a plain enum column


@dataclass(frozen=True)
class RecordPlan:
    """A typed asyncpg.Record subclass the driver builds rows into; to_model() gives `model`
    through its decoder `decoder`. With emit_sync, `sync_class_name` is its sync counterpart: a
    typed tuple subclass of the same columns over psycopg's rows."""

    class_name: str
    model: str
    decoder: str
    columns: tuple[RecordColumn, ...]
    sync_class_name: str = ""
    text_enums: tuple[str, ...] = ()  # the sync rows read these enums as text (text_enums())


@dataclass(frozen=True)
class ExactCheck:
    """The arguments' fast path for one value: it passes as it is when its class is exactly
    `python_class` (or it is None, where nullable); anything else goes to pydantic."""

    python_class: str
    nullable: bool = False
    finite: bool = False  # Decimal: NaN and infinities go to pydantic, which refuses them
    text: bool = False  # str: only ASCII without NUL passes as it is; the rest is checked in full
    override: str | None = None  # an override type whose own validator still runs


@dataclass(frozen=True)
class AdapterPlan:
    """A module-level validator: a query's `Arguments` (when `query` is set) or the pydantic
    TypeAdapter converting an overridden column.

    `exact_function` tests whether every argument has its exact type (`exact`, one per
    argument), so pydantic can be skipped; None where some argument has no such test.
    """

    constant: str
    annotation: str
    query: str = ""
    names: tuple[str, ...] = ()
    exact_function: str | None = None
    exact: tuple[ExactCheck, ...] = ()


@dataclass(frozen=True)
class ParamPlan:
    name: str
    annotation: str
    number: int
    exact: ExactCheck | None = None
    sync_kind: str | None = None  # the sync flavour sends it untyped, as this type (SYNC_UNTYPED)
    arbitrary: bool = False  # a class pydantic checks by isinstance only (PyType.arbitrary)


@dataclass(frozen=True)
class QueryPlan:
    name: str
    cmd: str
    method: str
    constant: str
    sql: str  # as sqlc hands it over, behind its `-- name:` line
    docstring: tuple[str, ...]
    params: tuple[ParamPlan, ...]
    params_model: str | None  # the method takes one model (or sets of them) instead of keywords
    values_alias: str | None  # copyfrom and batches: the tuple form of one parameter set
    args_adapter: str | None
    result: str | None  # annotation of one result (a model or a scalar); None: no rows
    read: Read | None  # how one result is read from a record
    rows_decoder: str | None  # decodes a whole list of records, collector paused; or None
    record_class: str | None  # rows come back as this Record subclass, built by the driver
    returns: str  # annotation of what the method returns
    driver_method: str  # the executor method the query runs through
    iter_method: str | None
    iter_returns: str | None = None
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
    records: tuple[RecordPlan, ...] = ()


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
    invalid_arguments: Import | None = None  # the user's class InvalidArgumentsError stands for
    extension_types: tuple[str, ...] = ()  # hstore, vector: codecs registered where installed
    uses_records: bool = False  # some query returns record classes: executors take record_class
    emit_sync: bool = False  # SyncQuerier classes on psycopg 3 beside the Queriers
    sync_types: tuple[str, ...] = ()  # types the sync side loads itself (SYNC_LOADED) as asyncpg
    composites: tuple[tuple[str, str], ...] = ()  # (schema, name) of the composites used
    ranges: tuple[tuple[str, str], ...] = ()  # (schema, name) of the schema's own ranges used
    domain_arrays: tuple[tuple[str, str], ...] = ()  # (schema, name) of domains used in arrays
    warnings: tuple[str, ...] = ()  # what was generated as `object` or skipped, and the fix
