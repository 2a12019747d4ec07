"""How SQL names become Python names: snake_case, PascalCase, singular class names, members."""

from __future__ import annotations

import keyword
import re
import unicodedata

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _word_chars(name: str) -> str:
    """`name` with every character no identifier may hold made `_`. Letters outside ASCII stay
    (PEP 3131), in the NFKC form Python itself reads them in: what is generated is the name
    Python compares, so two spellings of one name are caught as a collision."""
    name = unicodedata.normalize("NFKC", name)
    return "".join(c if ("_" + c).isidentifier() else "_" for c in name)


# Attributes of pydantic.BaseModel a field must not shadow (pydantic warns or breaks).
BASEMODEL_ATTRIBUTES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)


def snake(name: str) -> str:
    """GetTeamByID -> get_team_by_id; already snake names stay as they are."""
    spaced = _WORD_BOUNDARY.sub("_", name)
    return re.sub(r"_+", "_", _word_chars(spaced)).strip("_").lower()


def upper_snake(name: str) -> str:
    return snake(name).upper()


def pascal(name: str) -> str:
    """team_aliases -> TeamAliases; GetTeam stays GetTeam."""
    parts = [p for p in _word_chars(name).split("_") if p]
    return "".join(p[:1].upper() + p[1:] for p in parts)


_UNCOUNTABLE = frozenset({"data", "metadata", "news", "odds", "series", "species", "sheep", "fish"})


def singular(word: str) -> str:
    """The singular of an English table name, the way sqlc names its Go structs."""
    lower = word.lower()
    if lower in _UNCOUNTABLE:
        return word
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith("yses"):
        return word[:-2] + "is"
    if lower.endswith(("sses", "shes", "ches", "xes", "zes", "uses", "ases")):
        return word[:-2]
    if lower.endswith(("ss", "us", "is", "ys")) or not lower.endswith("s"):
        return word
    return word[:-1]


def class_name(table: str, *, exact: bool) -> str:
    if exact:
        return pascal(table)
    head, _, last = table.rpartition("_")
    return pascal(f"{head}_{singular(last)}" if head else singular(last))


def enum_member(value: str) -> str:
    """A valid upper-case member name for an enum value: 'so-so' -> SO_SO, '1st' -> VALUE_1ST."""
    name = re.sub(r"_+", "_", _word_chars(value)).strip("_").upper()
    if not name:
        return "EMPTY"
    if name[0].isdigit():
        name = f"VALUE_{name}"
    return name


# Field names pydantic 2 warns about (its protected namespaces), even with an underscore added.
_PROTECTED_PREFIXES = ("model_validate", "model_dump")


def unreserved(name: str) -> str:
    """PEP 8's trailing underscore on a keyword or a name pydantic.BaseModel owns: in -> in_."""
    if keyword.iskeyword(name) or name in BASEMODEL_ATTRIBUTES or name.startswith("model_"):
        return f"{name}_"
    return name


def unkeyword(name: str) -> str:
    """PEP 8's trailing underscore on a Python keyword only: a method may be called copy."""
    return f"{name}_" if keyword.iskeyword(name) else name


def is_protected(name: str) -> bool:
    return name.startswith(_PROTECTED_PREFIXES)


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)
