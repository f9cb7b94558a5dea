"""Java (JShell) and R inside the sandbox: they run as the sandbox's user in its own view of the machine, a
call cancelled from outside stops the cell (the next call is not queued behind it), a streamed call gets the
output before the reply, and output beyond the limit is cut with the marker. Skipped where the machine has
no JDK or no R."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

from agb_local.sandbox import SandboxManager
from tests.runtimes import needs_java, needs_r

from .helpers import needs_bwrap, py

pytestmark = [needs_bwrap, pytest.mark.asyncio(loop_scope="session")]

JAVA = pytest.param("java", marks=needs_java)
R = pytest.param("r", marks=needs_r)

HOST_FILE = str(Path(__file__).resolve())  # of the host, not bound into sandboxes
WHO = {
    "java": 'System.getProperty("user.name") + " " + System.getProperty("user.dir") + " "'
    f' + new java.io.File("{HOST_FILE}").exists() + " " + new java.io.File("/etc/shadow").exists()',
    "r": f"cat(Sys.info()[['user']], getwd(), file.exists('{HOST_FILE}'), file.exists('/etc/shadow'))",
}
SPIN = {"java": "long spins = 0;\nwhile (true) { spins++; }", "r": "spins <- 0\nrepeat spins <- spins + 1"}
AFTER = {"java": "spins > 0", "r": "spins > 0"}
TICKS = {
    "java": 'for (int i = 0; i < 3; i++) { System.out.println("tick " + i); Thread.sleep(300); }',
    "r": "for (i in 0:2) { cat('tick', i, '\\n'); Sys.sleep(0.3) }",
}
FLOOD = {
    "java": 'for (int i = 0; i < 200000; i++) System.out.println("line " + i);',
    "r": "cat(rep('line\\n', 400000))",
}


@pytest.mark.parametrize("language", [JAVA, R])
async def test_the_runtime_runs_as_the_sandbox_user_in_its_view(
    manager: SandboxManager, shared_session: str, language: str
) -> None:
    out = await py(manager, shared_session, WHO[language], language=language)
    text = out["result"][0]["text/plain"] if out["result"] else "".join(out["stdout"])
    no = "false" if language == "java" else "FALSE"
    assert text.strip('"').split() == ["user", "/home/user", no, no]


@pytest.mark.parametrize("language", [JAVA, R])
async def test_a_call_cancelled_from_outside_stops_the_cell(
    manager: SandboxManager, shared_session: str, language: str
) -> None:
    args = {"code": SPIN[language], "language": language, "timeout_s": 120}
    outcome = await manager.call_tool(shared_session, "run_code", args, 1.0)
    assert outcome.is_error and "timed out after 1 s" in outcome.text
    started = time.monotonic()
    after = await py(manager, shared_session, AFTER[language], language=language)
    assert time.monotonic() - started < 5  # not queued behind a cell still spinning
    assert after["result"][0]["text/plain"] in ("true", "[1] TRUE")  # the state of the stopped cell is kept


@pytest.mark.parametrize("language", [JAVA, R])
async def test_streamed_output_comes_before_the_reply(
    manager: SandboxManager, shared_session: str, language: str
) -> None:
    events: list[tuple[float, dict[str, Any]]] = []
    args = {"code": TICKS[language], "language": language, "timeout_s": 30}
    outcome = await manager.call_tool(
        shared_session, "run_code", args, None, on_event=lambda e: events.append((time.monotonic(), e))
    )
    done = time.monotonic()
    assert not outcome.is_error, outcome.text
    chunks = [e["chunk"] for _, e in events if e.get("eventType") == "stdout"]
    assert "".join(chunks).replace(" \n", "\n") == "tick 0\ntick 1\ntick 2\n"
    assert len(chunks) == 3 and events[0][0] < done - 0.4  # one by one, the first long before the end
    assert json.loads(outcome.text)["stdout"] == chunks


@pytest.mark.parametrize("language", [JAVA, R])
async def test_output_beyond_the_limit_is_cut_with_the_marker(
    manager: SandboxManager, shared_session: str, language: str
) -> None:
    out = await py(manager, shared_session, FLOOD[language], language=language, timeout_s=60)
    text = "".join(out["stdout"])
    assert "[... output truncated:" in text and len(text.encode()) < 2 * 1_000_000
    assert (await py(manager, shared_session, "1 + 1", language=language))["result"][0]["text/plain"] in ("2", "[1] 2")


@pytest.mark.parametrize("language", [JAVA])
async def test_what_a_background_thread_prints_later_goes_to_the_next_cell(
    manager: SandboxManager, shared_session: str, language: str
) -> None:
    code = (
        'new Thread(() -> { try { Thread.sleep(300); } catch (Exception e) { } System.out.println("late"); }).start();'
    )
    first = await py(manager, shared_session, code, language=language)
    assert first["stdout"] == [] and first["error"] is None
    await asyncio.sleep(0.8)
    assert (await py(manager, shared_session, "1", language=language))["stdout"] == ["late\n"]
