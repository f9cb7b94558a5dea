"""The spec's OpenAPI 3.0 schemas as plain JSON Schema (draft 4), for any JSON Schema validator or generator.

One conversion for every reader (agb_local's request and tool-argument validation, the contract tool, the spec
tests): local `$ref`s inlined, `nullable: true` turned into JSON Schema, the OpenAPI-only keywords and the
`x-` extensions dropped. Keywords are told from property names by position (the keys of `properties` are
names, so a property called `example` or `nullable` survives).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .document import Spec, pointer

# OpenAPI's own schema keywords, which JSON Schema does not have; `nullable` is handled below.
_OPENAPI_ONLY = frozenset({"example", "examples", "discriminator", "xml", "externalDocs", "deprecated", "nullable"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "definitions"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_SCHEMA_VALUES = frozenset({"items", "additionalProperties", "not"})
_MAX_DEPTH = 64  # the spec's schemas are not recursive; deeper means a $ref cycle


def json_schema(spec: Spec, node: Any) -> dict[str, Any]:
    """The schema `node` (a `$ref` or a schema object of `spec`) as a self-contained JSON Schema."""
    out = _convert(spec, node, 0)
    if not isinstance(out, dict):
        raise TypeError(f"not a schema: {node!r}")
    return out


def _convert(spec: Spec, node: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise ValueError("schema nesting too deep (a recursive $ref?)")
    if isinstance(node, Mapping) and "$ref" in node:
        return _convert(spec, pointer(spec, node["$ref"]), depth + 1)
    if not isinstance(node, Mapping):
        return node  # `items: true`, `additionalProperties: false`
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _OPENAPI_ONLY or key.startswith("x-"):
            continue
        if key in _SCHEMA_MAPS:
            out[key] = {name: _convert(spec, sub, depth + 1) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS:
            out[key] = [_convert(spec, sub, depth + 1) for sub in value]
        elif key in _SCHEMA_VALUES:
            out[key] = (
                [_convert(spec, sub, depth + 1) for sub in value]
                if isinstance(value, list)
                else _convert(spec, value, depth + 1)
            )
        else:
            out[key] = copy.deepcopy(value)  # enum, default, required...: values, never schemas
    return _nullable(out) if node.get("nullable") is True else out


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI 3.0's `nullable: true`: the schema, or null.

    With a plain `type` this is `type: [t, "null"]` (and `null` added to an `enum`), which keeps validation
    messages and generated values simple; where combinators sit beside it (they would apply to null too) the
    schema is wrapped as `anyOf: [schema, {type: null}]` instead.
    """
    kind = schema.get("type")
    if kind is None or any(key in schema for key in (*_SCHEMA_LISTS, "not")):
        return {"anyOf": [schema, {"type": "null"}]}
    kinds = [kind] if isinstance(kind, str) else list(kind)
    out = {**schema, "type": kinds if "null" in kinds else [*kinds, "null"]}
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    return out
