"""Helpers shared by the sandbox tests: limits, the test image, tool-call shorthands."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from agb_local.sandbox import (
    Image,
    IsolationUnavailable,
    SandboxConfig,
    SandboxManager,
    ToolOutcome,
    load_images,
    procs,
)
from agb_local.sandbox import bwrap as _bwrap


def _bwrap_problem() -> str | None:
    try:
        _bwrap.probe()
    except IsolationUnavailable as exc:
        return str(exc)
    if os.geteuid() != 0:
        return "the sandbox tests need root (per-sandbox uids and cgroups)"
    return None


BWRAP_PROBLEM = _bwrap_problem()
needs_bwrap = pytest.mark.skipif(BWRAP_PROBLEM is not None, reason=f"bubblewrap unusable: {BWRAP_PROBLEM}")

IMAGE: Image = load_images(None)["code_latest"]
MEMORY_MB = 256
PIDS = 64
DISK_MB = 48
OUTPUT_LIMIT = 10_000


def test_config(data_dir: Path, **overrides: Any) -> SandboxConfig:
    values: dict[str, Any] = dict(
        data_dir=data_dir,
        isolation="bwrap",
        memory_limit_mb=MEMORY_MB,
        pids_limit=PIDS,
        disk_limit_mb=DISK_MB,
        output_limit_bytes=OUTPUT_LIMIT,
        pool_size=2,
        quota_interval_s=0.2,
    )
    values.update(overrides)
    return SandboxConfig(**values)


test_config.__test__ = False  # type: ignore[attr-defined]  # not a test, despite the name


def new_id(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def call(mgr: SandboxManager, sid: str, name: str, **args: Any) -> ToolOutcome:
    """A tool call with ``args`` as keyword arguments (and no overall timeout)."""
    return await mgr.call_tool(sid, name, args, None)


async def ok(mgr: SandboxManager, sid: str, name: str, **args: Any) -> str:
    outcome = await call(mgr, sid, name, **args)
    assert not outcome.is_error, outcome.text
    return outcome.text


async def err(mgr: SandboxManager, sid: str, name: str, **args: Any) -> str:
    outcome = await call(mgr, sid, name, **args)
    assert outcome.is_error, outcome.text
    return outcome.text


async def sh(mgr: SandboxManager, sid: str, command: str, timeout_ms: int = 10_000, **extra: Any) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(await ok(mgr, sid, "shell", command=command, timeout_ms=timeout_ms, **extra))
    return result


async def py(
    mgr: SandboxManager, sid: str, code: str, timeout_s: float = 30, language: str = "python"
) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        await ok(mgr, sid, "run_code", code=code, language=language, timeout_s=timeout_s)
    )
    return result


def bwrap_pids(mine_only: bool = False) -> set[int]:
    """Live (not zombie) host processes named bwrap; with `mine_only`, only this test process's descendants,
    so sandboxes of other test runs on the machine do not count."""
    candidates = procs.subtree(os.getpid()) if mine_only else procs.processes()
    return {p.pid for p in candidates if p.name == "bwrap" and p.running}
    return False
