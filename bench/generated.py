"""The generated code as the benchmarks find it: which row types a query offers, and calls built
from a method's own signature, so a benchmark keeps working when a query gains parameters (an
`observed_at` window, say) or a record-typed variant."""

from __future__ import annotations

import datetime
import functools
import inspect
import typing
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
import pydantic


@dataclass(frozen=True)
class Variant:
    """A Querier method returning a list of rows, and the class of those rows."""

    method: str
    row: type[Any]

    @property
    def is_record(self) -> bool:
        return is_record_row(self.row)


def is_record_row(row: type[Any]) -> bool:
    """A row_type: record row: a typed asyncpg.Record subclass (the Querier), or the typed
    tuple row class of the SyncQuerier; either has to_model()."""
    return issubclass(row, asyncpg.Record) or (issubclass(row, tuple) and hasattr(row, "to_model"))


def row_variants(querier: type[Any], query: str) -> list[Variant]:
    """The non-streaming methods named like `query` (the query itself, `<query>_records`, ...)
    that return list[row], with a pydantic model or a record row class (is_record_row) as row."""
    variants = []
    for name, function in inspect.getmembers(querier, inspect.isfunction):
        if not name.startswith(query):
            continue
        returns = typing.get_type_hints(function).get("return")
        if typing.get_origin(returns) is not list:
            continue
        (row,) = typing.get_args(returns)
        if inspect.isclass(row) and (issubclass(row, pydantic.BaseModel) or is_record_row(row)):
            variants.append(Variant(name, row))
    return sorted(variants, key=lambda v: (v.method != query, v.method))


def model_variant(querier: type[Any], query: str) -> Variant | None:
    return next((v for v in row_variants(querier, query) if not v.is_record), None)


def record_variant(querier: type[Any], query: str) -> Variant | None:
    return next((v for v in row_variants(querier, query) if v.is_record), None)


Values = Mapping[str, object]
_LOWER = ("from", "after", "since", "start", "begin", "low", "min", "lower")
_UPPER = ("to", "before", "until", "end", "high", "max", "upper")


def _value(name: str, annotation: Any, values: Values, window: tuple[Any, Any] | None) -> object:
    if name in values:
        return values[name]
    if window is not None:
        words = set(name.split("_"))
        if words & set(_LOWER):
            return window[0]
        if words & set(_UPPER):
            return window[1]
    raise KeyError(f"no value for parameter {name}: {annotation}")


def _arguments(
    bound: Callable[..., Any],
    values: Values,
    window: tuple[datetime.datetime, datetime.datetime] | None,
) -> tuple[tuple[object, ...], dict[str, object], tuple[object, ...]]:
    """The positional and keyword arguments of a generated method (a params model is built
    from `values`), and the SQL arguments in the method's parameter order."""
    hints = typing.get_type_hints(bound)
    signature = inspect.signature(bound)
    if "params" in signature.parameters:
        model = hints["params"]
        fields = {
            name: _value(name, info.annotation, values, window)
            for name, info in model.model_fields.items()
        }
        return (model(**fields),), {}, tuple(fields.values())
    keywords = {
        name: _value(name, hints.get(name), values, window)
        for name, parameter in signature.parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }
    return (), keywords, tuple(keywords.values())


def call(
    querier: object,
    method: str,
    values: Values,
    window: tuple[datetime.datetime, datetime.datetime] | None = None,
) -> tuple[Callable[[], Awaitable[object]], tuple[object, ...]]:
    """A no-argument call of querier.method with every parameter filled from `values` by name
    (a time-window parameter from `window` by its name: ..._from/_after get the start, ..._to/
    _before the end), and the positional SQL arguments in the method's parameter order."""
    bound = getattr(querier, method)
    args, keywords, sql_args = _arguments(bound, values, window)

    async def filled() -> object:
        return await bound(*args, **keywords)

    return filled, sql_args


def sync_call(
    querier: object,
    method: str,
    values: Values,
    window: tuple[datetime.datetime, datetime.datetime] | None = None,
) -> tuple[Callable[[], object], tuple[object, ...]]:
    """`call` for a SyncQuerier method."""
    bound = getattr(querier, method)
    args, keywords, sql_args = _arguments(bound, values, window)
    return functools.partial(bound, *args, **keywords), sql_args
