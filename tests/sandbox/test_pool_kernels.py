"""Warm-pool sandboxes that start their Python kernel ahead (`pool_kernels`): the first cell of a session is
answered by a kernel that was running before the session existed, in the session's own environment; an image
that would start a different kernel gets a fresh one; with the option off, pooled sandboxes run no kernel."""

from __future__ import annotations

import asyncio
import os
import random
import time
from pathlib import Path

import pytest

from agb_local.sandbox import Image, SandboxConfig, SandboxManager

from .helpers import needs_bwrap, new_id, py, test_config

pytestmark = [needs_bwrap, pytest.mark.asyncio(loop_scope="session")]


def _config(tmp_path: Path, **overrides: object) -> SandboxConfig:
    # A uid range of its own: a sandbox sharing its uid with another manager's (another test run on this
    # machine) shares its RLIMIT_NPROC, and a kernel start then fails for want of threads.
    return test_config(tmp_path, pool_size=1, uid_base=random.randrange(300_000, 900_000, 10_000), **overrides)


# When the kernel process started (in clock ticks since boot: CLOCK_BOOTTIME, the same clock inside and
# outside the sandbox), its environment variable, its cwd and its sys.path.
PROBE = (
    "import os, sys\n"
    "ticks = int(open('/proc/self/stat').read().rsplit(')', 1)[1].split()[19])\n"
    "(ticks, os.environ.get('AGB_POOL_TEST'), os.getcwd(), '/home/user/lib' in sys.path)"
)


def _now() -> float:
    return time.clock_gettime(time.CLOCK_BOOTTIME)


async def _pool_ready(mgr: SandboxManager, *, kernel: bool, timeout_s: float = 60) -> dict[str, object]:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        pool = mgr.stats()["pool_sandboxes"]
        if pool and (pool[0]["kernel"] or not kernel):
            return dict(pool[0])
        await asyncio.sleep(0.1)
    raise AssertionError(f"the pooled sandbox was not ready in {timeout_s} s: {mgr.stats()}")


async def _probe(mgr: SandboxManager, sid: str) -> tuple[float, str | None, str, bool, int]:
    out = await py(mgr, sid, PROBE)
    ticks, value, cwd, on_path = eval(out["result"][0]["text/plain"])  # a tuple of literals
    started = ticks / os.sysconf("SC_CLK_TCK")
    return started, value, cwd, on_path, out["execution_count"]


async def test_a_pooled_kernel_answers_the_first_cell_in_the_sessions_environment(tmp_path: Path) -> None:
    mgr = SandboxManager(_config(tmp_path, pool_kernels=True))
    await mgr.start()
    try:
        pooled = await _pool_ready(mgr, kernel=True)
        assert int(str(pooled["rss_bytes"])) > 30 * 2**20, pooled  # the kernel's memory is the price
        before_create = _now()
        sid = new_id("pk")
        await mgr.create(sid, Image("code_latest", env={"AGB_POOL_TEST": "from-the-image"}))
        started, value, cwd, _, count = await _probe(mgr, sid)
        assert started < before_create - 0.05, (started, before_create)  # running before the session existed
        assert value == "from-the-image" and cwd == "/home/user"
        assert count == 1  # adopting the environment ran outside the user's history
        more = await py(mgr, sid, "x = 41\nx + 1")
        assert more["result"][0]["text/plain"] == "42" and more["execution_count"] == 2
    finally:
        await mgr.close()


async def test_an_image_that_changes_how_python_starts_gets_a_fresh_kernel(tmp_path: Path) -> None:
    mgr = SandboxManager(_config(tmp_path, pool_kernels=True))
    await mgr.start()
    try:
        await _pool_ready(mgr, kernel=True)
        before_create = _now()
        sid = new_id("pk")
        await mgr.create(sid, Image("code_latest", env={"PYTHONPATH": "/home/user/lib", "AGB_POOL_TEST": "v"}))
        started, value, _, on_path, _ = await _probe(mgr, sid)
        assert started > before_create - 0.05 and on_path and value == "v"
    finally:
        await mgr.close()


async def test_without_pool_kernels_pooled_sandboxes_run_no_kernel(tmp_path: Path) -> None:
    mgr = SandboxManager(_config(tmp_path, pool_kernels=False))
    await mgr.start()
    try:
        pooled = await _pool_ready(mgr, kernel=False)
        await asyncio.sleep(1.0)  # a kernel start, had one been asked for, would show by now
        pooled = mgr.stats()["pool_sandboxes"][0]
        assert not pooled["kernel"] and pooled["rss_bytes"] < 30 * 2**20, pooled
        before_create = _now()
        sid = new_id("pk")
        await mgr.create(sid, Image("code_latest", env={"AGB_POOL_TEST": "cold"}))
        started, value, _, _, count = await _probe(mgr, sid)
        assert started > before_create - 0.05 and value == "cold" and count == 1
    finally:
        await mgr.close()
