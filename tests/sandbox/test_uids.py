"""Sandbox uids are unique machine-wide: two allocators (managers) of one range, in one process or two, never
hand out the same uid while it is held, and a released uid (or one whose holder died) is free again."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agb_local.sandbox import SandboxManager, procs
from agb_local.sandbox.config import SandboxError
from agb_local.sandbox.uids import UidAllocator

from .helpers import IMAGE, needs_bwrap, new_id, test_config


def test_two_allocators_of_one_range_never_share_a_uid(tmp_path: Path) -> None:
    first, second = UidAllocator(500, 3, tmp_path), UidAllocator(500, 3, tmp_path)
    assert [first.acquire(), first.acquire()] == [500, 501]
    assert second.acquire() == 502
    with pytest.raises(SandboxError, match="no free sandbox uid"):
        second.acquire(preferred=501)  # the first one's: not given, and nothing else is left
    first.release(501)
    assert second.acquire(preferred=501) == 501  # released: free for the other manager
    first.close()  # a closed manager holds none
    assert second.acquire() == 500


def test_a_preferred_uid_another_manager_holds_is_not_given(tmp_path: Path) -> None:
    first, second = UidAllocator(700, 4, tmp_path), UidAllocator(700, 4, tmp_path)
    assert first.acquire(preferred=702) == 702
    assert second.acquire(preferred=702) == 700


def test_a_uid_held_by_another_process_is_skipped_until_it_exits(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nfrom pathlib import Path\nfrom agb_local.sandbox.uids import UidAllocator\n"
            f"a = UidAllocator(900, 2, Path({str(tmp_path)!r}))\nprint(a.acquire(), flush=True)\nsys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "900"
        mine = UidAllocator(900, 2, tmp_path)
        assert mine.acquire() == 901
        mine.release(901)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)
    assert UidAllocator(900, 2, tmp_path).acquire() == 900  # its holder is gone, and so is the lock


@pytest.mark.skipif(os.geteuid() != 0, reason="starting a process as another uid needs root")
def test_a_uid_that_owns_a_process_is_skipped(tmp_path: Path) -> None:
    """A server that takes no locks (an older one), or a process that outlived its sandbox, may run as a uid."""
    squatter = subprocess.Popen(["sleep", "30"], user=960_000, group=960_000)
    try:
        assert wait_until_owned(960_000)
        assert UidAllocator(960_000, 2, tmp_path).acquire(preferred=960_000) == 960_001
    finally:
        squatter.kill()
        squatter.wait()
    assert UidAllocator(960_000, 2, tmp_path).acquire() == 960_000


def wait_until_owned(uid: int) -> bool:
    """Until a process of `uid` shows in /proc (the child may not have switched yet)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if uid in procs.owners():
            return True
        time.sleep(0.01)
    return False


@needs_bwrap
@pytest.mark.asyncio(loop_scope="session")
async def test_two_managers_in_one_process_give_their_sandboxes_different_uids(
    manager: SandboxManager, tmp_path: Path
) -> None:
    other = SandboxManager(test_config(tmp_path, pool_size=0))  # the same (default) uid range as `manager`
    await other.start()
    mine, theirs = new_id(), new_id()
    try:
        await manager.create(mine, IMAGE)
        await other.create(theirs, IMAGE)
        # Every sandbox of `manager` (its sessions and its warm pool) has a directory owned by its uid.
        used = {home.stat().st_uid for home in manager.root.glob("*/home")}
        other_uid = (other.session_dir(theirs) / "home").stat().st_uid
        assert manager.cfg.uid_base == other.cfg.uid_base and len(used) >= 2
        assert other_uid not in used, (other_uid, used)
        out = await other.call_tool(theirs, "shell", {"command": "id -u", "timeout_ms": 10_000})
        assert out.text and str(other_uid) in out.text
    finally:
        await manager.destroy(mine)
        await other.close()
