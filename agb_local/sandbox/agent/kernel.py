"""Python ``run_code``: one Jupyter kernel per sandbox, started on first use or ahead (``warm``).

A warm-pool sandbox starts its kernel before any session owns it (``warm``); when a session claims it,
``adopt`` gives the running kernel the session's environment (the variables that differ are set with a
silent cell), or discards it when the image would have started a different kernel (another argv, or
another value of a variable the interpreter reads at start, such as ``PYTHONPATH``).

Every kernel operation happens on one worker thread (the sockets of ``kernel_wire`` are not
thread-safe); request threads hand it jobs and wait.  That also serialises the cells of one kernel,
which is what a notebook does.

The kernel uses the ipc transport (the sandbox has no network, not even for 127.0.0.1 to the
host) and ``interrupt_mode: message``: a SIGINT would hit the whole process group otherwise.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import threading
import time
from typing import TYPE_CHECKING, Any

from .context import AgentContext
from .errors import Saturated, ToolError
from .results import CodeResult, Emit

if TYPE_CHECKING:
    from .kernel_wire import Kernel  # imported at the first start: hmac and OpenSSL are not for idle sandboxes

INTERRUPT_GRACE_S = 3.0  # how long an interrupted cell may take to go idle before we restart
READY_TIMEOUT_S = 60.0
# Read when the kernel starts (by the interpreter and site, the dynamic loader, Jupyter and IPython): a
# running kernel cannot take a new value of these, so a warm kernel started without the image's value is
# discarded. Others (MPLBACKEND, PIP_*, VIRTUAL_ENV) are read later, by libraries at import or by
# subprocesses, so setting them before the first cell is enough.
_START_ENV_PREFIXES = ("PYTHON", "LD_", "JUPYTER", "IPYTHON")

# The kernel's launcher, run as `python -c <its source>` (see its docstring); the agent never imports it.
_BOOT_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel_boot.py")


class _Job:
    """A cell to run (its output goes to ``emit`` as it is printed, when given); or, with ``code`` None,
    ``kind`` "start" (start the kernel), "adopt" (see the module doc) or "discard" (stop it)."""

    __slots__ = ("cancel", "code", "done", "emit", "error", "kind", "result", "timeout_s")

    def __init__(
        self,
        code: str | None,
        timeout_s: float,
        cancel: threading.Event,
        kind: str = "cell",
        emit: Emit | None = None,
    ) -> None:
        self.kind = kind
        self.emit = emit
        self.code = code
        self.timeout_s = timeout_s
        self.cancel = cancel
        self.done = threading.Event()
        self.result: str | None = None
        self.error: ToolError | None = None


class PythonKernel:
    def __init__(self, ctx: AgentContext) -> None:
        self._ctx = ctx
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()
        self._kernel: Kernel | None = None
        self._starts = 0
        self._started_with: tuple[list[str], dict[str, str]] | None = None  # the running kernel's argv, env
        self._wanted = False  # a start was asked for (warm) or happened: `adopt` has a kernel to adapt

    # -- public, called from request threads -------------------------------------------------

    def run(self, code: str, timeout_s: float, cancel: threading.Event, emit: Emit | None = None) -> str:
        result = self._submit(_Job(code, timeout_s, cancel, emit=emit))
        assert result is not None
        return result

    def warm(self) -> None:
        """Start the kernel now (a warm-pool sandbox), returning when it is ready."""
        self._wanted = True
        self._submit(_Job(None, READY_TIMEOUT_S, threading.Event(), "start"))

    def adopt(self, *, restart: bool = False) -> None:
        """The sandbox's environment changed (a session claimed it): queue the warm kernel's adaptation
        ahead of any cell, without waiting for it; `restart` discards it (the next cell starts a new one)."""
        if self._wanted:
            self._submit(_Job(None, READY_TIMEOUT_S, threading.Event(), "discard" if restart else "adopt"), wait=False)

    def _submit(self, job: _Job, *, wait: bool = True) -> str | None:
        with self._thread_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._worker, name="kernel", daemon=True)
                self._thread.start()
        self._jobs.put(job)
        if not wait:
            return None
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result

    def started(self) -> bool:
        return self._kernel is not None

    def shutdown(self) -> None:
        """Stop the kernel quickly (the sandbox is going away)."""
        self._jobs.put(None)
        kernel = self._kernel
        if kernel is not None:
            with contextlib.suppress(Exception):
                kernel.process.kill()

    # -- worker thread -----------------------------------------------------------------------

    def _worker(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                if job.kind == "start":
                    self._ensure_started()
                elif job.kind == "adopt":
                    self._adopt()
                elif job.kind == "discard":
                    self._discard()
                else:
                    job.result = self._execute(job)
            except ToolError as exc:
                job.error = exc
            except Exception as exc:  # a kernel-machinery failure must not kill the agent
                job.error = ToolError(f"Python kernel failure: {type(exc).__name__}: {exc}")
            finally:
                job.done.set()

    def _argv(self) -> list[str]:
        limit = str(self._ctx.kernel_rlimit_as or 0)
        with open(_BOOT_FILE) as fh:
            source = fh.read()
        boot = [self._ctx.python, "-c", source, limit, "-f", "{connection_file}"]
        return [*boot, "--HistoryManager.enabled=False", "--IPKernelApp.quiet=True"]

    def _kernel_env(self) -> dict[str, str]:
        env = self._ctx.user_env()
        rt = self._ctx.runtime_dir
        # Keep Jupyter/IPython bookkeeping off the user's disk quota and out of /home/user.
        env.update(
            {
                "IPYTHONDIR": os.path.join(rt, "ipython"),
                "JUPYTER_RUNTIME_DIR": os.path.join(rt, "jupyter-runtime"),
                "JUPYTER_DATA_DIR": os.path.join(rt, "jupyter-data"),
                "JUPYTER_CONFIG_DIR": os.path.join(rt, "jupyter-config"),
                "JUPYTER_PLATFORM_DIRS": "1",
                "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            }
        )
        # A figure shown in a cell (or left open at its end) comes back as an image/png result; an image's
        # env may choose another backend.  Matplotlib's font cache goes to the tmpfs, off the user's disk.
        env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        env.setdefault("MPLCONFIGDIR", os.path.join(rt, "matplotlib"))
        return env

    def _ensure_started(self) -> None:
        if self._kernel is not None:
            if self._kernel.is_alive():
                return
            self._discard()
        from .kernel_wire import Kernel

        self._starts += 1
        self._wanted = True
        n = self._starts
        rt = self._ctx.runtime_dir
        argv, env = self._argv(), self._kernel_env()
        try:
            # The kernel's own stdout/stderr (start-up chatter) go to a log in the runtime dir.
            with open(os.path.join(rt, "kernel.log"), "ab") as log:
                kernel = Kernel(
                    argv,
                    ipc_base=os.path.join(rt, f"k{n}"),
                    connection_file=os.path.join(rt, f"kernel-{n}.json"),
                    cwd=self._ctx.home,
                    env=env,
                    log=log,
                )
        except Exception as exc:
            # No process or thread slot left (the sandbox's process limit): the manager retries.
            saturated = isinstance(exc, BlockingIOError) or getattr(exc, "errno", None) == errno.EAGAIN
            raise (Saturated if saturated else ToolError)(f"Could not start the Python kernel: {exc}") from exc
        try:
            kernel.wait_for_ready(READY_TIMEOUT_S)
        except Exception as exc:
            self._kernel = kernel
            self._discard()
            raise ToolError(f"The Python kernel did not start: {exc}") from exc
        self._kernel = kernel
        self._started_with = (argv, env)

    def _adopt(self) -> None:
        """Give the running kernel the environment it would have been started with now (see the module doc)."""
        if self._kernel is None or self._started_with is None:
            return  # not running (its start failed or it died): the next cell starts one with the new env
        argv, env = self._argv(), self._kernel_env()
        old_argv, old_env = self._started_with
        changed = {k: v for k, v in env.items() if old_env.get(k) != v}
        removed = sorted(k for k in old_env if k not in env)
        if argv != old_argv or any(k.startswith(_START_ENV_PREFIXES) for k in [*changed, *removed]):
            self._discard()
            return
        if changed or removed:
            env_code = "__import__('os').environ"
            self._silent(f"(lambda e: (e.update({changed!r}), [e.pop(k, None) for k in {removed!r}]))({env_code})")
        self._started_with = (argv, env)

    def _silent(self, code: str) -> None:
        """Run `code` in the kernel outside the user's history and execution count; wait until idle."""
        kernel = self._kernel
        assert kernel is not None
        msg_id = kernel.execute(code, silent=True, store_history=False)
        end = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < end:
            try:
                msg = kernel.get_iopub_msg(0.25)
            except queue.Empty:
                if not kernel.is_alive():
                    return
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                self._collect_reply(msg_id, CodeResult(self._ctx.output_limit))
                return

    def _discard(self) -> None:
        kernel, self._kernel = self._kernel, None
        self._started_with = None
        if kernel is not None:
            with contextlib.suppress(Exception):
                kernel.kill()

    def _restart(self) -> bool:
        # A fresh start, not KernelManager.restart_kernel: that would reuse the environment of the first
        # start, from before `adopt`.
        self._discard()
        try:
            self._ensure_started()
            return True
        except ToolError:
            return False

    def _handle(self, msg: dict[str, Any], res: CodeResult) -> bool:
        """Fold one iopub message into ``res``; True when the cell is finished (idle)."""
        kind = msg["msg_type"]
        content = msg["content"]
        if kind == "stream":
            res.add_stream("stdout" if content.get("name") == "stdout" else "stderr", content.get("text", ""))
        elif kind == "display_data":
            display_id = (content.get("transient") or {}).get("display_id")
            res.add_result(content.get("data", {}), is_main=False, display_id=display_id)
        elif kind == "update_display_data":
            res.update_display(content.get("data", {}), (content.get("transient") or {}).get("display_id"))
        elif kind == "execute_result":
            res.add_result(content.get("data", {}), is_main=True)
            res.execution_count = content.get("execution_count") or res.execution_count
        elif kind == "execute_input":
            res.execution_count = content.get("execution_count") or res.execution_count
        elif kind == "error":
            res.set_error(
                content.get("ename", "Error"), content.get("evalue", ""), "\n".join(content.get("traceback", []))
            )
        elif kind == "clear_output":
            res.clear()
        elif kind == "status" and content.get("execution_state") == "idle":
            return True
        return False

    def _execute(self, job: _Job) -> str:
        t0 = time.monotonic()
        self._ensure_started()
        kernel = self._kernel
        assert kernel is not None and job.code is not None
        res = CodeResult(self._ctx.output_limit, job.emit)
        msg_id = kernel.execute(job.code)
        deadline = time.monotonic() + job.timeout_s
        while True:
            now = time.monotonic()
            if now >= deadline or job.cancel.is_set():
                self._interrupt(msg_id, res, job)
                break
            try:
                msg = kernel.get_iopub_msg(min(0.25, deadline - now))
            except queue.Empty:
                if not kernel.is_alive():
                    self._died(res)
                    break
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if self._handle(msg, res):
                self._collect_reply(msg_id, res)
                break
        return res.to_json(time.monotonic() - t0)

    def _collect_reply(self, msg_id: str, res: CodeResult) -> None:
        end = time.monotonic() + 2.0
        while self._kernel is not None and time.monotonic() < end:
            try:
                reply = self._kernel.get_shell_msg(max(0.01, end - time.monotonic()))
            except queue.Empty:
                return
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                count = reply.get("content", {}).get("execution_count")
                if isinstance(count, int) and count:
                    res.execution_count = count
                return

    def _interrupt(self, msg_id: str, res: CodeResult, job: _Job) -> None:
        why = "was cancelled" if job.cancel.is_set() else f"exceeded the timeout of {job.timeout_s:g} s"
        kernel = self._kernel
        assert kernel is not None
        with contextlib.suppress(Exception):
            kernel.interrupt()
        end = time.monotonic() + INTERRUPT_GRACE_S
        idle = False
        traceback = ""
        while time.monotonic() < end:
            try:
                msg = kernel.get_iopub_msg(0.1)
            except queue.Empty:
                if not kernel.is_alive():
                    break
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "error":
                # The KeyboardInterrupt the interrupt caused: keep its traceback (where the cell
                # was stopped) but report the timeout as the error.
                traceback = "\n".join(msg["content"].get("traceback", []))
                continue
            if self._handle(msg, res):
                idle = True
                break
        if idle:
            self._collect_reply(msg_id, res)
            res.set_error(
                "TimeoutError", f"Execution {why} and was interrupted; the kernel and its state are kept", traceback
            )
            return
        restarted = self._restart()
        outcome = (
            "was restarted; its state is lost"
            if restarted
            else "could not be restarted and will start afresh on the next call"
        )
        res.set_error(
            "TimeoutError", f"Execution {why}; the kernel did not respond to the interrupt and {outcome}", traceback
        )

    def _died(self, res: CodeResult) -> None:
        code = None
        with contextlib.suppress(Exception):
            code = self._kernel.returncode if self._kernel is not None else None
        self._discard()
        detail = f" (exit status {code})" if code is not None else ""
        res.set_error(
            "KernelDied",
            f"The Python kernel died while running this cell{detail}, possibly out of memory; "
            "it will be restarted on the next run_code call and its state is lost",
            "",
        )
