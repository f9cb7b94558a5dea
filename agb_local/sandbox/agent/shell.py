"""The ``shell`` tool: one ``/bin/bash -c`` per call, in its own session and process group."""

from __future__ import annotations

import errno
import json
import os
import select
import signal
import threading
import time
from typing import Any

from . import args as A
from .context import AgentContext
from .errors import Saturated, ToolError
from .output import CappedBytes

# subprocess is imported where a process is started: an idle sandbox's agent should not hold it (~1 MB).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess

DEFAULT_TIMEOUT_MS = 1000  # the protocol's default for a call without timeout_ms (ShellArgs in the spec)
MAX_TIMEOUT_MS = 24 * 3600 * 1000
TIMEOUT_EXIT_CODE = 124  # what coreutils' timeout(1) uses
# After bash exits, background jobs may still hold its stdout/stderr open; wait this long for
# EOF, then answer and keep draining (so those jobs don't die of SIGPIPE).
EOF_GRACE_S = 0.1


def _drain_forever(fds: list[int]) -> None:
    """Keep reading pipes that background jobs still hold, discarding the data, until EOF."""
    try:
        while fds:
            ready, _, _ = select.select(fds, [], [])
            for fd in ready:
                if not os.read(fd, 65536):
                    fds.remove(fd)
                    os.close(fd)
    except OSError:
        pass


def _read_into(fd: int, sinks: dict[int, CappedBytes], open_fds: list[int]) -> None:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        chunk = b""
    if chunk:
        sinks[fd].add(chunk)
    else:
        open_fds.remove(fd)


# Why a command killed by a signal died, for the signals the sandbox's own limits send.
_SIGNAL_NOTES: dict[int, str] = {
    signal.SIGKILL: "[the command was killed by SIGKILL: out of memory (the sandbox's memory limit), or killed]",
    signal.SIGXFSZ: "[the command was killed by SIGXFSZ: a file reached the sandbox's size limit (its disk quota)]",
}


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
        import subprocess

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
        error = Saturated if exc.errno == errno.EAGAIN else ToolError
        raise error(f"Could not start the command: {exc.strerror or exc}") from exc

    # One select loop, no helper threads: under a fork bomb the sandbox may have no pid left
    # for a thread, and the call must still answer and kill its process group.
    out, err = CappedBytes(ctx.output_limit), CappedBytes(ctx.output_limit)
    assert proc.stdout is not None and proc.stderr is not None
    sinks = {proc.stdout.fileno(): out, proc.stderr.fileno(): err}
    open_fds = list(sinks)
    note = ""
    deadline = time.monotonic() + timeout_ms / 1000
    pidfd = os.pidfd_open(proc.pid)
    exited = False
    try:
        while not exited:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or cancel.is_set():
                break
            ready, _, _ = select.select([pidfd, *open_fds], [], [], min(remaining, 0.05))
            for fd in ready:
                if fd == pidfd:
                    exited = True
                else:
                    _read_into(fd, sinks, open_fds)
    finally:
        os.close(pidfd)

    if not exited and proc.poll() is None:
        kill_group(proc)
        if cancel.is_set():
            note = "[cancelled: the command was killed because the tool call was cancelled]"
        else:
            note = f"[timeout: the command exceeded timeout_ms={timeout_ms} and was killed with its process group]"
        exit_code = TIMEOUT_EXIT_CODE
    else:
        rc = proc.wait()
        exit_code = 128 - rc if rc < 0 else rc  # killed by signal N -> 128+N, like bash
        if rc < 0:
            # bash ran the command in its place (exec), so nobody printed why it died: say it, as bash would.
            note = _SIGNAL_NOTES.get(-rc) or f"[the command was killed by signal {-rc}]"

    # bash is gone; collect what is left in the pipes until EOF or a short grace period.
    grace_end = time.monotonic() + EOF_GRACE_S
    while open_fds:
        remaining = grace_end - time.monotonic()
        if remaining <= 0:
            break
        ready, _, _ = select.select(open_fds, [], [], remaining)
        for fd in ready:
            _read_into(fd, sinks, open_fds)
    for stream in (proc.stdout, proc.stderr):
        if stream.fileno() not in open_fds:
            stream.close()
    if open_fds:
        # Background jobs hold the pipes: drain them elsewhere so they don't die of SIGPIPE.
        keep = [os.dup(fd) for fd in open_fds]
        for stream in (proc.stdout, proc.stderr):
            if not stream.closed:
                stream.close()
        try:
            threading.Thread(target=_drain_forever, args=(keep,), daemon=True).start()
        except RuntimeError:  # no thread left (pids limit): let the jobs take their chances
            for fd in keep:
                os.close(fd)

    stderr = err.text()
    if note:
        stderr = stderr + ("\n" if stderr and not stderr.endswith("\n") else "") + note
    return json.dumps(
        {"stdout": out.text(), "stderr": stderr, "exit_code": exit_code, "traceId": os.urandom(16).hex()},
        ensure_ascii=False,
    )
