"""Python ``run_code``: one Jupyter kernel per sandbox, started on first use.

jupyter_client's blocking client runs asyncio machinery per thread, so every kernel operation
happens on one worker thread; request threads hand it jobs and wait.  That also serialises the
cells of one kernel, which is what a notebook does.

The kernel uses the ipc transport (the sandbox has no network, not even for 127.0.0.1 to the
host) and ``interrupt_mode: message``: a SIGINT would hit the whole process group otherwise.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import threading
import time
from typing import Any

from .context import AgentContext
from .errors import Saturated, ToolError
from .results import CodeResult, Emit

INTERRUPT_GRACE_S = 3.0  # how long an interrupted cell may take to go idle before we restart
READY_TIMEOUT_S = 60.0

# Runs the kernel after lowering its address-space limit (the fallback when the sandbox has no
# memory cgroup).  RLIMIT_AS is set here and not on the whole sandbox because Node and the
# agent reserve far more address space than they use.
#
# ipykernel sends what a cell prints at most every 0.2 s (OutStream.flush_interval); a streamed run would
# reach its callbacks that late, so the kernel flushes every 5 ms (a 10,000-line print still goes out in a
# few large messages, as output arriving faster than that is batched).
_BOOT = (
    "import runpy, sys\n"
    "import ipykernel.iostream\n"
    "ipykernel.iostream.OutStream.flush_interval = 0.005\n"
    "limit = int(sys.argv.pop(1))\n"
    "if limit:\n"
    "    import resource\n"
    "    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
    "sys.argv[0] = 'ipykernel_launcher'\n"
    "runpy.run_module('ipykernel_launcher', run_name='__main__', alter_sys=True)\n"
)


class _Job:
    __slots__ = ("cancel", "code", "done", "emit", "error", "result", "timeout_s")

    def __init__(self, code: str, timeout_s: float, cancel: threading.Event, emit: Emit | None) -> None:
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
        self._km: Any = None
        self._kc: Any = None
        self._starts = 0

    # -- public, called from request threads -------------------------------------------------

    def run(self, code: str, timeout_s: float, cancel: threading.Event, emit: Emit | None = None) -> str:
        with self._thread_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._worker, name="kernel", daemon=True)
                self._thread.start()
        job = _Job(code, timeout_s, cancel, emit)
        self._jobs.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result

    def started(self) -> bool:
        return self._km is not None

    def shutdown(self) -> None:
        """Stop the kernel quickly (the sandbox is going away)."""
        self._jobs.put(None)
        km = self._km
        if km is not None:
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)

    # -- worker thread -----------------------------------------------------------------------

    def _worker(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job.result = self._execute(job)
            except ToolError as exc:
                job.error = exc
            except Exception as exc:  # a kernel-machinery failure must not kill the agent
                job.error = ToolError(f"Python kernel failure: {type(exc).__name__}: {exc}")
            finally:
                job.done.set()

    def _spec_dir(self) -> str:
        kernels = os.path.join(self._ctx.runtime_dir, "kernels")
        spec_dir = os.path.join(kernels, "agb-python")
        os.makedirs(spec_dir, exist_ok=True)
        limit = str(self._ctx.kernel_rlimit_as or 0)
        argv = [self._ctx.python, "-c", _BOOT, limit, "-f", "{connection_file}"]
        argv += ["--HistoryManager.enabled=False", "--IPKernelApp.quiet=True"]
        spec = {
            "argv": argv,
            "display_name": "Python 3 (agb sandbox)",
            "language": "python",
            "interrupt_mode": "message",
            "metadata": {"debugger": False},
        }
        with open(os.path.join(spec_dir, "kernel.json"), "w") as fh:
            json.dump(spec, fh)
        return kernels

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
        if self._km is not None:
            if self._km.is_alive():
                return
            self._discard()
        for var, sub in (("JUPYTER_RUNTIME_DIR", "jupyter-runtime"), ("JUPYTER_DATA_DIR", "jupyter-data")):
            os.environ.setdefault(var, os.path.join(self._ctx.runtime_dir, sub))
        os.environ.setdefault("JUPYTER_CONFIG_DIR", os.path.join(self._ctx.runtime_dir, "jupyter-config"))
        os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
        try:
            from jupyter_client.kernelspec import KernelSpecManager
            from jupyter_client.manager import KernelManager
        except ImportError as exc:
            raise ToolError(f"Python is not available in this sandbox: jupyter_client is missing ({exc})") from exc
        self._starts += 1
        n = self._starts
        rt = self._ctx.runtime_dir
        ksm = KernelSpecManager(kernel_dirs=[self._spec_dir()], ensure_native_kernel=False)
        km = KernelManager(
            kernel_name="agb-python",
            kernel_spec_manager=ksm,
            transport="ipc",
            ip=os.path.join(rt, f"k{n}"),
            connection_file=os.path.join(rt, f"kernel-{n}.json"),
        )
        try:
            # The kernel's own stdout/stderr (start-up chatter) go to a log in the runtime dir.
            with open(os.path.join(rt, "kernel.log"), "ab") as log:
                km.start_kernel(cwd=self._ctx.home, env=self._kernel_env(), stdout=log, stderr=log)
        except Exception as exc:
            error = Saturated if isinstance(exc, BlockingIOError) else ToolError
            raise error(f"Could not start the Python kernel: {exc}") from exc
        kc = km.blocking_client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=READY_TIMEOUT_S)
        except Exception as exc:
            self._km, self._kc = km, kc
            self._discard()
            raise ToolError(f"The Python kernel did not start: {exc}") from exc
        self._km, self._kc = km, kc

    def _discard(self) -> None:
        km, kc = self._km, self._kc
        self._km = self._kc = None
        try:
            if kc is not None:
                kc.stop_channels()
        except Exception:
            pass
        try:
            if km is not None:
                km.shutdown_kernel(now=True)
        except Exception:
            pass

    def _restart(self) -> bool:
        try:
            self._kc.stop_channels()
            self._km.restart_kernel(now=True)
            self._kc = self._km.blocking_client()
            self._kc.start_channels()
            self._kc.wait_for_ready(timeout=READY_TIMEOUT_S)
            return True
        except Exception:
            self._discard()
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
        km, kc = self._km, self._kc
        res = CodeResult(self._ctx.output_limit, job.emit)
        msg_id = kc.execute(job.code, store_history=True, allow_stdin=False, stop_on_error=False)
        deadline = time.monotonic() + job.timeout_s
        while True:
            now = time.monotonic()
            if now >= deadline or job.cancel.is_set():
                self._interrupt(msg_id, res, job)
                break
            try:
                msg = kc.get_iopub_msg(timeout=min(0.25, deadline - now))
            except queue.Empty:
                if not km.is_alive():
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
        while self._kc is not None and time.monotonic() < end:
            try:
                reply = self._kc.get_shell_msg(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                return
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                count = reply.get("content", {}).get("execution_count")
                if isinstance(count, int) and count:
                    res.execution_count = count
                return

    def _interrupt(self, msg_id: str, res: CodeResult, job: _Job) -> None:
        why = "was cancelled" if job.cancel.is_set() else f"exceeded the timeout of {job.timeout_s:g} s"
        km, kc = self._km, self._kc
        with contextlib.suppress(Exception):
            km.interrupt_kernel()
        end = time.monotonic() + INTERRUPT_GRACE_S
        idle = False
        traceback = ""
        while time.monotonic() < end:
            try:
                msg = kc.get_iopub_msg(timeout=0.1)
            except queue.Empty:
                if not km.is_alive():
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
            code = self._km.provisioner.process.returncode if self._km.provisioner else None
        self._discard()
        detail = f" (exit status {code})" if code is not None else ""
        res.set_error(
            "KernelDied",
            f"The Python kernel died while running this cell{detail}, possibly out of memory; "
            "it will be restarted on the next run_code call and its state is lost",
            "",
        )
