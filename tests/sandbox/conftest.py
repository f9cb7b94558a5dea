"""Fixtures for the sandbox runtime tests: real bubblewrap sandboxes, real processes, no mocks.

One manager (with a warm pool) serves the whole test session; most tests take a fresh session
from it.  Limits are small so the hostile tests finish quickly.  When bubblewrap is unusable the
bwrap tests are skipped with the reason (here it is usable, so they run).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from agb_local.sandbox import SandboxManager

from .helpers import BWRAP_PROBLEM, IMAGE, new_id, test_config


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def manager(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SandboxManager]:
    if BWRAP_PROBLEM is not None:
        pytest.skip(f"bubblewrap unusable: {BWRAP_PROBLEM}")
    mgr = SandboxManager(test_config(tmp_path_factory.mktemp("agb-data")))
    await mgr.start()
    yield mgr
    await mgr.close()


@pytest_asyncio.fixture(loop_scope="session")
async def session(manager: SandboxManager) -> AsyncIterator[str]:
    """A fresh session, destroyed afterwards."""
    sid = new_id()
    await manager.create(sid, IMAGE)
    yield sid
    await manager.destroy(sid)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def shared_session(manager: SandboxManager) -> AsyncIterator[str]:
    """One session per test module, for tests that only read or that need a warm kernel."""
    sid = new_id("m")
    await manager.create(sid, IMAGE)
    yield sid
    await manager.destroy(sid)
