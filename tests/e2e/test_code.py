"""session.code.run end to end: values, logs, rich outputs, exceptions, timeouts and languages, on both faces
(Java and R: test_languages.py)."""

from __future__ import annotations

import base64
import struct
import time
import zlib
from typing import Any

import pytest

from agb import EnhancedCodeExecutionResult, ExecutionError, InvalidParameterError

from .helpers import call

pytestmark = pytest.mark.asyncio(loop_scope="module")


def tiny_png() -> bytes:
    """A valid 1x1 PNG, made here so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


async def test_value_of_the_last_expression(session: Any) -> None:
    run = await call(session.code.run("import math\nround(math.pi, 4)"))
    assert isinstance(run, EnhancedCodeExecutionResult)
    assert run.success and run.error is None and run.error_message == "" and run.request_id
    assert run.result == "3.1416" and run.text == "3.1416"
    (main,) = run.results
    assert main.is_main_result and main.text == "3.1416" and main.formats() == ["text"]
    assert run.logs.stdout == [] and run.logs.stderr == []
    assert run.unwrap() is run


async def test_stdout_and_stderr_logs(session: Any) -> None:
    code = "import sys\nprint('to stdout', 1)\nprint('to stderr', file=sys.stderr)\nprint('again')"
    run = await call(session.code.run(code, "python"))
    assert run.success
    assert "".join(run.logs.stdout) == "to stdout 1\nagain\n"
    assert "".join(run.logs.stderr) == "to stderr\n"
    assert run.results == [] and run.result == "to stdout 1\nagain\n"  # no value: the text is stdout


async def test_state_persists_and_runs_are_counted(session: Any) -> None:
    first = await call(session.code.run("counter = 10"))
    second = await call(session.code.run("counter += 5\ncounter"))
    assert second.result == "15"
    assert first.execution_count is not None and second.execution_count == first.execution_count + 1
    assert second.execution_time >= 0.0


async def test_rich_results_from_ipython_display(session: Any) -> None:
    png = tiny_png()
    code = f"""
import base64
from IPython.display import HTML, JSON, SVG, Image, Latex, Markdown, display
display(HTML("<b>bold</b>"))
display(Markdown("# Title"))
display(Image(data=base64.b64decode("{base64.b64encode(png).decode()}"), format="png"))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><rect width="1" height="1"/></svg>'))
display(JSON({{"values": [1, 2.5, "three"], "nested": {{"ok": True}}}}))
display(Latex(r"$\\alpha + \\beta$"))
display({{"image/jpeg": "/9j/4AAQ", "text/plain": "a jpeg"}}, raw=True)
display({{"application/vnd.vegalite.v5+json": {{"mark": "bar"}}, "text/plain": "a chart"}}, raw=True)
"done"
"""
    run = await call(session.code.run(code))
    assert run.success, run.error_message
    by_format = {fmt: item for item in run.results for fmt in item.formats() if fmt != "text"}
    assert by_format["html"].html == "<b>bold</b>"
    assert by_format["markdown"].markdown == "# Title"
    assert base64.b64decode(by_format["png"].png) == png
    svg = by_format["svg"].svg
    assert svg.startswith("<svg") and "<rect" in svg
    assert by_format["json"].json == {"values": [1, 2.5, "three"], "nested": {"ok": True}}
    assert by_format["latex"].latex == r"$\alpha + \beta$"
    assert by_format["jpeg"].jpeg == "/9j/4AAQ" and by_format["jpeg"].text == "a jpeg"
    assert by_format["chart"].chart == {"mark": "bar"} and by_format["chart"].text == "a chart"
    assert not any(item.is_main_result for item in by_format.values())
    mains = [item for item in run.results if item.is_main_result]
    assert [item.text for item in mains] == ["'done'"] and run.result == "'done'"
    assert len(run.results) == 9


async def test_an_exception_in_the_code(session: Any) -> None:
    run = await call(session.code.run("print('before')\ndef f():\n    return undefined_name\nf()"))
    assert not run.success
    error = run.error
    assert isinstance(error, ExecutionError) and run.execution_error is error
    assert error.name == "NameError" and "undefined_name" in error.value
    assert "NameError" in error.traceback and "f()" in error.traceback
    assert run.error_message == f"NameError: {error.value}"
    assert run.logs.stdout == ["before\n"]  # what ran before the exception is kept
    with pytest.raises(ExecutionError, match="undefined_name"):
        run.unwrap()
    with pytest.raises(ExecutionError):
        run.raise_for_error()
    assert (await call(session.code.run("1 + 1"))).result == "2"  # the kernel goes on


async def test_a_timeout_interrupts_and_keeps_the_kernel_and_its_state(session: Any) -> None:
    assert (await call(session.code.run("kept = 41"))).success
    started = time.monotonic()
    run = await call(session.code.run("import time\nprint('started', flush=True)\ntime.sleep(60)", timeout_s=1))
    assert time.monotonic() - started < 15
    assert not run.success and isinstance(run.error, ExecutionError)
    assert run.error.name == "TimeoutError" and "1 s" in run.error.value
    after = await call(session.code.run("kept + 1"))
    assert after.success and after.result == "42"


# The cell kills its sandbox's agent (the kernel's parent), as the OOM killer does when it takes the agent
# along with a kernel that ran out of memory (an output flood: tests/reliability/test_hostile_code.py).
KILL_THE_AGENT = "import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(30)"


@pytest.mark.parametrize("streamed", [False, True], ids=["mcp", "stream"])
async def test_a_sandbox_crash_under_a_cell_is_the_cells_kernel_died(session: Any, streamed: bool) -> None:
    assert (await call(session.code.run("lost = 1"))).success
    errors: list[Any] = []
    started = time.monotonic()
    streaming = {"on_error": errors.append} if streamed else {}
    run = await call(session.code.run(KILL_THE_AGENT, timeout_s=60, **streaming))
    assert time.monotonic() - started < 20
    assert not run.success and isinstance(run.error, ExecutionError), run
    assert run.error.name == "KernelDied" and "sandbox crashed" in run.error.value, run.error
    assert "SIGKILL" in run.error_message and "state were lost" in run.error_message
    assert errors == ([run.error] if streamed else [])
    after = await call(session.code.run("'lost' in dir()"))  # the session goes on, in a new kernel
    assert after.success and after.result == "False"


async def test_javascript(session: Any) -> None:
    run = await call(session.code.run("console.log('from node'); var total = 40 + 2; total", "javascript"))
    assert run.success, run.error_message
    assert run.result == "42" and run.logs.stdout == ["from node\n"]
    again = await call(session.code.run("total * 2", "javascript"))
    assert again.result == "84"  # the JavaScript context keeps its state too
    failed = await call(session.code.run("console.error('oops'); throw new TypeError('bad thing')", "javascript"))
    assert isinstance(failed.error, ExecutionError) and failed.error.name == "TypeError"
    assert "bad thing" in failed.error.value and failed.logs.stderr == ["oops\n"]
    timed_out = await call(session.code.run("while (true) {}", "javascript", timeout_s=1))
    assert isinstance(timed_out.error, ExecutionError) and timed_out.error.name == "TimeoutError"
    assert (await call(session.code.run("total + 1", "javascript"))).result == "43"


@pytest.mark.parametrize(
    ("alias", "code", "expected"),
    [
        ("py", "'py' * 2", "'pypy'"),
        ("python3", "3 ** 3", "27"),
        ("Python", "[1, 2]", "[1, 2]"),
        ("js", "'js'.toUpperCase()", "'JS'"),
        ("node", "[1, 2].length", "2"),
        ("nodejs", "typeof process", "'object'"),
        (" NodeJS ", "1 + 1", "2"),
    ],
)
async def test_language_aliases(session: Any, alias: str, code: str, expected: str) -> None:
    run = await call(session.code.run(code, alias))
    assert run.success, run.error_message
    assert run.result == expected


async def test_an_unknown_language_fails_before_any_request(session: Any) -> None:
    run = await call(session.code.run("1", "cobol"))
    assert isinstance(run.error, InvalidParameterError) and run.request_id == ""
    assert "cobol" in run.error_message and "python" in run.error_message


async def test_run_code_is_the_same_operation(session: Any) -> None:
    run = await call(session.code.run_code("21 * 2", "python"))
    assert run.success and run.result == "42"
    assert session.code.run_code.__name__ == "run"


async def test_the_default_image_has_the_data_stack_and_shows_figures(session: Any) -> None:
    code = (
        "import matplotlib.pyplot as plt, numpy as np, pandas as pd\n"
        "s = pd.Series(np.arange(4.0) ** 2)\n"
        "s.plot()\n"
        "plt.show()\n"
        "print(s.sum())"
    )
    run = await call(session.code.run(code, "python"))
    assert run.success and run.error is None, run.error_message
    assert run.logs.stdout == ["14.0\n"]
    (figure,) = [r for r in run.results if r.png]
    assert base64.b64decode(figure.png).startswith(b"\x89PNG\r\n\x1a\n")


async def test_pip_installs_into_the_session(session: Any) -> None:
    make = (
        "import zipfile\n"
        "with zipfile.ZipFile('/tmp/agbe2e-1.0-py3-none-any.whl', 'w') as z:\n"
        "    z.writestr('agbe2e.py', 'ANSWER = 42\\n')\n"
        "    z.writestr('agbe2e-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: agbe2e\\nVersion: 1.0\\n')\n"
        "    wheel = 'Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'\n"
        "    z.writestr('agbe2e-1.0.dist-info/WHEEL', wheel)\n"
        "    z.writestr('agbe2e-1.0.dist-info/RECORD', '')\n"
    )
    assert (await call(session.code.run(make))).success
    cmd = await call(session.command.execute("pip install /tmp/agbe2e-1.0-py3-none-any.whl", timeout_ms=60_000))
    assert cmd.exit_code == 0, cmd.output
    run = await call(session.code.run("import agbe2e\nagbe2e.ANSWER"))
    assert run.result == "42"
