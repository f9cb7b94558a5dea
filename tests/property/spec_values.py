"""Values of the spec's schemas, for hypothesis: each model's schema as JSON Schema, a strategy drawing from it,
and a check of a value against the spec's own (OpenAPI 3.0) schema.

The values come from schemathesis's JSON Schema generator (``schemathesis.generation.jsonschema.builder``,
the one it uses for request bodies; schemathesis is pinned in pyproject.toml). hypothesis-jsonschema is
not used: schemathesis 4 no longer ships it, and its last release (0.23.1) fails on every object schema
with the hypothesis we run (it calls ``many.more()``, gone from hypothesis' internals).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from schemathesis.generation.jsonschema.builder import build

import agb_spec

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "agb.yaml"
SPEC: dict[str, Any] = dict(agb_spec.load(SPEC_PATH))
COMPONENTS: dict[str, Any] = SPEC["components"]["schemas"]

# Models the generator named after an inline schema: where that schema is, and whether the model is the
# non-null branch of a nullable schema (the generator's "...Type0").
INLINE: dict[str, tuple[tuple[str | int, ...], bool]] = {
    "EmptyDataResponseDataType0": (("EmptyDataResponse", "allOf", 1, "properties", "data"), True),
    "ErrorResponseDataType0": (("ErrorResponse", "allOf", 1, "properties", "data"), True),
    "ReleaseSessionResponseDataType0": (("ReleaseSessionResponse", "allOf", 1, "properties", "data"), True),
    "ReadFileArgsFormat": (("ReadFileArgs", "properties", "format"), False),
    "WriteFileArgsMode": (("WriteFileArgs", "properties", "mode"), False),
    "RunCodeErrorType0": (("RunCodeError",), True),
    "RunCodeResultItemApplicationvndVegaliteV5Json": (
        ("RunCodeResultItem", "properties", "application/vnd.vegalite.v5+json"),
        False,
    ),
    "ShellArgsEnvs": (("ShellArgs", "properties", "envs"), False),
    "NestedEnvelopeBody": (("NestedEnvelope", "properties", "body"), False),
    "RunCodeResultItemApplicationvndVegaliteV4Json": (
        ("RunCodeResultItem", "properties", "application/vnd.vegalite.v4+json"),
        False,
    ),
    "RunCodeResultItemShortNamesChart": (("RunCodeResultItemShortNames", "properties", "chart"), False),
    "LinkCallToolRequestArgs": (("LinkCallToolRequest", "properties", "args"), False),
    # a path from "components" starts at the spec's root (a shared parameter's schema)
    "GetLinkProtocolType": (("components", "parameters", "LinkProtocolType", "schema"), False),
    "GetLinkMcpProtocolType": (("components", "parameters", "LinkProtocolType", "schema"), False),
    "ToolDescriptorInputSchema": (("ToolDescriptor", "properties", "inputSchema"), False),
    "ContextTypesItem": (("ContextTypes", "items"), False),
    "DownloadPolicyDownloadStrategy": (("DownloadPolicy", "properties", "downloadStrategy"), False),
    "RecyclePolicyLifecycle": (("RecyclePolicy", "properties", "lifecycle"), False),
    "UploadPolicyUploadMode": (("UploadPolicy", "properties", "uploadMode"), False),
    "UploadPolicyUploadStrategy": (("UploadPolicy", "properties", "uploadStrategy"), False),
}


def schema_of(model: str) -> dict[str, Any]:
    """The JSON Schema of the values `model` stands for (agb_spec's conversion, as every reader's)."""
    if model in COMPONENTS:
        return agb_spec.json_schema(SPEC, {"$ref": f"#/components/schemas/{model}"})
    path, non_null = INLINE[model]
    node: Any = SPEC if path[0] == "components" else COMPONENTS
    for step in path:
        node = node[step]
    return agb_spec.json_schema(SPEC, {k: v for k, v in node.items() if not (non_null and k == "nullable")})


@cache
def values_of(model: str) -> st.SearchStrategy[Any]:
    return build(schema_of(model), draft=jsonschema_rs.Draft4, formats={})


def spec_schema_of(model: str) -> dict[str, Any]:
    """The model's schema exactly as the spec has it, refs resolved against the spec document."""
    if model in COMPONENTS:
        return {"$ref": f"urn:agb-spec#/components/schemas/{model}"}
    path, non_null = INLINE[model]
    full = path if path[0] == "components" else ("components", "schemas", *path)
    pointer = "/".join(str(step).replace("~", "~0").replace("/", "~1") for step in full)
    if not non_null:
        return {"$ref": f"urn:agb-spec#/{pointer}"}
    # the non-null branch: the schema less its `nullable`, its refs made absolute
    node: Any = COMPONENTS
    for step in path:
        node = node[step]
    text = json.dumps({k: v for k, v in node.items() if k != "nullable"}).replace('"#/', '"urn:agb-spec#/')
    return dict(json.loads(text))


REGISTRY: Registry[Any] = Registry().with_resource("urn:agb-spec", Resource(SPEC, DRAFT4))


def spec_errors(model: str, value: Any) -> list[str]:
    validator = OAS30Validator(spec_schema_of(model), registry=REGISTRY)
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(value)]
