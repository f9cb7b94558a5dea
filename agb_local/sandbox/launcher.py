"""Starting one sandbox process: the session directory, the limits, bwrap (or not), the agent."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shlex
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import bwrap
from .cgroups import SandboxCgroup
from .channel import LINE_LIMIT, AgentChannel, AgentGone, exited
from .config import SandboxConfig, SandboxError
from .environments import images_dir_for
from .hostenv import AGENT_DIR, SANDBOX_AGENT_PARENT, SANDBOX_RUNTIME_DIR, SYSTEM_PATH, HostRuntime

CGROUP_JOIN_FAILED = 97


@dataclass
class Launched:
    proc: asyncio.subprocess.Process
    channel: AgentChannel
    runtime_tmp: str | None  # host scratch dir to delete on stop (isolation "none" only)


def chown_tree(root: Path, uid: int) -> None:
    """Give a session's files to its (new) sandbox uid, without following symlinks."""
    os.lchown(root, uid, uid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            with contextlib.suppress(OSError):
                os.lchown(os.path.join(dirpath, name), uid, uid)


def prepare_directory(directory: Path, uid: int | None) -> None:
    """``<dir>/home``, ``<dir>/tmp`` and ``<dir>/venv`` become the sandbox's /home/user, /tmp and
    /opt/agb/venv.  The directory itself stays root-only so no other uid can reach a session's files
    from the host side."""
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    # venv/: the session's own Python environment (pip installs land there), at /opt/agb/venv inside.
    for sub, mode in (("home", 0o750), ("tmp", 0o1777), ("venv", 0o755)):
        path = directory / sub
        path.mkdir(exist_ok=True)
        if uid is not None and path.stat().st_uid != uid:
            chown_tree(path, uid)
        os.chmod(path, mode)


def host_env(runtime: HostRuntime, directory: Path) -> dict[str, str]:
    path = SYSTEM_PATH if runtime.venv_bin_sandbox is None else f"{os.path.dirname(runtime.python_host)}:{SYSTEM_PATH}"
    return {
        "HOME": str(directory / "home"),
        "USER": os.environ.get("USER", "root"),
        "PATH": path,
        "LANG": "C.UTF-8",
        "TMPDIR": str(directory / "tmp"),
        "TERM": "dumb",
    }


def agent_config(
    cfg: SandboxConfig, runtime: HostRuntime, directory: Path, *, contained: bool, memory_cgroup: bool
) -> tuple[dict[str, object], str | None]:
    """The agent's start-up config, and the host scratch dir made for it (none mode)."""
    common: dict[str, object] = {
        "node": runtime.node,
        "java": runtime.java,
        "r": runtime.r,
        "output_limit": cfg.output_limit_bytes,
        "read_limit": cfg.read_limit_bytes,
        # Without a memory cgroup the kernel gets an address-space limit as a fallback.
        "kernel_rlimit_as": None if memory_cgroup else cfg.memory_limit_mb * 1024 * 1024,
        "languages": [],
    }
    if contained:
        return {
            **common,
            "mode": "bwrap",
            "home": bwrap.SANDBOX_HOME,
            "tmp": "/tmp",
            "runtime_dir": SANDBOX_RUNTIME_DIR,
            "python": runtime.python_sandbox,
            "base_env": bwrap.sandbox_env(runtime),
        }, None
    # A short host path: ipc socket names must fit in 107 bytes.
    scratch = tempfile.mkdtemp(prefix="agb-rt-")
    return {
        **common,
        "mode": "none",
        "home": str(directory / "home"),
        "tmp": str(directory / "tmp"),
        "runtime_dir": scratch,
        "python": runtime.python_host,
        "base_env": host_env(runtime, directory),
    }, scratch


def _agent_command(python: str, agent_parent: str, config: dict[str, object]) -> list[str]:
    boot = (
        "import sys; sys.dont_write_bytecode = True; "
        f"sys.path.insert(0, {agent_parent!r}); "
        "from agent.server import main; main()"
    )
    # -I: ignore PYTHON* variables and the user site, so nothing in the sandbox steers the agent.
    return [python, "-I", "-c", boot, json.dumps(config)]


def _pipe_with(data: bytes) -> int:
    """A pipe already holding ``data`` (small: it must fit the pipe buffer); returns the read end."""
    r, w = os.pipe()
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(w, view) :]
    finally:
        os.close(w)
    return r


async def launch(
    cfg: SandboxConfig,
    runtime: HostRuntime,
    *,
    name: str,
    directory: Path,
    uid: int | None,
    cgroup: SandboxCgroup | None,
    contained: bool,
) -> Launched:
    memory_cgroup = cgroup is not None and "memory" in cgroup.paths
    config, scratch = agent_config(cfg, runtime, directory, contained=contained, memory_cgroup=memory_cgroup)
    fds: list[int] = []
    try:
        if contained:
            assert uid is not None
            agent = _agent_command(str(config["python"]), SANDBOX_AGENT_PARENT, config)
            plan = bwrap.build(
                runtime,
                home=str(directory / "home"),
                tmp=str(directory / "tmp"),
                uid=uid,
                command=agent,
                images=str(images_dir_for(cfg.data_dir, cfg.images_dir)),
                venv=str(directory / "venv"),
            )
            slots = {}
            for path, content in plan.data.items():
                slots[f"{{fd:{path}}}"] = fd = _pipe_with(content)
                fds.append(fd)
            args = [str(slots.get(a, a)) for a in plan.args]
            args_fd = _pipe_with(b"\0".join(a.encode() for a in args) + b"\0")
            fds.append(args_fd)
            bwrap_bin = bwrap.bwrap_path()
            if bwrap_bin is None:
                raise SandboxError(f"bubblewrap disappeared: {bwrap.INSTALL_HINT}")
            inner = [bwrap_bin, "--args", str(args_fd), "--", *plan.command]
        else:
            inner = _agent_command(runtime.python_host, str(AGENT_DIR.parent), config)

        # A tiny shell joins the cgroups and prlimit(1) sets the rlimits *before* the sandbox
        # starts, so no process of the sandbox ever runs outside its limits (and no preexec_fn
        # is needed in a threaded server).  RLIMIT_NPROC counts per uid: each sandbox has its own.
        limits = [
            "/usr/bin/prlimit",
            "--core=0",
            f"--fsize={cfg.disk_limit_mb * 1024 * 1024}",
            f"--nproc={cfg.pids_limit}",
            "--",
        ]
        joins = " ".join(shlex.quote(f) for f in (cgroup.procs_files() if cgroup else []))
        script = (
            f'for f in {joins}; do echo $$ > "$f" || exit {CGROUP_JOIN_FAILED}; done; ' if joins else ""
        ) + 'exec "$@"'
        inner = limits + inner
        env = {"PATH": SYSTEM_PATH} if contained else host_env(runtime, directory)
        proc = await asyncio.create_subprocess_exec(
            "/bin/sh",
            "-c",
            script,
            "agb-sandbox",
            *inner,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            pass_fds=fds,
            start_new_session=True,  # a Ctrl-C at the server's terminal is not the sandbox's
            env=env,
            cwd=str(directory / "home") if not contained else "/",
            limit=LINE_LIMIT,
        )
    except BaseException:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
        raise
    finally:
        for fd in fds:
            os.close(fd)

    channel = AgentChannel(proc, name)
    try:
        await channel.wait_ready(cfg.start_timeout_s)
    except BaseException as exc:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await exited(proc, 10.0)
        channel.close("start failed")
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
        if isinstance(exc, AgentGone):
            raise SandboxError(exc.reason) from None
        raise
    return Launched(proc, channel, scratch)
