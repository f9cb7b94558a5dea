"""SandboxManager: sessions, the warm pool, restarts, limits, quota and clean shutdown."""

from __future__ import annotations

import asyncio
import compileall
import contextlib
import json
import logging
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import agb_spec

from . import bwrap
from .agent.results import CodeResult
from .cgroups import NAME_PREFIX, CgroupSupport, SandboxCgroup
from .channel import AgentChannel, AgentGone, exited
from .config import IsolationUnavailable, SandboxConfig, SandboxError, SessionNotFound, ToolOutcome
from .environments import SANDBOX_IMAGES_DIR, SANDBOX_VENV, images_dir_for
from .hostenv import AGENT_DIR, HostRuntime
from .image_builds import ImageBuilds
from .images import DEFAULT_IMAGE_ID, Image
from .launcher import host_env, launch, prepare_directory
from .metrics import Sample, measure
from .netns import connect
from .network import Egress, attach, sandbox_init_pid
from .procs import descendants, rss_bytes
from .quota import directory_usage
from .uids import UidAllocator

log = logging.getLogger(__name__)

# The tools and what they do, from the spec (x-agb-tools). Writing tools are refused while a session is over its
# disk quota (reads, listings and delete_file still work, so the user can see what is big and remove it); after
# any call that is not read-only the session's disk use is measured again.
TOOLS = tuple(sorted(agb_spec.tools()))
WRITING_TOOLS = agb_spec.writing_tools()
READ_ONLY_TOOLS = agb_spec.read_only_tools()
# run_code's language names (aliases included) to the names the agent knows, from the spec.
LANGUAGE_ALIASES = agb_spec.language_aliases()
_SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
META_FILE = "sandbox.json"  # in the session dir, outside home/ and tmp/: invisible to the sandbox
# When the caller gives no overall timeout, a call may take its own timeout plus this much.
CALL_SLACK_S = 30.0
FILE_TOOL_TIMEOUT_S = 300.0
# A call that cannot start because the sandbox is at its process limit is tried again for this long (a
# burst of work may be ending) before the sandbox is restarted (a fork bomb in the background never ends).
SATURATED_GRACE_S = 2.0
# A sandbox's first Python cell starts its kernel: it waits for one of `kernel_starts` slots, at most this long
# (the gate may delay a cell, never stall it), and holds the slot until its reply or for at most this long
# (a long first cell must not keep other kernels from starting).
KERNEL_GATE_WAIT_S = 10.0
KERNEL_GATE_HOLD_S = 3.0
# How long a killed sandbox's process is waited for (it exits at once unless stuck in the kernel).
KILL_WAIT_S = 10.0


@dataclass
class _Sandbox:
    name: str
    directory: Path
    uid: int | None
    cgroup: SandboxCgroup | None
    proc: asyncio.subprocess.Process
    channel: AgentChannel
    runtime_tmp: str | None
    session_id: str | None = None
    image: Image | None = None
    started: float = field(default_factory=time.monotonic)
    disk_bytes: int = 0
    over_quota: bool = False
    stopping: bool = False
    measuring: bool = False
    kernel_warm: bool = False  # a Python cell was answered or a kernel start asked for: no gate for it
    kernel_ready: bool = False  # the kernel started ahead (pool_kernels) answered ready
    netns_pid: int | None = None  # a process inside the sandbox's network namespace, once looked up
    metrics_sample: Sample = field(default_factory=Sample)
    egress: Egress | None = None  # the image allows network egress: its slirp4netns

    @property
    def alive(self) -> bool:
        return not self.channel.closed and self.proc.returncode is None


class SandboxManager:
    def __init__(self, cfg: SandboxConfig) -> None:
        if cfg.isolation not in ("bwrap", "none"):
            raise SandboxError(f"unknown isolation {cfg.isolation!r}: use 'bwrap' or 'none'")
        self.cfg = cfg
        self.contained = cfg.isolation == "bwrap"
        if self.contained:
            bwrap.probe()  # raises IsolationUnavailable with the install hint
        if shutil.which("prlimit") is None:
            raise SandboxError("prlimit (util-linux) is missing: install it with `apt-get install -y util-linux`")
        self.runtime = HostRuntime.detect()
        self.root = Path(cfg.data_dir) / "sandboxes"
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o711)
        # Per-sandbox uids only make sense when we can switch to them (root + bwrap).
        self._switch_uid = self.contained and bwrap.privileged()
        self._uids = UidAllocator(cfg.uid_base, cfg.uid_count)
        self._cgroups = CgroupSupport.detect() if os.geteuid() == 0 else CgroupSupport({})
        self._sessions: dict[str, _Sandbox] = {}
        self.pool_image: Image | None = None  # what warm sandboxes are set up for (prepare_images)
        self._pool: list[_Sandbox] = []
        self._pool_starting = 0
        self._pool_wakeup: asyncio.Event | None = None
        self._locks: dict[str, asyncio.Lock] = {}
        self._seq = 0
        self._token = secrets.token_hex(3)
        self._tasks: list[asyncio.Task[None]] = []
        self._warming: set[asyncio.Task[None]] = set()  # kernel starts of pooled sandboxes
        self._closing = False
        self._kernel_slots = asyncio.Semaphore(cfg.kernel_starts or 2 * (os.cpu_count() or 1))
        self._started = False
        self.images = ImageBuilds(
            images_dir_for(cfg.data_dir, cfg.images_dir),
            wheelhouse=cfg.wheelhouse,
            base_python_seen=self.runtime.base_python_sandbox if self.contained else None,
        )
        # Compile the agent once so every sandbox start loads bytecode (the package is read-only
        # inside the sandbox, so it could not cache it itself).
        compileall.compile_dir(str(AGENT_DIR), quiet=2)

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Clean up after a previous server and start filling the warm pool in the background."""
        if self._started:
            return
        self._started = True
        await asyncio.to_thread(self._remove_stale)
        self._pool_wakeup = asyncio.Event()
        self._tasks.append(asyncio.create_task(self._fill_pool(), name="sandbox-pool"))
        self._tasks.append(asyncio.create_task(self._quota_loop(), name="sandbox-quota"))

    def _remove_stale(self) -> None:
        self._cgroups.remove_stale()
        self._cgroups.weigh_sandboxes()
        for entry in self.root.iterdir():
            if entry.name.startswith(".pool-"):
                owner = entry.name.split("-")[2] if entry.name.count("-") >= 3 else ""
                if owner.isdigit() and int(owner) != os.getpid() and not os.path.exists(f"/proc/{owner}"):
                    shutil.rmtree(entry, ignore_errors=True)

    async def close(self) -> None:
        """Kill every sandbox (pool included) and remove the pool's directories."""
        self._closing = True
        self.images.close()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        for task in list(self._warming):
            task.cancel()
        # Wait for pool starts in flight, so none finishes after we are gone.
        for _ in range(int(self.cfg.start_timeout_s * 20)):
            if self._pool_starting == 0:
                break
            await asyncio.sleep(0.05)
        sessions, self._sessions = list(self._sessions.values()), {}
        pool, self._pool = self._pool, []
        await asyncio.gather(
            *(self._kill(sb) for sb in sessions), *(self._discard(sb) for sb in pool), return_exceptions=True
        )
        for base in self._cgroups.bases.values():
            with contextlib.suppress(OSError):
                base.rmdir()  # only succeeds when no other server uses it
        self._uids.close()

    def prepare_images(self, images: list[Image], default: Image | None = None) -> None:
        """Start building, in the background, the environments of ``images`` that are not built yet.

        ``default`` (the catalogue's default image) is the image warm-pool sandboxes are set up for before
        their kernel starts ahead, so a session of it keeps that kernel; another image restarts it."""
        self.images.start(images)
        self.pool_image = default

    # -- sessions --------------------------------------------------------------------------------

    def session_dir(self, session_id: str) -> Path:
        if not isinstance(session_id, str) or not _SESSION_ID.match(session_id):
            raise SandboxError(f"invalid session id {session_id!r}: use letters, digits, '.', '_' and '-'")
        return self.root / session_id

    def _lock(self, session_id: str) -> asyncio.Lock:
        lock = self._locks.get(session_id)
        if lock is None:
            lock = self._locks[session_id] = asyncio.Lock()
        return lock

    async def create(self, session_id: str, image: Image) -> None:
        """Give ``session_id`` a running sandbox: a warm one from the pool when there is one."""
        if self._closing:
            raise SandboxError("the sandbox manager is closed")
        directory = self.session_dir(session_id)
        # Before any sandbox is taken: a session never starts on an image still building.
        await self.images.ready(image, self.cfg.image_wait_s)
        async with self._lock(session_id):
            if session_id in self._sessions or directory.exists():
                raise SandboxError(f"session {session_id!r} already exists")
            sb = self._claim_warm()
            if sb is not None:
                try:
                    os.rename(sb.directory, directory)
                except OSError as exc:
                    await self._discard(sb)
                    raise SandboxError(f"cannot create the session directory: {exc}") from exc
                sb.directory = directory
                sb.session_id = session_id
                self._sessions[session_id] = sb
                try:
                    self._write_meta(directory, image)
                    await self._configure(sb, image)
                except BaseException:
                    self._sessions.pop(session_id, None)
                    await self._kill(sb)
                    raise
                return
            sb = await self._start_sandbox(directory, session_id, image)
            self._sessions[session_id] = sb

    async def ensure_running(self, session_id: str, image: Image | None = None) -> None:
        """(Re)start the sandbox of an existing session, e.g. after a server restart: files are
        kept, interpreter state is not.  A missing session directory is created afresh."""
        async with self._lock(session_id):
            await self._ensure_running_locked(session_id, image)

    async def _ensure_running_locked(self, session_id: str, image: Image | None) -> _Sandbox:
        sb = self._sessions.get(session_id)
        if sb is not None and sb.alive:
            return sb
        if sb is not None:
            self._sessions.pop(session_id, None)
            await self._kill(sb, intentional=False)
        directory = self.session_dir(session_id)
        if image is None:
            image = self._read_meta(directory)
        if not directory.exists():
            log.warning("session %s has no directory on disk; starting it with empty files", session_id)
        sb = await self._start_sandbox(directory, session_id, image)
        self._sessions[session_id] = sb
        return sb

    def is_running(self, session_id: str) -> bool:
        sb = self._sessions.get(session_id)
        return sb is not None and sb.alive

    async def stop(self, session_id: str) -> None:
        """Kill the session's processes; its files stay."""
        async with self._lock(session_id):
            sb = self._sessions.pop(session_id, None)
            if sb is not None:
                await self._kill(sb)

    async def destroy(self, session_id: str) -> None:
        """Kill the session's processes and delete its directory."""
        directory = self.session_dir(session_id)
        async with self._lock(session_id):
            sb = self._sessions.pop(session_id, None)
            if sb is not None:
                await self._kill(sb)
            await asyncio.to_thread(shutil.rmtree, directory, True)
        self._locks.pop(session_id, None)

    # -- tool calls ------------------------------------------------------------------------------

    async def call_tool(
        self,
        session_id: str,
        name: str,
        args: dict[str, Any],
        timeout_s: float | None = None,
        *,
        image: Image | None = None,
        on_event: Callable[[dict[str, Any]], None] | None = None,
    ) -> ToolOutcome:
        """Run one tool in the session's sandbox (restarting the sandbox if it is not running).

        ``timeout_s`` bounds the whole call; on expiry the call is cancelled in the sandbox
        (command killed, cell interrupted) and a tool error is returned.  ``image`` is used if
        the sandbox has to be (re)started; without it the image recorded at create time is.  With
        ``on_event``, a ``run_code`` call is streamed: each output event reaches it as the cell prints."""
        if name not in TOOLS:
            return ToolOutcome(True, f"Unknown tool {name!r}. Available tools: {', '.join(TOOLS)}")
        if not isinstance(args, dict):
            return ToolOutcome(True, "Invalid arguments: expected a JSON object")
        sb = await self._running(session_id, image)
        if sb.over_quota and name in WRITING_TOOLS and not (name == "edit_file" and args.get("dryRun") is True):
            return ToolOutcome(True, self._quota_text(sb, name))
        if name == "run_code":
            args = _canonical_language(args)

        budget = timeout_s if timeout_s is not None else self._default_budget(name, args)
        starts_kernel = name == "run_code" and not sb.kernel_warm and _python_cell(args)
        release = await self._kernel_slot() if starts_kernel else None
        try:
            grace = time.monotonic() + SATURATED_GRACE_S
            request: dict[str, Any] = {"op": "call", "tool": name, "args": args}
            if on_event is not None and name == "run_code":
                request["stream"] = True
            while True:
                try:
                    reply = await sb.channel.request(request, budget, on_event)
                except TimeoutError:
                    return ToolOutcome(True, f"Tool call {name!r} timed out after {budget:g} s and was cancelled")
                except AgentGone as exc:
                    cell = (args, on_event) if name == "run_code" else None
                    return await self._crashed(session_id, sb, exc.reason, cell)
                if not reply.get("saturated"):
                    break
                if time.monotonic() > grace:
                    return await self._saturated(session_id, sb)
                await asyncio.sleep(0.2)
        finally:
            if release is not None:
                release()
        if starts_kernel:
            sb.kernel_warm = True
        if name not in READ_ONLY_TOOLS:
            self._measure_soon(sb)
        return ToolOutcome(bool(reply.get("is_error")), str(reply.get("text", "")))

    async def _kernel_slot(self) -> Callable[[], None] | None:
        """One of the kernel-start slots, and the function that gives it back (called at the reply, or
        after KERNEL_GATE_HOLD_S, whichever comes first); None when none came free in KERNEL_GATE_WAIT_S."""
        try:
            await asyncio.wait_for(self._kernel_slots.acquire(), KERNEL_GATE_WAIT_S)
        except TimeoutError:
            return None
        held = True

        def release() -> None:
            nonlocal held
            if held:
                held = False
                timer.cancel()
                self._kernel_slots.release()

        timer = asyncio.get_running_loop().call_later(KERNEL_GATE_HOLD_S, release)
        return release

    @staticmethod
    def _default_budget(name: str, args: dict[str, Any]) -> float:
        """A safety net for a wedged agent; the tools enforce their own timeouts first."""
        if name == "shell":
            t = args.get("timeout_ms", 1000)
            own = t / 1000 if isinstance(t, (int, float)) and not isinstance(t, bool) else 1.0
        elif name == "run_code":
            t = args.get("timeout_s", 60)
            own = float(t) if isinstance(t, (int, float)) and not isinstance(t, bool) else 60.0
        else:
            own = FILE_TOOL_TIMEOUT_S
        return max(own, 0.0) + CALL_SLACK_S

    async def _restart(self, session_id: str, sb: _Sandbox, *, crashed: bool) -> str | None:
        """Kill `sb` if it is still the session's sandbox and make sure the session has a running one
        again; the reason if that failed."""
        try:
            async with self._lock(session_id):
                if self._sessions.get(session_id) is sb:
                    self._sessions.pop(session_id, None)
                    await self._kill(sb, intentional=not crashed)
                await self._ensure_running_locked(session_id, sb.image)
        except SandboxError as exc:
            return str(exc)
        return None

    async def _crashed(
        self,
        session_id: str,
        sb: _Sandbox,
        reason: str,
        cell: tuple[dict[str, Any], Callable[[dict[str, Any]], None] | None] | None = None,
    ) -> ToolOutcome:
        """The outcome of a call whose agent died under it; `cell` is a run_code call's args and event sink."""
        if sb.stopping:
            return ToolOutcome(True, "The sandbox was stopped while this call was running")
        failed = await self._restart(session_id, sb, crashed=True)
        restarted = "was restarted" if failed is None else f"could not be restarted: {failed}"
        if cell is not None:
            return _died_in_cell(f"the sandbox crashed ({reason}) and {restarted}", *cell)
        if failed is not None:
            return ToolOutcome(True, f"The sandbox crashed ({reason}) and {restarted}")
        return ToolOutcome(
            True,
            f"The sandbox crashed ({reason}) and was restarted; files are kept, "
            "but running processes and Python/JavaScript state were lost. Retry the call.",
        )

    async def _saturated(self, session_id: str, sb: _Sandbox) -> ToolOutcome:
        """Calls cannot start (every process slot taken, e.g. by a fork bomb in the background): without a
        restart the session would never serve one again."""
        log.warning("sandbox %s (session %s) is stuck at its process limit: restarting it", sb.name, session_id)
        failed = await self._restart(session_id, sb, crashed=False)
        if failed is not None:
            return ToolOutcome(True, f"The sandbox is stuck at its process limit and could not be restarted: {failed}")
        return ToolOutcome(
            True,
            f"The sandbox stayed at its process limit ({self.cfg.pids_limit} processes and threads; a fork bomb?) "
            f"for {SATURATED_GRACE_S:g} s, so it was restarted: files are kept, but running processes and "
            "Python/JavaScript state were lost. Retry the call.",
        )

    # -- starting and stopping -------------------------------------------------------------------

    def _next_name(self) -> str:
        # pid + a per-manager token: two managers in one process (tests, embedded servers) must
        # never share a cgroup, or stopping one's sandbox would kill the other's.
        self._seq += 1
        return f"{NAME_PREFIX}{os.getpid()}-{self._token}-{self._seq}"

    async def _start_sandbox(
        self, directory: Path, session_id: str | None, image: Image | None, name: str | None = None
    ) -> _Sandbox:
        name = name or self._next_name()
        uid = None
        if self._switch_uid:
            owner = None
            with contextlib.suppress(OSError):
                owner = (directory / "home").stat().st_uid
            uid = self._uids.acquire(preferred=owner)
        cgroup = None
        try:
            await asyncio.to_thread(prepare_directory, directory, uid)
            if image is not None:
                self._write_meta(directory, image)
            if self._cgroups.bases:
                cgroup = await asyncio.to_thread(
                    self._cgroups.create,
                    name,
                    memory_bytes=self.cfg.memory_limit_mb * 1024 * 1024,
                    pids_max=self.cfg.pids_limit,
                )
            launched = await launch(
                self.cfg, self.runtime, name=name, directory=directory, uid=uid, cgroup=cgroup, contained=self.contained
            )
        except BaseException:
            if cgroup is not None:
                await asyncio.to_thread(cgroup.kill_all)
                await asyncio.to_thread(self._remove_cgroup, cgroup)
            if uid is not None:
                self._uids.release(uid)
            raise
        sb = _Sandbox(name, directory, uid, cgroup, launched.proc, launched.channel, launched.runtime_tmp, session_id)
        sb.channel.on_exit = lambda: self._on_agent_exit(sb)
        if image is not None:
            try:
                await self._configure(sb, image)
            except BaseException:
                await self._kill(sb)
                raise
        return sb

    async def _configure(self, sb: _Sandbox, image: Image) -> None:
        sb.image = image
        languages = [lang for lang in image.languages if lang in self.runtime.languages]
        message: dict[str, Any] = {
            "op": "configure",
            "image_id": image.id,
            "languages": languages,
            "env": dict(image.env),
        }
        env = await self.images.ready(image, self.cfg.image_wait_s)
        if env is not None and self.contained:
            message.update(self.images.configure_fields(image, env.seen_from(SANDBOX_IMAGES_DIR), SANDBOX_VENV))
        elif env is not None:
            message.update(self.images.configure_fields(image, env, str(sb.directory / "venv")))
        if not self.contained:
            # Without a mount namespace the agent works on host paths, and a warm sandbox's
            # directory was just renamed: tell it where its files are now.
            message.update(
                home=str(sb.directory / "home"),
                tmp=str(sb.directory / "tmp"),
                base_env=host_env(self.runtime, sb.directory),
            )
        if image.network == "egress" and self.contained and sb.egress is None:
            sb.egress = await attach(sb.proc.pid)  # before any call of the session runs
        try:
            reply = await sb.channel.request(message, self.cfg.start_timeout_s)
        except (TimeoutError, AgentGone) as exc:
            raise SandboxError(f"the sandbox did not accept its configuration: {exc}") from exc
        if reply.get("ok") is False:
            raise SandboxError(f"the sandbox did not accept its configuration: {reply.get('error')}")

    def _on_agent_exit(self, sb: _Sandbox) -> None:
        if sb in self._pool:
            self._pool.remove(sb)
            if self._pool_wakeup is not None:
                self._pool_wakeup.set()
        if not sb.stopping and not self._closing:
            log.warning("sandbox %s (session %s) exited: %s", sb.name, sb.session_id, sb.channel.exit_reason)
            # Reap it now; the next call on the session starts a new one on the same files.
            asyncio.get_running_loop().create_task(self._kill(sb, intentional=False))

    async def _kill(self, sb: _Sandbox, *, intentional: bool = True) -> None:
        """Kill a sandbox's processes and release its cgroup, uid and scratch (idempotent).

        ``intentional`` marks a stop we asked for, so calls it interrupts do not report a crash."""
        if intentional:
            sb.stopping = True
        pids: list[int] = []
        if sb.cgroup is None and not self.contained and sb.proc.returncode is None:
            # No pid namespace and no cgroup: find the agent's whole tree before killing it.
            pids = await asyncio.to_thread(descendants, sb.proc.pid)
        with contextlib.suppress(ProcessLookupError):
            sb.proc.kill()  # bwrap: --die-with-parent and the pid namespace take everything down
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
        if sb.cgroup is not None:
            await asyncio.to_thread(sb.cgroup.kill_all)
        if not await exited(sb.proc, KILL_WAIT_S):
            log.warning("sandbox %s (pid %s) did not exit %g s after SIGKILL", sb.name, sb.proc.pid, KILL_WAIT_S)
        sb.channel.close("the sandbox was stopped")
        if sb.egress is not None:
            egress, sb.egress = sb.egress, None
            await egress.close()
        if sb.cgroup is not None:
            cgroup, sb.cgroup = sb.cgroup, None
            await asyncio.to_thread(self._remove_cgroup, cgroup)
        if sb.uid is not None:
            self._uids.release(sb.uid)
            sb.uid = None
        if sb.runtime_tmp:
            await asyncio.to_thread(shutil.rmtree, sb.runtime_tmp, True)
            sb.runtime_tmp = None

    async def _discard(self, sb: _Sandbox) -> None:
        """Kill a warm sandbox no session got, and remove its directory."""
        try:
            await self._kill(sb)
        finally:
            await asyncio.to_thread(shutil.rmtree, sb.directory, True)

    def _remove_cgroup(self, cgroup: SandboxCgroup) -> None:
        cgroup.remove()
        self._cgroups.weigh_sandboxes()

    # -- warm pool -------------------------------------------------------------------------------

    def _claim_warm(self) -> _Sandbox | None:
        while self._pool:
            sb = self._pool.pop(0)
            if self._pool_wakeup is not None:
                self._pool_wakeup.set()
            if sb.alive:
                return sb
        return None

    async def _fill_pool(self) -> None:
        assert self._pool_wakeup is not None
        failures = 0
        while not self._closing:
            while len(self._pool) + self._pool_starting < self.cfg.pool_size and not self._closing:
                self._pool_starting += 1
                name = self._next_name()
                directory = self.root / f".pool-{name}"
                try:
                    sb = await self._start_sandbox(directory, None, None, name)
                except asyncio.CancelledError:  # close(): the start in flight is killed, its directory goes too
                    await asyncio.to_thread(shutil.rmtree, directory, True)
                    raise
                except Exception as exc:
                    failures += 1
                    log.warning("could not start a warm sandbox: %s", exc)
                    await asyncio.to_thread(shutil.rmtree, directory, True)
                    await asyncio.sleep(min(30.0, 0.5 * 2**failures))
                    continue
                finally:
                    self._pool_starting -= 1
                failures = 0
                if self._closing:
                    await self._discard(sb)
                    return
                if self.cfg.pool_kernels and self.pool_image is not None:
                    try:
                        await self._preconfigure(sb, self.pool_image)
                    except BaseException:  # close() cancelled us: the sandbox is in no list it would kill
                        await self._discard(sb)
                        raise
                self._pool.append(sb)
                if self.cfg.pool_kernels and "python" in self.runtime.languages:
                    sb.kernel_warm = True  # a session's first cell waits for this start, not for the gate
                    task = asyncio.create_task(self._warm_kernel(sb), name=f"warm-kernel-{sb.name}")
                    self._warming.add(task)
                    task.add_done_callback(self._warming.discard)
            self._pool_wakeup.clear()
            await self._pool_wakeup.wait()

    async def _preconfigure(self, sb: _Sandbox, image: Image) -> None:
        """Set a warm sandbox up for `image` (its Python environment) if that is built, before its kernel
        starts ahead: the kernel then starts from the image's interpreter and packages. Best effort: a
        sandbox that could not be set up keeps the bare environment, and a session's configure still runs."""
        if image.packages and self.images.environment(image) is None:
            return  # still building: no waiting here, the next warm sandbox may find it built
        try:
            await self._configure(sb, image)
        except SandboxError as exc:
            log.warning("sandbox %s: could not be set up for image %s ahead: %s", sb.name, image.id, exc)

    async def _warm_kernel(self, sb: _Sandbox) -> None:
        """Start a pooled sandbox's Python kernel, through the kernel-start gate like any first cell. The
        sandbox is in the pool meanwhile: a session that claims it first finds its first cell queued behind
        this start, in the agent."""
        release = await self._kernel_slot()
        try:
            reply = await sb.channel.request({"op": "warm_kernel"}, self.cfg.start_timeout_s + KERNEL_GATE_HOLD_S)
            sb.kernel_ready = bool(reply.get("ok"))
            if not sb.kernel_ready:
                log.warning("sandbox %s: the kernel started ahead failed: %s", sb.name, reply.get("error"))
        except (TimeoutError, AgentGone) as exc:
            if not sb.stopping:
                log.warning("sandbox %s: the kernel started ahead did not answer: %s", sb.name, exc)
        finally:
            if release is not None:
                release()

    # -- disk quota ------------------------------------------------------------------------------

    def _quota_text(self, sb: _Sandbox, tool: str) -> str:
        used = sb.disk_bytes / (1024 * 1024)
        return (
            f"Disk quota exceeded: this session uses {used:.1f} MiB of its {self.cfg.disk_limit_mb} MiB. "
            f"{tool} is refused until files are deleted (delete_file removes files and whole directories)."
        )

    async def _measure(self, sb: _Sandbox) -> None:
        if sb.measuring:
            return
        sb.measuring = True
        try:
            sb.disk_bytes = await asyncio.to_thread(directory_usage, str(sb.directory))
            sb.over_quota = sb.disk_bytes > self.cfg.disk_limit_mb * 1024 * 1024
        finally:
            sb.measuring = False

    def _measure_soon(self, sb: _Sandbox) -> None:
        if not sb.measuring:
            asyncio.get_running_loop().create_task(self._measure(sb))

    async def _quota_loop(self) -> None:
        while not self._closing:
            for sb in list(self._sessions.values()):
                if sb.alive:
                    try:
                        await self._measure(sb)
                    except Exception as exc:
                        log.warning("disk usage check failed for %s: %s", sb.session_id, exc)
            await asyncio.sleep(self.cfg.quota_interval_s)

    # -- metadata --------------------------------------------------------------------------------

    @staticmethod
    def _write_meta(directory: Path, image: Image) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / (META_FILE + ".tmp")
        tmp.write_text(json.dumps({"image": image.to_json()}))
        os.replace(tmp, directory / META_FILE)

    @staticmethod
    def _read_meta(directory: Path) -> Image:
        try:
            return Image.from_json(json.loads((directory / META_FILE).read_text())["image"])
        except (OSError, ValueError, KeyError, TypeError):
            return Image(DEFAULT_IMAGE_ID)

    # -- metrics and ports -----------------------------------------------------------------------

    async def _running(self, session_id: str, image: Image | None) -> _Sandbox:
        """The session's running sandbox, (re)started if needed; ``SessionNotFound`` when it has none."""
        sb = self._sessions.get(session_id)
        if sb is None or not sb.alive:
            if sb is None and not self.session_dir(session_id).exists():
                raise SessionNotFound(f"no sandbox for session {session_id!r}")
            async with self._lock(session_id):
                sb = await self._ensure_running_locked(session_id, image)
        return sb

    async def metrics(self, session_id: str, *, image: Image | None = None) -> dict[str, Any]:
        """The session's ``get_metrics`` document (see metrics.py), starting its sandbox if needed."""
        sb = await self._running(session_id, image)
        for _ in range(200):  # a measure already running (after a write) may predate that write: wait for it
            if not sb.measuring:
                break
            await asyncio.sleep(0.01)
        await self._measure(sb)
        pids = sb.cgroup.pids() if sb.cgroup is not None else set(descendants(sb.proc.pid))
        cpu_group = sb.cgroup.paths.get("cpu") if sb.cgroup is not None else None
        document, sb.metrics_sample = measure(
            pids=pids,
            netns_pid=self._netns_pid(sb),
            cpu_group=str(cpu_group) if cpu_group else None,
            memory_used=sb.cgroup.memory_usage() if sb.cgroup is not None else None,
            memory_total=self.cfg.memory_limit_mb * 1024 * 1024,
            disk_used=sb.disk_bytes,
            disk_total=self.cfg.disk_limit_mb * 1024 * 1024,
            previous=sb.metrics_sample,
        )
        return document

    def _netns_pid(self, sb: _Sandbox) -> int | None:
        """A process in the sandbox's own network namespace (None without isolation: there is none)."""
        if not self.contained:
            return None
        if sb.netns_pid is None:
            sb.netns_pid = sandbox_init_pid(sb.proc.pid)
        return sb.netns_pid

    async def connect_port(self, session_id: str, port: int, *, image: Image | None = None) -> Any:
        """A socket connected to ``port`` on the session's own loopback (netns.connect); raises
        netns.PortClosed when nothing listens there."""
        sb = await self._running(session_id, image)
        netns_pid = self._netns_pid(sb)
        return await asyncio.to_thread(connect, netns_pid, port)

    # -- introspection ---------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        sessions: dict[str, Any] = {}
        for sid, sb in self._sessions.items():
            if not sb.alive:
                continue
            pids = sb.cgroup.pids() if sb.cgroup is not None else set(descendants(sb.proc.pid))
            sessions[sid] = {
                "image": sb.image.id if sb.image else None,
                "pid": sb.proc.pid,
                "uid": sb.uid,
                "processes": len(pids),
                "rss_bytes": rss_bytes(pids),
                "memory_bytes": sb.cgroup.memory_usage() if sb.cgroup is not None else None,
                "disk_bytes": sb.disk_bytes,
                "over_quota": sb.over_quota,
                "uptime_s": round(time.monotonic() - sb.started, 3),
            }
        pool = []
        for sb in self._pool:
            pids = sb.cgroup.pids() if sb.cgroup is not None else set(descendants(sb.proc.pid))
            pool.append(
                {"pid": sb.proc.pid, "processes": len(pids), "rss_bytes": rss_bytes(pids), "kernel": sb.kernel_ready}
            )
        return {
            "isolation": self.cfg.isolation,
            "running": len(sessions),
            "pool": len(self._pool),
            "pool_kernels": self.cfg.pool_kernels,
            "pool_sandboxes": pool,
            "pool_target": self.cfg.pool_size,
            "pool_starting": self._pool_starting,
            "cgroups": sorted(self._cgroups.bases),
            "languages": list(self.runtime.languages),
            "sessions": sessions,
        }


__all__ = ["IsolationUnavailable", "SandboxManager"]


def _canonical_language(args: dict[str, Any]) -> dict[str, Any]:
    """run_code's args with an alias of a language (`py`, `JS `...) replaced by its name, so the agent knows only
    the names; anything else is left for the agent to refuse, naming what the image offers."""
    language = args.get("language")
    canonical = LANGUAGE_ALIASES.get(language.strip().lower()) if isinstance(language, str) else None
    return {**args, "language": canonical} if canonical is not None and canonical != language else args


def _died_in_cell(what: str, args: dict[str, Any], on_event: Callable[[dict[str, Any]], None] | None) -> ToolOutcome:
    """A run_code whose sandbox died under it (the OOM killer often takes the agent along with a kernel that
    ran out of memory): the cell's runtime died with it, an execution error of the run as when the kernel
    alone dies (the agent's ``KernelDied``), not a failed tool call. A streamed run gets it as its last event."""
    python = _python_cell(args)
    res = CodeResult(0, on_event)
    res.set_error(
        "KernelDied" if python else "RuntimeDied",
        f"The {'Python kernel' if python else 'runtime'} died while running this cell: {what}; files are kept, "
        "but running processes and Python/JavaScript state were lost",
        "",
    )
    return ToolOutcome(False, res.to_json(0.0))


def _python_cell(args: dict[str, Any]) -> bool:
    """Whether a run_code call (its language canonical) is for Python, the agent's default, i.e. may start a
    kernel."""
    language: object = args.get("language", "python")
    return language == "python"
