"""The SDK's own parsers read every reply and tool output the spec allows, as the protocol says to read them.

Values are drawn from the spec's schemas (spec_values.py): every reply envelope, the callTool result, and the
decoded ``shell`` and ``run_code`` outputs. The SDK reads replies through the generated models (see
agb/_wire.py), which trust value types; these checks show that every value the spec allows reads back right.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from agb import AGBError, ExecutionError, ServerError, ToolError
from agb._tools import ToolOutput, read_tool_output
from agb._wire import Reply, ok_envelope
from agb.code import parse_run_code
from agb.command import parse_shell

from .conftest import SETTINGS
from .spec_values import COMPONENTS, spec_errors, values_of

REPLIES = sorted(name for name in COMPONENTS if name.endswith("Response") or name == "Envelope")
HEADER_ID = "header-request-id"


def reply(body: Any, status: int = 200) -> Reply:
    return Reply(status, {"x-request-id": HEADER_ID}, json.dumps(body).encode(), "http://agb.test/op")


def drawn(data: st.DataObject, model: str) -> Any:
    value = data.draw(values_of(model), label=model)
    assert spec_errors(model, value) == []
    return value


@pytest.mark.parametrize("model", REPLIES)
@SETTINGS
@given(data=st.data())
def test_every_reply_envelope(model: str, data: st.DataObject) -> None:
    body = drawn(data, model)
    env = reply(body).envelope
    assert env is not None
    assert env.success is body["success"]
    assert env.request_id == (body["requestId"] or HEADER_ID)
    assert env.code == body.get("code", "") and env.message == body.get("message", "")
    assert env.http_status_code == body.get("httpStatusCode")
    assert env.body == body
    if body["success"]:
        assert ok_envelope(reply(body), model) == env
    else:
        with pytest.raises(AGBError) as caught:
            ok_envelope(reply(body), model)
        assert caught.value.request_id == env.request_id


@SETTINGS
@given(data=st.data())
def test_call_tool_replies(data: st.DataObject) -> None:
    body = drawn(data, "CallToolResponse")
    if not body["success"]:
        with pytest.raises(AGBError):
            read_tool_output(reply(body), "shell")
        return
    if "data" not in body:
        with pytest.raises(ServerError, match="malformed"):
            read_tool_output(reply(body), "shell")
        return
    output = read_tool_output(reply(body), "shell")
    content = body["data"]["content"]
    texts = [item["text"] for item in content if item["type"] == "text" and isinstance(item.get("text"), str)]
    images = [item["data"] for item in content if item["type"] == "image" and isinstance(item.get("data"), str)]
    assert output.is_error is body["data"]["isError"]
    assert output.text == "\n".join(texts or images[:1])
    assert output.request_id == (body["requestId"] or HEADER_ID)


def tool_output(tool: str, value: Any) -> ToolOutput:
    return ToolOutput(tool, json.dumps(value), False, "", "rid")


@SETTINGS
@given(data=st.data())
def test_shell_outputs(data: st.DataObject) -> None:
    value = drawn(data, "ShellOutput")
    result = parse_shell(tool_output("shell", value))
    assert result.exit_code == value["exit_code"]
    assert result.stdout == value["stdout"] and result.stderr == value["stderr"]
    assert result.output == value["stdout"] + value["stderr"]
    assert result.trace_id == value.get("traceId", "")
    assert result.success is (value["exit_code"] == 0)
    if value["exit_code"] != 0:
        assert isinstance(result.error, ToolError) and str(value["exit_code"]) in result.error_message


FORMATS = {
    "text": "text/plain",
    "html": "text/html",
    "markdown": "text/markdown",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "svg": "image/svg+xml",
    "json": "application/json",
    "latex": "text/latex",
    "chart": "application/vnd.vegalite.v5+json",
}


@SETTINGS
@given(data=st.data())
def test_run_code_outputs(data: st.DataObject) -> None:
    value = drawn(data, "RunCodeOutput")
    # The SDK also reads the older formats, whose markers win when present: keep them out of this one.
    assume("isError" not in value and "content" not in value)
    result = parse_run_code(tool_output("run_code", value))

    assert result.logs.stdout == value["stdout"] and result.logs.stderr == value["stderr"]
    assert len(result.results) == len(value["result"])
    for item, parsed in zip(value["result"], result.results, strict=True):
        if isinstance(item, str):  # a RunCodeResult may be a string: plain text unless it holds JSON
            try:
                json.loads(item)
            except ValueError:
                assert parsed.text == item and not parsed.is_main_result
            continue
        assert parsed.is_main_result is (item.get("isMainResult", item.get("is_main_result")) is True)
        for field, mime in FORMATS.items():
            if item.get(mime) is not None:
                assert getattr(parsed, field) == item[mime], field
    assert result.execution_count == value.get("execution_count")
    duration = value.get("execution_time")
    assert result.execution_time == (float(duration) if duration is not None else 0.0)

    error, summary = value.get("error"), value.get("executionError")
    if error is not None and (error["name"] or error["value"]):
        assert isinstance(result.error, ExecutionError)
        assert result.error.name == (error["name"] or "Error") and result.error.value == error["value"]
        lines = error["traceback"]
        assert result.error.traceback == ("\n".join(lines) if isinstance(lines, list) else lines)
        assert result.error_message == (summary or result.error.message)
    elif summary:
        assert isinstance(result.error, ExecutionError) and result.error.value == summary
    else:
        assert result.success and result.error is None
