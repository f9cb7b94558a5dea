"""Python ``run_code``: one IPython shell process per sandbox (``py_runner.py``; the protocol is repl.py's),
started on the first Python cell or ahead (``warm``).

A warm-pool sandbox starts its runner before any session owns it (``warm``); when a session claims it,
``adopt`` gives the running runner the session's environment (the variables that differ are set by an ``ENV``
request, outside the history and the execution count), or discards it when the image would have started a
different one (another interpreter, or another value of a variable the interpreter reads at start, such as
``PYTHONPATH``). The adoption is done before the session's next cell, in the order the two were asked for.
"""

from __future__ import annotations

import json
import os
import signal
from typing import TYPE_CHECKING, Any

from .repl import HERE, START_TIMEOUT_S, ReplRunner

if TYPE_CHECKING:
    import threading

    from .results import Emit

# Read when the interpreter starts (by it and site, the dynamic loader and IPython): a running runner cannot
# take a new value of these, so a warm one started without the image's value is discarded. Others
# (MPLBACKEND, PIP_*, VIRTUAL_ENV) are read later, by libraries at import or by subprocesses, so setting them
# before the first cell is enough.
_START_ENV_PREFIXES = ("PYTHON", "LD_", "JUPYTER", "IPYTHON")

# The runner, run as `python -c <its source>` (see its docstring); the agent never imports it.
RUNNER = os.path.join(HERE, "py_runner.py")


class PythonKernel(ReplRunner):
    language = "Python"
    noun = "kernel"
    died = "KernelDied"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._started_with: tuple[tuple[str, str], dict[str, str]] | None = None  # the running one's, see `_key`
        self._wanted = False  # a start was asked for (warm) or happened: `adopt` has a runner to adapt
        self._pending: str | None = None  # "adopt" or "discard", asked for by `adopt`, done before the next cell

    def _key(self) -> tuple[str, str]:
        """What the runner is started with besides its environment: the interpreter and the address-space limit."""
        return self._ctx.python, str(self._ctx.kernel_rlimit_as or 0)

    def command(self, req_fd: int, resp_fd: int) -> list[str]:
        python, limit = self._key()
        with open(RUNNER) as fh:
            source = fh.read()
        return [python, "-u", "-c", source, str(req_fd), str(resp_fd), limit]

    def env(self) -> dict[str, str]:
        env = self._ctx.user_env()
        rt = self._ctx.runtime_dir
        # IPython's profile directory goes to the tmpfs, off the user's disk quota and out of /home/user.
        env["IPYTHONDIR"] = os.path.join(rt, "ipython")
        # A figure shown in a cell (or left open at its end) comes back as an image/png result; an image's
        # env may choose another backend.  Matplotlib's font cache goes to the tmpfs, off the user's disk.
        env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        env.setdefault("MPLCONFIGDIR", os.path.join(rt, "matplotlib"))
        return env

    def interrupt(self, cell_id: int) -> None:
        # The runner turns it into a KeyboardInterrupt in the running cell (and ignores one between cells).
        self.signal(signal.SIGINT)

    def died_message(self, status: int | None) -> str:
        detail = f" (exit status {status})" if status is not None else ""
        return (
            f"The Python kernel died while running this cell{detail}, possibly out of memory; "
            "it will be restarted on the next run_code call and its state is lost"
        )

    def bundle(self, text: str) -> dict[str, Any]:
        data = json.loads(text)
        return data if isinstance(data, dict) else {"text/plain": str(data)}

    # -- start ahead, adopt ----------------------------------------------------------------------

    def warm(self) -> None:
        """Start the runner now (a warm-pool sandbox), returning when it is ready."""
        with self._lock:
            self._wanted = True
            self._ensure_started()

    def adopt(self, *, restart: bool = False) -> None:
        """The sandbox's environment changed (a session claimed it): have the warm runner adapted before the next
        cell, without waiting; `restart` discards it (the next cell starts a new one)."""
        if self._wanted:
            self._pending = "discard" if restart or self._pending == "discard" else "adopt"

    def shutdown(self) -> None:
        """Stop the runner (the sandbox is going away)."""
        self.stop()

    def run(self, code: str, timeout_s: float, cancel: threading.Event, emit: Emit | None = None) -> str:
        with self._lock:
            self._adopt()
            return self._run(code, timeout_s, cancel, emit)

    def _start(self) -> dict[str, str]:
        self._wanted = True
        key = self._key()
        env = super()._start()
        self._started_with = (key, env)
        return env

    def _adopt(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None or self._started_with is None or not self.started():
            return  # nothing to adapt: the next cell starts a runner with the new environment
        env = self.env()
        old_key, old_env = self._started_with
        changed = {k: v for k, v in env.items() if old_env.get(k) != v}
        removed = sorted(k for k in old_env if k not in env)
        if (
            pending == "discard"
            or self._key() != old_key
            or any(k.startswith(_START_ENV_PREFIXES) for k in [*changed, *removed])
        ):
            self.stop()
            return
        if changed or removed:
            self._next_id += 1
            data = json.dumps({"set": changed, "unset": removed}).encode()
            try:
                self.send(b"ENV %d %d\n" % (self._next_id, len(data)) + data)
            except OSError:
                self.stop()
                return
            reply, _ = self._await_reply(self._next_id, START_TIMEOUT_S)
            if reply is None:
                self.stop()
                return
        self._started_with = (old_key, env)

    def stop(self) -> None:
        self._started_with = None
        super().stop()
