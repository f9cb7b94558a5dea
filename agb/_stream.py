"""Streamed ``code.run``: the session's WebSocket (the spec's ``x-agb-websocket``), on both faces.

A run opens its own connection to the session's ``wsUrl`` (``X-Access-Token`` is the session token), sends
one ``WsClientFrame`` and reads ``WsServerFrame``s until the end frame, handing each chunk to the callbacks
as it arrives. Closing the connection is how a run is stopped: the service interrupts the cell (the kernel
keeps its state), so a run cancelled here (KeyboardInterrupt, task cancellation, its time running out)
stops in the sandbox too. ``_Run`` holds what both faces share; only the socket calls differ.

``websockets`` is imported on the first streamed run, never by ``import agb``.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agb_api.models import WsClientFrame, WsErrorPayload, WsRunCodeData, WsRunCodeParams, WsServerFrame
from agb_api.types import Unset

from ._tools import TOOL_TIMEOUT_MARGIN_S
from ._wire import as_int, malformed, number, read_model, text
from .errors import AGBError, APIConnectionError, APITimeoutError, AuthenticationError, ExecutionError, ToolError
from .results import EnhancedCodeExecutionResult, ExecutionLogs, ExecutionResult

if TYPE_CHECKING:
    from .session import SessionCore

DEFAULT_TARGET = "wuying_codespace"  # the official client's target when toolList names no server for run_code
TOKEN_HEADER = "X-Access-Token"
CONNECT_TIMEOUT_S = 30.0
CLOSE_TIMEOUT_S = 2.0
WHAT = "run_code (stream)"

Callback = Callable[[Any], object]


@dataclass(frozen=True)
class Callbacks:
    """What a streamed run calls: ``on_stdout``/``on_stderr`` with each chunk (a ``str``) as it is printed,
    ``on_result`` with each rich ``ExecutionResult``, ``on_error`` with the ``ExecutionError`` the code raised
    (or the ``AGBError`` that ended the stream). Callbacks may be coroutine functions on the async face."""

    on_stdout: Callback | None = None
    on_stderr: Callback | None = None
    on_result: Callback | None = None
    on_error: Callback | None = None

    def any(self) -> bool:
        return any(cb is not None for cb in (self.on_stdout, self.on_stderr, self.on_result, self.on_error))


class _Failed(Exception):
    """The stream ended without an end frame; `error` says why."""

    def __init__(self, error: AGBError) -> None:
        super().__init__(error.message)
        self.error = error


class _Run:
    """One streamed run, sans I/O: the request frame, and the result built from the frames fed to it."""

    def __init__(self, session: SessionCore, args: dict[str, Any], callbacks: Callbacks) -> None:
        self.invocation_id = uuid.uuid4().hex
        self.callbacks = callbacks
        self.deadline = time.monotonic() + float(args["timeout_s"]) + TOOL_TIMEOUT_MARGIN_S
        target = next((t.server for t in session.tool_list if t.name == "run_code" and t.server), DEFAULT_TARGET)
        frame = WsClientFrame(
            invocation_id=self.invocation_id,
            source="SDK",
            target=target,
            data=WsRunCodeData(
                method="run_code",
                mode="stream",
                params=WsRunCodeParams(code=args["code"], language=args["language"], timeout_s=args["timeout_s"]),
            ),
        )
        self.request = json.dumps(frame.to_dict(), ensure_ascii=False, separators=(",", ":"))
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.results: list[ExecutionResult] = []
        self.error: ExecutionError | None = None
        self.finished: EnhancedCodeExecutionResult | None = None

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def feed(self, raw: str | bytes) -> list[tuple[Callback, Any]]:
        """Take one server frame; the callbacks to call for it, in order. Sets ``finished`` at the end frame."""
        rid = self.invocation_id
        try:
            obj = json.loads(raw)
        except (ValueError, RecursionError):
            raise _Failed(malformed(WHAT, "a frame is not JSON", rid)) from None
        try:
            frame = read_model(WsServerFrame, obj, WHAT, rid)
        except AGBError as exc:
            raise _Failed(exc) from None
        if frame.invocation_id != self.invocation_id:
            return []  # another invocation's frame or a push message: not ours
        data = frame.data
        if isinstance(data.error, str) and data.error:
            raise _Failed(ToolError(f"run_code: {data.error}", request_id=rid))
        phase = text(data.phase)
        if phase == "end":
            self.finished = self._end(
                text(data.status), data.execution_count, data.execution_time, data.execution_error
            )
            return []
        if phase == "error":
            raise _Failed(ToolError(f"run_code: {text(data.message) or 'the run failed'}", request_id=rid))
        if phase != "event":
            raise _Failed(malformed(WHAT, f"a frame has no known phase ({phase!r})", rid))
        kind = text(data.event_type)
        cb = self.callbacks
        if kind in ("stdout", "stderr") and isinstance(data.chunk, str):
            (self.stdout if kind == "stdout" else self.stderr).append(data.chunk)
            target = cb.on_stdout if kind == "stdout" else cb.on_stderr
            return [(target, data.chunk)] if target is not None else []
        if kind == "result" and not isinstance(data.result, Unset):
            from .code import result_item

            payload = data.result
            item = result_item(payload.mime, rid) if not isinstance(payload.mime, Unset) else ExecutionResult()
            item = dataclasses.replace(item, is_main_result=payload.is_main_result is True)
            self.results.append(item)
            return [(cb.on_result, item)] if cb.on_result is not None else []
        if kind == "error" and isinstance(data.error, WsErrorPayload):
            err = data.error
            self.error = ExecutionError(
                text(err.code) or "ExecutionError", text(err.message), text(err.traceback), request_id=rid
            )
            return [(cb.on_error, self.error)] if cb.on_error is not None else []
        return []  # event types this client does not know

    def _end(self, status: str, count: object, duration: object, summary: object) -> EnhancedCodeExecutionResult:
        error = self.error
        if error is None and text(summary):
            error = ExecutionError("ExecutionError", text(summary), request_id=self.invocation_id)
        if error is None and status == "failed":
            error = ExecutionError("ExecutionError", "the run failed", request_id=self.invocation_id)
        return EnhancedCodeExecutionResult(
            success=error is None,
            error_message="" if error is None else (text(summary) or error.message),
            request_id=self.invocation_id,
            error=error,
            results=self.results,
            logs=ExecutionLogs(stdout=self.stdout, stderr=self.stderr),
            execution_count=as_int(count),
            execution_time=number(duration) or 0.0,
        )

    def failed(self, error: AGBError) -> EnhancedCodeExecutionResult:
        """The failed result, keeping what arrived before the failure."""
        result = EnhancedCodeExecutionResult.failed(error)
        result.logs = ExecutionLogs(stdout=self.stdout, stderr=self.stderr)
        result.results = self.results
        return result

    def failure_callbacks(self, error: AGBError) -> list[tuple[Callback, Any]]:
        return [(self.callbacks.on_error, error)] if self.callbacks.on_error is not None else []


def _unreachable(session: SessionCore, exc: BaseException) -> AGBError:
    """The error for a WebSocket that could not be opened."""
    from websockets.exceptions import InvalidStatus

    if isinstance(exc, InvalidStatus):
        status = exc.response.status_code
        cls = AuthenticationError if status in (401, 403) else APIConnectionError
        return cls(f"{WHAT}: the session's WebSocket refused the connection (HTTP {status})", status_code=status)
    if isinstance(exc, TimeoutError):
        return APITimeoutError(f"{WHAT}: could not connect to the session's WebSocket in time")
    return APIConnectionError(f"{WHAT}: could not connect to the session's WebSocket ({type(exc).__name__}: {exc})")


def _precondition(session: SessionCore) -> AGBError | None:
    if not session.ws_url or not session.token:
        return APIConnectionError(
            f"{WHAT}: the session has no WebSocket (the service gave no wsUrl and token); run without callbacks"
        )
    return None


def _timed_out(run: _Run) -> AGBError:
    return APITimeoutError(f"{WHAT}: no end of the run in time; it was stopped", request_id=run.invocation_id)


def _closed(run: _Run, exc: BaseException) -> AGBError:
    return APIConnectionError(
        f"{WHAT}: the WebSocket closed before the run ended ({exc})", request_id=run.invocation_id
    )


def run_sync(session: SessionCore, args: dict[str, Any], callbacks: Callbacks) -> EnhancedCodeExecutionResult:
    """A streamed run on the sync face; the callbacks run on the calling thread."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    run = _Run(session, args, callbacks)
    problem = _precondition(session)
    if problem is not None:
        return run.failed(problem)
    try:
        ws = connect(
            session.ws_url,
            additional_headers={TOKEN_HEADER: session.token},
            open_timeout=CONNECT_TIMEOUT_S,
            close_timeout=CLOSE_TIMEOUT_S,
            max_size=None,
        )
    except Exception as exc:
        return run.failed(_unreachable(session, exc))
    # Leaving this block any way but the end frame (an exception, KeyboardInterrupt) closes the socket,
    # which stops the run in the sandbox.
    with ws:
        try:
            ws.send(run.request)
            while run.finished is None:
                remaining = run.remaining()
                if remaining <= 0:
                    raise _Failed(_timed_out(run))
                try:
                    raw = ws.recv(timeout=remaining)
                except TimeoutError:
                    raise _Failed(_timed_out(run)) from None
                for callback, value in run.feed(raw):
                    callback(value)
        except _Failed as failure:
            for callback, value in run.failure_callbacks(failure.error):
                callback(value)
            return run.failed(failure.error)
        except ConnectionClosed as exc:
            error = _closed(run, exc)
            for callback, value in run.failure_callbacks(error):
                callback(value)
            return run.failed(error)
    return run.finished


async def _call(callback: Callback, value: Any) -> None:
    outcome = callback(value)
    if inspect.isawaitable(outcome):
        await outcome


async def run_async(session: SessionCore, args: dict[str, Any], callbacks: Callbacks) -> EnhancedCodeExecutionResult:
    """A streamed run on the async face; coroutine callbacks are awaited, in order, before the next frame."""
    import asyncio

    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    run = _Run(session, args, callbacks)
    problem = _precondition(session)
    if problem is not None:
        return run.failed(problem)
    try:
        ws = await connect(
            session.ws_url,
            additional_headers={TOKEN_HEADER: session.token},
            open_timeout=CONNECT_TIMEOUT_S,
            close_timeout=CLOSE_TIMEOUT_S,
            max_size=None,
        )
    except Exception as exc:
        return run.failed(_unreachable(session, exc))
    # Leaving this block any way but the end frame (an exception, the task's cancellation) closes the socket,
    # which stops the run in the sandbox.
    async with ws:
        try:
            await ws.send(run.request)
            while run.finished is None:
                remaining = run.remaining()
                if remaining <= 0:
                    raise _Failed(_timed_out(run))
                try:
                    async with asyncio.timeout(remaining):
                        raw = await ws.recv()
                except TimeoutError:
                    raise _Failed(_timed_out(run)) from None
                for callback, value in run.feed(raw):
                    await _call(callback, value)
        except _Failed as failure:
            for callback, value in run.failure_callbacks(failure.error):
                await _call(callback, value)
            return run.failed(failure.error)
        except ConnectionClosed as exc:
            error = _closed(run, exc)
            for callback, value in run.failure_callbacks(error):
                await _call(callback, value)
            return run.failed(error)
    return run.finished


__all__ = ["Callbacks", "run_async", "run_sync"]
