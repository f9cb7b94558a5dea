"""Argument checking for tool calls.

The HTTP server validates against the spec too, but the agent must never crash on a bad shape,
and the error text must name the offending argument.
"""

from __future__ import annotations

from typing import Any

from .errors import ToolError

_MISSING = object()


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _get(args: dict[str, Any], name: str, required: bool) -> Any:
    value = args.get(name, _MISSING)
    if value is _MISSING or value is None:
        if required:
            raise ToolError(f"Missing required argument '{name}'")
        return _MISSING
    return value


def get_str(args: dict[str, Any], name: str, *, required: bool = True, default: str | None = None) -> str | None:
    value = _get(args, name, required)
    if value is _MISSING:
        return default
    if not isinstance(value, str):
        raise ToolError(f"Invalid argument '{name}': expected a string, got {_type_name(value)}")
    return value


def get_int(
    args: dict[str, Any], name: str, *, required: bool = True, default: int | None = None, minimum: int | None = None
) -> int | None:
    value = _get(args, name, required)
    if value is _MISSING:
        return default
    # JSON clients sometimes send 5.0 for 5; accept integral floats, refuse booleans.
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or (isinstance(value, float) and not value.is_integer())
    ):
        raise ToolError(f"Invalid argument '{name}': expected an integer, got {_type_name(value)} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ToolError(f"Invalid argument '{name}': must be >= {minimum}, got {value}")
    return value


def get_number(args: dict[str, Any], name: str, *, required: bool = True, default: float | None = None) -> float | None:
    value = _get(args, name, required)
    if value is _MISSING:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ToolError(f"Invalid argument '{name}': expected a number, got {_type_name(value)} {value!r}")
    return float(value)


def get_bool(args: dict[str, Any], name: str, *, default: bool = False) -> bool:
    value = _get(args, name, False)
    if value is _MISSING:
        return default
    if not isinstance(value, bool):
        raise ToolError(f"Invalid argument '{name}': expected a boolean, got {_type_name(value)}")
    return value


def get_str_list(args: dict[str, Any], name: str, *, required: bool = True) -> list[str] | None:
    value = _get(args, name, required)
    if value is _MISSING:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ToolError(f"Invalid argument '{name}': expected an array of strings")
    return value


def get_str_map(args: dict[str, Any], name: str) -> dict[str, str] | None:
    value = _get(args, name, False)
    if value is _MISSING:
        return None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ToolError(f"Invalid argument '{name}': expected an object mapping strings to strings")
    return value
