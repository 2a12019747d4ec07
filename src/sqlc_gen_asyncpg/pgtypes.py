"""The default mapping from PostgreSQL types to Python annotations, as asyncpg decodes them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Import:
    """`import module` when name is empty, else `from module import name`."""

    module: str
    name: str = ""


@dataclass(frozen=True)
class PyType:
    """A Python annotation and the imports it needs.

    `adapt` marks an override whose values must pass through pydantic when read from a row
    (asyncpg cannot produce them itself); `arbitrary` marks a class pydantic cannot build a
    schema for, checked by isinstance only. `exact` is the class an argument must be exactly
    for the arguments' fast path (pydantic would pass it through unchanged); None: no fast path.
    `override` is an override annotation whose own validator still runs on that path.
    `sync_kind` is how the sync flavour sends the value when psycopg cannot type it from its
    Python class: the PostgreSQL type (with a [] per array dimension) of SYNC_UNTYPED.
    `enum` is the StrEnum of a column that is one value of an enum; `holds_enum` marks a type
    with enum values inside it (an array of one, a composite, a range over one).
    """

    expr: str
    imports: frozenset[Import] = field(default_factory=frozenset)
    adapt: bool = False
    arbitrary: bool = False
    param_expr: str | None = None
    param_imports: frozenset[Import] | None = None
    exact: str | None = None
    override: str | None = None
    sync_kind: str | None = None
    enum: str | None = None
    holds_enum: bool = False

    @property
    def param(self) -> str:
        return self.param_expr or self.expr

    def imports_for(self, *, param: bool) -> frozenset[Import]:
        if param and self.param_imports is not None:
            return self.param_imports
        return self.imports


# Alias -> module of every module an annotation names, for the imports an expression needs.
_MODULES_BY_ALIAS: dict[str, str] = {}


def module_alias(module: str) -> str:
    """The private name generated code imports a module as: no column can hide it."""
    alias = "_" + module.replace(".", "_")
    _MODULES_BY_ALIAS[alias] = module
    return alias


def aliased_module(alias: str) -> str:
    """The module an alias of module_alias() stands for; a name it never made is itself."""
    return _MODULES_BY_ALIAS.get(alias, alias)


def _std(expr: str) -> PyType:
    module, _, name = expr.rpartition(".")
    if not module:
        return PyType(expr, exact=expr)
    aliased = f"{module_alias(module)}.{name}"
    return PyType(aliased, frozenset({Import(module)}), exact=aliased)


_INET = (
    "_ipaddress.IPv4Address | _ipaddress.IPv6Address | _ipaddress.IPv4Interface"
    " | _ipaddress.IPv6Interface"
)


def asyncpg_class(name: str, *element: PyType) -> PyType:
    """One of asyncpg's own classes (a Range of its element type): checked by isinstance."""
    imports = {Import("asyncpg")}.union(*(e.imports for e in element))
    expr = f"_asyncpg.{name}[{element[0].expr}]" if element else f"_asyncpg.{name}"
    return PyType(expr, frozenset(imports), arbitrary=True)


def list_of(element: PyType) -> PyType:
    """A multirange: asyncpg decodes it to a list of its ranges."""
    return PyType(
        f"list[{element.expr}]",
        element.imports,
        arbitrary=element.arbitrary,
        holds_enum=element.holds_enum or element.enum is not None,
    )


_INT = _std("int")
_RANGES: dict[str, PyType] = {
    "int4range": asyncpg_class("Range", _INT),
    "int8range": asyncpg_class("Range", _INT),
    "numrange": asyncpg_class("Range", _std("decimal.Decimal")),
    "daterange": asyncpg_class("Range", _std("datetime.date")),
    "tsrange": asyncpg_class("Range", _std("datetime.datetime")),
    "tstzrange": asyncpg_class("Range", _std("datetime.datetime")),
}

# Canonical PostgreSQL type name -> Python type. Keys are pg_catalog names.
BUILTIN: dict[str, PyType] = {
    "bool": _std("bool"),
    "int2": _std("int"),
    "int4": _std("int"),
    "int8": _std("int"),
    "oid": _std("int"),
    "float4": _std("float"),
    "float8": _std("float"),
    "numeric": _std("decimal.Decimal"),
    "text": _std("str"),
    "varchar": _std("str"),
    "bpchar": _std("str"),
    "char": _std("str"),
    "name": _std("str"),
    "citext": _std("str"),
    "money": _std("str"),
    "xml": _std("str"),
    "macaddr": _std("str"),
    "macaddr8": _std("str"),
    "bytea": _std("bytes"),
    "tsvector": _std("str"),
    "tsquery": _std("str"),
    # what asyncpg decodes them to: the reg* types by name (text), the counters as numbers
    "regclass": _std("str"),
    "regtype": _std("str"),
    "regproc": _std("str"),
    "regprocedure": _std("str"),
    "regoper": _std("str"),
    "regoperator": _std("str"),
    "regconfig": _std("str"),
    "regdictionary": _std("str"),
    "regnamespace": _std("str"),
    "regrole": _std("str"),
    "regcollation": _std("str"),
    "xid": _std("int"),
    "xid8": _std("int"),
    "cid": _std("int"),
    "pg_lsn": _std("int"),
    "tid": PyType("tuple[int, int]"),  # (block, offset), as asyncpg reads and writes it
    "bit": asyncpg_class("BitString"),
    "varbit": asyncpg_class("BitString"),
    "point": asyncpg_class("Point"),
    "line": asyncpg_class("Line"),
    "lseg": asyncpg_class("LineSegment"),
    "box": asyncpg_class("Box"),
    "path": asyncpg_class("Path"),
    "polygon": asyncpg_class("Polygon"),
    "circle": asyncpg_class("Circle"),
    **_RANGES,
    **{name.replace("range", "multirange"): list_of(t) for name, t in _RANGES.items()},
    "uuid": _std("uuid.UUID"),
    "date": _std("datetime.date"),
    "time": _std("datetime.time"),
    "timetz": _std("datetime.time"),
    "timestamp": _std("datetime.datetime"),
    "timestamptz": _std("datetime.datetime"),
    "interval": _std("datetime.timedelta"),
    "json": PyType("_pydantic.JsonValue", frozenset({Import("pydantic")})),
    "jsonb": PyType("_pydantic.JsonValue", frozenset({Import("pydantic")})),
    "inet": PyType(_INET, frozenset({Import("ipaddress")})),
    "cidr": PyType(
        "_ipaddress.IPv4Network | _ipaddress.IPv6Network", frozenset({Import("ipaddress")})
    ),
}

# Types of extensions (sqlc reports them without a schema), looked up after the schema's own.
# hstore and vector need the codecs init_connection registers; ltree's kinds arrive as text.
EXTENSION_TYPES: dict[str, PyType] = {
    "hstore": PyType("dict[str, str | None]"),
    "vector": PyType("list[float]"),
    "ltree": _std("str"),
    "lquery": _std("str"),
    "ltxtquery": _std("str"),
    # no codec: both drivers hand out the server's text (PostGIS: hex EWKB; sparsevec:
    # '{1:1.5}/3'), and take text (WKT or EWKB) as a parameter
    "geometry": _std("str"),
    "geography": _std("str"),
    "sparsevec": _std("str"),
    "halfvec": PyType("list[float]"),  # half precision, read and written as vector's text
}
# Extension types that arrive as text on both drivers: the sync side sends them as str.
TEXT_EXTENSION_TYPES = frozenset(
    {"ltree", "lquery", "ltxtquery", "geometry", "geography", "sparsevec"}
)
CODEC_EXTENSION_TYPES = frozenset({"hstore", "vector", "halfvec"})

# What psycopg decodes differently from asyncpg: the sync flavour registers its own loaders
# for these (sync_types.py), so both flavours return the same Python values.
SYNC_LOADED = frozenset(
    {
        *_RANGES,
        *(name.replace("range", "multirange") for name in _RANGES),
        "bit",
        "varbit",
        "point",
        "line",
        "lseg",
        "box",
        "path",
        "polygon",
        "circle",
        "xid",
        "xid8",
        "cid",
        "pg_lsn",
        "tid",
        *EXTENSION_TYPES,
    }
)

# Parameters psycopg would type wrongly from their Python class (an int is no pg_lsn, a dict
# no hstore, an asyncpg class nothing): the sync flavour sends them as text of no type, and
# the server types them from the statement, as it does for asyncpg's prepared statements.
SYNC_UNTYPED = (SYNC_LOADED - TEXT_EXTENSION_TYPES) | {"oid", "composite"}

# The spellings sqlc reports (SQL standard names, serials, pg_catalog-qualified) -> canonical.
ALIASES: dict[str, str] = {
    "boolean": "bool",
    "smallint": "int2",
    "smallserial": "int2",
    "serial2": "int2",
    "int": "int4",
    "integer": "int4",
    "serial": "int4",
    "serial4": "int4",
    "bigint": "int8",
    "bigserial": "int8",
    "serial8": "int8",
    "real": "float4",
    "float": "float8",
    "double precision": "float8",
    "decimal": "numeric",
    "character varying": "varchar",
    "character": "bpchar",
    "bit varying": "varbit",
    '"char"': "char",
    "time without time zone": "time",
    "time with time zone": "timetz",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
}

# information_schema's domains -> their base types (sqlc reports them by the domain's name).
INFORMATION_SCHEMA_DOMAINS: dict[str, str] = {
    "sql_identifier": "name",
    "character_data": "varchar",
    "yes_or_no": "varchar",
    "cardinal_number": "int4",
    "time_stamp": "timestamptz",
}

# Types that carry no information for a client: sqlc reports them where it could not infer one.
PSEUDO_TYPES = frozenset(
    {"any", "anyarray", "anyelement", "anyenum", "anynonarray", "anycompatible", "record", "void"}
)


def canonical(name: str) -> str:
    """The pg_catalog spelling of a built-in type name as sqlc reports it."""
    name = name.strip().lower()
    if name.startswith("pg_catalog."):
        name = name.removeprefix("pg_catalog.")
    return ALIASES.get(name, name)
