"""The manager's end of the agent protocol: JSON lines with request ids over the agent's pipes."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import json
import logging
import signal
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# One line can carry a large read_file answer or a run_code result with images.
LINE_LIMIT = 512 * 1024 * 1024


class AgentGone(Exception):
    """The agent exited (crash, OOM kill, or we stopped it) before answering."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def describe_exit(returncode: int | None) -> str:
    if returncode is None:
        return "the agent process stopped answering"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        hint = " (out of memory or killed from outside)" if -returncode == signal.SIGKILL else ""
        return f"the agent process was killed by {name}{hint}"
    if returncode > 128:
        # bwrap reports a child killed by signal N as exit status 128+N
        try:
            name = signal.Signals(returncode - 128).name
        except ValueError:
            name = f"signal {returncode - 128}"
        hint = " (out of memory or killed)" if returncode - 128 == signal.SIGKILL else ""
        return f"the agent process was killed by {name}{hint}"
    return f"the agent process exited with status {returncode}"


async def exited(proc: asyncio.subprocess.Process, timeout_s: float) -> bool:
    """Whether `proc` exited within `timeout_s`. Not ``proc.wait()``: that returns only once every copy of the
    process's pipes is closed too, so a process that inherited one and lives on (or is stuck) would hold it
    forever; ``returncode`` is set as soon as the process is reaped."""
    end = time.monotonic() + timeout_s
    while proc.returncode is None:
        if time.monotonic() > end:
            return False
        await asyncio.sleep(0.005)
    return True


class AgentChannel:
    def __init__(self, proc: asyncio.subprocess.Process, name: str) -> None:
        self._proc = proc
        self._name = name
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._streams: dict[int, Callable[[dict[str, Any]], None]] = {}  # request id -> its events' sink
        self.closed = False
        self.exit_reason: str | None = None
        # The first lines say why a start failed; the last ones why a running agent died.
        self.stderr_head: list[str] = []
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=20)
        self.on_exit: Callable[[], None] | None = None
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def pid(self) -> int:
        return self._proc.pid

    async def wait_ready(self, timeout: float) -> None:
        """Wait for the agent's ready line, then start routing replies."""
        assert self._proc.stdout is not None
        self._tasks.append(asyncio.create_task(self._read_stderr()))
        try:
            line = await asyncio.wait_for(self._proc.stdout.readline(), timeout)
        except TimeoutError:
            raise AgentGone(f"the agent did not start within {timeout:g} s") from None
        if not line:
            await exited(self._proc, 2.0)
            await asyncio.sleep(0.05)  # let the stderr reader catch the last words
            detail = " | ".join(self.stderr_head + list(self.stderr_tail)) or describe_exit(self._proc.returncode)
            raise AgentGone(f"the sandbox failed to start: {detail}")
        message = json.loads(line)
        if message.get("event") != "ready":
            raise AgentGone(f"unexpected first message from the agent: {message!r}")
        self._tasks.append(asyncio.create_task(self._read_replies()))

    async def _read_stderr(self) -> None:
        assert self._proc.stderr is not None
        while True:
            line = await self._proc.stderr.readline()
            if not line:
                return
            text = line.decode(errors="replace").rstrip()
            if text:
                if len(self.stderr_head) < 5:
                    self.stderr_head.append(text[:500])
                else:
                    self.stderr_tail.append(text[:500])
                log.debug("sandbox %s: %s", self._name, text)

    async def _read_replies(self) -> None:
        assert self._proc.stdout is not None
        try:
            while True:
                line = await self._proc.stdout.readline()
                if not line:
                    break
                try:
                    message = json.loads(line)
                except ValueError:
                    log.warning("sandbox %s: unreadable reply %r", self._name, line[:200])
                    continue
                stream = message.get("stream")
                if stream is not None:  # an event of a streamed call, before its reply
                    sink = self._streams.get(stream)
                    if sink is not None:
                        sink(message)
                    continue
                future = self._pending.pop(message.get("id"), None)
                if future is not None and not future.done():
                    future.set_result(message)
        except (ValueError, asyncio.LimitOverrunError, ConnectionError) as exc:
            log.warning("sandbox %s: reply stream broken: %s", self._name, exc)
        await exited(self._proc, 1.0)
        self._close(describe_exit(self._proc.returncode))

    def _close(self, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        self.exit_reason = reason
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(AgentGone(reason))
        if self.on_exit is not None:
            self.on_exit()

    def _send(self, message: dict[str, Any]) -> None:
        if self.closed or self._proc.stdin is None or self._proc.stdin.is_closing():
            raise AgentGone(self.exit_reason or "the agent is not running")
        self._proc.stdin.write(json.dumps(message).encode() + b"\n")

    async def request(
        self,
        message: dict[str, Any],
        timeout: float | None,
        on_event: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        """Send one request and wait for its reply; ``on_event`` gets the events a streamed call sends first.

        On timeout or cancellation a ``call`` is cancelled in the agent too (its shell command is
        killed, its cell interrupted), then the exception propagates."""
        req_id = next(self._ids)
        message = {**message, "id": req_id}
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[req_id] = future
        if on_event is not None:
            self._streams[req_id] = on_event
            future.add_done_callback(lambda _: self._streams.pop(req_id, None))
        try:
            self._send(message)
        except AgentGone:
            self._pending.pop(req_id, None)
            raise

        async def reply() -> dict[str, Any]:
            assert self._proc.stdin is not None
            try:
                # Within the timeout: an agent that stops reading its input (stopped, stuck) holds a large
                # request here.
                await self._proc.stdin.drain()
            except (ConnectionError, BrokenPipeError) as exc:
                raise AgentGone(self.exit_reason or f"the agent's input is closed ({exc})") from exc
            return await future

        try:
            return await asyncio.wait_for(reply(), timeout)
        except AgentGone:
            self._pending.pop(req_id, None)
            raise
        except (TimeoutError, asyncio.CancelledError):
            self._pending.pop(req_id, None)
            self._streams.pop(req_id, None)
            if message.get("op") == "call" and not self.closed:
                with contextlib.suppress(AgentGone):
                    self._send({"op": "cancel", "id": next(self._ids), "target": req_id})
            raise

    def close(self, reason: str) -> None:
        self._close(reason)
        for task in self._tasks:
            task.cancel()
