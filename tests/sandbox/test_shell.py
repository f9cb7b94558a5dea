"""The shell tool: output JSON, exit codes, cwd/envs, timeouts that kill the whole group, limits."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from agb_local.sandbox import SandboxManager

from .helpers import OUTPUT_LIMIT, call, err, needs_bwrap, ok, sh

pytestmark = [needs_bwrap, pytest.mark.asyncio(loop_scope="session")]


async def test_output_format_and_exit_code(manager: SandboxManager, shared_session: str) -> None:
    text = await ok(manager, shared_session, "shell", command="echo out; echo err >&2; exit 3", timeout_ms=5000)
    result = json.loads(text)
    assert list(result) == ["stdout", "stderr", "exit_code", "traceId"]
    assert result["stdout"] == "out\n" and result["stderr"] == "err\n" and result["exit_code"] == 3
    assert isinstance(result["traceId"], str) and result["traceId"]
    assert (await sh(manager, shared_session, "true"))["exit_code"] == 0
    assert (await sh(manager, shared_session, "no-such-command"))["exit_code"] == 127
    assert (await sh(manager, shared_session, "kill -9 $$"))["exit_code"] == 137  # 128 + SIGKILL


async def test_default_cwd_env_and_identity(manager: SandboxManager, shared_session: str) -> None:
    result = await sh(manager, shared_session, 'pwd; echo "$HOME|$LANG|$USER|$AGB_IMAGE"; id -u; hostname')
    pwd, env, uid, host = result["stdout"].splitlines()
    assert pwd == "/home/user"
    assert env == "/home/user|C.UTF-8|user|code_latest"  # AGB_IMAGE comes from the image
    assert int(uid) >= 200_000
    assert host == "agb-sandbox"


async def test_cwd_and_envs(manager: SandboxManager, shared_session: str) -> None:
    result = await sh(manager, shared_session, 'pwd; echo "$A-$B"', cwd="/tmp", envs={"A": "1", "B": "two words"})
    assert result["stdout"] == "/tmp\n1-two words\n"
    assert "Invalid cwd" in await err(manager, shared_session, "shell", command="pwd", timeout_ms=1000, cwd="/nope")
    assert "'envs'" in await err(manager, shared_session, "shell", command="true", timeout_ms=1000, envs={"A": 1})
    assert "'command'" in await err(manager, shared_session, "shell", timeout_ms=1000)
    assert "'timeout_ms'" in await err(manager, shared_session, "shell", command="true", timeout_ms="soon")


async def test_stdin_is_not_the_protocol(manager: SandboxManager, shared_session: str) -> None:
    # A command reading stdin must see EOF, not the agent's request stream.
    assert (await sh(manager, shared_session, "cat; echo done"))["stdout"] == "done\n"


async def test_timeout_kills_the_command_and_its_children(manager: SandboxManager, session: str) -> None:
    started = time.monotonic()
    result = await sh(manager, session, "sleep 100 & sleep 100; echo never", timeout_ms=500)
    assert time.monotonic() - started < 3
    assert result["exit_code"] == 124
    assert result["stdout"] == ""
    assert "timeout" in result["stderr"] and "timeout_ms=500" in result["stderr"]
    left = await sh(manager, session, "ps -eo comm | grep -c '^sleep$' || true")
    assert left["stdout"].strip() == "0"


async def test_background_job_survives_the_call(manager: SandboxManager, session: str) -> None:
    started = time.monotonic()
    result = await sh(manager, session, "nohup sleep 30 > /dev/null 2>&1 & echo started", timeout_ms=5000)
    assert result["stdout"] == "started\n" and result["exit_code"] == 0
    assert time.monotonic() - started < 2
    assert (await sh(manager, session, "ps -eo comm | grep -c '^sleep$'"))["stdout"].strip() == "1"


async def test_output_truncation(manager: SandboxManager, shared_session: str) -> None:
    result = await sh(manager, shared_session, "head -c 50000 /dev/zero | tr '\\0' a; echo -n é >&2")
    assert result["stdout"] == "a" * OUTPUT_LIMIT + f"\n[... output truncated: {50000 - OUTPUT_LIMIT} bytes omitted]"
    assert result["stderr"] == "é"


async def test_truncation_does_not_split_characters(manager: SandboxManager, shared_session: str) -> None:
    result = await sh(manager, shared_session, f"printf 'a'; for i in $(seq {OUTPUT_LIMIT}); do printf 'é'; done")
    kept, marker = result["stdout"].split("\n[... output truncated: ")
    assert "\ufffd" not in kept and kept.startswith("aé")
    omitted = int(marker.split()[0])
    assert len(kept.encode()) + omitted == 1 + 2 * OUTPUT_LIMIT


async def test_calls_run_concurrently(manager: SandboxManager, shared_session: str) -> None:
    # Other calls are answered while a long one runs: they finish before it does, not after it.
    slow = asyncio.create_task(call(manager, shared_session, "shell", command="sleep 4", timeout_ms=10_000))
    await asyncio.sleep(0.2)
    await ok(manager, shared_session, "list_directory", path="/tmp")
    await sh(manager, shared_session, "true")
    assert not slow.done()
    assert not (await slow).is_error


async def test_overall_timeout_cancels_the_command(manager: SandboxManager, session: str) -> None:
    outcome = await manager.call_tool(session, "shell", {"command": "sleep 20", "timeout_ms": 60_000}, 0.5)
    assert outcome.is_error and "timed out after 0.5 s" in outcome.text
    await asyncio.sleep(0.2)
    assert (await sh(manager, session, "ps -eo comm | grep -c '^sleep$' || true"))["stdout"].strip() == "0"
