"""sync_types.py (option emit_sync, where the queries use a type psycopg decodes otherwise): the
psycopg loaders and dumpers that give the SyncQueriers the values asyncpg gives the Queriers.

Only the blocks the package's types need are rendered; configure_sync_connection imports the
module when it configures a connection, so the async side never loads psycopg.
"""

from __future__ import annotations

import re as _re

from .layout import file_text, header, join_blocks, render_imports
from .pgtypes import EXTENSION_TYPES, Import
from .plan import PackagePlan

SYNC_TYPES = ".sync_types"
SYNC_DB = ".sync_db"

RANGES = ("int4range", "int8range", "numrange", "daterange", "tsrange", "tstzrange")
MULTIRANGES = tuple(name.replace("range", "multirange") for name in RANGES)

# Each loaded type's loader class (text format: the executors read text results).
_LOADERS: dict[str, str] = {
    **dict.fromkeys(RANGES, "_RangeLoader"),
    **dict.fromkeys(MULTIRANGES, "_MultirangeLoader"),
    "bit": "_BitStringLoader",
    "varbit": "_BitStringLoader",
    "point": "_PointLoader",
    "line": "_LineLoader",
    "lseg": "_LineSegmentLoader",
    "box": "_BoxLoader",
    "path": "_PathLoader",
    "polygon": "_PolygonLoader",
    "circle": "_CircleLoader",
    "xid": "_IntLoader",
    "xid8": "_IntLoader",
    "cid": "_IntLoader",
    "pg_lsn": "_LsnLoader",
    "tid": "_TidLoader",
}

# Each untyped parameter kind's text function.
_TEXTS: dict[str, str] = {
    **dict.fromkeys(RANGES, "_range_text"),
    **dict.fromkeys(MULTIRANGES, "_multirange_text"),
    "bit": "_bit_text",
    "varbit": "_bit_text",
    "point": "_xy",
    "line": "_line_text",
    "lseg": "_lseg_text",
    "box": "_box_text",
    "path": "_path_text",
    "polygon": "_polygon_text",
    "circle": "_circle_text",
    "oid": "str",
    "xid": "str",
    "xid8": "str",
    "cid": "str",
    "pg_lsn": "_lsn_text",
    "hstore": "_hstore_text",
    "vector": "_vector_text",
    "halfvec": "_vector_text",
    "composite": "_composite_text",
    "tid": "_tid_text",
    # the schema's own ranges and multiranges, whatever their subtype
    "range": "_range_text",
    "multirange": "_multirange_text",
}
USER_RANGE_KINDS = ("range", "multirange")

_PARSED = '''class _ParsedByPsycopg(Loader):
    """A loader over psycopg's own loader of the same type, whose values it converts."""

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        parser = _psycopg_postgres.adapters.get_loader(oid, Format.TEXT)
        assert parser is not None  # psycopg loads every built-in range and multirange
        self._parse = parser(oid, context).load'''

_AS_ASYNCPG = '''def _as_asyncpg(value: Any) -> _asyncpg.Range[Any]:
    """psycopg's Range as asyncpg's (psycopg's own class is another one)."""
    if value.isempty:
        return _asyncpg.Range(empty=True)
    return _asyncpg.Range(
        value.lower, value.upper, lower_inc=value.lower_inc, upper_inc=value.upper_inc
    )'''

_RANGE = """class _RangeLoader(_ParsedByPsycopg):
    def load(self, data: Buffer) -> _asyncpg.Range[Any]:
        return _as_asyncpg(self._parse(data))"""

_MULTIRANGE = '''class _MultirangeLoader(_ParsedByPsycopg):
    """A multirange as asyncpg gives it: a list of its ranges."""

    def load(self, data: Buffer) -> list[_asyncpg.Range[Any]]:
        return [_as_asyncpg(r) for r in self._parse(data)]'''

_BIT = """class _BitStringLoader(Loader):
    def load(self, data: Buffer) -> _asyncpg.BitString:
        bits: Any = bytes(data).decode()  # asyncpg reads '0'/'1' characters (its hint: bytes)
        return _asyncpg.BitString(bits)"""

_NUMBERS = '''_NUMBER = _re.compile(rb"[^,()\\[\\]<>{}\\s]+")


def _numbers(data: Buffer) -> list[float]:
    """The coordinates of a geometric value's text, in order."""
    return [float(n) for n in _NUMBER.findall(bytes(data))]


def _pairs(data: Buffer) -> list[tuple[float, float]]:
    numbers = _numbers(data)
    return list(zip(numbers[::2], numbers[1::2], strict=True))'''

_GEOMETRY: dict[str, str] = {
    "point": """class _PointLoader(Loader):
    def load(self, data: Buffer) -> _asyncpg.Point:
        return _asyncpg.Point(*_numbers(data))""",
    "line": """class _LineLoader(Loader):
    def load(self, data: Buffer) -> _asyncpg.Line:
        a, b, c = _numbers(data)
        return _asyncpg.Line(a, b, c)""",
    "lseg": """class _LineSegmentLoader(Loader):
    def load(self, data: Buffer) -> _asyncpg.LineSegment:
        p1, p2 = _pairs(data)
        return _asyncpg.LineSegment(p1, p2)""",
    "box": """class _BoxLoader(Loader):
    def load(self, data: Buffer) -> _asyncpg.Box:
        high, low = _pairs(data)
        return _asyncpg.Box(high, low)""",
    "path": """class _PathLoader(Loader):
    def load(self, data: Buffer) -> _asyncpg.Path:
        closed = bytes(data).startswith(b"(")  # an open path is written in brackets
        return _asyncpg.Path(*_pairs(data), is_closed=closed)""",
    "polygon": """class _PolygonLoader(Loader):
    def load(self, data: Buffer) -> _asyncpg.Polygon:
        return _asyncpg.Polygon(*_pairs(data))""",
    "circle": """class _CircleLoader(Loader):
    def load(self, data: Buffer) -> _asyncpg.Circle:
        x, y, radius = _numbers(data)
        center: Any = (x, y)  # a plain tuple, as asyncpg's own decoder gives it
        return _asyncpg.Circle(center, radius)""",
}

_INT = """class _IntLoader(Loader):
    def load(self, data: Buffer) -> int:
        return int(bytes(data))"""

_LSN = '''class _LsnLoader(Loader):
    """A pg_lsn as asyncpg gives it: the 64-bit position, from its text 'high/low' in hex."""

    def load(self, data: Buffer) -> int:
        high, _, low = bytes(data).partition(b"/")
        return int(high, 16) << 32 | int(low, 16)'''

_TID = '''class _TidLoader(Loader):
    """A tid as asyncpg gives it: (block, offset), from its text '(0,1)'."""

    def load(self, data: Buffer) -> tuple[int, int]:
        block, offset = bytes(data).strip(b"()").split(b",")
        return int(block), int(offset)'''

_TID_TEXT = '''def _tid_text(value: tuple[int, int]) -> str:
    return f"({int(value[0])},{int(value[1])})"'''

_USER_RANGES = '''class _UserRangeLoader(Loader):
    """A range of the schema's own as asyncpg gives it, parsed by psycopg's loader of the
    range's subtype (`parser`, set per range)."""

    parser: type[RangeLoader[Any]]

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        self._parse = self.parser(oid, context).load

    def load(self, data: Buffer) -> _asyncpg.Range[Any]:
        return _as_asyncpg(self._parse(data))


class _UserMultirangeLoader(Loader):
    """A multirange of the schema's own as asyncpg gives it: a list of its ranges."""

    parser: type[MultirangeLoader[Any]]

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        self._parse = self.parser(oid, context).load

    def load(self, data: Buffer) -> list[_asyncpg.Range[Any]]:
        return [_as_asyncpg(r) for r in self._parse(data)]


def _register_range(
    conn: _psycopg.Connection[Any], kind: str, name: str, oid: int, subtype: int
) -> None:
    psycopg_loader = RangeLoader if kind == "r" else MultirangeLoader
    parser = type(name, (psycopg_loader,), {"subtype_oid": subtype})
    loader = _UserRangeLoader if kind == "r" else _UserMultirangeLoader
    conn.adapters.register_loader(oid, type(name, (loader,), {"parser": parser}))'''

_VECTOR = """class _VectorLoader(Loader):
    def load(self, data: Buffer) -> list[float]:
        return [float(v) for v in bytes(data).strip(b"[]").split(b",") if v]"""

_COMPOSITE = '''class CompositeValue(tuple[Any, ...]):
    """A composite value as a SyncQuerier reads it, where a Querier gives an asyncpg.Record
    (only asyncpg's C code builds those): a tuple of the same values, equal to that Record,
    that also answers by field name like it (value["x"], get, keys, values, items)."""

    __slots__ = ()
    fields: tuple[str, ...] = ()

    def __new__(cls, *values: Any) -> "CompositeValue":
        return super().__new__(cls, values)

    @overload
    def __getitem__(self, key: SupportsIndex | str) -> Any: ...

    @overload
    def __getitem__(self, key: slice) -> tuple[Any, ...]: ...

    def __getitem__(self, key: SupportsIndex | str | slice) -> Any:
        if isinstance(key, str):
            if key not in self.fields:
                raise KeyError(key)
            key = self.fields.index(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self.fields else default

    def keys(self) -> Iterator[str]:
        return iter(self.fields)

    def values(self) -> Iterator[Any]:
        return iter(self)

    def items(self) -> Iterator[tuple[str, Any]]:
        return zip(self.fields, self, strict=True)


# One class per composite and field list: psycopg caches its adapters by class.
_COMPOSITE_CLASSES: dict[tuple[str, tuple[str, ...]], type[CompositeValue]] = {}


def _composite_class(name: str, fields: tuple[str, ...]) -> type[CompositeValue]:
    key = (name, fields)
    if key not in _COMPOSITE_CLASSES:
        namespace = {"__slots__": (), "fields": fields}
        _COMPOSITE_CLASSES[key] = type(name, (CompositeValue,), namespace)
    return _COMPOSITE_CLASSES[key]'''

_UNTYPED = '''class _UntypedDumper(Dumper):
    """An Untyped parameter as PostgreSQL input text of no type (oid 0): the server types it
    from the statement."""

    oid = 0

    def dump(self, obj: Any) -> bytes:
        value: Untyped = obj
        return _text(value.value, value.kind).encode()


def _text(value: Any, kind: str) -> str:
    """`value` as PostgreSQL reads a literal of type `kind` (a [] per array dimension)."""
    if kind.endswith("[]"):
        element = kind[:-2]
        nested = element.endswith("[]")  # an inner array is written as it is, unquoted
        items = (
            "NULL" if v is None else _text(v, element) if nested else _quoted(_text(v, element))
            for v in value
        )
        return "{" + ",".join(items) + "}"
    return _TEXTS[kind](value)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\\\", "\\\\\\\\").replace('"', '\\\\"') + '"\''''

_SCALAR_TEXT = """def _scalar_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, _datetime.date) else str(value)"""

_RANGE_TEXT = '''def _range_text(value: _asyncpg.Range[Any]) -> str:
    if value.isempty:
        return "empty"
    lower = "" if value.lower is None else _quoted(_scalar_text(value.lower))
    upper = "" if value.upper is None else _quoted(_scalar_text(value.upper))
    opening = "[" if value.lower_inc else "("
    return f"{opening}{lower},{upper}{']' if value.upper_inc else ')'}"'''

_MULTIRANGE_TEXT = '''def _multirange_text(value: list[_asyncpg.Range[Any]]) -> str:
    return "{" + ",".join(_range_text(r) for r in value) + "}"'''

_BIT_TEXT = """def _bit_text(value: _asyncpg.BitString) -> str:
    return value.as_string().replace(" ", "")"""

_XY = '''def _xy(point: Any) -> str:
    return f"({float(point[0])!r},{float(point[1])!r})"'''

_GEOMETRY_TEXTS: dict[str, str] = {
    "line": '''def _line_text(value: _asyncpg.Line) -> str:
    return "{" + ",".join(repr(float(c)) for c in value) + "}"''',
    "lseg": '''def _lseg_text(value: _asyncpg.LineSegment) -> str:
    return f"[{_xy(value[0])},{_xy(value[1])}]"''',
    "box": '''def _box_text(value: _asyncpg.Box) -> str:
    return f"{_xy(value[0])},{_xy(value[1])}"''',
    "path": '''def _path_text(value: _asyncpg.Path) -> str:
    points = ",".join(_xy(p) for p in value)
    return f"({points})" if value.is_closed else f"[{points}]"''',
    "polygon": '''def _polygon_text(value: _asyncpg.Polygon) -> str:
    return "(" + ",".join(_xy(p) for p in value) + ")"''',
    "circle": '''def _circle_text(value: _asyncpg.Circle) -> str:
    return f"<{_xy(value[0])},{float(value[1])!r}>"''',
}

_LSN_TEXT = '''def _lsn_text(value: int) -> str:
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"'''

_HSTORE_TEXT = """def _hstore_text(value: dict[str, str | None]) -> str:
    pairs = (f"{_quoted(k)}=>{'NULL' if v is None else _quoted(v)}" for k, v in value.items())
    return ", ".join(pairs)"""

_VECTOR_TEXT = '''def _vector_text(value: list[float]) -> str:
    return "[" + ",".join(repr(float(v)) for v in value) + "]"'''

_COMPOSITE_TEXT = '''def _composite_text(value: tuple[Any, ...]) -> str:
    fields = ("" if v is None else _quoted(_scalar_text(v)) for v in value)
    return "(" + ",".join(fields) + ")"'''


def untyped_kinds(plan: PackagePlan) -> set[str]:
    """The types (arrays stripped) of the parameters the sync side sends untyped."""
    return {
        p.sync_kind.replace("[]", "")
        for module in plan.modules
        for q in module.queries
        if q.cmd != ":copyfrom"
        for p in q.params
        if p.sync_kind
    }


def extension_names(plan: PackagePlan) -> tuple[str, ...]:
    """The extension types configure_sync_connection looks up by name."""
    return tuple(name for name in plan.sync_types if name in EXTENSION_TYPES)


def needs_sync_types(plan: PackagePlan) -> bool:
    own = plan.ranges or plan.domain_arrays
    return bool(plan.sync_types or plan.composites or own or untyped_kinds(plan))


# What the rendered blocks may name, and the import each needs.
_NAMES: dict[str, Import] = {
    "Any": Import("typing", "Any"),
    "SupportsIndex": Import("typing", "SupportsIndex"),
    "overload": Import("typing", "overload"),
    "Callable": Import("collections.abc", "Callable"),
    "Iterator": Import("collections.abc", "Iterator"),
    "_asyncpg": Import("asyncpg"),
    "_datetime": Import("datetime"),
    "_re": Import("re"),
    "_psycopg": Import("psycopg"),
    "_psycopg_postgres": Import("psycopg.postgres"),
    "AdaptContext": Import("psycopg.abc", "AdaptContext"),
    "Buffer": Import("psycopg.abc", "Buffer"),
    "Dumper": Import("psycopg.adapt", "Dumper"),
    "Loader": Import("psycopg.adapt", "Loader"),
    "Format": Import("psycopg.pq", "Format"),
    "TypeInfo": Import("psycopg.types", "TypeInfo"),
    "register_array": Import("psycopg.types.array", "register_array"),
    "RangeLoader": Import("psycopg.types.range", "RangeLoader"),
    "MultirangeLoader": Import("psycopg.types.multirange", "MultirangeLoader"),
    "CompositeInfo": Import("psycopg.types.composite", "CompositeInfo"),
    "register_composite": Import("psycopg.types.composite", "register_composite"),
    "HstoreLoader": Import("psycopg.types.hstore", "HstoreLoader"),
    "Untyped": Import(SYNC_DB, "Untyped"),
}


def render_sync_types(plan: PackagePlan) -> str:
    loaded = set(plan.sync_types)
    kinds = untyped_kinds(plan)
    blocks: list[list[str]] = []
    if loaded & {*RANGES, *MULTIRANGES} or plan.ranges:
        if loaded & {*RANGES, *MULTIRANGES}:
            blocks.append(_PARSED.splitlines())
        blocks.append(_AS_ASYNCPG.splitlines())
        if loaded & set(RANGES):
            blocks.append(_RANGE.splitlines())
        if loaded & set(MULTIRANGES):
            blocks.append(_MULTIRANGE.splitlines())
        if plan.ranges:
            blocks.append(_USER_RANGES.splitlines())
    if loaded & {"bit", "varbit"}:
        blocks.append(_BIT.splitlines())
    geometry = [name for name in _GEOMETRY if name in loaded]
    if geometry:
        blocks.append(_NUMBERS.splitlines())
        blocks.extend(_GEOMETRY[name].splitlines() for name in geometry)
    if loaded & {"xid", "xid8", "cid"}:
        blocks.append(_INT.splitlines())
    if "pg_lsn" in loaded:
        blocks.append(_LSN.splitlines())
    if "tid" in loaded:
        blocks.append(_TID.splitlines())
    if loaded & {"vector", "halfvec"}:
        blocks.append(_VECTOR.splitlines())
    if plan.composites:
        blocks.append(_COMPOSITE.splitlines())
    if kinds:
        blocks.append(_UNTYPED.splitlines())
        blocks.extend(_texts(kinds))
    blocks.append(_register_builtins(plan, kinds))
    if plan.composites or plan.ranges or plan.domain_arrays or extension_names(plan):
        blocks.append(_register_found(plan))
    text = "\n".join(line for block in blocks for line in block)
    imports = {i for name, i in _NAMES.items() if _re.search(rf"(?<![\w.]){name}\b", text)}
    head = [
        *header(plan, "the schema and the plugin"),
        '"""psycopg adapters giving the SyncQueriers the values asyncpg gives the Queriers.',
        "",
        "configure_sync_connection imports this module: the async side never loads psycopg.",
        '"""',
        "",
        *render_imports(imports, plan.first_party),
    ]
    return file_text(join_blocks([head, *blocks]))


def _texts(kinds: set[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    if kinds & {*RANGES, *USER_RANGE_KINDS, "composite"}:
        blocks.append(_SCALAR_TEXT.splitlines())
    if kinds & {*RANGES, *MULTIRANGES, *USER_RANGE_KINDS}:
        blocks.append(_RANGE_TEXT.splitlines())
    if kinds & {*MULTIRANGES, "multirange"}:
        blocks.append(_MULTIRANGE_TEXT.splitlines())
    if kinds & {"bit", "varbit"}:
        blocks.append(_BIT_TEXT.splitlines())
    if kinds & {"point", "lseg", "box", "path", "polygon", "circle"}:
        blocks.append(_XY.splitlines())
    blocks.extend(text.splitlines() for name, text in _GEOMETRY_TEXTS.items() if name in kinds)
    if "pg_lsn" in kinds:
        blocks.append(_LSN_TEXT.splitlines())
    if "hstore" in kinds:
        blocks.append(_HSTORE_TEXT.splitlines())
    if kinds & {"vector", "halfvec"}:
        blocks.append(_VECTOR_TEXT.splitlines())
    if "tid" in kinds:
        blocks.append(_TID_TEXT.splitlines())
    if "composite" in kinds:
        blocks.append(_COMPOSITE_TEXT.splitlines())
    entries = [f'    "{kind}": {_TEXTS[kind]},' for kind in sorted(kinds)]
    blocks.append(
        [
            "# The text of each type the SyncQueriers send untyped.",
            "_TEXTS: dict[str, Callable[[Any], str]] = {",
            *entries,
            "}",
        ]
    )
    return blocks


def _register_builtins(plan: PackagePlan, kinds: set[str]) -> list[str]:
    out = [
        "def register_builtins(conn: _psycopg.Connection[Any]) -> None:",
        '    """Register the loaders of the built-in types and the untyped parameters\' dumper."""',
    ]
    loaded = [name for name in sorted(plan.sync_types) if name in _LOADERS]
    for name in loaded:
        out.append(f'    conn.adapters.register_loader("{name}", {_LOADERS[name]})')
    if kinds:
        out.append("    conn.adapters.register_dumper(Untyped, _UntypedDumper)")
    if not loaded and not kinds:
        out.append("    del conn  # every type used is found by the lookup")
    return out


def _register_found(plan: PackagePlan) -> list[str]:
    out = [
        "def register_found(",
        "    conn: _psycopg.Connection[Any],",
        "    kind: str,",
        "    name: str,",
        "    oid: int,",
        "    array_oid: int,",
        "    fields: list[str],",
        "    field_types: list[int],",
        ") -> None:",
    ]
    if plan.ranges or plan.domain_arrays:
        out.extend(
            [
                '    """Register a composite (kind "c"), range ("r"), multirange ("m"), domain',
                '    ("d") or extension type configure_sync_connection found: its loader, and the',
                '    loader of its arrays."""',
            ]
        )
    else:
        out.append(
            '    """Register a composite (kind "c") or extension type configure_sync_connection'
        )
        out.append('    found: its loader, and the loader of its arrays."""')
    if plan.domain_arrays:
        out.extend(
            [
                '    if kind == "d":  # field_types holds its base type: its arrays load as those',
                "        register_array(TypeInfo(name, field_types[0], array_oid), conn)",
                "        return",
            ]
        )
    if plan.ranges:
        out.extend(
            [
                '    if kind in ("r", "m"):  # field_types holds the range\'s subtype',
                "        _register_range(conn, kind, name, oid, field_types[0])",
                "        TypeInfo(name, oid, array_oid).register(conn)",
                "        return",
            ]
        )
    if plan.composites:
        out.extend(
            [
                '    if kind == "c":',
                "        info = CompositeInfo("
                "name, oid, array_oid, field_names=fields, field_types=field_types)",
                "        register_composite(info, conn, _composite_class(name, info.field_names))",
                "        return",
            ]
        )
    elif plan.ranges or plan.domain_arrays:
        out.append("    del fields  # no composites")
    else:
        out.append("    del fields, field_types  # no composites: only extension types")
    out.append("    TypeInfo(name, oid, array_oid).register(conn)  # its arrays load as lists")
    extensions = extension_names(plan)
    if "hstore" in extensions:
        out.extend(
            ['    if name == "hstore":', "        conn.adapters.register_loader(oid, HstoreLoader)"]
        )
    vectors = [name for name in ("halfvec", "vector") if name in extensions]
    if vectors:
        test = f'name == "{vectors[0]}"' if len(vectors) == 1 else 'name in ("halfvec", "vector")'
        out.extend([f"    if {test}:", "        conn.adapters.register_loader(oid, _VectorLoader)"])
    return out
