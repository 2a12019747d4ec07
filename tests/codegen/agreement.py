"""Compare a generated querier module with what PostgreSQL says about each of its statements.

For every SQL constant the server prepares the statement (asyncpg's get_parameters and
get_attributes, plus RowDescription's table columns through codegen.wire), and every parameter
and result column must carry the Python type asyncpg produces for the server's type. The
expected types are spelled out here, apart from the plugin's own table (pgtypes.py), so a wrong
mapping there cannot agree with itself.

Deliberate differences, which this module accepts:
- Parameters: PostgreSQL does not know whether a parameter may be NULL; sqlc.narg decides.
- Computed result columns (no table column behind them) may be `T | None` whatever sqlc
  reports: sqlc claims NOT NULL for sum(), max() and casts of them, which can be NULL. They
  are `T` only where the author vouches for them with the `not_null` option.
- A result column from a NOT NULL table column may be `T | None` on the nullable side of an
  outer join (the server still reports the table column).
- Overrides: a column override must keep the base type (pydantic `Annotated[T, ...]`).
- timestamp and timestamptz both map to datetime; the execution tests check tzinfo.
"""

from __future__ import annotations

import collections.abc
import datetime
import decimal
import enum
import inspect
import ipaddress
import re
import types
import typing
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import pydantic

from sqlc_gen_asyncpg.names import snake

from .wire import Description, WireConnection

_EXPECTED: dict[str, frozenset[Any]] = {
    name: frozenset(python)
    for name, python in {
        "bool": {bool},
        "int2": {int},
        "int4": {int},
        "int8": {int},
        "oid": {int},
        "float4": {float},
        "float8": {float},
        "numeric": {decimal.Decimal},
        "text": {str},
        "varchar": {str},
        "bpchar": {str},
        "char": {str},
        "name": {str},
        "citext": {str},
        "bytea": {bytes},
        "uuid": {uuid.UUID},
        "date": {datetime.date},
        "time": {datetime.time},
        "timetz": {datetime.time},
        "timestamp": {datetime.datetime},
        "timestamptz": {datetime.datetime},
        "interval": {datetime.timedelta},
        "json": {pydantic.JsonValue},
        "jsonb": {pydantic.JsonValue},
        "inet": {
            ipaddress.IPv4Address,
            ipaddress.IPv6Address,
            ipaddress.IPv4Interface,
            ipaddress.IPv6Interface,
        },
        "cidr": {ipaddress.IPv4Network, ipaddress.IPv6Network},
    }.items()
}

_OUTER_JOIN = re.compile(r"\b(LEFT|RIGHT|FULL)\s+(OUTER\s+)?JOIN\b", re.IGNORECASE)
_NAME_LINE = re.compile(r"^-- name: (\w+) (:\w+)\n")


@dataclass(frozen=True)
class PgType:
    name: str
    schema: str
    typtype: str
    category: str
    element: int
    base: int
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    types: dict[int, PgType]
    not_null: dict[tuple[int, int], bool]

    @classmethod
    async def load(cls, conn: asyncpg.Connection) -> Catalog:
        rows = await conn.fetch(
            """
            SELECT t.oid, t.typname, n.nspname, t.typtype, t.typcategory, t.typelem,
                   t.typbasetype,
                   coalesce((SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder)
                             FROM pg_enum e WHERE e.enumtypid = t.oid), '{}') AS labels
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            """
        )
        columns = await conn.fetch(
            "SELECT attrelid, attnum, attnotnull FROM pg_attribute WHERE attnum > 0"
        )
        return cls(
            {
                r["oid"]: PgType(
                    r["typname"],
                    r["nspname"],
                    r["typtype"].decode() if isinstance(r["typtype"], bytes) else r["typtype"],
                    r["typcategory"].decode()
                    if isinstance(r["typcategory"], bytes)
                    else r["typcategory"],
                    r["typelem"],
                    r["typbasetype"],
                    tuple(r["labels"]),
                )
                for r in rows
            },
            {(c["attrelid"], c["attnum"]): c["attnotnull"] for c in columns},
        )


@dataclass(frozen=True)
class Slot:
    """One parameter or result column as the generated code types it."""

    label: str
    annotation: Any
    nullable_by_embed: bool = False


def _members(annotation: Any) -> tuple[frozenset[Any], bool]:
    """The union members of an annotation without None, and whether None was among them."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = frozenset(typing.get_args(annotation))
        return args - {type(None)}, type(None) in args
    return frozenset({annotation}), False


def _strip_none(annotation: Any) -> Any:
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return annotation
    members = tuple(a for a in typing.get_args(annotation) if a is not type(None))
    return members[0] if len(members) == 1 else typing.Union[members]  # noqa: UP007


def _is_model(annotation: Any) -> bool:
    return inspect.isclass(annotation) and issubclass(annotation, pydantic.BaseModel)


def _fields(model: type[pydantic.BaseModel], prefix: str, *, nullable: bool) -> Iterator[Slot]:
    hints = typing.get_type_hints(model)  # Annotated[T, ...] of an override becomes T
    for name in model.model_fields:
        members, optional = _members(hints[name])
        embedded = next(iter(members)) if len(members) == 1 else None
        if embedded is not None and _is_model(embedded):
            yield from _fields(embedded, f"{prefix}{name}.", nullable=nullable or optional)
        else:
            yield Slot(f"{prefix}{name}", hints[name], nullable_by_embed=nullable)


def parameter_slots(method: Any) -> list[Slot]:
    hints = typing.get_type_hints(method)
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
        model = next(m for m in members if _is_model(m))
        (values,) = members - {model}
        hints = typing.get_type_hints(model)
        fields = [_members(hints[name]) for name in model.model_fields]
        tuple_form = [_members(item) for item in typing.get_args(values)]
        assert tuple_form == fields, f"{values} differs from {model}"
        annotation = model
    return list(_fields(annotation, "", nullable=False))


def result_slots(method: Any, cmd: str) -> list[Slot] | None:
    """The result columns one row of the method holds, or None for a command without rows."""
    returns = typing.get_type_hints(method)["return"]
    if cmd in (":exec", ":batchexec"):
        assert returns is type(None), returns
        return None
    if cmd in (":execrows", ":copyfrom"):
        assert returns is int, returns
        return None
    if cmd == ":execresult":
        assert returns is str, returns
        return None
    if cmd == ":one":
        _, optional = _members(returns)
        assert optional, f":one must return T | None, not {returns}"
        row = _strip_none(returns)
    elif cmd == ":many":
        assert typing.get_origin(returns) is list, returns
        (row,) = typing.get_args(returns)
    elif cmd == ":batchone":
        assert typing.get_origin(returns) is list, returns
        (one,) = typing.get_args(returns)
        row = _strip_none(one)
    else:
        assert typing.get_origin(returns) is list, returns
        (inner,) = typing.get_args(returns)
        assert typing.get_origin(inner) is list, returns
        (row,) = typing.get_args(inner)
    if inspect.isclass(row) and issubclass(row, asyncpg.Record) and row is not asyncpg.Record:
        row = typing.get_type_hints(row.to_model)["return"]  # a record's columns: the model's
    if _is_model(row):
        return list(_fields(row, "", nullable=False))
    return [Slot("(the value)", row)]


def type_errors(catalog: Catalog, oid: int, annotation: Any, *, param: bool) -> list[str]:
    """Why the annotation is not what asyncpg hands out (or accepts) for the type; [] if it is."""
    pg = catalog.types[oid]
    while pg.typtype == "d":
        pg = catalog.types[pg.base]
    members, _ = _members(annotation)
    shown = f"{pg.schema}.{pg.name}"
    if pg.category == "A":
        (container,) = members if len(members) == 1 else (None,)
        wanted = collections.abc.Sequence if param else list
        if typing.get_origin(container) is not wanted:
            return [f"{shown} needs {wanted.__name__}[...], not {annotation}"]
        (element,) = typing.get_args(container)
        inner, _ = _members(element)
        if len(inner) == 1 and typing.get_origin(next(iter(inner))) is wanted:
            return type_errors(catalog, oid, _strip_none(element), param=param)  # more dims
        return type_errors(catalog, pg.element, _strip_none(element), param=param)
    if pg.typtype == "e":
        (cls,) = members if len(members) == 1 else (None,)
        if not (inspect.isclass(cls) and issubclass(cls, enum.StrEnum)):
            return [f"{shown} is an enum and needs its StrEnum, not {annotation}"]
        values = tuple(member.value for member in cls)
        if values != pg.labels:
            return [f"{cls.__name__} has {values}, the server's {shown} has {pg.labels}"]
        return []
    if pg.typtype == "c":
        wanted_composite = (
            typing.get_origin(next(iter(members))) is tuple
            if param
            else (members == {asyncpg.Record})
        )
        return [] if wanted_composite else [f"composite {shown} typed {annotation}"]
    expected = _EXPECTED.get(pg.name)
    if expected is None:
        return [f"no expectation written for {shown}: add it to codegen.agreement"]
    if members != expected:
        return [f"{shown} needs {' | '.join(sorted(map(_name, expected)))}, not {annotation}"]
    return []


def _name(python: Any) -> str:
    return getattr(python, "__qualname__", str(python))


def sql_constants(module: types.ModuleType) -> Iterator[tuple[str, str, str, str]]:
    """(constant, query name, command, SQL) for every statement a querier module holds."""
    for constant, value in vars(module).items():
        if constant.isupper() and isinstance(value, str):
            match = _NAME_LINE.match(value)
            if match:
                yield constant, match.group(1), match.group(2), value


async def disagreements(
    conn: asyncpg.Connection,
    wire: WireConnection,
    catalog: Catalog,
    module: types.ModuleType,
    *,
    renames: dict[str, str],
) -> tuple[list[str], int]:
    """Every difference between the module's annotations and the server; and how many ran.

    renames: result column -> field name, as the plugin's `rename` option says.
    """
    problems: list[str] = []
    checked = 0
    for constant, name, cmd, sql in sql_constants(module):
        method = getattr(module.Querier, snake(name))
        where = f"{module.__name__}.{constant}"
        statement = await conn.prepare(sql)
        server_params = statement.get_parameters()
        server_columns = statement.get_attributes()
        described: Description = await wire.describe(sql)
        assert [p.oid for p in server_params] == list(described.parameter_oids), where
        assert [a.type.oid for a in server_columns] == [f.type_oid for f in described.fields]
        checked += 1
        params = parameter_slots(method)
        results = result_slots(method, cmd)
        if constant.endswith("_BATCH"):
            # the batch form adds the index of the parameter set, as the last parameter and column
            assert server_params[-1].name == "int4", where
            assert server_columns[-1].name == "batch_index", where
            server_params, server_columns = server_params[:-1], server_columns[:-1]
            described = Description(described.parameter_oids[:-1], described.fields[:-1])
        if len(params) != len(server_params):
            problems.append(
                f"{where}: {len(params)} parameters, the server has {len(server_params)}"
            )
            continue
        for slot, server in zip(params, server_params, strict=True):
            for error in type_errors(catalog, server.oid, slot.annotation, param=True):
                problems.append(f"{where}: parameter {slot.label}: {error}")
        if results is None:
            continue
        if len(results) != len(server_columns):
            problems.append(
                f"{where}: {len(results)} result columns, the server has {len(server_columns)}"
            )
            continue
        for slot, field in zip(results, described.fields, strict=True):
            label = f"{where}: column {slot.label}"
            if slot.label != "(the value)":
                last = slot.label.rsplit(".", 1)[-1]
                if renames.get(field.name, snake(field.name)) != last:
                    problems.append(f"{label} is the server's column {field.name!r}")
            for error in type_errors(catalog, field.type_oid, slot.annotation, param=False):
                problems.append(f"{label}: {error}")
            _, optional = _members(slot.annotation)
            if field.table_oid == 0:
                continue  # computed: the server does not know; see the module docstring
            not_null = catalog.not_null[(field.table_oid, field.column_number)]
            if not not_null and not optional:
                problems.append(f"{label} comes from a nullable table column but is not optional")
            if not_null and optional and not slot.nullable_by_embed and not _OUTER_JOIN.search(sql):
                problems.append(f"{label} comes from a NOT NULL table column but is optional")
    return problems, checked
