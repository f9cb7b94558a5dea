"""The disk quota: a periodic size check; an over-quota session is refused writes until it deletes."""

from __future__ import annotations

import asyncio

import pytest

from agb_local.sandbox import SandboxManager

from .helpers import DISK_MB, call, needs_bwrap, ok, sh

pytestmark = [needs_bwrap, pytest.mark.asyncio(loop_scope="session")]


async def _wait_for(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")


async def test_over_quota_refuses_writes_until_files_are_deleted(manager: SandboxManager, session: str) -> None:
    half = DISK_MB * 2 // 3
    await sh(manager, session, f"head -c {half}M /dev/zero > a.bin && head -c {half}M /dev/zero > /tmp/b.bin")
    await _wait_for(lambda: manager.stats()["sessions"][session]["over_quota"])

    refused = await call(manager, session, "write_file", path="more.txt", content="x")
    assert refused.is_error and refused.text.startswith("Disk quota exceeded: this session uses ")
    assert f"of its {DISK_MB} MiB" in refused.text and "delete_file" in refused.text
    assert (await call(manager, session, "shell", command="true", timeout_ms=1000)).is_error
    assert (await call(manager, session, "run_code", code="1", language="python", timeout_s=5)).is_error
    # Reading and deleting still work, so the user can clean up.
    assert "a.bin" in await ok(manager, session, "list_directory", path="/home/user")
    await ok(manager, session, "delete_file", path="/tmp/b.bin")
    await _wait_for(lambda: not manager.stats()["sessions"][session]["over_quota"])
    await ok(manager, session, "write_file", path="more.txt", content="x")


async def test_single_file_is_capped_by_rlimit_fsize(manager: SandboxManager, session: str) -> None:
    result = await sh(manager, session, f"head -c {DISK_MB + 1}M /dev/zero > big.bin; echo rc=$?; stat -c %s big.bin")
    assert "File size limit exceeded" in result["stderr"] or "rc=153" in result["stdout"]
    assert int(result["stdout"].split()[-1]) <= DISK_MB * 1024 * 1024
