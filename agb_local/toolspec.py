"""The tools this backend offers, read from the spec's `x-agb-tools` (no second copy of their schemas).

Each tool's `args` schema validates the decoded `args` string of a `/mcp` call before the sandbox sees
it, and becomes the `inputSchema` listed by listTools.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft4Validator


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    input_schema: dict[str, Any]
    validator: Draft4Validator

    def problems(self, args: dict[str, Any]) -> list[str]:
        found = []
        for error in sorted(self.validator.iter_errors(args), key=lambda e: list(e.absolute_path)):
            where = ".".join(str(p) for p in error.absolute_path)
            found.append(f"argument '{where}': {error.message}" if where else error.message)
        return found


def _inline(spec: dict[str, Any], node: Any) -> Any:
    """Resolve local $refs recursively into one self-contained JSON Schema."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _inline(spec, target)
        return {k: _inline(spec, v) for k, v in node.items() if k not in ("example", "nullable")}
    if isinstance(node, list):
        return [_inline(spec, v) for v in node]
    return node


def load_tools(spec: dict[str, Any]) -> dict[str, ToolSpec]:
    declared = spec["paths"]["/mcp"]["post"]["x-agb-tools"]
    tools = {}
    for name, entry in declared.items():
        schema = _inline(spec, copy.deepcopy(entry["args"]))
        tools[name] = ToolSpec(name, entry.get("description", ""), schema, Draft4Validator(schema))
    return tools
