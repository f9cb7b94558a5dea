"""The streamed run's frame handling (agb._stream._Run), without a socket: the frames of the spec's
x-agb-websocket become callbacks and one result; other invocations' frames are ignored, broken ones end it."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from agb import ExecutionError, ServerError, ToolError
from agb._stream import Callbacks, _Failed, _Run
from agb.results import McpTool


def make_run(**callbacks: Any) -> _Run:
    session = SimpleNamespace(tool_list=[McpTool(name="run_code", server="srv-x")])
    args = {"code": "print(1)", "language": "python", "timeout_s": 30}
    return _Run(session, args, Callbacks(**callbacks))  # type: ignore[arg-type]


def frame(run: _Run, data: dict[str, Any], invocation_id: str | None = None) -> str:
    return json.dumps({"invocationId": invocation_id or run.invocation_id, "target": "srv-x", "data": data})


def event(run: _Run, kind: str, **fields: Any) -> str:
    return frame(run, {"method": "run_code", "mode": "stream", "phase": "event", "eventType": kind, **fields})


def test_the_request_frame_is_the_spec_client_frame() -> None:
    run = make_run()
    sent = json.loads(run.request)
    assert sent == {
        "invocationId": run.invocation_id,
        "source": "SDK",
        "target": "srv-x",  # the toolList server of run_code
        "data": {
            "method": "run_code",
            "mode": "stream",
            "params": {"code": "print(1)", "language": "python", "timeoutS": 30},
        },
    }
    assert len(run.invocation_id) == 32 and ":" not in run.request.replace('":', "")  # compact JSON


def test_events_reach_their_callbacks_and_the_end_makes_the_result() -> None:
    seen: list[Any] = []
    run = make_run(on_stdout=seen.append, on_stderr=seen.append, on_result=seen.append, on_error=seen.append)
    calls = []
    calls += run.feed(event(run, "stdout", chunk="a\n"))
    calls += run.feed(event(run, "stderr", chunk="w\n"))
    calls += run.feed(
        event(run, "result", result={"isMainResult": True, "mime": {"text/plain": "2", "text/html": "<b>"}})
    )
    calls += run.feed(event(run, "error", error={"code": "NameError", "message": "x", "traceback": "tb"}))
    calls += run.feed(event(run, "progress", value=3))  # unknown event types are ignored
    calls += run.feed(frame(run, {"phase": "event", "eventType": "stdout", "chunk": "z"}, invocation_id="other"))
    assert run.finished is None
    run.feed(
        frame(
            run,
            {
                "phase": "end",
                "status": "finished",
                "executionCount": 4,
                "executionTime": 0.5,
                "executionError": "NameError: x",
            },
        )
    )
    for callback, value in calls:
        callback(value)
    assert seen[:2] == ["a\n", "w\n"] and seen[2].text == "2" and seen[2].html == "<b>" and seen[2].is_main_result
    assert isinstance(seen[3], ExecutionError) and (seen[3].name, seen[3].value, seen[3].traceback) == (
        "NameError",
        "x",
        "tb",
    )
    result = run.finished
    assert result is not None and not result.success and result.error is seen[3]
    assert result.logs.stdout == ["a\n"] and result.logs.stderr == ["w\n"] and result.result == "2"
    assert (result.execution_count, result.execution_time, result.request_id) == (4, 0.5, run.invocation_id)
    assert result.error_message == "NameError: x"


def test_a_clean_end_is_a_success() -> None:
    run = make_run()
    run.feed(frame(run, {"phase": "end", "status": "finished", "executionCount": 1, "executionError": None}))
    assert run.finished is not None and run.finished.success and run.finished.error is None
    failed = make_run()
    failed.feed(frame(failed, {"phase": "end", "status": "failed"}))
    assert failed.finished is not None and not failed.finished.success


@pytest.mark.parametrize(
    "raw, error, text",
    [
        ("not json", ServerError, "not JSON"),
        (json.dumps({"data": {}}), ServerError, "invocationId"),
        ("ERROR", ToolError, "bad request"),
        ("PHASE", ToolError, "execution failed"),
        ("NOPHASE", ServerError, "no known phase"),
    ],
)
def test_broken_and_error_frames_end_the_stream(raw: str, error: type, text: str) -> None:
    run = make_run()
    raw = {
        "ERROR": frame(run, {"error": "bad request"}),
        "PHASE": frame(run, {"phase": "error", "message": "execution failed"}),
        "NOPHASE": frame(run, {"eventType": "stdout"}),
    }.get(raw, raw)
    with pytest.raises(_Failed) as failed:
        run.feed(raw)
    assert isinstance(failed.value.error, error) and text in failed.value.error.message
    result = run.failed(failed.value.error)
    assert not result.success and result.error is failed.value.error
