"""Hypothesis strategies for input that tries to get in: SQL metacharacters, quotes, NUL bytes,
lone surrogates, very long and exotic text, and JSON made of all of it."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

FRAGMENTS = [
    "'",
    "''",
    '"',
    ";",
    "--",
    "/*",
    "*/",
    "\\",
    "\\'",
    "$1",
    "$2::text",
    "$$",
    "$tag$",
    "%s",
    "%(name)s",
    "{0}",
    "?",
    ":name",
    "\x00",
    "\ud800",
    "\udfff",
    "\n",
    "\r\n",
    "\t",
    " ",
    "\u200b",
    "\ufeff",
    "é",
    "\U0001f600",
    "\u017f",
    "ß",
    "NULL",
    "null",
    "' OR '1'='1",
    "'); DROP TABLE teams; --",
    "E'\\x00'",
    "U&'\\0000'",
    "\\u0000",
    "%00",
    "\\x00",
]

# Every code point, surrogates included (Hypothesis leaves them out unless asked).
any_character = st.one_of(
    st.characters(exclude_categories=()),
    st.characters(categories=["Cs"]),
)


def _long_text(seed: int, size: int) -> str:
    """Text that does not compress, so that it really is long on disk and in an index."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'\";-/*\\$ é"
    return "".join(random.Random(seed).choices(alphabet, k=size))


long_text = st.builds(_long_text, st.integers(0, 2**32), st.sampled_from([3_000, 100_000]))

hostile_text = st.one_of(
    st.text(any_character, max_size=40),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=8).map("".join),
    st.sampled_from(FRAGMENTS).flatmap(lambda f: st.integers(1, 400).map(lambda n: f * n)),
    long_text,
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)

hostile_json_object: st.SearchStrategy[dict[str, Any]] = st.dictionaries(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(any_character, max_size=10)),
    st.recursive(
        json_scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=6,
    ),
    max_size=4,
)


def is_storable(text: str) -> bool:
    """Whether PostgreSQL text can hold it: any Unicode scalar value except NUL."""
    return "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def json_strings(value: Any) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *json_strings(v)]]
    if isinstance(value, list):
        return [s for item in value for s in json_strings(item)]
    return []
