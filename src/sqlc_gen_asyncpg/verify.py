"""`python -m sqlc_gen_asyncpg verify`: does a generated package agree with a live server?

Run in CI after the migrations: every SQL constant of every querier module is prepared on the
server (Parse + Describe), and every parameter and result column must carry the Python type
asyncpg produces for the server's type; a result column from a table column must be optional
exactly when that column is nullable; every StrEnum of models.py must have the labels of its
enum in pg_enum, in order. The SyncQuerier's methods run the same SQL and are checked the
same way; what both flavours share (models, SQL) is reported once. The expected Python types
are spelled out here, apart from the plugin's own table (pgtypes.py), so a wrong mapping there
cannot agree with itself.

Deliberate differences, which are accepted:
- Parameters: PostgreSQL does not know whether a parameter may be NULL; sqlc.narg decides.
- Computed result columns (no table column behind them) may be `T | None` whatever sqlc
  reports: sqlc claims NOT NULL for sum(), max() and casts of them, which can be NULL.
- A result column from a NOT NULL table column may be `T | None` on the nullable side of an
  outer join, or inside an optional embedded model (the server still reports the table column).
- Names the server derives for a computed column it was not given an `AS` for (`coalesce`,
  `?column?`, `count`): sqlc derives its own (COALESCE(x, ...) is `x`), so they are not
  compared; a repeated name is numbered by the plugin (`name`, `name_2`).
- Overrides: a column override must keep the base type (pydantic `Annotated[T, ...]`).
- timestamp and timestamptz both map to datetime.
A view's column has no NOT NULL in the catalog: it is traced, through the view's definition,
to the table column it reads, whose nullability counts. A column a view computes, or one of a
view with an outer join, has none: its nullability is listed as unknown, not as a mismatch.
A value generated as `object` (what sqlc could not type) is listed as a fallback with the
server's type, which is the fix to apply. A server type this module knows no Python type for
is listed as not checked.

Only the standard library is imported here; the generated package brings asyncpg and pydantic.
"""

from __future__ import annotations

import argparse
import collections.abc
import datetime
import decimal
import enum
import importlib
import inspect
import ipaddress
import os
import pkgutil
import re
import sys
import types
import typing
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from . import __version__
from ._wire import Description, Field, ServerError, WireConnection, WireError
from .names import pascal, snake

_OUTER_JOIN = re.compile(r"\b(LEFT|RIGHT|FULL)\s+(OUTER\s+)?JOIN\b", re.IGNORECASE)
_ALIAS = re.compile(r'\bAS\s+(?:"((?:[^"]|"")+)"|(\w+))', re.IGNORECASE)
_BATCH_FORM = "WITH batch_query AS (\n"
_NAME_LINE = re.compile(r"^-- name: (\w+) (:\w+)")
_NOT_QUERIERS = frozenset({"db", "models"})
_NO_ROWS = {":exec": type(None), ":batchexec": type(None), ":execrows": int, ":copyfrom": int}
_INET = (ipaddress.IPv4Address, ipaddress.IPv6Address, ipaddress.IPv4Interface)
_REG_TYPES = (
    "regclass", "regcollation", "regconfig", "regdictionary", "regnamespace", "regoper",
    "regoperator", "regproc", "regprocedure", "regrole", "regtype",
)  # fmt: skip
# Extension types the plugin registers no codec for: both drivers hand out the server's text.
_WITHOUT_CODEC = ("geometry", "geography", "sparsevec")


class VerifyError(Exception):
    """verify could not run: the package does not import, or the server cannot be reached."""


@dataclass(frozen=True)
class PgType:
    name: str
    schema: str
    typtype: str  # b base, c composite, d domain, e enum, p pseudo, r range, m multirange
    category: str
    element: int
    base: int
    relation: int
    labels: tuple[str, ...]

    @property
    def shown(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class Column:
    name: str
    type_oid: int
    not_null: bool


@dataclass(frozen=True)
class Catalog:
    """What the server says about types, enum labels and table columns."""

    types: dict[int, PgType]
    columns: dict[tuple[int, int], Column]
    relations: dict[int, tuple[str, str]]  # oid -> (schema, name)
    views: frozenset[int]  # views and materialized views: the server records no NOT NULL

    @classmethod
    def load(cls, wire: WireConnection) -> Catalog:
        labels: dict[int, list[str]] = {}
        for enum_oid, label in wire.query(
            "SELECT enumtypid, enumlabel FROM pg_catalog.pg_enum ORDER BY enumtypid, enumsortorder"
        ):
            labels.setdefault(int(_text(enum_oid)), []).append(_text(label))
        pg_types = {}
        for oid, name, schema, typtype, category, element, base, relation in wire.query(
            "SELECT t.oid, t.typname, n.nspname, t.typtype, t.typcategory, t.typelem,"
            " t.typbasetype, t.typrelid FROM pg_catalog.pg_type t"
            " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
        ):
            key = int(_text(oid))
            pg_types[key] = PgType(
                _text(name), _text(schema), _text(typtype), _text(category),
                int(_text(element)), int(_text(base)), int(_text(relation)),
                tuple(labels.get(key, ())),
            )  # fmt: skip
        relations, views = {}, set()
        for oid, schema, name, kind in wire.query(
            "SELECT c.oid, n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')"
        ):
            relations[int(_text(oid))] = (_text(schema), _text(name))
            if _text(kind) in ("v", "m"):
                views.add(int(_text(oid)))
        columns = {
            (int(_text(relation)), int(_text(number))): Column(
                _text(name), int(_text(type_oid)), _text(not_null) == "t"
            )
            for relation, number, name, type_oid, not_null in wire.query(
                "SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.attnotnull"
                " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                " WHERE a.attnum > 0 AND NOT a.attisdropped"
                " AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')"
            )
        }
        return cls(pg_types, columns, relations, frozenset(views))

    def composite_fields(self, relation: int) -> list[Column]:
        numbers = sorted(n for (r, n) in self.columns if r == relation)
        return [self.columns[(relation, n)] for n in numbers]


def _text(value: str | None) -> str:
    if value is None:
        raise VerifyError("the server returned NULL where the catalog has none")
    return value


@dataclass
class Report:
    """Every mismatch between a generated package and the server, and what could not be checked."""

    package: str
    statements: int = 0
    sync_statements: int = 0  # of those, also run by a SyncQuerier method, checked as well
    enums: int = 0
    mismatches: list[str] = _field(default_factory=list)
    unchecked: list[str] = _field(default_factory=list)
    fallbacks: list[str] = _field(default_factory=list)  # `object` columns: the server's type
    unknown_nullability: list[str] = _field(default_factory=list)  # untraceable view columns

    @property
    def agrees(self) -> bool:
        return not self.mismatches

    def findings(self) -> dict[str, list[str]]:
        return {
            "mismatch": self.mismatches,
            "not checked": self.unchecked,
            "fallback": self.fallbacks,
            "nullability unknown": self.unknown_nullability,
        }


@dataclass(frozen=True)
class Slot:
    """One parameter or result column as the generated code types it."""

    label: str
    annotation: Any
    nullable_by_embed: bool = False
    aliases: frozenset[str] = frozenset()  # column names the field declares it is read from


class _ShapeError(Exception):
    """The generated method's annotations do not have the shape its command implies."""


class _Runtime:
    """asyncpg's and pydantic's types, imported after the generated package brought them."""

    def __init__(self) -> None:
        try:
            self.asyncpg = importlib.import_module("asyncpg")
            self.pydantic = importlib.import_module("pydantic")
        except ImportError as error:
            raise VerifyError(
                f"generated code needs {error.name}, which is not installed"
            ) from None
        a, json_value = self.asyncpg, self.pydantic.JsonValue
        text, integer = frozenset({str}), frozenset({int})
        self.results: dict[str, frozenset[Any]] = {
            "bool": frozenset({bool}),
            **dict.fromkeys(("int2", "int4", "int8", "oid", "xid", "xid8", "cid"), integer),
            "pg_lsn": integer,
            "tid": frozenset({tuple[int, int]}),
            "float4": frozenset({float}),
            "float8": frozenset({float}),
            "numeric": frozenset({decimal.Decimal}),
            **dict.fromkeys(("text", "varchar", "bpchar", "name", "citext", "refcursor"), text),
            **dict.fromkeys(("money", "xml", "macaddr", "macaddr8", "tsvector", "tsquery"), text),
            **dict.fromkeys(("jsonpath", "ltree", "lquery", *_REG_TYPES), text),
            # extension types without a codec: both drivers hand out the server's text
            **dict.fromkeys(_WITHOUT_CODEC, text),
            "char": frozenset({bytes}),  # the one-byte "char": asyncpg hands out bytes
            "bytea": frozenset({bytes}),
            "uuid": frozenset({uuid.UUID}),
            "date": frozenset({datetime.date}),
            "time": frozenset({datetime.time}),
            "timetz": frozenset({datetime.time}),
            "timestamp": frozenset({datetime.datetime}),
            "timestamptz": frozenset({datetime.datetime}),
            "interval": frozenset({datetime.timedelta}),
            "json": frozenset({json_value}),
            "jsonb": frozenset({json_value}),
            "inet": frozenset({*_INET, ipaddress.IPv6Interface}),
            "cidr": frozenset({ipaddress.IPv4Network, ipaddress.IPv6Network}),
            "bit": frozenset({a.BitString}),
            "varbit": frozenset({a.BitString}),
            "point": frozenset({a.Point}),
            "line": frozenset({a.Line}),
            "lseg": frozenset({a.LineSegment}),
            "box": frozenset({a.Box}),
            "path": frozenset({a.Path}),
            "polygon": frozenset({a.Polygon}),
            "circle": frozenset({a.Circle}),
            # extension types, with the codecs the generated init_connection registers
            "hstore": frozenset({dict[str, str | None]}),
            "vector": frozenset({list[float]}),
            "halfvec": frozenset({list[float]}),
        }
        self.params: dict[str, frozenset[Any]] = {
            "hstore": frozenset({dict[str, str | None], collections.abc.Mapping[str, str | None]}),
            "vector": frozenset({list[float], collections.abc.Sequence[float]}),
            "halfvec": frozenset({list[float], collections.abc.Sequence[float]}),
        }

    def is_model(self, annotation: Any) -> bool:
        return inspect.isclass(annotation) and issubclass(annotation, self.pydantic.BaseModel)

    def is_record_class(self, annotation: Any) -> bool:
        record = self.asyncpg.Record
        return inspect.isclass(annotation) and issubclass(annotation, record)

    def expected(self, name: str, *, param: bool) -> frozenset[Any] | None:
        if param and name in self.params:
            return self.params[name]
        return self.results.get(name)


def _members(annotation: Any) -> tuple[frozenset[Any], bool]:
    """The union members of an annotation without None, and whether None was among them."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = frozenset(typing.get_args(annotation))
        return args - {type(None)}, type(None) in args
    if annotation is None or annotation is type(None):
        return frozenset(), True
    return frozenset({annotation}), False


def _is_range(annotation: Any, a_range: Any) -> bool:
    """asyncpg.Range, bare or of an element type (Range[int])."""
    return annotation is a_range or typing.get_origin(annotation) is a_range


def _strip_none(annotation: Any) -> Any:
    members, _ = _members(annotation)
    if len(members) == 1:
        return next(iter(members))
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return annotation
    return typing.Union[tuple(members)]  # noqa: UP007


def show(annotation: Any) -> str:
    """An annotation as a reader writes it: datetime.date | None, list[int], odds.OddsRow."""
    if annotation is None or annotation is type(None):
        return "None"
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = typing.get_args(annotation)
        ordered = [m for m in members if m is not type(None)] + [
            m for m in members if m is type(None)
        ]
        return " | ".join(show(m) for m in ordered)
    origin = typing.get_origin(annotation)
    if origin is not None and typing.get_args(annotation):
        inner = ", ".join(show(a) for a in typing.get_args(annotation))
        return f"{show(origin)}[{inner}]"
    if inspect.isclass(annotation):
        module = annotation.__module__
        if module == "builtins":
            return annotation.__qualname__
        if module == "collections.abc":
            return f"collections.abc.{annotation.__qualname__}"
        return f"{module.rsplit('.', 1)[-1]}.{annotation.__qualname__}"
    return str(annotation).replace("typing.", "")


def _hints(target: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(target)  # Annotated[T, ...] of an override becomes T
    except (NameError, TypeError) as error:
        raise _ShapeError(f"its annotations cannot be resolved: {error}") from None


def _model_slots(runtime: _Runtime, model: Any, prefix: str, *, nullable: bool) -> Iterator[Slot]:
    hints = _hints(model)
    for name, info in model.model_fields.items():
        members, optional = _members(hints[name])
        embedded = next(iter(members)) if len(members) == 1 else None
        if embedded is not None and runtime.is_model(embedded):
            yield from _model_slots(
                runtime, embedded, f"{prefix}{name}.", nullable=nullable or optional
            )
            continue
        aliases = {
            alias
            for alias in (info.alias, info.serialization_alias, info.validation_alias)
            if isinstance(alias, str)
        }
        yield Slot(f"{prefix}{name}", hints[name], nullable, frozenset(aliases))


def _record_slots(runtime: _Runtime, record: Any) -> list[Slot]:
    """A typed asyncpg.Record subclass: one read-only property per column, in column order.

    At run time its columns are plain properties over the driver's item lookup (their types
    exist for the type checker only), so the types are read from the model its to_model()
    returns, which the plugin plans from the same columns; the names must match that model's.
    """
    columns = [
        name
        for name, value in vars(record).items()
        if not name.startswith("__")
        and not inspect.isroutine(value)
        and hasattr(type(value), "__get__")
    ]  # properties of an asyncpg.Record subclass, column descriptors of the sync tuple
    to_model = getattr(record, "to_model", None)
    model = _hints(to_model).get("return") if to_model is not None else None
    if model is None or not runtime.is_model(model):
        raise _ShapeError(f"record class {show(record)} has no to_model() returning its model")
    slots = list(_model_slots(runtime, model, "", nullable=False))
    fields = list(model.model_fields)
    if columns != fields:
        raise _ShapeError(
            f"record class {show(record)} has the columns {columns},"
            f" its model {show(model)} the fields {fields}"
        )
    return slots


def parameter_slots(runtime: _Runtime, method: Any) -> list[Slot]:
    hints = _hints(method)
    signature = inspect.signature(method)
    if "params" not in signature.parameters:
        return [
            Slot(name, hints[name])
            for name, parameter in signature.parameters.items()
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY and name != "prefetch"
        ]
    annotation = hints["params"]
    if typing.get_origin(annotation) is collections.abc.Iterable:
        (annotation,) = typing.get_args(annotation)
        members, _ = _members(annotation)
        models = [m for m in members if runtime.is_model(m)]
        if len(models) != 1:
            raise _ShapeError(f"params is Iterable[{show(annotation)}], not of one params model")
        (model,) = models
        model_hints = _hints(model)
        fields = [_members(model_hints[name]) for name in model.model_fields]
        for values in members - {model}:
            if [_members(item) for item in typing.get_args(values)] != fields:
                raise _ShapeError(f"its value tuple {show(values)} differs from {show(model)}")
        annotation = model
    if not runtime.is_model(annotation):
        raise _ShapeError(f"params is {show(annotation)}, not a params model")
    return list(_model_slots(runtime, annotation, "", nullable=False))


def result_slots(runtime: _Runtime, method: Any, cmd: str) -> list[Slot] | None:
    """The result columns one row of the method holds, or None for a command without rows."""
    returns = _hints(method).get("return")
    if cmd in _NO_ROWS or cmd == ":execresult":
        wanted = _NO_ROWS.get(cmd, str)
        if returns is not wanted:
            raise _ShapeError(f"{cmd} must return {show(wanted)}, not {show(returns)}")
        return None
    if cmd == ":one":
        _, optional = _members(returns)
        if not optional:
            raise _ShapeError(f":one must return T | None, not {show(returns)}")
        row = _strip_none(returns)
    elif cmd in (":many", ":batchone", ":batchmany"):
        if typing.get_origin(returns) is not list:
            raise _ShapeError(f"{cmd} must return list[...], not {show(returns)}")
        (row,) = typing.get_args(returns)
        if cmd == ":batchone":
            row = _strip_none(row)
        elif cmd == ":batchmany":
            if typing.get_origin(row) is not list:
                raise _ShapeError(f":batchmany must return list[list[...]], not {show(returns)}")
            (row,) = typing.get_args(row)
    else:
        raise _ShapeError(f"verify knows no command {cmd}")
    if runtime.is_model(row):
        return list(_model_slots(runtime, row, "", nullable=False))
    if runtime.is_record_class(row) and row is not runtime.asyncpg.Record:
        return _record_slots(runtime, row)
    if inspect.isclass(row) and issubclass(row, tuple) and hasattr(row, "to_model"):
        return _record_slots(runtime, row)  # the sync flavour's typed row
    return [Slot("(the value)", row)]


class _Checker:
    def __init__(
        self,
        runtime: _Runtime,
        catalog: Catalog,
        report: Report,
        renames: Sequence[tuple[str, str]],
    ) -> None:
        self.runtime = runtime
        self.catalog = catalog
        self.report = report
        self.renames = dict(renames)
        self.view_fields: dict[int, tuple[Field, ...] | str] = {}

    def type_errors(self, oid: int, annotation: Any, *, param: bool, where: str) -> list[str]:
        """Why the annotation is not what asyncpg hands out (or accepts) for the type."""
        pg = self.catalog.types[oid]
        while pg.typtype == "d":
            pg = self.catalog.types[pg.base]
        if _is_fallback(_strip_none(annotation)):
            self.report.fallbacks.append(
                f"{where} is {show(annotation)} (a fallback): the server says"
                f" {self._python_of(pg, param=param)}; cast it in the query, override it,"
                " or generate with sqlc's database analyzer"
            )
            return []
        members, optional = _members(annotation)
        got = show(annotation)
        if pg.category == "A":
            (container,) = members if len(members) == 1 else (None,)
            wanted = collections.abc.Sequence if param else list
            if typing.get_origin(container) is not wanted:
                return [f"the server's {pg.shown} needs {wanted.__name__}[...], generated {got}"]
            (element,) = typing.get_args(container)
            inner, _ = _members(element)
            scalar = self.catalog.types.get(pg.element)
            # a list-valued element (vector, a multirange) is one element, not a dimension
            listed = scalar is not None and (
                scalar.typtype == "m" or scalar.name in ("vector", "halfvec")
            )
            if not listed and len(inner) == 1 and typing.get_origin(next(iter(inner))) is wanted:
                return self.type_errors(oid, _strip_none(element), param=param, where=where)
            return self.type_errors(pg.element, _strip_none(element), param=param, where=where)
        if pg.typtype == "e":
            (cls,) = members if len(members) == 1 else (None,)
            if not (inspect.isclass(cls) and issubclass(cls, enum.StrEnum)):
                return [
                    f"the server's {pg.shown} is an enum and needs its StrEnum, generated {got}"
                ]
            values = tuple(member.value for member in cls)
            if values != pg.labels:
                return [f"{cls.__name__} has {values}, the server's {pg.shown} has {pg.labels}"]
            return []
        if pg.typtype == "c":
            return self._composite_errors(pg, members, got, param=param, where=where)
        a_range = self.runtime.asyncpg.Range
        if pg.typtype == "r":
            if len(members) != 1 or not _is_range(next(iter(members)), a_range):
                return [f"the server's {pg.shown} needs asyncpg.Range, generated {got}"]
            return []
        if pg.typtype == "m":
            lists: set[Any] = {list, collections.abc.Sequence} if param else {list}
            ranges = [typing.get_args(m) for m in members if typing.get_origin(m) in lists]
            if not members or len(ranges) != len(members):
                return [f"the server's {pg.shown} needs list[asyncpg.Range], generated {got}"]
            if not all(len(r) == 1 and _is_range(r[0], a_range) for r in ranges):
                return [f"the server's {pg.shown} needs list[asyncpg.Range], generated {got}"]
            return []
        if pg.name == "void":
            return [] if not members and optional else [f"void needs None, generated {got}"]
        expected = self.runtime.expected(pg.name, param=param)
        if expected is None:
            self.report.unchecked.append(
                f"{where}: verify knows no Python type for the server's {pg.shown}"
                f" (generated {got})"
            )
            return []
        if members != expected and not (param and members and members < expected):
            if pg.name in _WITHOUT_CODEC and not members & expected:
                self.report.unchecked.append(
                    f"{where}: the server's {pg.shown} has no codec of the plugin's; what the"
                    f" application's own codec makes of it verify cannot know (generated {got})"
                )
                return []
            needs = " | ".join(sorted(map(show, expected)))
            return [f"the server's {pg.shown} needs {needs}, generated {got}"]
        return []

    def _python_of(self, pg: PgType, *, param: bool) -> str:
        """The server's type, and the Python type asyncpg gives it where verify knows one."""
        if pg.category == "A" and pg.element in self.catalog.types:
            element = self.catalog.types[pg.element]
            while element.typtype == "d":
                element = self.catalog.types[element.base]
            inner = self.runtime.expected(element.name, param=param)
            shown = f"{element.shown}[]"
            return f"{shown}, list[{' | '.join(sorted(map(show, inner)))}]" if inner else shown
        expected = self.runtime.expected(pg.name, param=param)
        if expected is None:
            return pg.shown
        return f"{pg.shown}, {' | '.join(sorted(map(show, expected)))}"

    def _composite_errors(
        self, pg: PgType, members: frozenset[Any], got: str, *, param: bool, where: str
    ) -> list[str]:
        (cls,) = members if len(members) == 1 else (None,)
        if param and typing.get_origin(cls) is tuple:
            return []
        if not param and cls is self.runtime.asyncpg.Record:
            return []
        if cls is None or not self.runtime.is_model(cls):
            return [f"the server's composite {pg.shown} typed {got}"]
        fields = self.catalog.composite_fields(pg.relation)
        hints = _hints(cls)
        names = list(cls.model_fields)
        if len(names) != len(fields):
            return [f"{got} has {len(names)} fields, the server's {pg.shown} has {len(fields)}"]
        errors = []
        for name, column in zip(names, fields, strict=True):
            inner = f"{where}.{name}"
            for error in self.type_errors(column.type_oid, hints[name], param=param, where=inner):
                errors.append(f"field {name}: {error}")
        return errors

    def statement(
        self,
        module: types.ModuleType,
        constant: str,
        name: str,
        cmd: str,
        sql: str,
        wire: WireConnection,
    ) -> None:
        where = f"{module.__name__}.{constant}"
        method = _method(module, "Querier", name, constant)
        if method is None:
            self.report.mismatches.append(
                f"{name} ({where}): the module's Querier has no method {snake(name)}"
            )
            return
        try:
            described: Description = wire.describe(sql)
        except ServerError as refused:
            self.report.mismatches.append(
                f"{name} ({where}): the server cannot prepare it: {refused}"
            )
            return
        self.report.statements += 1
        if _is_batch_form(cmd, sql):
            # the batch form adds the index of the parameter set, as the last parameter and column
            described = Description(described.parameter_oids[:-1], described.fields[:-1])
        self._method(method, cmd, sql, described, f"{name} ({where})", wire)
        sync = _method(module, "SyncQuerier", name, constant)
        if sync is None:
            return
        self.report.sync_statements += 1
        said = {key: list(found) for key, found in self.report.findings().items()}
        sync_where = f"{name} ({where}, SyncQuerier)"
        self._method(sync, cmd, sql, described, sync_where, wire)
        for key, found in self.report.findings().items():
            # what both flavours share (models, SQL) is said once, for the async Querier
            new = found[len(said[key]) :]
            del found[len(said[key]) :]
            found.extend(
                line
                for line in new
                if line.replace(sync_where, f"{name} ({where})") not in said[key]
            )

    def _method(
        self,
        method: Any,
        cmd: str,
        sql: str,
        described: Description,
        where: str,
        wire: WireConnection,
    ) -> None:
        problems = self.report.mismatches
        try:
            params = parameter_slots(self.runtime, method)
            results = result_slots(self.runtime, method, cmd)
        except _ShapeError as shape:
            problems.append(f"{where}: {method.__qualname__}: {shape}")
            return
        parameter_oids, fields = described.parameter_oids, described.fields
        if len(params) != len(parameter_oids):
            problems.append(
                f"{where}: {len(params)} parameters generated, the server has {len(parameter_oids)}"
            )
            return
        for slot, oid in zip(params, parameter_oids, strict=True):
            label = f"{where}: parameter {slot.label}"
            for error in self.type_errors(oid, slot.annotation, param=True, where=label):
                problems.append(f"{label}: {error}")
        if results is None:
            return
        if len(results) != len(fields):
            problems.append(
                f"{where}: {len(results)} result columns generated, the server has {len(fields)}"
            )
            return
        outer_join = bool(_OUTER_JOIN.search(sql))
        aliases = _aliases(sql)
        for position, (slot, described_field) in enumerate(zip(results, fields, strict=True), 1):
            label = f"{where}: column {slot.label}"
            earlier = {f.name for f in fields[: position - 1]}
            named = self._named_for(slot, described_field, position, aliases, earlier)
            if slot.label != "(the value)" and not named:
                problems.append(
                    f"{label} is read from the server's column {described_field.name!r}"
                )
            for error in self.type_errors(
                described_field.type_oid, slot.annotation, param=False, where=label
            ):
                problems.append(f"{label}: {error}")
            if described_field.table_oid == 0 or _is_fallback(_strip_none(slot.annotation)):
                continue  # computed: the server does not know; see the module docstring
            self._nullability(slot, described_field, label, outer_join, wire)

    def _nullability(
        self, slot: Slot, described: Field, label: str, outer_join: bool, wire: WireConnection
    ) -> None:
        key = (described.table_oid, described.column_number)
        column = self.catalog.columns.get(key)
        if column is None:
            return
        source = f"{self._relation(described.table_oid)}.{column.name}"
        if described.table_oid in self.catalog.views:
            base = self._base_column(*key, wire)
            if isinstance(base, str):
                self.report.unknown_nullability.append(f"{label}: {source} ({base})")
                return
            column = self.catalog.columns[base]
            source = f"{source} ({self._relation(base[0])}.{column.name})"
        _, optional = _members(slot.annotation)
        generated = show(slot.annotation)
        if not column.not_null and not optional:
            self.report.mismatches.append(f"{label}: {source} is nullable, generated {generated}")
        if column.not_null and optional and not slot.nullable_by_embed and not outer_join:
            self.report.mismatches.append(f"{label}: {source} is NOT NULL, generated {generated}")

    def _relation(self, oid: int) -> str:
        return ".".join(self.catalog.relations.get(oid, ("?", "?")))

    def _base_column(
        self, relation: int, number: int, wire: WireConnection
    ) -> tuple[int, int] | str:
        """The table column a view column reads, or why it cannot be told.

        PostgreSQL records no NOT NULL on a view's columns; describing the view's definition
        names the column each one reads, as it does for a query. A view with an outer join, or
        a column it computes, has no such column: its nullability is unknown.
        """
        seen: set[int] = set()
        while relation in self.catalog.views and relation not in seen:
            seen.add(relation)
            fields = self._view_fields(relation, wire)
            if isinstance(fields, str):
                return fields
            if not 0 < number <= len(fields):
                return "its definition does not describe it"
            origin = fields[number - 1]
            if origin.table_oid == 0:
                return "the view computes it"
            relation, number = origin.table_oid, origin.column_number
        if (relation, number) not in self.catalog.columns or relation in self.catalog.views:
            return "its base column is not in the catalog"
        return relation, number

    def _view_fields(self, view: int, wire: WireConnection) -> tuple[Field, ...] | str:
        if view not in self.view_fields:
            rows = wire.query(f"SELECT pg_catalog.pg_get_viewdef({view}::oid)")
            definition = _text(rows[0][0]).strip().rstrip(";")
            if _OUTER_JOIN.search(definition):
                self.view_fields[view] = "the view has an outer join"
            else:
                try:
                    self.view_fields[view] = wire.describe(definition).fields
                except ServerError as error:
                    self.view_fields[view] = f"its definition cannot be described: {error}"
        return self.view_fields[view]

    def _named_for(
        self, slot: Slot, described: Field, position: int, aliases: set[str], earlier: set[str]
    ) -> bool:
        """Whether the field's name is one the plugin gives the server's column."""
        field_name = slot.label.rsplit(".", 1)[-1]
        column = described.name
        if column in slot.aliases or field_name in (snake(column), f"{snake(column)}_"):
            return True
        if column == "?column?" and field_name == f"column_{position}":
            return True  # sqlc reports no name for SELECT 1, in a query or a view
        if described.table_oid == 0 and column not in aliases:
            # a name the server derives (?column?, coalesce, count): sqlc derives its own
            return True
        if snake(column) in {snake(name) for name in earlier} and field_name in {
            f"{snake(column)}_{n}" for n in range(2, position + 1)
        }:
            return True  # a repeated name (userId, user_id too): the plugin numbers it name_2
        schema_table = self.catalog.relations.get(described.table_oid)
        keys = [column]
        if schema_table is not None:
            keys = [
                f"{schema_table[0]}.{schema_table[1]}.{column}",
                f"{schema_table[1]}.{column}",
                column,
            ]
        return any(self.renames.get(key) == field_name for key in keys)

    def enums(self, models: types.ModuleType) -> None:
        by_name: dict[str, list[PgType]] = {}
        for pg in self.catalog.types.values():
            if pg.typtype == "e":
                by_name.setdefault(pascal(pg.name), []).append(pg)
        for cls in vars(models).values():
            if not (inspect.isclass(cls) and issubclass(cls, enum.StrEnum)):
                continue
            if cls.__module__ != models.__name__:
                continue
            self.report.enums += 1
            values = tuple(member.value for member in cls)
            named = by_name.get(cls.__name__, [])
            if any(pg.labels == values for pg in named):
                continue
            if named:
                theirs = " or ".join(f"{pg.shown} has {pg.labels}" for pg in named)
                self.report.mismatches.append(
                    f"enum {models.__name__}.{cls.__name__}: generated {values},"
                    f" the server's {theirs}"
                )
            elif not any(
                pg.typtype == "e" and pg.labels == values for pg in self.catalog.types.values()
            ):
                self.report.mismatches.append(
                    f"enum {models.__name__}.{cls.__name__}: the server has no enum"
                    f" {snake(cls.__name__)} (nor one with the labels {values})"
                )


def _reads(code: types.CodeType, name: str) -> bool:
    """Whether a function's code (its comprehensions included) reads a global of that name."""
    return name in code.co_names or any(
        _reads(inner, name) for inner in code.co_consts if isinstance(inner, types.CodeType)
    )


def _is_fallback(annotation: Any) -> bool:
    """`object`, or a list of it: what the plugin generates where sqlc could not type a value."""
    if annotation is object:
        return True
    if typing.get_origin(annotation) in (list, collections.abc.Sequence):
        (element,) = typing.get_args(annotation) or (None,)
        return _is_fallback(_strip_none(element))
    return False


def _is_batch_form(cmd: str, sql: str) -> bool:
    """The constant the plugin adds for :batchone/:batchmany (not one whose name ends _BATCH)."""
    body = sql.partition("\n")[2]
    return cmd in (":batchone", ":batchmany") and body.startswith(_BATCH_FORM)


def _aliases(sql: str) -> set[str]:
    """The output names a query spells out (`AS name`), as the server folds them."""
    return {
        quoted.replace('""', '"') if quoted else bare.lower()
        for quoted, bare in _ALIAS.findall(sql)
    }


def _method(module: types.ModuleType, querier_class: str, query: str, constant: str) -> Any:
    """The querier's method that runs a query: the one whose code reads its SQL constant (two
    queries may share a snake_case name, the plugin then names one otherwise), else by name."""
    querier = getattr(module, querier_class, None)
    if querier is None:
        return None
    readers = {
        name: value
        for name, value in vars(querier).items()
        if inspect.isfunction(value) and _reads(value.__code__, constant)
    }
    streams = {f"iter_{name}" for name in readers}  # a :many's streaming twin reads it too
    runners = [value for name, value in readers.items() if name not in streams]
    if len(runners) == 1:
        return runners[0]
    for name in (snake(query), f"{snake(query)}_"):
        if inspect.isfunction(getattr(querier, name, None)):
            return getattr(querier, name)
    return None


def sql_constants(module: types.ModuleType) -> Iterator[tuple[str, str, str, str]]:
    """(constant, query name, command, SQL) for every statement a querier module holds."""
    for constant, value in vars(module).items():
        if constant.isupper() and isinstance(value, str):
            match = _NAME_LINE.match(value)
            if match:
                yield constant, match.group(1), match.group(2), value


def querier_modules(package: types.ModuleType) -> list[types.ModuleType]:
    path = getattr(package, "__path__", None)
    if path is None:
        return [package]
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(path)
        if info.name not in _NOT_QUERIERS and not info.ispkg
    ]


def import_package(name: str) -> types.ModuleType:
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())  # as `python -m` does, for the console script too
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise VerifyError(f"cannot import {name}: {error}") from None


@dataclass(frozen=True)
class Typed:
    """How one generated query is typed: its values that fell back to `object`."""

    query: str
    fallback_parameters: int
    fallback_columns: int
    columns: int  # result columns in all


def typed_queries(package: str) -> list[Typed]:
    """Every query of a generated package (its batch forms once), with its fallback values.

    Needs no server: what the plugin could not type is what it annotated `object`.
    """
    runtime = _Runtime()
    found = []
    for module in querier_modules(import_package(package)):
        for constant, name, cmd, sql in sql_constants(module):
            method = _method(module, "Querier", name, constant)
            if _is_batch_form(cmd, sql) or method is None:
                continue
            try:
                params = parameter_slots(runtime, method)
                results = result_slots(runtime, method, cmd) or []
            except _ShapeError as shape:
                raise VerifyError(f"{name}: {shape}") from None
            found.append(
                Typed(
                    name,
                    sum(_is_fallback(_strip_none(slot.annotation)) for slot in params),
                    sum(_is_fallback(_strip_none(slot.annotation)) for slot in results),
                    len(results),
                )
            )
    return found


def verify(dsn: str, package: str, *, renames: Sequence[tuple[str, str]] = ()) -> Report:
    """Compare every statement and enum of a generated package with the server at dsn.

    renames: (column, field) pairs as the plugin's `rename` option has them ("table.column"
    or "column" keys), for fields named otherwise than their column.
    """
    root = import_package(package)
    modules = querier_modules(root)
    runtime = _Runtime()
    report = Report(package)
    try:
        wire = WireConnection.connect(dsn)
    except WireError as error:
        raise VerifyError(str(error)) from None
    with wire:
        catalog = Catalog.load(wire)
        checker = _Checker(runtime, catalog, report, renames)
        for module in modules:
            for constant, name, cmd, sql in sql_constants(module):
                checker.statement(module, constant, name, cmd, sql, wire)
        models = sys.modules.get(f"{package}.models")
        if models is None and getattr(root, "__path__", None) is not None:
            try:
                models = importlib.import_module(f"{package}.models")
            except ModuleNotFoundError:
                models = None
        if models is not None:
            checker.enums(models)
    return report


def _rename(text: str) -> tuple[str, str]:
    column, sep, name = text.partition("=")
    if not sep or not column or not name.isidentifier():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not COLUMN=FIELD (e.g. authors.lambda=lambda_)"
        )
    return column, name


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sqlc_gen_asyncpg verify",
        description="Prepare every query of a generated package on a live PostgreSQL and name "
        "every parameter, column or enum whose generated type disagrees with the server. "
        "Exit status: 0 all agree, 1 mismatches, 2 verify could not run.",
    )
    parser.add_argument(
        "--dsn",
        default=os.environ.get("DATABASE_URL"),
        help="postgresql://user:password@host:port/database or 'host=... dbname=...' "
        "(default: $DATABASE_URL, else libpq's PGHOST, PGPORT, PGUSER, PGDATABASE, "
        "PGPASSWORD, PGSSLMODE); passwords also from passfile=, $PGPASSFILE or ~/.pgpass; "
        "sslmode=disable|prefer|require|verify-ca|verify-full, sslrootcert=FILE",
    )
    parser.add_argument("--package", required=True, help="the generated package, e.g. app.db")
    parser.add_argument(
        "--rename",
        action="append",
        type=_rename,
        default=[],
        metavar="COLUMN=FIELD",
        help="a rename from the plugin options (repeatable), e.g. authors.lambda=lambda_",
    )
    parser.add_argument("--version", action="version", version=f"sqlc-gen-asyncpg {__version__}")
    args = parser.parse_args(argv)
    try:
        report = verify(args.dsn or "", args.package, renames=args.rename)
    except (VerifyError, WireError) as error:
        print(f"verify: {error}", file=sys.stderr)
        return 2
    for kind in ("not checked", "nullability unknown", "fallback", "mismatch"):
        for line in report.findings()[kind]:
            print(f"{kind}: {line}")
    print(summary(report))
    return 0 if report.agrees else 1


def summary(report: Report) -> str:
    """The last line of verify's output: what was compared, and the verdict."""
    statements = f"{report.statements} statements"
    if report.sync_statements == report.statements and report.statements:
        statements += " (async and sync: the same SQL, both flavours' types)"
    elif report.sync_statements:
        statements += f" ({report.sync_statements} also on SyncQuerier)"
    verdict = "agree" if report.agrees else f"{len(report.mismatches)} mismatches"
    if report.fallbacks:
        verdict += f", {len(report.fallbacks)} fallback values typed object"
    return (
        f"{report.package}: {statements} and {report.enums} enums compared with the server:"
        f" {verdict}"
    )
