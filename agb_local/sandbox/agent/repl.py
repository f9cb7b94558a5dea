"""``run_code`` in a language whose runtime is one long-lived REPL process of the sandbox (Java's JShell, R):
the agent's side of the runners ``java_runner.java`` and ``r_runner.R``.

The runner is started on the first cell of its language and kept, so a cell's variables are there in the
next. Cells go one at a time on a request pipe (``RUN <id> <nbytes>`` and the code); each answer comes on a
reply pipe as fields (``<id> <nfields>``, then ``<key> <nbytes>`` and the value per field), once ready with id
0. What a cell prints goes to the runner's real stdout and stderr, read here as it comes (so a streamed run
gets it at once) and cut per cell at the sentinel the runner writes to both after each cell.

A cell past its timeout, or cancelled, is stopped in the runner (``interrupt``: a ``STOP`` line for JShell,
SIGINT for R) and the runner's state kept; a runner that does not answer within ``INTERRUPT_GRACE_S`` is
killed with everything it started, and the next cell starts a new one.
"""

from __future__ import annotations

import base64
import codecs
import contextlib
import errno
import os
import select
import signal
import threading
import time
from collections.abc import Callable
from typing import IO, Any

from .context import AgentContext
from .errors import Saturated, ToolError
from .output import SENTINEL, split_at_sentinels
from .results import CodeResult, Emit

# subprocess is imported where a process is started: an idle sandbox's agent should not hold it (~1 MB).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess

START_TIMEOUT_S = 60.0
INTERRUPT_GRACE_S = 3.0  # how long a stopped cell may take to answer before the runner is killed
SEGMENT_WAIT_S = 2.0  # after the answer, for the cell's last output and the sentinels
COALESCE_S = 0.005  # output arriving this close together is one stdout/stderr item
HERE = os.path.dirname(os.path.abspath(__file__))


class _Reader:
    """One output stream of the runner: hands its text, as it arrives, to ``deliver``; counts sentinels."""

    def __init__(self, name: str, stream: IO[bytes], deliver: Callable[[str, str], None]) -> None:
        self.name = name
        self.ends = threading.Semaphore(0)  # released once per sentinel
        self._deliver = deliver
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        threading.Thread(target=self._run, name=f"repl-{name}", daemon=True).start()

    def _run(self) -> None:
        fd = self._stream.fileno()
        tail = b""
        try:
            while chunk := os.read(fd, 65536):
                # What comes within COALESCE_S goes as one piece: runtimes write a line in several calls
                # (R's cat() writes each argument), which would otherwise be as many stdout items. A cell's
                # sentinel is its last output: the agent waits for it, so it is not held back.
                while (
                    len(chunk) < 65536 and not chunk.endswith(SENTINEL) and select.select([fd], [], [], COALESCE_S)[0]
                ):
                    more = os.read(fd, 65536)
                    if not more:
                        break
                    chunk += more
                ended, rest, tail = split_at_sentinels(tail + chunk)
                for piece in ended:
                    self._text(piece, final=True)
                    self.ends.release()
                self._text(rest, final=False)
        except OSError:
            pass
        finally:
            self._text(tail, final=True)
            self._stream.close()
            self.ends.release()  # nobody waits for a sentinel of a runner that is gone

    def _text(self, data: bytes, *, final: bool) -> None:
        text = self._decoder.decode(data, final=final)
        if text:
            self._deliver(self.name, text)


class _Replies:
    """The reply pipe, read through a buffer of our own: a runner may send several replies at once (Python's
    display events), and what a buffered file has already read is invisible to ``select`` on its fd."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._buf = bytearray()

    def pending(self) -> bool:
        return bool(self._buf)

    def _fill(self) -> bool:
        chunk = os.read(self.fd, 65536)
        self._buf += chunk
        return bool(chunk)

    def readline(self) -> bytes:
        while (end := self._buf.find(b"\n")) < 0:
            if not self._fill():
                end = len(self._buf) - 1
                break
        line = bytes(self._buf[: end + 1])
        del self._buf[: end + 1]
        return line

    def read(self, size: int) -> bytes:
        while len(self._buf) < size and self._fill():
            pass
        data = bytes(self._buf[:size])
        del self._buf[:size]
        return data

    def close(self) -> None:
        os.close(self.fd)


class ReplRunner:
    """One runtime's REPL process; a subclass says how to start it and how to stop a cell."""

    language = ""  # as users name it in errors: "Java", "R"
    noun = "runtime"  # what the process is called in errors: "the Java runtime exited"
    died = "RuntimeDied"  # the error of a cell the process died under

    def __init__(self, ctx: AgentContext) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()  # one cell at a time
        self._proc: subprocess.Popen[bytes] | None = None
        self._req: IO[bytes] | None = None
        self._resp: _Replies | None = None
        self._readers: list[_Reader] = []
        self._next_id = 0
        self._out_lock = threading.Lock()
        self._cell: CodeResult | None = None  # where output goes now; None: kept in `_early`
        self._early: list[tuple[str, str]] = []  # output between cells (start-up chatter, a background thread)
        self._early_bytes = 0
        self.start_s: float | None = None  # how long the last start took

    # -- what a runtime says -------------------------------------------------------------------

    def command(self, req_fd: int, resp_fd: int) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str]:
        return self._ctx.user_env()

    def interrupt(self, cell_id: int) -> None:
        raise NotImplementedError

    def died_message(self, status: int | None) -> str:
        """The error of a cell the runner exited under (``quit()``, ``System.exit``, a kill)."""
        return (
            f"The {self.language} {self.noun} exited (status {status}), possibly out of memory; "
            "its state is lost (the next call starts it afresh)"
        )

    def bundle(self, text: str) -> dict[str, Any]:
        """A result or display field of a reply as a mime bundle (Java and R send the text of a value)."""
        return {"text/plain": text}

    # -- the process ---------------------------------------------------------------------------

    def started(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _start(self) -> dict[str, str]:
        """Start the runner and wait for its ready; the environment it was started with."""
        t0 = time.monotonic()
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        try:
            import subprocess

            argv = self.command(req_r, resp_w)
            env = self.env()
            self._proc = subprocess.Popen(
                argv,
                pass_fds=(req_r, resp_w),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=self._ctx.home,
                env=env,
                start_new_session=True,  # a group of its own: killing it kills what the cells started
            )
        except BaseException as exc:  # no process (or no runtime to start): our ends of the pipes go too
            os.close(req_w)
            os.close(resp_r)
            if not isinstance(exc, OSError):
                raise
            error = Saturated if exc.errno == errno.EAGAIN else ToolError
            raise error(f"Could not start the {self.language} {self.noun}: {exc.strerror or exc}") from exc
        finally:
            os.close(req_r)
            os.close(resp_w)
        self._req = os.fdopen(req_w, "wb")
        self._resp = _Replies(resp_r)
        assert self._proc.stdout is not None and self._proc.stderr is not None
        self._readers = [
            _Reader("stdout", self._proc.stdout, self._deliver),
            _Reader("stderr", self._proc.stderr, self._deliver),
        ]
        ready, _ = self._await_reply(0, START_TIMEOUT_S)
        if ready is None or ready.get("status") != "ready":
            status = None
            if self._proc is not None:
                with contextlib.suppress(Exception):  # still running: it did not answer in time
                    status = self._proc.wait(SEGMENT_WAIT_S)
            self._wait_segments()  # what it said before it exited
            with self._out_lock:
                said = "".join(text for _, text in self._early).strip()
            self.stop()
            why = f"exited with status {status}" if status is not None else f"did not answer in {START_TIMEOUT_S:g} s"
            raise ToolError(
                f"The {self.language} {self.noun} did not start: it {why}" + (f": {said[-2000:]}" if said else "")
            )
        self._wait_segments()
        with self._out_lock:
            self._early.clear()  # start-up chatter (JVM notes, R's banner) is no cell's output
            self._early_bytes = 0
        self.start_s = time.monotonic() - t0
        return env

    def _ensure_started(self) -> None:
        if not self.started():
            self.stop()
            self._start()

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for fh in (self._req, self._resp):
            with contextlib.suppress(OSError):
                if fh is not None:
                    fh.close()
        self._req = self._resp = None
        self._readers = []

    def signal(self, signum: int) -> None:
        """Send ``signum`` to the runner itself (not its group: what a cell started is not asked to stop)."""
        if self._proc is not None:
            with contextlib.suppress(OSError):
                os.kill(self._proc.pid, signum)

    def send(self, data: bytes) -> None:
        assert self._req is not None
        self._req.write(data)
        self._req.flush()

    # -- output --------------------------------------------------------------------------------

    def _deliver(self, name: str, text: str) -> None:
        with self._out_lock:
            if self._cell is not None:
                self._cell.add_stream(name, text)
            elif self._early_bytes < self._ctx.output_limit:
                self._early.append((name, text))
                self._early_bytes += len(text)

    def _wait_segments(self) -> None:
        end = time.monotonic() + SEGMENT_WAIT_S
        for reader in self._readers:
            reader.ends.acquire(timeout=max(0.0, end - time.monotonic()))

    def _await_reply(
        self, cell_id: int, timeout_s: float, cancel: threading.Event | None = None
    ) -> tuple[dict[str, Any] | None, str]:
        """The reply to ``cell_id`` (None when the runner exited, or did not answer within ``timeout_s`` or
        within INTERRUPT_GRACE_S of being stopped), and why the cell was stopped ("" if it was not)."""
        assert self._resp is not None and self._proc is not None
        fd = self._resp.fd
        deadline = time.monotonic() + timeout_s
        why = ""
        while True:
            now = time.monotonic()
            if cancel is not None and not why and (cancel.is_set() or now >= deadline):
                why = "was cancelled" if cancel.is_set() else f"exceeded the timeout of {timeout_s:g} s"
                self.interrupt(cell_id)
                deadline = now + INTERRUPT_GRACE_S
            elif now >= deadline:
                return None, why
            ready = self._resp.pending() or select.select([fd], [], [], min(0.1, max(0.0, deadline - now)))[0]
            if not ready:
                if self._proc.poll() is not None:
                    return None, why
                continue
            reply = self._read_reply()
            if reply is None:
                return None, why
            if reply.pop("id") != cell_id:
                continue
            if "event" in reply:
                self._event(reply)
                continue
            return reply, why

    def _event(self, reply: dict[str, Any]) -> None:
        """An output the running cell displayed, or its ``clear_output`` (which the runner sends after a sentinel on
        both streams, so what it printed before has arrived; with ``ack``, the cell waits for our ``CLEARED``, so
        nothing it prints after the clear arrives before it is done)."""
        res = self._cell
        if reply["event"] == "clear":
            self._wait_segments()
            if res is not None:
                with self._out_lock:
                    res.clear()
            if reply.get("ack"):
                with contextlib.suppress(OSError):
                    self.send(b"CLEARED\n")
            return
        if res is None:
            return
        data = self.bundle(reply.get("data", "{}"))
        with self._out_lock:
            if reply["event"] == "update":
                res.update_display(data, reply.get("display_id"))
            else:
                res.add_result(data, is_main=False, display_id=reply.get("display_id"))

    def _read_reply(self) -> dict[str, Any] | None:
        assert self._resp is not None
        head = self._resp.readline().split()
        if len(head) != 2:
            return None
        reply: dict[str, Any] = {"id": int(head[0]), "png": [], "display": []}
        for _ in range(int(head[1])):
            key, size = self._resp.readline().split()
            value = self._resp.read(int(size) + 1)[:-1].decode("utf-8", errors="replace")
            if key in (b"png", b"display"):  # the fields that may repeat
                reply[key.decode()].append(value)
            else:
                reply[key.decode()] = value
        return reply

    # -- a cell --------------------------------------------------------------------------------

    def run(self, code: str, timeout_s: float, cancel: threading.Event, emit: Emit | None = None) -> str:
        with self._lock:
            return self._run(code, timeout_s, cancel, emit)

    def _run(self, code: str, timeout_s: float, cancel: threading.Event, emit: Emit | None) -> str:
        t0 = time.monotonic()
        self._ensure_started()
        res = CodeResult(self._ctx.output_limit, emit)
        with self._out_lock:
            self._cell = res
            for name, text in self._early:
                res.add_stream(name, text)
            self._early.clear()
            self._early_bytes = 0
        try:
            return self._execute(code, timeout_s, cancel, res, t0)
        finally:
            with self._out_lock:
                self._cell = None

    def _execute(self, code: str, timeout_s: float, cancel: threading.Event, res: CodeResult, t0: float) -> str:
        self._next_id += 1
        cell_id = self._next_id
        data = code.encode("utf-8", errors="replace")
        try:
            self.send(b"RUN %d %d\n" % (cell_id, len(data)) + data)
        except OSError:
            self.stop()
            res.set_error(
                self.died, f"The {self.language} {self.noun} had exited; it will start afresh on the next call", ""
            )
            return res.to_json(time.monotonic() - t0)
        reply, why = self._await_reply(cell_id, timeout_s, cancel)
        if reply is None:
            status = None
            if not why and self._proc is not None:
                # The reply pipe closed: the runner is exiting; its status tells how (quit(), System.exit, a kill).
                with contextlib.suppress(Exception):
                    status = self._proc.wait(SEGMENT_WAIT_S)
            self.stop()
            if why:
                message = (
                    f"Execution {why}; the {self.language} {self.noun} did not stop and was killed, its state is lost "
                    "(the next call starts it afresh)"
                )
                res.set_error("TimeoutError", message, "")
            else:
                res.set_error(self.died, self.died_message(status), "")
            return res.to_json(time.monotonic() - t0)
        self._wait_segments()
        with self._out_lock:
            self._cell = None  # the cell's output is complete: what comes now is the next cell's
        res.execution_count = int(reply.get("count") or 0)
        for text in reply["display"]:
            res.add_result(self.bundle(text), is_main=False)
        if "result" in reply:
            res.add_result(self.bundle(reply["result"]), is_main=True)
        for path in reply["png"]:
            self._add_png(res, path)
        if reply.get("status") == "interrupted":
            res.set_error(
                "TimeoutError",
                f"Execution {why or 'was stopped'} and was interrupted; "
                f"the {self.language} {self.noun} and its state are kept",
                reply.get("traceback", ""),
            )
        elif reply.get("status") == "error":
            res.set_error(reply.get("ename", "Error"), reply.get("evalue", ""), reply.get("traceback", ""))
        return res.to_json(time.monotonic() - t0)

    def _add_png(self, res: CodeResult, path: str) -> None:
        """A plot the runner saved in its scratch directory: an image/png result, and the file removed."""
        if not path.startswith(self._ctx.runtime_dir + os.sep):
            return
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            os.unlink(path)
        except OSError:
            return
        res.add_result({"image/png": base64.b64encode(data).decode("ascii"), "text/plain": "<plot>"}, is_main=False)
