"""The session WebSocket (the spec's `x-agb-websocket`): streamed run_code, as the official client's
`code.run(..., stream_beta=True)` speaks it.

One connection per client and session, authorised at the handshake by the session token. Each request frame
starts a run (many may run at once); its output reaches the client as event frames while the cell prints,
then one end frame. The frames are validated against the spec's `WsClientFrame`; a frame with an id that
is not a valid request gets an error frame, frames without an id (heartbeats) are ignored, and a closed
connection interrupts the runs it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from jsonschema import Draft4Validator
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

import agb_spec

from .api import error_reply
from .envelope import ApiError
from .registry import SessionRecord
from .service import AgbService

log = logging.getLogger("agb_local")

PATH = "/ws"
SERVER_SOURCE = "WEBSOCKET_SERVER"
MAX_RUNS_PER_CONNECTION = 32
MAX_ERROR_TEXT = 300


def frame_validator(spec: agb_spec.Spec) -> Draft4Validator:
    """The spec's `WsClientFrame`, compiled once per app."""
    return Draft4Validator(agb_spec.json_schema(spec, spec["x-agb-websocket"]["clientFrame"]))


class _Connection:
    def __init__(self, service: AgbService, ws: WebSocket, record: SessionRecord, validator: Draft4Validator) -> None:
        self.service = service
        self.ws = ws
        self.owner = record.owner
        self.session_id = record.id
        self.validator = validator
        self.runs: dict[str, asyncio.Task[None]] = {}
        self._send_lock = asyncio.Lock()

    async def send(self, frame: dict[str, Any]) -> None:
        text = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
        async with self._send_lock:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                await self.ws.send_text(text)

    async def error(self, invocation_id: str, target: str | None, message: str) -> None:
        frame: dict[str, Any] = {"invocationId": invocation_id, "source": SERVER_SOURCE, "data": {"error": message}}
        if target:
            frame["target"] = target
        await self.send(frame)

    async def handle(self, text: str) -> None:
        try:
            frame = json.loads(text)
        except (ValueError, RecursionError):
            return  # no id to answer to: like a heartbeat, ignored
        if not isinstance(frame, dict):
            return
        invocation_id = frame.get("invocationId") or frame.get("requestId")
        if not isinstance(invocation_id, str) or not invocation_id:
            return  # the TypeScript client's {"type": "ping"} and other id-less frames
        invocation_id = invocation_id[:128]
        target = frame.get("target") if isinstance(frame.get("target"), str) else None
        problem = next(iter(sorted(self.validator.iter_errors(frame), key=lambda e: list(e.path))), None)
        if problem is not None:
            where = ".".join(str(p) for p in problem.path)
            await self.error(invocation_id, target, f"bad request frame: {where or 'frame'}: {problem.message}"[:300])
            return
        data = frame["data"]
        if data["method"] != "run_code":
            method = data["method"][:64]
            await self.error(invocation_id, target, f"unknown method {method!r}; this server streams run_code")
            return
        if invocation_id in self.runs:
            await self.error(invocation_id, target, "a run with this invocationId is still going")
            return
        if len(self.runs) >= MAX_RUNS_PER_CONNECTION:
            await self.error(invocation_id, target, f"at most {MAX_RUNS_PER_CONNECTION} runs at once per connection")
            return
        task = asyncio.create_task(self.run(invocation_id, target, data), name=f"ws-run-{invocation_id}")
        self.runs[invocation_id] = task
        task.add_done_callback(lambda _: self.runs.pop(invocation_id, None))

    async def run(self, invocation_id: str, target: str | None, data: dict[str, Any]) -> None:
        params = data["params"]
        args: dict[str, Any] = {"code": params["code"]}
        if "language" in params:
            args["language"] = params["language"]
        if "timeoutS" in params:
            args["timeout_s"] = params["timeoutS"]
        head: dict[str, Any] = {"invocationId": invocation_id}
        if target:
            head["target"] = target
        seq = 0
        events: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()

        def frame(body: dict[str, Any]) -> dict[str, Any]:
            nonlocal seq
            seq += 1
            return {**head, "data": {"method": "run_code", "mode": "stream", "seq": seq, **body}}

        async def pump() -> None:
            while (event := await events.get()) is not None:
                event.pop("stream", None)
                await self.send(frame({"phase": "event", **event}))

        pumping = asyncio.create_task(pump())
        streamed = 0

        def on_event(event: dict[str, Any]) -> None:
            nonlocal streamed
            streamed += 1
            events.put_nowait(event)

        try:
            try:
                reply = await self.service.call_tool(
                    self.owner, self.session_id, "run_code", json.dumps(args), on_event=on_event
                )
            except ApiError as exc:  # the session was released meanwhile
                events.put_nowait(None)
                await pumping
                await self.send(frame({"phase": "error", "message": exc.message[:MAX_ERROR_TEXT]}))
                return
            events.put_nowait(None)
            await pumping
            if reply.is_error:
                await self.send(frame({"phase": "error", "message": reply.text[: MAX_ERROR_TEXT * 4]}))
                return
            output = json.loads(reply.text)
            if not streamed:  # a runtime that answers at the end (Node): its output, as events
                for body in _events_of(output):
                    await self.send(frame({"phase": "event", **body}))
            await self.send(
                frame(
                    {
                        "phase": "end",
                        "status": "finished",
                        "executionCount": output.get("execution_count"),
                        "executionTime": output.get("execution_time", 0.0),
                        "executionError": output.get("executionError"),
                    }
                )
            )
        finally:
            if not pumping.done():
                pumping.cancel()

    async def close(self) -> None:
        """The connection is gone: interrupt what it started (cancelling a run cancels it in the sandbox)."""
        tasks = list(self.runs.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _events_of(output: dict[str, Any]) -> list[dict[str, Any]]:
    """The event payloads of a finished run_code output document, in the order a stream would give them."""
    events: list[dict[str, Any]] = []
    for name in ("stdout", "stderr"):
        events += [{"eventType": name, "chunk": chunk} for chunk in output.get(name) or [] if chunk]
    for item in output.get("result") or []:
        mime = {k: v for k, v in item.items() if k != "isMainResult"}
        events.append({"eventType": "result", "result": {"isMainResult": bool(item.get("isMainResult")), "mime": mime}})
    error = output.get("error")
    if isinstance(error, dict):
        events.append(
            {
                "eventType": "error",
                "error": {
                    "code": error.get("name", ""),
                    "message": error.get("value", ""),
                    "traceId": "",
                    "traceback": error.get("traceback", ""),
                },
            }
        )
    return events


async def serve(service: AgbService, validator: Draft4Validator, scope: Scope, receive: Receive, send: Send) -> None:
    ws = WebSocket(scope, receive, send)
    if scope["path"] != PATH:
        await _deny(ws, ApiError(404, "NotFound", f"no such WebSocket endpoint: {scope['path']}"))
        return
    token = dict(scope["headers"]).get(b"x-access-token", b"").decode("latin-1")
    try:
        record = service.by_token(token)
    except ApiError as exc:
        await _deny(ws, exc)
        return
    await ws.accept()
    conn = _Connection(service, ws, record, validator)
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text")
            if text is None and message.get("bytes") is not None:
                try:
                    text = message["bytes"].decode("utf-8")
                except UnicodeDecodeError:
                    continue
            if text:
                await conn.handle(text)
    except WebSocketDisconnect:
        pass
    finally:
        await conn.close()


async def _deny(ws: WebSocket, error: ApiError) -> None:
    """Refuse the handshake with the envelope and its HTTP status where the server can send one."""
    if "websocket.http.response" in ws.scope.get("extensions", {}):
        response: Response = error_reply(error)
        await ws.send_denial_response(response)
    else:
        await ws.close(code=1008, reason=error.message[:100])
