"""The spec model: what the spec says, indexed for the checks (operations, tools, JSON-in-string fields), and the
spec as schemathesis gets it."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import jsonschema_rs

import agb_spec

resolve = agb_spec.resolve
json_schema = agb_spec.json_schema  # OpenAPI 3.0 schema -> self-contained JSON Schema (draft 4), for every reader


def load_spec(path: str | Path | None = None) -> dict[str, Any]:
    """The spec at `path`, default the one shipped with agb_spec; a copy, so that a run may edit it."""
    return copy.deepcopy(dict(agb_spec.load(path)))


def without_operations(spec: dict[str, Any], operation_ids: set[str]) -> dict[str, Any]:
    """The spec minus some operations and the links that lead to them (the operations a backend does not offer)."""
    doc = copy.deepcopy(spec)
    for path, item in list(doc["paths"].items()):
        for method in [m for m, op in item.items() if m in agb_spec.METHODS and op["operationId"] in operation_ids]:
            del item[method]
        if not any(m in agb_spec.METHODS for m in item):
            del doc["paths"][path]
    for _, _, op in agb_spec.operations(doc):
        for response in op.get("responses", {}).values():
            links = response.get("links", {}) if "$ref" not in response else {}
            for name in [n for n, link in links.items() if link.get("operationId") in operation_ids]:
                del links[name]
    return doc


def for_schemathesis(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec as schemathesis gets it: the same constraints, spelled so schemathesis 4.32.5 can generate them.

    A schema with both `pattern` and `minLength`/`maxLength` is rewritten by schemathesis into one pattern with
    bounded quantifiers; its serializer writes a literal `}` unescaped, which ECMA regex (unicode mode) rejects,
    so negative generation for the query parameters `labels`/`Labels` (LabelsJson) fails with "unsupported
    regular expression". `allOf: [{pattern}, {maxLength}]` states exactly the same constraint and is not
    rewritten. Nothing else changes.
    """
    doc = copy.deepcopy(spec)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "pattern" in node and ("maxLength" in node or "minLength" in node):
                parts = [{"pattern": node.pop("pattern")}]
                for key in ("minLength", "maxLength"):
                    if key in node:
                        parts.append({key: node.pop(key)})
                node["allOf"] = [*node.get("allOf", []), *parts]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    return doc


def schema_errors(schema: dict[str, Any], instance: Any) -> list[str]:
    validator = jsonschema_rs.Draft4Validator(schema)
    return [f"{'/'.join(map(str, e.instance_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(instance)]


@dataclasses.dataclass
class Operation:
    operation_id: str
    method: str
    path: str
    definition: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def session_id_in(self) -> str | None:
        """Where this operation takes a session id: "body", "query" or None."""
        for param in self.definition.get("parameters", []):
            if param.get("$ref", "").endswith("/SessionIdQuery") or param.get("name") == "sessionId":
                return "query"
        body = self.definition.get("requestBody", {})
        if body.get("$ref", "").endswith("/SessionIdBody") or self.operation_id == "callTool":
            return "body"
        return None


class Contract:
    """What the spec says, indexed for the checks."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.operations: dict[str, Operation] = {}
        for path, item in spec["paths"].items():
            for method, definition in item.items():
                if method in ("get", "post", "put", "delete", "patch"):
                    op = Operation(definition["operationId"], method.upper(), path, definition)
                    self.operations[op.operation_id] = op
        self.by_label = {op.label: op for op in self.operations.values()}
        self.idempotent = agb_spec.idempotent_operations(spec)
        tools = spec["paths"]["/mcp"]["post"]["x-agb-tools"]
        self.tools: dict[str, dict[str, Any]] = {}
        for name, entry in tools.items():
            output = resolve(spec, entry["output"])
            self.tools[name] = {
                "args_ref": entry["args"]["$ref"],
                "output_ref": entry["output"]["$ref"],
                "args": json_schema(spec, entry["args"]),
                "output": json_schema(spec, entry["output"]),
                "output_is_text": output.get("type") == "string",
            }
        self.labels_schema = json_schema(spec, {"$ref": "#/components/schemas/Labels"})

    def op_of(self, case: Any) -> Operation | None:
        return self.by_label.get(f"{case.method.upper()} {case.operation.path}")

    def documented_code(self, op: Operation, status: int) -> str | None:
        """The error `code` the operation's own response for `status` shows in its example, if it has one
        (the session-token 401 of the LinkUrl route is InvalidAccessToken, the key's is InvalidApiKey)."""
        response = resolve(self.spec, op.definition["responses"].get(str(status), {}))
        example = response.get("content", {}).get("application/json", {}).get("example")
        code = example.get("code") if isinstance(example, dict) else None
        return code if isinstance(code, str) and code else None

    def declared_codes(self, op: Operation, status: int) -> tuple[str, ...]:
        """The error codes the spec says a reply of this status carries (its response's `x-agb-codes`)."""
        response = resolve(self.spec, op.definition["responses"].get(str(status), {}))
        return tuple(response.get("x-agb-codes", ()))

    @property
    def token_scheme(self) -> bool:
        """Whether some operation is authorised by a session's token (the LinkUrl route's `accessToken`)."""
        return "accessToken" in self.spec.get("components", {}).get("securitySchemes", {})

    def json_in_string_fields(self, operation_id: str, status: int) -> list[tuple[list[str], dict[str, Any]]]:
        """(path in the reply, decoded schema) of every `x-agb-json-schema` string field of a reply."""
        response = resolve(self.spec, self.operations[operation_id].definition["responses"].get(str(status), {}))
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        found: list[tuple[list[str], dict[str, Any]]] = []

        def walk(node: Any, where: list[str], depth: int = 0) -> None:
            node = resolve(self.spec, node)
            if not isinstance(node, dict) or depth > 8:
                return
            target = node.get("x-agb-json-schema")
            if isinstance(target, dict) and "$ref" in target:
                found.append((where, json_schema(self.spec, target)))
            for part in node.get("allOf", []):
                walk(part, where, depth + 1)
            for name, sub in node.get("properties", {}).items():
                walk(sub, [*where, name], depth + 1)

        walk(schema, [])
        return found
