"""The tools this backend offers, read from the spec's `x-agb-tools` (no second copy of their schemas).

Each tool's `args` schema validates the decoded `args` string of a `/mcp` call before the sandbox sees
it, and becomes the `inputSchema` listed by listTools.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jsonschema import Draft4Validator

import agb_spec


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


def load_tools(spec: agb_spec.Spec) -> dict[str, ToolSpec]:
    tools = {}
    for name, tool in agb_spec.tools(spec).items():
        schema = agb_spec.json_schema(spec, tool.args)
        tools[name] = ToolSpec(name, tool.description, schema, Draft4Validator(schema))
    return tools
