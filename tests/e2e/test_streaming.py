"""Streamed session.code.run over the session WebSocket, end to end on both faces: chunks arrive as printed,
rich results and exceptions reach their callbacks, coroutine callbacks are awaited, and a cancelled run stops
in the sandbox."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from agb import APITimeoutError, EnhancedCodeExecutionResult, ExecutionError, InvalidParameterError

from .helpers import call
from .interrupted_run import LOOP

pytestmark = pytest.mark.asyncio(loop_scope="module")

TICKS = "import time\nfor i in range(3):\n    print('tick', i)\n    time.sleep(0.4)\n"


def recorder(face: str, into: list[Any]) -> Any:
    """A callback that records (arrival time, value); a coroutine function on the async face."""
    if face == "async":

        async def record_async(value: Any) -> None:
            await asyncio.sleep(0)
            into.append((time.monotonic(), value))

        return record_async
    return lambda value: into.append((time.monotonic(), value))


async def test_the_session_offers_its_websocket(session: Any, agb: Any) -> None:
    assert session.ws_url.startswith("ws://") and session.ws_url.endswith("/ws")
    assert session.token and session.token not in repr(session)
    assert session.link_url.endswith("/link")
    assert {"run_code", "shell", "get_metrics"} <= {tool.name for tool in session.tool_list}
    again = (await call(agb.get(session.session_id))).session
    assert (again.ws_url, again.token, again.link_url) == (session.ws_url, session.token, session.link_url)
    assert again.app_instance_id == session.app_instance_id != ""
    assert again.resource_id == session.resource_id != ""
    assert f"resourceId={session.resource_id}" in again.resource_url


async def test_stdout_reaches_the_callback_as_it_is_printed(session: Any, face: str) -> None:
    chunks: list[Any] = []
    started = time.monotonic()
    run = await call(session.code.run(TICKS + "'done'", on_stdout=recorder(face, chunks)))
    ended = time.monotonic()
    assert isinstance(run, EnhancedCodeExecutionResult) and run.success, run.error_message
    assert [value for _, value in chunks] == ["tick 0\n", "tick 1\n", "tick 2\n"] == run.logs.stdout
    assert all(isinstance(value, str) for _, value in chunks)
    # The first tick came while the cell was still sleeping, not with the reply at the end.
    assert chunks[0][0] - started < ended - started - 0.6
    assert chunks[1][0] - chunks[0][0] > 0.25
    assert run.result == "'done'" and run.execution_count and run.request_id


async def test_stderr_results_and_the_exception_reach_their_callbacks(session: Any, face: str) -> None:
    errs: list[Any] = []
    results: list[Any] = []
    problems: list[Any] = []
    code = (
        "import sys\nfrom IPython.display import HTML, display\n"
        "print('warn', file=sys.stderr)\ndisplay(HTML('<b>x</b>'))\nraise ValueError('boom')"
    )
    run = await call(
        session.code.run(
            code,
            "python",
            on_stderr=recorder(face, errs),
            on_result=recorder(face, results),
            on_error=recorder(face, problems),
        )
    )
    assert not run.success and isinstance(run.error, ExecutionError)
    assert run.error.name == "ValueError" and run.error.value == "boom" and "ValueError" in run.error.traceback
    assert [value for _, value in errs] == ["warn\n"]
    assert [value.html for _, value in results] == ["<b>x</b>"] and run.results[0].html == "<b>x</b>"
    assert [type(value) for _, value in problems] == [ExecutionError]


async def test_stream_beta_without_callbacks_and_javascript(session: Any) -> None:
    run = await call(session.code.run("console.log('from node'); 6 * 7", "js", stream_beta=True))
    assert run.success and run.result == "42" and run.logs.stdout == ["from node\n"]
    lines: list[str] = []
    run = await call(session.code.run("for (let i = 0; i < 2; i++) console.log(i)", "node", on_stdout=lines.append))
    assert run.success and "".join(lines) == "0\n1\n"


async def test_bad_input_fails_before_any_connection(session: Any) -> None:
    run = await call(session.code.run("1", "cobol", on_stdout=print))
    assert not run.success and isinstance(run.error, InvalidParameterError)
    run = await call(session.code.run("1", timeout_s=0, on_stdout=print))
    assert isinstance(run.error, InvalidParameterError)


async def stopped_in_the_sandbox(session: Any) -> None:
    """The loop of LOOP was interrupted (cells of one kernel queue up, so the next would wait 120 s) and the
    kernel kept its state."""
    begun = time.monotonic()
    after = await call(session.code.run("stopped_at, n"))
    assert after.success and time.monotonic() - begun < 10, after.error_message
    stopped, n = (int(part) for part in after.result.strip("()").split(","))
    assert stopped == n > 0


async def test_a_callback_that_raises_stops_the_run_in_the_sandbox(session: Any, face: str) -> None:
    await call(session.code.run("stopped_at = None"))
    if face == "sync":

        def interrupt(chunk: str) -> None:
            raise KeyboardInterrupt  # what Ctrl-C does while a callback runs

        with pytest.raises(KeyboardInterrupt):
            session.code.run(LOOP, timeout_s=120, on_stdout=interrupt)
    else:

        async def fail(chunk: str) -> None:
            raise RuntimeError("the consumer broke")

        with pytest.raises(RuntimeError, match="consumer broke"):
            await session.code.run(LOOP, timeout_s=120, on_stdout=fail)
    await stopped_in_the_sandbox(session)


async def test_the_run_timeout_applies_to_streamed_runs(session: Any) -> None:
    lines: list[str] = []
    run = await call(session.code.run("import time\nprint('a')\ntime.sleep(30)", timeout_s=1, on_stdout=lines.append))
    assert not run.success and isinstance(run.error, ExecutionError) and run.error.name == "TimeoutError"
    assert lines == ["a\n"]
    assert not isinstance(run.error, APITimeoutError)


@pytest.mark.parametrize("mode", ["stream"])
async def test_ctrl_c_or_cancellation_stops_the_run_in_the_sandbox(
    session: Any, face: str, server: Any, mode: str
) -> None:
    await call(session.code.run("stopped_at = None"))
    if face == "sync":  # a real Ctrl-C, in a program of its own
        script = Path(__file__).with_name("interrupted_run.py")
        args = [sys.executable, str(script), server.endpoint, server.api_key, session.session_id, mode]
        done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 3, done.stdout + done.stderr
    else:  # a task cancelled by its timeout
        streamed = {"on_stdout": lambda chunk: None} if mode == "stream" else {}
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(session.code.run(LOOP, timeout_s=120, **streamed), 1.5)
    await stopped_in_the_sandbox(session)
