"""Small helpers to walk the spec: examples, JSON-in-string fields, schema validation (agb_spec does the rest)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft4Validator

import agb_spec
from agb_spec import operations, resolve

__all__ = ["json_string_fields", "operations", "resolve", "schema_examples", "snake", "validate"]


def validate(spec: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    """What is wrong with `instance` under `schema`, through agb_spec's conversion (as every reader checks it)."""
    checker = Draft4Validator(agb_spec.json_schema(spec, schema))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in checker.iter_errors(instance)]


def schema_examples(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Every example in the document, with the schema it must satisfy."""
    for path, method, op in operations(spec):
        where = f"{method.upper()} {path}"
        for param in op.get("parameters", []):
            param = resolve(spec, param)
            if "example" in param:
                yield f"{where} parameter {param['name']}", param["schema"], param["example"]
        body = resolve(spec, op.get("requestBody", {}))
        for media in body.get("content", {}).values():
            if "example" in media:
                yield f"{where} request body", media["schema"], media["example"]
        for status, response in op["responses"].items():
            response = resolve(spec, response)
            for media in response.get("content", {}).values():
                if "example" in media:
                    yield f"{where} response {status}", media["schema"], media["example"]
    for name, schema in spec["components"]["schemas"].items():
        if "example" in schema:
            yield f"components.schemas.{name}", {"$ref": f"#/components/schemas/{name}"}, schema["example"]


def json_string_fields(
    spec: dict[str, Any], schema: Any, value: Any, trail: str = ""
) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """JSON-in-string fields inside `value` whose schema names the decoded shape (x-agb-json-schema)."""
    schema = resolve(spec, schema)
    if not isinstance(schema, dict):
        return
    for part in schema.get("allOf", []):
        yield from json_string_fields(spec, part, value, trail)
    inner = schema.get("x-agb-json-schema")
    if isinstance(value, str) and isinstance(inner, dict) and "$ref" in inner:
        yield trail or "<root>", inner, json.loads(value)
    if isinstance(value, dict):
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                yield from json_string_fields(spec, sub, value[key], f"{trail}/{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            yield from json_string_fields(spec, schema["items"], item, f"{trail}/{i}")


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
