"""JavaScript ``run_code``: a persistent Node process running ``node_runner.js``.

Cells of one sandbox run one at a time in the same vm context, so state persists.  A cell that
ignores its timeout in a way the vm cannot stop (a busy loop inside a timer callback) gets the
Node process killed and restarted; its state is then lost, and the answer says so.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import queue
import select
import signal
import threading
import time
from typing import Any

from .context import AgentContext
from .errors import Saturated, ToolError
from .output import CappedBytes, split_at_sentinels
from .results import CodeResult

# subprocess is imported where a process is started: an idle sandbox's agent should not hold it (~1 MB).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_runner.js")
HANG_GRACE_S = 2.0  # beyond the cell's own timeout, before we declare Node hung


class _StreamSplitter:
    """Reads a stream and cuts it into per-cell segments at each SENTINEL."""

    def __init__(self, stream: Any, limit: int) -> None:
        self.segments: queue.Queue[CappedBytes | None] = queue.Queue()
        self._limit = limit
        self._current = CappedBytes(limit)
        self._fd = stream.fileno()
        self._stream = stream
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        tail = b""
        try:
            while True:
                chunk = os.read(self._fd, 65536)
                if not chunk:
                    break
                ended, rest, tail = split_at_sentinels(tail + chunk)
                for piece in ended:
                    self._current.add(piece)
                    self.segments.put(self._current)
                    self._current = CappedBytes(self._limit)
                self._current.add(rest)
        except OSError:
            pass
        finally:
            self.segments.put(None)
            self._stream.close()


class NodeRunner:
    def __init__(self, ctx: AgentContext) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._req: Any = None
        self._resp: Any = None
        self._out: _StreamSplitter | None = None
        self._err: _StreamSplitter | None = None
        self._next_id = 0

    def started(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _start(self) -> None:
        node = self._ctx.node
        if not node:
            raise ToolError("JavaScript is not available in this sandbox: node was not found")
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        try:
            import subprocess

            self._proc = subprocess.Popen(
                [node, RUNNER, str(req_r), str(resp_w)],
                pass_fds=(req_r, resp_w),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=self._ctx.home,
                env=self._ctx.user_env(),
                start_new_session=True,
            )
        except OSError as exc:
            os.close(req_w)
            os.close(resp_r)
            error = Saturated if exc.errno == errno.EAGAIN else ToolError
            raise error(f"Could not start node: {exc.strerror or exc}") from exc
        finally:
            os.close(req_r)
            os.close(resp_w)
        self._req = os.fdopen(req_w, "wb")
        self._resp = os.fdopen(resp_r, "rb")
        self._out = _StreamSplitter(self._proc.stdout, self._ctx.output_limit)
        self._err = _StreamSplitter(self._proc.stderr, self._ctx.output_limit)

    def stop(self) -> None:
        proc = self._proc
        self._proc = None
        if proc is not None:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for fh in (self._req, self._resp):
            try:
                if fh is not None:
                    fh.close()
            except OSError:
                pass
        self._req = self._resp = None

    def run(self, code: str, timeout_s: float, cancel: threading.Event) -> str:
        with self._lock:
            return self._run(code, timeout_s, cancel)

    def _run(self, code: str, timeout_s: float, cancel: threading.Event) -> str:
        t0 = time.monotonic()
        if not self.started():
            self.stop()
            self._start()
        assert self._req is not None and self._resp is not None
        self._next_id += 1
        request = {"id": self._next_id, "code": code, "timeout_ms": max(1, int(timeout_s * 1000))}
        res = CodeResult(self._ctx.output_limit)
        try:
            self._req.write(json.dumps(request).encode() + b"\n")
            self._req.flush()
        except OSError as exc:
            self.stop()
            raise ToolError(
                "The JavaScript runtime exited unexpectedly; it will be restarted on the next call"
            ) from exc

        deadline = t0 + timeout_s + HANG_GRACE_S
        line = b""
        fd = self._resp.fileno()
        while True:
            if cancel.is_set() or time.monotonic() >= deadline:
                why = "was cancelled" if cancel.is_set() else f"exceeded the timeout of {timeout_s:g} s"
                self.stop()
                res.set_error(
                    "TimeoutError", f"Execution {why}; node did not stop and was restarted, its state is lost", ""
                )
                return res.to_json(time.monotonic() - t0)
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                line = self._resp.readline()
                break
        if not line:
            rc = self._proc.wait() if self._proc else None
            self.stop()
            res.set_error("RuntimeDied", f"The JavaScript runtime exited (status {rc}); its state is lost", "")
            return res.to_json(time.monotonic() - t0)
        reply = json.loads(line)
        for splitter, sink in ((self._out, res.stdout), (self._err, res.stderr)):
            try:
                segment = splitter.segments.get(timeout=2.0) if splitter else None
            except queue.Empty:
                segment = None
            if segment is not None:
                text = segment.text()
                if text:
                    sink.add(text)
        for item in reply.get("results", []):
            res.add_result(
                {k: v for k, v in item.items() if k != "isMainResult"}, is_main=bool(item.get("isMainResult"))
            )
        res.execution_count = int(reply.get("execution_count") or 0)
        if reply.get("timed_out"):
            res.set_error(
                "TimeoutError",
                f"Execution exceeded the timeout of {timeout_s:g} s and was stopped; "
                "the JavaScript context and its state are kept",
                "",
            )
        elif reply.get("error"):
            err = reply["error"]
            res.set_error(str(err.get("name", "Error")), str(err.get("value", "")), str(err.get("traceback", "")))
        return res.to_json(time.monotonic() - t0)
