"""session.command.execute: the shell request and both result formats."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agb import InvalidParameterError, ToolError
from agb._tools import ToolOutput
from agb.command import DEFAULT_COMMAND_TIMEOUT_MS, parse_shell

from .conftest import Wire, body, call, shell_json, tool, tool_args


def parsed(text: str, *, is_error: bool = False) -> Any:
    return parse_shell(ToolOutput("shell", text, is_error, "", "req-x"))


async def test_execute_request_with_every_argument(session: Any, wire: Wire) -> None:
    wire.script(shell_json("hi\n"))
    result = await call(session.command.execute("echo hi", timeout_ms=5000, cwd="/tmp", envs={"A": "1"}))
    assert wire.last.content == (
        b'{"sessionId":"s-1","name":"shell","args":"{\\"command\\": \\"echo hi\\", \\"timeout_ms\\": 5000, '
        b'\\"cwd\\": \\"/tmp\\", \\"envs\\": {\\"A\\": \\"1\\"}}"}'
    )
    assert wire.last.extensions["timeout"]["read"] == 60.0  # 5 s + 30 s margin is below the configured 60 s
    assert result.success and result.exit_code == 0 and result.output == "hi\n" and result.trace_id == "t-1"


async def test_default_timeout_is_a_minute_and_the_read_timeout_outlasts_it(session: Any, wire: Wire) -> None:
    wire.script(shell_json())
    await call(session.command.execute("pip install x"))
    assert DEFAULT_COMMAND_TIMEOUT_MS == 60_000
    assert tool_args(wire.last) == {"command": "pip install x", "timeout_ms": 60000}
    assert wire.last.extensions["timeout"]["read"] == 90.0


async def test_early_name(session: Any, wire: Wire) -> None:
    wire.script(tool("plain output"))
    result = await call(session.command.execute_command("ls", 1000))
    assert result.success and result.output == "plain output" and body(wire.last)["name"] == "shell"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"command": ""},
        {"command": None},
        {"command": "ls", "timeout_ms": 0},
        {"command": "ls", "timeout_ms": 1.5},
        {"command": "ls", "cwd": ""},
        {"command": "ls", "envs": {"A": 1}},
        {"command": "ls", "envs": {"": "x"}},
        {"command": "ls", "envs": ["A=1"]},
    ],
)
async def test_bad_arguments_fail_without_a_request(session: Any, wire: Wire, kwargs: dict[str, Any]) -> None:
    result = await call(session.command.execute(**kwargs))
    assert not result.success and isinstance(result.error, InvalidParameterError)
    assert wire.requests == []


def test_json_result() -> None:
    result = parsed(json.dumps({"stdout": "a", "stderr": "b", "exit_code": 0, "traceId": "tr"}))
    assert (result.success, result.exit_code, result.stdout, result.stderr, result.output, result.trace_id) == (
        True,
        0,
        "a",
        "b",
        "ab",
        "tr",
    )
    assert result.error is None and result.error_message == "" and result.request_id == "req-x"


def test_missing_exit_code_means_zero() -> None:
    result = parsed(json.dumps({"stdout": "x", "stderr": ""}))
    assert result.success and result.exit_code == 0


def test_non_zero_exit_keeps_the_output_and_names_the_code() -> None:
    result = parsed(json.dumps({"stdout": "partial", "stderr": "line 1\nfatal: nope\n", "exit_code": 2}))
    assert not result.success and result.exit_code == 2
    assert result.stdout == "partial" and result.output == "partialline 1\nfatal: nope\n"
    assert isinstance(result.error, ToolError)
    assert result.error_message == "shell: command exited with code 2: fatal: nope"
    with pytest.raises(ToolError):
        result.unwrap()


def test_timeout_exit_code() -> None:
    result = parsed(json.dumps({"stdout": "", "stderr": "killed after 1000 ms\n", "exit_code": 124}))
    assert not result.success and result.exit_code == 124


@pytest.mark.parametrize("text", ["hello\n", '{"not": "a shell result"}', "[1]", ""])
def test_plain_text_result_of_early_services(text: str) -> None:
    result = parsed(text)
    assert result.success and result.exit_code is None and result.output == text


def test_tool_error_with_json_detail() -> None:
    result = parsed(json.dumps({"stdout": "o", "stderr": "boom", "errorCode": 7, "traceId": "t"}), is_error=True)
    assert not result.success and result.exit_code == 7 and result.error_message == "shell: boom"
    assert result.output == "oboom" and isinstance(result.error, ToolError)
    zero = parsed(json.dumps({"stdout": "", "stderr": "", "exit_code": 0, "errorCode": 3}), is_error=True)
    assert zero.exit_code == 0  # exit_code wins when present, 0 included


def test_tool_error_plain_text() -> None:
    result = parsed("cwd does not exist", is_error=True)
    assert not result.success and result.exit_code is None
    assert result.error_message == "shell: cwd does not exist" and result.output == "cwd does not exist"
