"""The ``shell`` tool: one ``/bin/bash -c`` per call, in its own session and process group."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import threading
import time
import uuid
from typing import Any

from . import args as A
from .context import AgentContext
from .errors import ToolError
from .output import CappedBytes

DEFAULT_TIMEOUT_MS = 1000  # the documented client default (wire-protocol §3.2)
MAX_TIMEOUT_MS = 24 * 3600 * 1000
TIMEOUT_EXIT_CODE = 124  # what coreutils' timeout(1) uses
# After bash exits, background jobs may still hold its stdout/stderr open; wait this long for
# EOF, then answer and keep draining (so those jobs don't die of SIGPIPE).
EOF_GRACE_S = 0.1


def _drain(stream: Any, sink: CappedBytes, done: threading.Event) -> None:
    try:
        while True:
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                break
            sink.add(chunk)
    except OSError:
        pass
    finally:
        done.set()
        stream.close()


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the command's process group until it is empty (a fork bomb may be mid-fork).

    bash itself is reaped right after the first signal: a zombie leader would keep the group
    "alive" for killpg.  Orphaned members are reaped by the sandbox's init."""
    pgid = proc.pid
    for attempt in range(100):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            break
        if attempt == 0:
            proc.wait()
        else:
            time.sleep(0.002)
    proc.wait()


def run_shell(ctx: AgentContext, args: dict[str, Any], cancel: threading.Event) -> str:
    command = A.get_str(args, "command")
    timeout_ms = A.get_int(args, "timeout_ms", required=False, default=DEFAULT_TIMEOUT_MS, minimum=1)
    assert command is not None and timeout_ms is not None
    timeout_ms = min(timeout_ms, MAX_TIMEOUT_MS)
    cwd_arg = A.get_str(args, "cwd", required=False)
    envs = A.get_str_map(args, "envs")
    cwd = ctx.real_cwd(cwd_arg)
    if not os.path.isdir(cwd):
        raise ToolError(f"Invalid cwd: {cwd_arg} is not an existing directory")
    env = ctx.user_env(envs)

    try:
        proc = subprocess.Popen(
            ["/bin/bash", "-c", command],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # own session + process group, so a timeout can kill it all
        )
    except OSError as exc:
        raise ToolError(f"Could not start the command: {exc.strerror or exc}") from exc

    out, err = CappedBytes(ctx.output_limit), CappedBytes(ctx.output_limit)
    out_done, err_done = threading.Event(), threading.Event()
    for stream, sink, done in ((proc.stdout, out, out_done), (proc.stderr, err, err_done)):
        threading.Thread(target=_drain, args=(stream, sink, done), daemon=True).start()

    note = ""
    deadline = time.monotonic() + timeout_ms / 1000
    pidfd = os.pidfd_open(proc.pid)
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or cancel.is_set():
                break
            ready, _, _ = select.select([pidfd], [], [], min(remaining, 0.05))
            if ready:
                break
    finally:
        os.close(pidfd)

    if proc.poll() is None:
        kill_group(proc)
        if cancel.is_set():
            note = "[cancelled: the command was killed because the tool call was cancelled]"
        else:
            note = f"[timeout: the command exceeded timeout_ms={timeout_ms} and was killed with its process group]"
        exit_code = TIMEOUT_EXIT_CODE
    else:
        rc = proc.returncode
        exit_code = 128 - rc if rc < 0 else rc  # killed by signal N -> 128+N, like bash

    grace_end = time.monotonic() + EOF_GRACE_S
    for done in (out_done, err_done):
        done.wait(max(0.0, grace_end - time.monotonic()))

    stderr = err.text()
    if note:
        stderr = stderr + ("\n" if stderr and not stderr.endswith("\n") else "") + note
    return json.dumps(
        {"stdout": out.text(), "stderr": stderr, "exit_code": exit_code, "traceId": uuid.uuid4().hex},
        ensure_ascii=False,
    )
