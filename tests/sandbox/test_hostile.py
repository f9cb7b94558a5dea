"""Hostile code: fork bombs, memory bombs and busy loops stay inside their sandbox.

Each test checks that another sandbox still answers quickly while (or right after) one misbehaves,
and that the misbehaving session is usable or cleanly restartable afterwards.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from agb_local.sandbox import SandboxManager

from .helpers import MEMORY_MB, PIDS, call, needs_bwrap, py, sh

pytestmark = [needs_bwrap, pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]


async def _responsive(manager: SandboxManager, sid: str, budget_s: float = 1.0) -> float:
    started = time.monotonic()
    assert (await sh(manager, sid, "echo pong"))["stdout"] == "pong\n"
    elapsed = time.monotonic() - started
    assert elapsed < budget_s, elapsed
    return elapsed


async def test_fork_bomb_is_contained(manager: SandboxManager, session: str, shared_session: str) -> None:
    bomb = asyncio.create_task(call(manager, session, "shell", command=":(){ :|:& };:; sleep 3", timeout_ms=3000))
    await asyncio.sleep(1.0)
    await _responsive(manager, shared_session)
    stats = manager.stats()["sessions"][session]
    assert stats["processes"] <= PIDS + 2  # pids.max holds (+ bwrap's outer process and init)
    outcome = await bomb
    assert not outcome.is_error  # the call itself answers (timeout, exit 124)
    await manager.stop(session)  # killing the pid namespace ends the bomb
    assert not manager.is_running(session)
    assert (await sh(manager, session, "echo back"))["stdout"] == "back\n"
    await _responsive(manager, shared_session)


async def test_memory_bomb_in_shell_is_oom_killed(manager: SandboxManager, session: str, shared_session: str) -> None:
    code = "python3 -c \"x = []\nwhile True: x.append(b'x' * 10**7)\""
    started = time.monotonic()
    result = await sh(manager, session, code, timeout_ms=20_000)
    assert result["exit_code"] == 137, result  # SIGKILL from the cgroup's OOM killer
    assert time.monotonic() - started < 15
    await _responsive(manager, shared_session)
    assert (await sh(manager, session, "echo survived"))["stdout"] == "survived\n"
    assert manager.stats()["sessions"][session]["memory_bytes"] < MEMORY_MB * 1024 * 1024


async def test_memory_bomb_in_kernel(manager: SandboxManager, session: str, shared_session: str) -> None:
    result = await py(manager, session, "x = []\nwhile True: x.append(b'x' * 10**7)", timeout_s=20)
    # The kernel is the biggest process in the sandbox, so the OOM killer takes it (not the agent).
    assert result["error"]["name"] in ("KernelDied", "MemoryError"), result
    await _responsive(manager, shared_session)
    again = await py(manager, session, "21 * 2")
    assert again["result"][0]["text/plain"] == "42"


async def test_busy_loops_do_not_starve_others(manager: SandboxManager, session: str, shared_session: str) -> None:
    spinners = asyncio.create_task(
        call(
            manager,
            session,
            "shell",
            command="for i in 1 2 3 4; do (while :; do :; done) & done; wait",
            timeout_ms=2500,
        )
    )
    await asyncio.sleep(0.5)
    await _responsive(manager, shared_session)
    result = await spinners
    assert '"exit_code": 124' in result.text
