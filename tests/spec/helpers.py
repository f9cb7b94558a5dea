"""Small helpers to walk the spec: operations, examples, $ref resolution, schema validation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

METHODS = ("get", "post", "put", "delete", "patch")


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        node = spec
        for part in ref[2:].split("/"):
            node = node[part]
    return node


def rebase_refs(node: Any) -> Any:
    """Point local refs (#/components/...) at the registered spec resource."""
    if isinstance(node, dict):
        return {
            k: ("urn:agb-spec" + v if k == "$ref" and v.startswith("#/") else rebase_refs(v)) for k, v in node.items()
        }
    if isinstance(node, list):
        return [rebase_refs(v) for v in node]
    return node


def validate(spec: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    registry: Registry[Any] = Registry().with_resource("urn:agb-spec", Resource(spec, DRAFT4))
    checker = OAS30Validator(rebase_refs(schema), registry=registry)
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
