"""The parent `agb_local` cpu cgroup weighs one process per sandbox group in it, so each sandbox weighs as one
process against the rest of the machine (at the default 1024 all sandboxes together weighed one)."""

from __future__ import annotations

import os

import pytest

from agb_local.sandbox import SandboxManager
from agb_local.sandbox.cgroups import NAME_PREFIX, TASK_SHARES

from .helpers import needs_bwrap

pytestmark = [needs_bwrap, pytest.mark.asyncio(loop_scope="session")]


async def test_the_sandboxes_group_weighs_one_process_per_sandbox(manager: SandboxManager, session: str) -> None:
    base = manager._cgroups.bases.get("cpu")
    if base is None:
        pytest.skip("no cpu cgroup controller here")
    mine = [e.name for e in os.scandir(base) if e.name.startswith(f"{NAME_PREFIX}{os.getpid()}-")]
    assert len(mine) >= 2, mine  # the session and the warm pool
    shares = int((base / "cpu.shares").read_text())
    # Other servers on the machine may share the parent: their groups count too, so at least ours do.
    assert shares >= TASK_SHARES * len(mine), (shares, mine)
