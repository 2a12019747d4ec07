"""The one check every record's values pass before any reaches the driver.

A value PostgreSQL or the driver cannot take would otherwise fail the whole batch or file
far from its line: text with NUL (text and jsonb refuse it) or a lone surrogate (not
encodable as UTF-8), a float that is NaN or infinite (jsonb has neither, numeric columns are
checked apart), and JSON nested so deep that encoding it again would exhaust the stack.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from betdb.importers.fields import FieldError

MAX_DEPTH = 64
"""Levels of JSON nesting a record may have; real features objects use two or three."""

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def check_record(record: Mapping[str, object]) -> None:
    """FieldError naming the first value of `record` that cannot be stored, and where it is."""
    for name, value in record.items():
        if isinstance(value, str):  # the common case first, without the walk
            if UNSTORABLE.search(value):
                check_text(name, value)
        elif value is not None and not isinstance(value, int):  # bool is an int
            check_value(name, value)


def check_value(where: str, value: object) -> None:
    """The same check for one field's value (and everything inside it)."""
    pending: list[tuple[str, object, int]] = [(where, value, 0)]
    while pending:
        place, item, depth = pending.pop()
        if isinstance(item, str):
            check_text(place, item)
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise FieldError(
                    f"{place} is not a finite number (NaN and infinity cannot be stored)"
                )
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise FieldError(f"{where} is nested deeper than {MAX_DEPTH} levels")
            if isinstance(item, dict):
                for key, inner in reversed(item.items()):
                    if not isinstance(key, str):
                        raise FieldError(f"{place} has a key that is not text: {key!r}")
                    check_key(place, key)
                    pending.append((f"{place}.{key}", inner, depth + 1))
            else:
                pending.extend(
                    (f"{place}[{i}]", inner, depth + 1)
                    for i, inner in reversed(list(enumerate(item)))
                )


def check_text(place: str, text: str) -> None:
    found = UNSTORABLE.search(text)
    if found is None:
        return
    if found.group() == "\x00":
        raise FieldError(f"{place} contains a NUL character, which PostgreSQL cannot store")
    raise FieldError(
        f"{place} contains a lone surrogate ({found.group().encode('unicode_escape').decode()}):"
        " text must be valid Unicode"
    )


def check_key(place: str, key: str) -> None:
    try:
        check_text("key", key)
    except FieldError as error:
        raise FieldError(f"{place} has a key that {str(error).removeprefix('key ')}") from None
