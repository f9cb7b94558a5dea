"""Create from the pool, stop/ensure_running, crash recovery, restart on a new manager, close."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import time
from pathlib import Path

import pytest

from agb_local.sandbox import SandboxError, SandboxManager, SessionNotFound, procs
from agb_local.sandbox.cgroups import CgroupSupport
from agb_local.sandbox.procs import descendants

from .helpers import IMAGE, bwrap_pids, call, needs_bwrap, new_id, ok, py, sh, test_config

pytestmark = [needs_bwrap, pytest.mark.asyncio(loop_scope="session")]


async def _pool_ready(mgr: SandboxManager, timeout: float = 15) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        stats = mgr.stats()
        if stats["pool"] == stats["pool_target"] and stats["pool_starting"] == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"pool not refilled: {mgr.stats()}")


async def test_create_from_pool_is_fast(manager: SandboxManager) -> None:
    await _pool_ready(manager)
    times = []
    for _ in range(2):
        sid = new_id("p")
        started = time.monotonic()
        await manager.create(sid, IMAGE)
        times.append(time.monotonic() - started)
        assert manager.is_running(sid)
        assert (await sh(manager, sid, "echo $AGB_IMAGE"))["stdout"] == "code_latest\n"
        await manager.destroy(sid)
        assert not manager.session_dir(sid).exists()
        await _pool_ready(manager)
    assert statistics.median(times) < 0.05, times


async def test_create_rejects_duplicates_and_bad_ids(manager: SandboxManager, session: str) -> None:
    with pytest.raises(SandboxError):
        await manager.create(session, IMAGE)
    with pytest.raises(SandboxError):
        await manager.create("../escape", IMAGE)
    with pytest.raises(SessionNotFound):
        await manager.call_tool("never-created", "shell", {"command": "true"}, None)


async def test_stop_then_ensure_running_keeps_files(manager: SandboxManager, session: str) -> None:
    await ok(manager, session, "write_file", path="kept.txt", content="files survive")
    await py(manager, session, "state = 1")
    await manager.stop(session)
    assert not manager.is_running(session)
    assert (manager.session_dir(session) / "home" / "kept.txt").exists()
    await manager.ensure_running(session, IMAGE)
    assert manager.is_running(session)
    assert await ok(manager, session, "read_file", path="kept.txt") == "files survive"
    lost = await py(manager, session, "state")
    assert lost["error"]["name"] == "NameError"  # interpreter state is gone, as documented
    await manager.ensure_running(session, IMAGE)  # already running: a no-op


async def test_call_tool_restarts_a_stopped_sandbox(manager: SandboxManager, session: str) -> None:
    await ok(manager, session, "write_file", path="x.txt", content="x")
    await manager.stop(session)
    assert await ok(manager, session, "read_file", path="x.txt") == "x"
    assert manager.is_running(session)


def _agent_pid(mgr: SandboxManager, sid: str) -> int:
    root = mgr.stats()["sessions"][sid]["pid"]
    for pid in descendants(root):
        args = procs.cmdline(pid)
        is_agent = "agent.server" in " ".join(args) and args[:1] != ["/usr/bin/bwrap"]
        if is_agent and procs.real_uid(pid) not in (0, None):
            return pid
    raise AssertionError("agent process not found")


async def test_agent_killed_from_host_reports_crash_then_recovers(manager: SandboxManager, session: str) -> None:
    await ok(manager, session, "write_file", path="before.txt", content="still there")
    pending = asyncio.create_task(call(manager, session, "shell", command="sleep 30", timeout_ms=60_000))
    await asyncio.sleep(0.3)
    os.kill(_agent_pid(manager, session), signal.SIGKILL)
    outcome = await asyncio.wait_for(pending, 10)
    assert outcome.is_error
    assert "crashed" in outcome.text and "restarted" in outcome.text and "SIGKILL" in outcome.text
    assert manager.is_running(session)
    assert await ok(manager, session, "read_file", path="before.txt") == "still there"


async def test_agent_exit_from_inside_is_noticed(manager: SandboxManager, session: str) -> None:
    # The sandbox user kills its own agent (same uid); the next call finds a fresh one.
    await sh(manager, session, "kill -9 $(pgrep -f agent.server | head -1) &", timeout_ms=5000)
    for _ in range(50):
        if not manager.is_running(session):
            break
        await asyncio.sleep(0.05)
    assert (await sh(manager, session, "echo alive"))["stdout"] == "alive\n"


async def test_new_manager_on_same_data_dir(tmp_path: Path) -> None:
    """A server restart: the session directory is there, no process is; files are intact."""
    first = SandboxManager(test_config(tmp_path, pool_size=0))
    await first.create("restart-me", IMAGE)
    await ok(first, "restart-me", "write_file", path="notes.txt", content="from before the restart")
    uid = int((await sh(first, "restart-me", "id -u"))["stdout"])
    await first.close()
    assert (tmp_path / "sandboxes" / "restart-me" / "home" / "notes.txt").exists()

    second = SandboxManager(test_config(tmp_path, pool_size=0))
    try:
        assert not second.is_running("restart-me")
        assert await ok(second, "restart-me", "read_file", path="notes.txt") == "from before the restart"
        assert int((await sh(second, "restart-me", "id -u"))["stdout"]) == uid  # no re-chown needed
        await second.ensure_running("restart-me", IMAGE)
    finally:
        await second.close()


async def test_close_leaves_no_processes_or_pool_dirs(manager: SandboxManager, tmp_path: Path) -> None:
    await _pool_ready(manager)  # the shared manager must not be starting sandboxes meanwhile
    before = bwrap_pids(mine_only=True)
    mgr = SandboxManager(test_config(tmp_path, pool_size=2))
    await mgr.start()
    await _pool_ready(mgr)
    await mgr.create("c1", IMAGE)
    await mgr.create("c2", IMAGE)
    await py(mgr, "c1", "1")  # a kernel
    await py(mgr, "c1", "1", language="javascript")  # and node
    await sh(mgr, "c2", "nohup sleep 60 >/dev/null 2>&1 &")  # a background job
    during = bwrap_pids(mine_only=True) - before
    assert len(during) >= 4  # 2 sessions + 2 pool, each an outer bwrap and its init
    stats = mgr.stats()
    tree = {pid for sid in ("c1", "c2") for pid in descendants(stats["sessions"][sid]["pid"])}
    assert len(tree) >= 6
    await mgr.close()
    assert bwrap_pids(mine_only=True) - before == set()
    # Killed processes may stay zombies for a moment until the host's init reaps them.
    assert {pid for pid in tree if _live(pid)} == set()
    left = sorted(p.name for p in (tmp_path / "sandboxes").iterdir())
    assert left == ["c1", "c2"]  # session files stay; pool directories are gone


def _live(pid: int) -> bool:
    st = procs.stat(pid)
    return st is not None and st.running


async def test_stats(manager: SandboxManager, session: str) -> None:
    stats = manager.stats()
    assert stats["isolation"] == "bwrap" and set(stats["cgroups"]) >= {"memory", "pids"}
    mine = stats["sessions"][session]
    assert mine["processes"] >= 2 and mine["rss_bytes"] > 0 and mine["memory_bytes"] > 0
    assert json.dumps(stats)


async def test_close_is_bounded_while_a_sandbox_pipe_stays_open(tmp_path: Path) -> None:
    """A killed sandbox is waited for until it exits, not until every copy of its pipes is closed (what
    asyncio's Process.wait() waits for): a process outside it that holds one and never exits must not hang
    destroy() or close(). Without cgroups (as when not root) nothing delays the wait past the exit."""
    mgr = SandboxManager(test_config(tmp_path, pool_size=0))
    mgr._cgroups = CgroupSupport({})
    await mgr.start()
    sids = [new_id(), new_id()]
    held = []
    try:
        for sid in sids:
            await mgr.create(sid, IMAGE)
            # What a process that inherited the sandbox's stderr and lives on would hold.
            held.append(os.open(f"/proc/{mgr.stats()['sessions'][sid]['pid']}/fd/2", os.O_WRONLY))
        pids = [mgr.stats()["sessions"][sid]["pid"] for sid in sids]
        started = time.monotonic()
        await asyncio.wait_for(mgr.destroy(sids[0]), 30)
        await asyncio.wait_for(mgr.close(), 30)
        assert time.monotonic() - started < 10
        assert not any(_live(pid) for pid in pids)
    finally:
        for fd in held:
            os.close(fd)


async def test_close_while_a_warm_sandbox_is_being_set_up_leaves_nothing_running(tmp_path: Path) -> None:
    """close() cancels the pool's filling; a sandbox it had started but not yet put in the pool (it was being
    set up for the pool's image) is killed too, not left running with its uid released."""
    uids = range(950_000, 950_010)  # this manager's alone, so its sandboxes' processes are told by their uid
    mgr = SandboxManager(test_config(tmp_path, pool_size=1, uid_base=uids.start, uid_count=len(uids)))

    def running() -> list[int]:
        return [p.pid for p in procs.processes() if p.running and procs.real_uid(p.pid) in uids]

    mgr.prepare_images([IMAGE], IMAGE)
    await mgr.start()
    deadline = time.monotonic() + 30
    caught = False
    while time.monotonic() < deadline and mgr.stats()["pool"] == 0:
        # Started (no longer counted as starting) but not in the pool: being set up.
        if mgr.stats()["pool_starting"] == 0 and running():
            caught = True
            break
        await asyncio.sleep(0)
    await mgr.close()
    assert caught, "the sandbox reached the pool before it could be caught being set up"
    await asyncio.sleep(0.2)
    assert not running()


async def test_a_call_to_an_agent_that_stopped_reading_times_out(manager: SandboxManager, session: str) -> None:
    """The timeout covers sending the request too: an agent that reads no more input (stopped here, stuck in
    the kernel elsewhere) cannot hold a request larger than the pipe forever."""
    agent = _agent_pid(manager, session)
    os.kill(agent, signal.SIGSTOP)
    try:
        started = time.monotonic()
        big = {"path": "big.txt", "content": "x" * (4 << 20)}
        outcome = await asyncio.wait_for(manager.call_tool(session, "write_file", big, 2.0), 30)
        assert outcome.is_error and "timed out after 2 s" in outcome.text, outcome
        assert time.monotonic() - started < 10
    finally:
        os.kill(agent, signal.SIGCONT)
    assert (await sh(manager, session, "echo on"))["stdout"] == "on\n"  # the agent goes on
