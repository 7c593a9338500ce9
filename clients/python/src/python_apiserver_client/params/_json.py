"""Small helpers for reading the API server's JSON (proto JSON: lowerCamel names, 64-bit ints as strings)."""

from __future__ import annotations

import enum
from typing import Any, Dict, Optional, Type, TypeVar

E = TypeVar("E", bound=enum.Enum)

JsonDict = Dict[str, Any]


def pick(dct: JsonDict, *names: str, default: Any = None) -> Any:
    """The value of the first of `names` present in `dct` (the camelCase name first, then the proto name)."""
    for name in names:
        if name in dct:
            return dct[name]
    return default


def as_int(value: Any, field: str, default: int = 0) -> int:
    """An integer from a JSON number or a numeric string; a clear error naming the field otherwise."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ValueError("{}: expected an integer, got {!r}".format(field, value))
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError("{}: expected an integer, got {!r}".format(field, value)) from None


def as_enum(cls: Type[E], value: Any, field: str) -> E:
    """An enum member from its wire value (number or string) or its name (proto JSON may send either)."""
    for member in cls:
        if member.value == value or (isinstance(value, str) and member.name == value):
            return member
        if isinstance(member.value, int) and isinstance(value, str) and value.isdigit() and member.value == int(value):
            return member
    allowed = ", ".join("{} ({!r})".format(m.name, m.value) for m in cls)
    raise ValueError("{}: {!r} is not one of {}".format(field, value, allowed))


def optional_enum(cls: Type[E], dct: JsonDict, field: str, *names: str) -> Optional[E]:
    value = pick(dct, *names)
    return None if value is None else as_enum(cls, value, field)


def require_dict(value: Any, what: str) -> JsonDict:
    if not isinstance(value, dict):
        raise ValueError("{}: expected a JSON object, got {}".format(what, type(value).__name__))
    return value
