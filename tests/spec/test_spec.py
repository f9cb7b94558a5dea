"""The spec is valid, complete (security, examples) and its examples satisfy their own schemas."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_spec_validator import validate as validate_openapi

import agb_spec

from .conftest import SPEC_PATH
from .helpers import json_string_fields, operations, resolve, schema_examples, validate

EXPECTED_OPERATIONS = {
    ("post", "/mcp/createSession"): "createSession",
    ("post", "/mcp/getSession"): "getSession",
    ("post", "/mcp/getSessionInfo"): "getSessionInfo",
    ("post", "/mcp/getMcpResource"): "getMcpResource",
    ("post", "/mcp/releaseSession"): "releaseSession",
    ("post", "/mcp/releaseSessionAsync"): "releaseSessionAsync",
    ("post", "/mcp/refreshSessionIdleTime"): "refreshSessionIdleTime",
    ("get", "/sdk/ListSession"): "listSessions",
    ("post", "/sdk/SetLabel"): "setLabel",
    ("get", "/sdk/GetLabel"): "getLabel",
    ("post", "/mcp"): "callTool",
    ("post", "/mcp/listTools"): "listTools",
    ("get", "/sdk/ListContexts"): "listContexts",
    ("get", "/sdk/GetContext"): "getContext",
    ("post", "/sdk/ModifyContext"): "modifyContext",
    ("post", "/sdk/DeleteContext"): "deleteContext",
    ("post", "/sdk/ClearContext"): "clearContext",
    ("post", "/sdk/DescribeContextFiles"): "describeContextFiles",
    ("post", "/sdk/DeleteContextFile"): "deleteContextFile",
    ("post", "/sdk/GetContextFileUploadUrl"): "getContextFileUploadUrl",
    ("post", "/sdk/GetContextFileDownloadUrl"): "getContextFileDownloadUrl",
    ("post", "/sdk/GetAndLoadInternalContext"): "getAndLoadInternalContext",
    ("post", "/sdk/SyncContext"): "syncContext",
    ("get", "/sdk/GetContextInfo"): "getContextInfo",
    ("put", "/presigned/context-file"): "putPresignedContextFile",
    ("get", "/presigned/context-file"): "getPresignedContextFile",
    ("get", "/internet/getLink"): "getLink",
    ("get", "/mcp/getLink"): "getLinkMcp",
    ("post", "/link/callTool"): "linkCallTool",
    ("post", "/browser/init"): "initBrowser",
    ("post", "/internet/getCdpLink"): "getCdpLink",
}
# The direct tool route is authorised by the session's token, not by the API key.
TOKEN_OPERATIONS = {"linkCallTool"}


def test_spec_is_valid_openapi_303(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.0.3"
    validate_openapi(spec)


def test_every_wire_endpoint_is_described(spec: dict[str, Any]) -> None:
    found = {(method, path): op["operationId"] for path, method, op in operations(spec)}
    assert found == EXPECTED_OPERATIONS


@pytest.mark.parametrize("method,path", sorted(EXPECTED_OPERATIONS))
def test_operation_has_security_examples_and_error_envelopes(spec: dict[str, Any], method: str, path: str) -> None:
    op = spec["paths"][path][method]
    presigned = op.get("x-agb-presigned") is True
    # A presigned URL is its own permission: it takes no key, and a bad one is a 403, not a 401.
    scheme = "accessToken" if op["operationId"] in TOKEN_OPERATIONS else "bearerAuth"
    assert op.get("security") == ([] if presigned else [{scheme: []}]), f"{scheme}, or a presigned URL"
    assert op.get("description") and op.get("summary")
    ok = resolve(spec, op["responses"]["200"])
    assert "example" in next(iter(ok["content"].values())), "a success example"
    assert "x-request-id" in ok["headers"]
    for status in ("400", "403" if presigned else "401", "500"):
        error = resolve(spec, op["responses"][status])
        schema = error["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorResponse"}
        assert error["content"]["application/json"]["example"]["success"] is False
    body = resolve(spec, op.get("requestBody", {}))
    for media in body.get("content", {}).values():
        assert "example" in media, "a request example"


def test_session_operations_document_404(spec: dict[str, Any]) -> None:
    for path, method, op in operations(spec):
        takes_session = any(resolve(spec, p)["name"] == "sessionId" for p in op.get("parameters", [])) or (
            resolve(spec, op.get("requestBody", {})).get("content", {}).get("application/json", {}).get("schema")
            in ({"$ref": "#/components/schemas/SessionIdRequest"}, {"$ref": "#/components/schemas/CallToolRequest"})
        )
        if takes_session:
            assert "404" in op["responses"], f"{method} {path} takes a session id"


def test_examples_validate_against_their_schemas(spec: dict[str, Any]) -> None:
    checked = 0
    failures = []
    for where, schema, example in schema_examples(spec):
        failures += [f"{where}: {e}" for e in validate(spec, schema, example)]
        for trail, inner, decoded in json_string_fields(spec, schema, example):
            failures += [f"{where} {trail} (decoded JSON string): {e}" for e in validate(spec, inner, decoded)]
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 60


def test_session_replies_offer_the_direct_routes(spec: dict[str, Any]) -> None:
    # The official client streams only with wsUrl and token, and routes tools to linkUrl only with token and
    # toolList too: both session replies document all of them, and their examples carry them.
    wanted = {"appInstanceId", "resourceId", "resourceUrl", "linkUrl", "wsUrl", "token", "toolList"}
    for schema, path in (("CreateSessionData", "/mcp/createSession"), ("GetSessionData", "/mcp/getSession")):
        assert wanted <= set(spec["components"]["schemas"][schema]["properties"])
        example = spec["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]["example"]
        assert all(example["data"][field] for field in wanted), path
        assert "resourceId=" in example["data"]["resourceUrl"]


def test_websocket_protocol_names_its_frame_schemas(spec: dict[str, Any]) -> None:
    ws = spec["x-agb-websocket"]
    schemas = spec["components"]["schemas"]
    for part in ("clientFrame", "serverFrame"):
        target = schemas[ws[part]["$ref"].rsplit("/", 1)[1]]
        assert "example" in target and "invocationId" in target["required"]
    assert ws["handshakeHeader"] == spec["components"]["securitySchemes"]["accessToken"]["name"]


def test_every_tool_names_its_args_and_output_schemas(spec: dict[str, Any]) -> None:
    tools = spec["paths"]["/mcp"]["post"]["x-agb-tools"]
    assert tools, "the /mcp operation lists its tools"
    schemas = spec["components"]["schemas"]
    for name, tool in tools.items():
        for part in ("args", "output"):
            ref = tool[part]["$ref"]
            target = schemas[ref.rsplit("/", 1)[1]]
            assert "example" in target, f"{name} {part} schema has an example"


def test_tool_examples_travel_as_json_strings(spec: dict[str, Any]) -> None:
    # The callTool request example's args decode to a valid ShellArgs object.
    example = spec["paths"]["/mcp"]["post"]["requestBody"]["content"]["application/json"]["example"]
    args = json.loads(example["args"])
    tool = spec["paths"]["/mcp"]["post"]["x-agb-tools"][example["name"]]
    assert validate(spec, tool["args"], args) == []
    # ... and its response text decodes to a valid ShellOutput.
    reply = spec["paths"]["/mcp"]["post"]["responses"]["200"]["content"]["application/json"]["example"]
    output = json.loads(reply["data"]["content"][0]["text"])
    assert validate(spec, tool["output"], output) == []


LABELS_OK = [
    "{}",
    " { } ",
    '{"k": "v"}',
    '{"project":"demo","env":"staging"}',
    '{"e": "\\u00fc t"}',
    '{"emoji": "\\ud83d\\ude00"}',
    '{"raw": "ü 😀"}',
    '{"q": "a\\"b"}',
    '{\n  "k": "v"\n}',
]
LABELS_BAD = [
    "",
    "{",
    "[]",
    '{"k": 1}',
    '{"k": "v",}',
    "{'k': 'v'}",
    '{"": "v"}',
    '{"k": ""}',
    '{"k": {"n": "v"}}',
    '{"lone": "\\ud800"}',
    '{"bad": "\\x"}',
    '{"k": "v"} x',
    "null",
    '{"k": "line\nbreak"}',
]


@pytest.mark.parametrize("text", LABELS_OK)
def test_labels_json_pattern_accepts_json_string_maps(spec: dict[str, Any], text: str) -> None:
    assert validate(spec, {"$ref": "#/components/schemas/LabelsJson"}, text) == []
    decoded = json.loads(text)
    assert validate(spec, {"$ref": "#/components/schemas/Labels"}, decoded) == []


@pytest.mark.parametrize("text", LABELS_BAD)
def test_labels_json_pattern_rejects_everything_else(spec: dict[str, Any], text: str) -> None:
    assert validate(spec, {"$ref": "#/components/schemas/LabelsJson"}, text) != []


def test_spec_shipped_with_agb_spec_is_the_same_file() -> None:
    assert agb_spec.spec_path().read_bytes() == SPEC_PATH.read_bytes()


def test_no_two_properties_share_a_python_name(spec: dict[str, Any]) -> None:
    """The generator maps `status` and `Status` (or `isMainResult` and `is_main_result`) to one attribute and
    silently keeps only one: every property of every object schema must have its own field in the model."""
    import attrs
    from agb_api import models

    checked = 0
    for name, schema in spec["components"]["schemas"].items():
        properties = schema.get("properties")
        model = getattr(models, name, None)
        if not properties or model is None:
            continue
        fields = [f.name for f in attrs.fields(model) if f.name != "additional_properties"]
        assert len(fields) == len(properties), f"{name}: properties {sorted(properties)} became fields {fields}"
        checked += 1
    assert checked > 20
