"""The argument checks' fast path: an override's validators, called directly on a value of its
exact type, give what pydantic's full check gives, value or error, word for word.

No SQL runs here: `Arguments` decides before the driver is called (the execution tests run
the same class through the generated queriers on the server)."""

from __future__ import annotations

import decimal
import sys
from collections.abc import Callable
from typing import Annotated, Any

import pytest
from pydantic import AfterValidator, BeforeValidator, Field, PlainValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from codegen.golden.everything.db import Arguments, InvalidArgumentsError


def odd(value: int) -> int:
    if value % 2 == 0:
        raise ValueError(f"{value} is even")
    return value


def doubled(value: int) -> int:
    return value * 2


def below_ten(value: int) -> int:
    assert value < 10, f"{value} is 10 or more"
    return value


def club(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def length(value: Any) -> Any:
    return len(value) if isinstance(value, str) else value  # a str becomes an int


def shouting(value: Any) -> str:
    if not isinstance(value, str) or not value.isupper():
        raise PydanticCustomError("shout", "say {value!r} louder", {"value": value})
    return value


def not_negative(value: decimal.Decimal) -> decimal.Decimal:
    if value < 0:
        raise ValueError("a cost is never negative")
    return value


def odd_with_info(value: int, info: ValidationInfo) -> int:
    return odd(value)


# (annotation, the class the generated exact function would test, values to try)
CASES: list[tuple[Any, type, list[Any]]] = [
    (Annotated[int, AfterValidator(odd)], int, [3, 4, "5", "6", True, None, 2.0]),
    (Annotated[int, AfterValidator(doubled), AfterValidator(below_ten)], int, [4, 5, "4"]),
    (Annotated[int, AfterValidator(below_ten), AfterValidator(doubled)], int, [9, 10, "9"]),
    (Annotated[str, BeforeValidator(club)], str, [" nyy ", "NYY", 7, b"x"]),
    (Annotated[str, BeforeValidator(length)], str, ["abc", 5]),
    (Annotated[str, BeforeValidator(club), AfterValidator(shouting)], str, ["a", " a ", "A"]),
    (Annotated[str, AfterValidator(shouting), PlainValidator(length)], str, ["ab", 3]),
    (Annotated[str, PlainValidator(shouting)], str, ["LOUD", "quiet", 3]),
    (
        Annotated[decimal.Decimal, AfterValidator(not_negative)],
        decimal.Decimal,
        [decimal.Decimal("1.5"), decimal.Decimal(-1), decimal.Decimal("NaN"), -1, "2.5"],
    ),
    (Annotated[int, AfterValidator(odd_with_info)], int, [3, 4]),  # takes info: TypeAdapter
    (Annotated[int, Field(ge=0)], int, [1, -1]),  # not a validator: TypeAdapter
    (Annotated[int, Field(ge=0), AfterValidator(odd)], int, [3, 4, -3]),
]


def checks(annotation: Any, base: type) -> tuple[Arguments[Any], Arguments[Any]]:
    """The same query's arguments with the fast path, as generated, and with the full check only."""
    shape: Any = tuple[annotation | None]

    def exact(v: tuple[Any, ...]) -> bool:
        return len(v) == 1 and (v[0] is None or type(v[0]) is base)

    fast = Arguments(shape, "Q", ("x",), exact=exact, overrides=((0, annotation),))
    return fast, Arguments(shape, "Q", ("x",))


def outcome(check: Callable[[tuple[Any, ...]], Any], value: Any) -> tuple[str, Any]:
    try:
        result = check((value,))
    except InvalidArgumentsError as error:
        # ctx holds the exception raised, which compares by identity
        return "refused", (str(error), [(e["type"], e["loc"], e["msg"]) for e in error.errors])
    return "passed", [(type(v), v) for v in result]


@pytest.mark.parametrize(
    ("annotation", "base", "value"),
    [(annotation, base, value) for annotation, base, values in CASES for value in values],
)
def test_the_fast_path_gives_what_the_full_check_gives(
    annotation: Any, base: type, value: Any
) -> None:
    fast, full = checks(annotation, base)
    assert outcome(fast.validate_python, value) == outcome(full.validate_python, value)


def test_an_after_validator_is_called_directly_on_a_value_of_its_exact_type() -> None:
    callers: list[str] = []

    def odd_seen(value: int) -> int:
        callers.append(sys._getframe(1).f_code.co_filename)
        return odd(value)

    fast, full = checks(Annotated[int, AfterValidator(odd_seen)], int)
    assert fast.validate_python((3,)) == (3,)
    assert full.validate_python((3,)) == (3,)
    # directly from the generated db.py, not from inside pydantic
    assert [caller.rsplit("/", 2)[-2:] for caller in callers] == [
        ["everything", "db.py"],
        ["pydantic", "type_adapter.py"],
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (4, "Q: x: Value error, 4 is even"),
        ("6", "Q: x: Value error, 6 is even"),  # converted first, by the full check
    ],
)
def test_a_value_the_validator_refuses_reads_the_same_either_way(value: Any, message: str) -> None:
    fast, _ = checks(Annotated[int, AfterValidator(odd)], int)
    with pytest.raises(InvalidArgumentsError) as refused:
        fast.validate_python((value,))
    assert str(refused.value) == message
    assert refused.value.errors[0]["loc"] == (0,)


def test_a_value_a_validator_changes_is_returned_changed() -> None:
    fast, _ = checks(Annotated[str, BeforeValidator(club)], str)
    assert fast.validate_python((" ari ",)) == ("ARI",)
    unchanged, _ = checks(Annotated[int, AfterValidator(odd)], int)
    given = (3,)
    assert unchanged.validate_python(given) is given  # nothing changed: nothing copied
