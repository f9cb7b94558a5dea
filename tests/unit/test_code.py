"""session.code.run: the run_code request and every result format services have used."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agb import ExecutionError, InvalidParameterError, ToolError
from agb._tools import ToolOutput
from agb.code import parse_run_code

from .conftest import Wire, body, call, tool, tool_args


def parsed(text: str, *, is_error: bool = False) -> Any:
    return parse_run_code(ToolOutput("run_code", text, is_error, "", "req-x"))


# ---------------------------------------------------------------- the request


async def test_run_sends_canonical_language_and_a_longer_read_timeout(session: Any, wire: Wire) -> None:
    wire.script(tool('{"result": [], "stdout": [], "stderr": []}'))
    result = await call(session.code.run("print('ü')", "Python3 ", timeout_s=120))
    request = wire.last
    assert request.url.path == "/mcp" and request.url.query == b"autoGenSession=false"
    assert request.content == (
        b'{"sessionId":"s-1","name":"run_code",'
        b'"args":"{\\"code\\": \\"print(\'\xc3\xbc\')\\", \\"language\\": \\"python\\", \\"timeout_s\\": 120}"}'
    )
    # The HTTP read timeout outlasts the tool's own timeout; connect stays at the configured 60 s.
    assert request.extensions["timeout"] == {"connect": 60.0, "read": 150.0, "write": 60.0, "pool": 60.0}
    assert result.success and result.request_id == "req-tool"


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("python", "python"),
        ("py", "python"),
        ("PYTHON3", "python"),
        ("js", "javascript"),
        (" node ", "javascript"),
        ("nodejs", "javascript"),
        ("javascript", "javascript"),
        ("java", "java"),
        ("R", "r"),
    ],
)
async def test_language_aliases(session: Any, wire: Wire, given: str, sent: str) -> None:
    wire.script(tool("ok"))
    await call(session.code.run("x", given))
    assert tool_args(wire.last) == {"code": "x", "language": sent, "timeout_s": 60}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("x", "cobol"), "unsupported language 'cobol'"),
        (("x", None), "unsupported language"),
        (("x", "python", 0), "timeout_s"),
        (("x", "python", 3601), "timeout_s"),
        ((b"x",), "code must be a string"),
    ],
)
async def test_bad_arguments_fail_without_a_request(
    session: Any, wire: Wire, args: tuple[Any, ...], needle: str
) -> None:
    result = await call(session.code.run(*args))
    assert not result.success and isinstance(result.error, InvalidParameterError)
    assert needle in result.error_message
    assert wire.requests == []


async def test_early_name_is_the_same_operation(session: Any, wire: Wire) -> None:
    wire.script(tool("3"))
    result = await call(session.code.run_code("1+2", "python"))
    assert result.result == "3" and body(wire.last)["name"] == "run_code"


async def test_tool_error_is_a_failed_result(session: Any, wire: Wire) -> None:
    wire.script(tool("language 'java' is not available here; available: python, javascript", is_error=True))
    result = await call(session.code.run("x", "java"))
    assert not result.success and type(result.error) is ToolError
    assert result.error_message == "run_code: language 'java' is not available here; available: python, javascript"


# ---------------------------------------------------------------- formats


def test_new_format_with_every_mime_key() -> None:
    item = {
        "text/plain": "<Figure>",
        "text/html": "<b>x</b>",
        "text/markdown": "**x**",
        "image/png": "iVBORw0KGgo=",
        "image/jpeg": "/9j/4AAQ",
        "image/svg+xml": "<svg/>",
        "application/json": {"a": [1, 2]},
        "text/latex": "$x^2$",
        "application/vnd.vegalite.v5+json": {"mark": "bar"},
        "isMainResult": True,
    }
    output = {
        "result": [item, {"application/vnd.vegalite.v4+json": {"mark": "line"}}],
        "stdout": ["a\n", "b\n"],
        "stderr": ["warn\n"],
        "executionError": None,
        "error": None,
        "execution_count": 4,
        "execution_time": 0.25,
    }
    result = parsed(json.dumps(output))
    assert result.success and result.error is None and result.request_id == "req-x"
    main = result.results[0]
    assert (main.text, main.html, main.markdown, main.png, main.jpeg, main.svg) == (
        "<Figure>",
        "<b>x</b>",
        "**x**",
        "iVBORw0KGgo=",
        "/9j/4AAQ",
        "<svg/>",
    )
    assert (main.json, main.latex, main.chart, main.is_main_result) == ({"a": [1, 2]}, "$x^2$", {"mark": "bar"}, True)
    assert main.formats() == ["text", "html", "markdown", "png", "jpeg", "svg", "json", "latex", "chart"]
    assert result.results[1].chart == {"mark": "line"} and not result.results[1].is_main_result
    assert result.logs.stdout == ["a\n", "b\n"] and result.logs.stderr == ["warn\n"]
    assert (result.execution_count, result.execution_time) == (4, 0.25)
    assert result.result == result.text == "<Figure>"
    assert result.unwrap() is result


def test_new_format_items_may_be_json_strings_even_double_encoded() -> None:
    once = json.dumps({"text/plain": "1", "isMainResult": False})
    twice = json.dumps(json.dumps({"text/html": "<i>2</i>", "isMainResult": True}))
    result = parsed(json.dumps({"result": [once, twice, "just text"], "stdout": [], "stderr": []}))
    assert [r.text for r in result.results] == ["1", None, "just text"]
    assert result.results[1].html == "<i>2</i>" and result.results[1].is_main_result


def test_our_backend_error_object_is_preferred_to_the_summary() -> None:
    output = {
        "result": [],
        "stdout": ["before\n"],
        "stderr": [],
        "executionError": "NameError: name 'y' is not defined",
        "error": {"name": "NameError", "value": "name 'y' is not defined", "traceback": "Traceback...\nNameError"},
        "execution_count": 2,
        "execution_time": 0.01,
    }
    result = parsed(json.dumps(output))
    assert not result.success
    error = result.error
    assert isinstance(error, ExecutionError) and result.execution_error is error
    assert (error.name, error.value, error.traceback) == (
        "NameError",
        "name 'y' is not defined",
        "Traceback...\nNameError",
    )
    assert result.error_message == "NameError: name 'y' is not defined"
    assert result.logs.stdout == ["before\n"] and result.result == "before\n"
    with pytest.raises(ExecutionError):
        result.unwrap()


def test_official_summary_only_error() -> None:
    result = parsed(json.dumps({"result": [], "stdout": [], "stderr": [], "executionError": "ZeroDivisionError: x"}))
    assert not result.success and isinstance(result.error, ExecutionError)
    assert (result.error.name, result.error.value, result.error.traceback) == (
        "ExecutionError",
        "ZeroDivisionError: x",
        "",
    )
    assert result.error_message == "ZeroDivisionError: x"


def test_rich_format() -> None:
    output = {
        "logs": {"stdout": ["out"], "stderr": ["err"]},
        "results": [{"text": "42", "html": "<p>42</p>", "is_main_result": True}],
        "error": None,
    }
    result = parsed(json.dumps(output))
    assert result.success and result.result == "42" and result.results[0].html == "<p>42</p>"
    assert result.logs.stdout == ["out"] and result.logs.stderr == ["err"]
    failing = {
        "logs": {"stdout": [], "stderr": []},
        "results": [],
        "error": {"name": "E", "value": "v", "traceback": ["a", "b"]},
    }
    result = parsed(json.dumps(failing))
    assert not result.success and isinstance(result.error, ExecutionError) and result.error.traceback == "a\nb"


def test_content_wrapper_holding_the_json() -> None:
    inner = {"result": [{"text/plain": "5", "isMainResult": True}], "stdout": [], "stderr": []}
    result = parsed(json.dumps({"content": [{"type": "text", "text": json.dumps(inner)}], "isError": False}))
    assert result.success and result.result == "5"


def test_is_error_inside_the_output() -> None:
    with pytest.raises(ToolError, match="run_code: bad; worse"):
        items = [{"type": "text", "text": "bad"}, {"type": "text", "text": "worse"}]
        parsed(json.dumps({"isError": True, "content": items}))


def test_legacy_content_text() -> None:
    result = parsed(json.dumps({"content": [{"type": "text", "text": "legacy out"}]}))
    assert result.success and result.result == "legacy out" and result.results[0].is_main_result


@pytest.mark.parametrize("text", ["2", "hello\nworld", "[1, 2]", "{not json", '"quoted"'])
def test_plain_text(text: str) -> None:
    result = parsed(text)
    assert result.success and result.result == text and result.logs.stdout == [text]


def test_empty_output_is_a_run_that_printed_nothing() -> None:
    result = parsed("")
    assert result.success and result.results == [] and result.result == ""


def test_unknown_object_keeps_the_raw_text() -> None:
    result = parsed('{"something": "else"}')
    assert result.success and result.result == '{"something": "else"}'


def test_result_property_fallbacks() -> None:
    no_main = parsed(
        json.dumps({"result": [{"text/html": "<b/>"}, {"text/plain": "t"}], "stdout": ["s"], "stderr": []})
    )
    assert no_main.result == "t"
    only_stdout = parsed(json.dumps({"result": [{"image/png": "x"}], "stdout": ["a", "b"], "stderr": []}))
    assert only_stdout.result == "ab"
