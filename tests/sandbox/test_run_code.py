"""run_code: Python through a Jupyter kernel, JavaScript through a persistent Node context."""

from __future__ import annotations

import base64
import json
import time

import pytest

from agb_local.sandbox import SandboxManager

from .helpers import err, needs_bwrap, ok, py

pytestmark = [needs_bwrap, pytest.mark.asyncio(loop_scope="session")]

# The smallest valid PNG (1x1, transparent).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


async def test_python_state_persists_and_format(manager: SandboxManager, shared_session: str) -> None:
    first = await py(manager, shared_session, "x = 41\nprint('hello')\nx + 1")
    assert list(first) == ["result", "stdout", "stderr", "executionError", "error", "execution_count", "execution_time"]
    assert first["result"] == [{"text/plain": "42", "isMainResult": True}]
    assert first["stdout"] == ["hello\n"] and first["stderr"] == []
    assert first["executionError"] is None and first["error"] is None
    assert isinstance(first["execution_count"], int) and isinstance(first["execution_time"], float)
    second = await py(manager, shared_session, "x * 2")
    assert second["result"] == [{"text/plain": "82", "isMainResult": True}]
    assert second["execution_count"] == first["execution_count"] + 1
    quiet = await py(manager, shared_session, "y = 1")
    assert quiet["result"] == []


async def test_aliases(manager: SandboxManager, shared_session: str) -> None:
    for alias in ("py", "python3", "PYTHON "):
        assert (await py(manager, shared_session, "1+1", language=alias))["result"][0]["text/plain"] == "2"


async def test_rich_outputs(manager: SandboxManager, shared_session: str) -> None:
    code = f"""
import base64
from IPython.display import HTML, Image, Markdown, JSON, Latex, SVG, display
display(HTML('<b>bold</b>'))
display(Image(data=base64.b64decode({base64.b64encode(PNG).decode()!r}), format='png'))
display(Markdown('# Title'))
display(JSON({{'a': 1, 'b': [1, 2]}}))
display(Latex(r'$x^2$'))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'))
display({{'application/vnd.vegalite.v5+json': {{'mark': 'bar'}}, 'text/plain': 'chart'}}, raw=True)
import sys; print('to stderr', file=sys.stderr)
'done'
"""
    result = await py(manager, shared_session, code)
    items = result["result"]
    assert items[0]["text/html"] == "<b>bold</b>" and items[0]["isMainResult"] is False
    assert base64.b64decode(items[1]["image/png"]) == PNG
    assert items[2]["text/markdown"] == "# Title"
    assert items[3]["application/json"] == {"a": 1, "b": [1, 2]}  # an object, not a string
    assert items[4]["text/latex"] == "$x^2$"
    assert items[5]["image/svg+xml"].startswith("<svg")
    assert items[6]["application/vnd.vegalite.v5+json"] == {"mark": "bar"}
    assert items[7] == {"text/plain": "'done'", "isMainResult": True}
    assert result["stderr"] == ["to stderr\n"]


async def test_display_updates_and_clear_output(manager: SandboxManager, shared_session: str) -> None:
    """An output displayed with a display_id is replaced by its update; clear_output forgets what the cell printed
    and displayed before it (all of it, including the print just before), not what comes after."""
    code = """
from IPython.display import clear_output, display
print('gone')
display('gone too')
clear_output()
print('kept')
handle = display('first', display_id=True)
handle.update('second')
'last'
"""
    result = await py(manager, shared_session, code)
    assert result["stdout"] == ["kept\n"], result
    assert result["result"] == [
        {"text/plain": "'second'", "isMainResult": False},
        {"text/plain": "'last'", "isMainResult": True},
    ]
    # Displays in quick succession reach the agent together; each is one result.
    many = await py(manager, shared_session, "for i in range(300):\n    display(i)")
    assert [item["text/plain"] for item in many["result"]] == [str(i) for i in range(300)], many["error"]


async def test_exception_is_not_a_tool_error(manager: SandboxManager, shared_session: str) -> None:
    result = await py(manager, shared_session, "print('before')\nraise ValueError('bad value')")
    assert result["stdout"] == ["before\n"]
    assert result["executionError"] == "ValueError: bad value"
    error = result["error"]
    assert error["name"] == "ValueError" and error["value"] == "bad value"
    assert "raise ValueError('bad value')" in error["traceback"]
    assert "\x1b[" not in error["traceback"]  # ANSI colours stripped


async def test_timeout_interrupts_and_keeps_state(manager: SandboxManager, shared_session: str) -> None:
    await py(manager, shared_session, "kept = 'still here'")
    started = time.monotonic()
    result = await py(manager, shared_session, "print('spinning')\nwhile True: pass", timeout_s=1)
    assert time.monotonic() - started < 4
    assert result["error"]["name"] == "TimeoutError"
    assert "interrupted" in result["executionError"] and "state" in result["executionError"]
    assert result["stdout"] == ["spinning\n"]
    after = await py(manager, shared_session, "kept")
    assert after["result"][0]["text/plain"] == "'still here'"


async def test_what_the_runner_suspends_at_start_is_whole_for_user_code(manager: SandboxManager, session: str) -> None:
    """py_runner.py starts IPython's shell with the garbage collector off; the first cell must find it on, with
    the start-up objects frozen, and no kernel machinery loaded (and magics, shell escapes and output written
    straight to fd 1 must work as in a notebook)."""
    start = await py(
        manager,
        session,
        "import gc, sys\n(gc.isenabled(), gc.get_freeze_count() > 0, 'debugpy' in sys.modules, 'zmq' in sys.modules)",
    )
    assert start["result"][0]["text/plain"] == "(True, True, False, False)"
    magics = await py(
        manager, session, "%pip --version\n!echo from-shell\nimport os\nos.system('echo from-fd')\n%time 1"
    )
    out = "".join(magics["stdout"])
    assert magics["error"] is None and out.startswith("pip ") and "from-shell" in out and "from-fd" in out, out
    assert "Wall time" in out


async def test_output_limit_applies_to_cells(manager: SandboxManager, shared_session: str) -> None:
    result = await py(manager, shared_session, "print('x' * 50000)")
    assert result["stdout"][-1].startswith("\n[... output truncated: ")
    assert sum(len(s) for s in result["stdout"][:-1]) <= 10_000


async def test_what_a_cell_prints_is_not_kept_by_the_kernel(manager: SandboxManager, session: str) -> None:
    """300 MB printed in a cell: the output is capped and the kernel's memory stays small (IPython 9 records every
    cell's printed output for its history unless told otherwise)."""
    flood = await py(manager, session, "for _ in range(30_000):\n    print('y' * 10_000)", timeout_s=60)
    assert flood["error"] is None and flood["stdout"][-1].startswith("\n[... output truncated: "), flood["error"]
    rss = await py(manager, session, "int(open('/proc/self/statm').read().split()[1]) * 4096 // 2**20")
    assert int(rss["result"][0]["text/plain"]) < 150, rss


async def test_javascript_state_and_errors(manager: SandboxManager, shared_session: str) -> None:
    first = await py(manager, shared_session, "let n = 20; console.log('js', n); n + 1", language="javascript")
    assert first["result"] == [{"text/plain": "21", "isMainResult": True}]
    assert first["stdout"] == ["js 20\n"]
    again = await py(manager, shared_session, "n * 2", language="js")
    assert again["result"][0]["text/plain"] == "40"
    awaited = await py(manager, shared_session, "Promise.resolve(n + 2)", language="node")
    assert awaited["result"][0]["text/plain"] == "22"
    failed = await py(manager, shared_session, "null.prop", language="nodejs")
    assert failed["error"]["name"] == "TypeError" and failed["executionError"].startswith("TypeError: ")
    assert "node_runner" not in failed["error"]["traceback"]
    looped = await py(manager, shared_session, "while (true) {}", language="javascript", timeout_s=1)
    assert looped["error"]["name"] == "TimeoutError"
    assert (await py(manager, shared_session, "n", language="javascript"))["result"][0]["text/plain"] == "20"


async def test_unavailable_languages_name_what_is_offered(manager: SandboxManager, shared_session: str) -> None:
    offered = ", ".join(lang for lang in ("python", "javascript", "java", "r") if lang in manager.runtime.languages)
    text = await err(manager, shared_session, "run_code", code="1", language="cobol", timeout_s=5)
    assert text == f"Unsupported language 'cobol'. This image (code_latest) offers: {offered}"
    assert "'code'" in await err(manager, shared_session, "run_code", language="python", timeout_s=5)
    assert "'timeout_s'" in await err(manager, shared_session, "run_code", code="1", language="python", timeout_s=0)


async def test_kernel_crash_is_reported_and_recovers(manager: SandboxManager, session: str) -> None:
    result = await py(manager, session, "import os\nos._exit(3)")
    assert result["error"]["name"] == "KernelDied"
    assert (
        json.loads(await ok(manager, session, "run_code", code="2+2", language="python", timeout_s=30))["result"][0][
            "text/plain"
        ]
        == "4"
    )


@pytest.mark.parametrize(
    ("language", "code", "name"),
    [
        ("python", "import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(30)", "KernelDied"),
        ("javascript", "process.kill(process.ppid, 'SIGKILL'); while (true) {}", "RuntimeDied"),
    ],
)
async def test_a_sandbox_dying_under_a_cell_is_the_cells_error(
    manager: SandboxManager, session: str, language: str, code: str, name: str
) -> None:
    """The agent killed while a cell runs (as the OOM killer does along with a kernel out of memory): the cell's
    result names its runtime's death, the sandbox is restarted, the session runs the next cell."""
    result = await py(manager, session, code, language=language)
    assert result["error"]["name"] == name and "sandbox crashed" in result["error"]["value"], result
    assert result["executionError"].startswith(f"{name}: ") and result["error"]["traceback"] == ""
    again = await py(manager, session, "6 * 7", language=language)
    assert again["result"][0]["text/plain"] == "42"


async def test_kernels_start_a_few_at_a_time_and_a_long_first_cell_does_not_hold_the_others(tmp_path) -> None:
    """With one kernel-start slot, first cells finish one after another rather than all late together, and a
    first cell that runs for long gives its slot up after KERNEL_GATE_HOLD_S."""
    import asyncio

    from agb_local.sandbox.manager import KERNEL_GATE_HOLD_S

    from .helpers import IMAGE, new_id, test_config

    mgr = SandboxManager(test_config(tmp_path, pool_size=0, kernel_starts=1))
    await mgr.start()
    try:
        ids = [new_id("k") for _ in range(5)]
        for sid in ids:
            await mgr.create(sid, IMAGE)

        async def first_cell(sid: str, code: str, since: float) -> float:
            await py(mgr, sid, code)
            return time.monotonic() - since

        # Three first cells at once: without the gate all three kernels share the CPU and finish together.
        now = time.monotonic()
        done = sorted(await asyncio.gather(*(first_cell(sid, "1+1", now) for sid in ids[:3])))
        assert done[0] < 0.6 * done[-1], done
        # A second cell in a session is not gated again.
        now = time.monotonic()
        await py(mgr, ids[0], "2+2")
        assert time.monotonic() - now < 2
        # A first cell that runs long holds the slot for KERNEL_GATE_HOLD_S at most.
        now = time.monotonic()
        slow = asyncio.create_task(first_cell(ids[3], "import time; time.sleep(8)", now))
        await asyncio.sleep(0.05)  # the slow cell takes the slot first
        quick = await first_cell(ids[4], "1+1", now)
        assert KERNEL_GATE_HOLD_S * 0.9 < quick < await slow, (quick, KERNEL_GATE_HOLD_S)
    finally:
        await mgr.close()
