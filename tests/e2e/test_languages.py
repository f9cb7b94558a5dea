"""Java (JShell) and R in session.code.run end to end, on both faces: state kept between calls, output and
values, errors mapped to name/value/traceback, a timeout that stops the cell and leaves the runtime (and its
state) usable, streamed output as it is printed, and a language the image lacks as a tool error naming the
ones it has. Skipped, saying why, where the machine has no JDK or no R (tools/setup.sh installs them where
apt can)."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agb import ExecutionError, InvalidParameterError, ToolError
from agb.session_params import CreateSessionParams
from agb_local.embedded import EmbeddedServer, start
from tests.runtimes import needs_java, needs_r

from .conftest import OTHER_KEY
from .helpers import call, fresh

pytestmark = pytest.mark.asyncio(loop_scope="module")

PLAIN = "python-only"  # an image of this module that offers Python alone


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    """conftest's server, with one more image: Python only, on the server's own interpreter (no build)."""
    images = Path(tmp_path_factory.mktemp("images")) / "images.toml"
    images.write_text(f'[images.{PLAIN}]\ndescription = "Python alone"\nlanguages = ["python"]\n')
    srv = start(extra_api_keys=(OTHER_KEY,), pool_size=1, images_file=images)
    yield srv
    srv.stop()


@needs_java
async def test_java_keeps_state_between_calls(session: Any) -> None:
    first = await call(session.code.run("int x = 41;\nimport java.time.*;", "java"))
    assert first.success and first.results == [] and first.logs.stdout == [], first.error_message
    run = await call(session.code.run('System.out.println("hi " + x);\nx + 1', "java"))
    assert run.success, run.error_message
    assert run.result == "42" and run.logs.stdout == ["hi 41\n"] and run.results[0].is_main_result
    assert run.execution_count == first.execution_count + 1
    await call(session.code.run("int twice(int n) { return 2 * n; }\nrecord Point(int a, int b) {}", "java"))
    again = await call(session.code.run("twice(new Point(x, 0).a()) + Duration.ofMinutes(1).toSeconds()", "java"))
    assert again.result == "142"  # the variable, the method, the record and the import are all still there
    text = await call(session.code.run('String s = "é" + x; s', "java"))
    assert text.result == '"é41"'  # JShell's rendering of a String value


@needs_java
async def test_java_errors_are_mapped(session: Any) -> None:
    rejected = await call(session.code.run('int y = "not a number";', "java"))
    assert not rejected.success and isinstance(rejected.error, ExecutionError)
    assert rejected.error.name == "CompilationError" and "incompatible types" in rejected.error.value
    assert 'int y = "not a number";' in rejected.error.traceback and "^" in rejected.error.traceback
    code = 'void fail() { throw new IllegalStateException("bad thing"); }\nSystem.out.println("before");\nfail();'
    thrown = await call(session.code.run(code, "java"))
    assert isinstance(thrown.error, ExecutionError)
    assert thrown.error.name == "java.lang.IllegalStateException" and thrown.error.value == "bad thing"
    assert "fail" in thrown.error.traceback and thrown.logs.stdout == ["before\n"]
    assert thrown.error_message == "java.lang.IllegalStateException: bad thing"
    with pytest.raises(ExecutionError, match="bad thing"):
        thrown.unwrap()
    assert (await call(session.code.run("1 + 1", "java"))).result == "2"  # JShell goes on


@needs_java
async def test_a_java_timeout_stops_the_cell_and_keeps_the_state(session: Any) -> None:
    assert (await call(session.code.run("long kept = 41;", "java"))).success
    started = time.monotonic()
    run = await call(session.code.run('System.out.println("spinning");\nwhile (true) {}', "java", timeout_s=1))
    assert time.monotonic() - started < 10
    assert isinstance(run.error, ExecutionError) and run.error.name == "TimeoutError" and "1 s" in run.error.value
    assert "state are kept" in run.error.value and run.logs.stdout == ["spinning\n"]
    after = await call(session.code.run("kept + 1", "java"))
    assert after.success and after.result == "42"


@needs_r
async def test_r_keeps_state_between_calls(session: Any) -> None:
    first = await call(session.code.run("x <- 41\nsquare <- function(n) n^2", "r"))
    assert first.success and first.results == [], first.error_message
    run = await call(session.code.run("cat('hi', x, '\\n')\nmessage('to stderr')\nx + 1", "r"))
    assert run.success, run.error_message
    assert run.result == "[1] 42" and run.logs.stdout == ["hi 41 \n"] and run.logs.stderr == ["to stderr\n"]
    assert run.execution_count == first.execution_count + 1
    shown = await call(session.code.run("square(3)\ndata.frame(n = 1:2, word = c('a', 'é'))", "r"))
    assert [(item.text, item.is_main_result) for item in shown.results] == [
        ("[1] 9", False),
        ("  n word\n1 1    a\n2 2    é", True),
    ]


@needs_r
async def test_r_cells_use_their_print_methods_and_cannot_unsettle_the_runner(session: Any) -> None:
    code = (
        "paste <- function(...) 'hijacked'\ncat <- function(...) NULL\n"
        "print.temperature <- function(x, ...) base::cat(unclass(x), 'degrees\\n')\n"
        "structure(21, class = 'temperature')"
    )
    run = await call(session.code.run(code, "r"))
    assert run.success and run.result == "21 degrees", run.error_message
    assert (await call(session.code.run("rm(paste, cat)\nnchar(paste('a', 'b'))", "r"))).result == "[1] 3"


@needs_r
async def test_r_errors_warnings_and_plots(session: Any) -> None:
    code = "inner <- function() stop('bad thing')\nouter <- function() inner()\ncat('before\\n')\nouter()"
    failed = await call(session.code.run(code, "r"))
    assert isinstance(failed.error, ExecutionError)
    assert failed.error.name == "simpleError" and failed.error.value == "bad thing"
    assert failed.error.traceback.startswith("Error in inner(): bad thing")
    assert "outer()" in failed.error.traceback and failed.logs.stdout == ["before\n"]
    syntax = await call(session.code.run("y <- (1 + ", "r"))
    assert isinstance(syntax.error, ExecutionError) and syntax.error.name == "SyntaxError"
    warned = await call(session.code.run("log(-1)", "r"))
    assert warned.success and warned.result == "[1] NaN" and "NaNs produced" in "".join(warned.logs.stderr)
    plotted = await call(session.code.run("plot(1:10)", "r"))
    assert plotted.success, plotted.error_message
    (plot,) = plotted.results
    assert plot.png is not None and base64.b64decode(plot.png).startswith(b"\x89PNG\r\n\x1a\n")


@needs_r
async def test_an_r_timeout_stops_the_cell_and_keeps_the_state(session: Any) -> None:
    assert (await call(session.code.run("kept <- 41", "r"))).success
    started = time.monotonic()
    run = await call(session.code.run("repeat {}", "r", timeout_s=1))
    assert time.monotonic() - started < 10
    assert isinstance(run.error, ExecutionError) and run.error.name == "TimeoutError"
    assert (await call(session.code.run("kept + 1", "r"))).result == "[1] 42"


@pytest.mark.parametrize("language", [pytest.param("java", marks=needs_java), pytest.param("r", marks=needs_r)])
async def test_streamed_output_arrives_as_it_is_printed(session: Any, language: str) -> None:
    code = {
        "java": 'System.out.println("first");\nThread.sleep(1500);\nSystem.out.println("second");',
        "r": "cat('first\\n')\nSys.sleep(1.5)\ncat('second\\n')",
    }[language]
    chunks: list[tuple[float, str]] = []
    started = time.monotonic()
    run = await call(session.code.run(code, language, on_stdout=lambda c: chunks.append((time.monotonic(), c))))
    ended = time.monotonic()
    assert run.success, run.error_message
    assert [chunk for _, chunk in chunks] == ["first\n", "second\n"] == run.logs.stdout
    assert chunks[0][0] - started < ended - started - 1.0  # the first line came before the sleep ended


async def test_a_language_the_image_lacks_is_a_tool_error_naming_the_others(agb: Any) -> None:
    async with fresh(agb, CreateSessionParams(image_id=PLAIN)) as session:
        for language in ("java", "r"):
            run = await call(session.code.run("1", language))
            assert isinstance(run.error, ToolError) and not isinstance(run.error, ExecutionError)
            assert run.error_message.endswith(f"Unsupported language '{language}'. This image ({PLAIN}) offers: python")
            streamed = await call(session.code.run("1", language, on_stdout=print))
            assert isinstance(streamed.error, ToolError) and "Unsupported language" in streamed.error_message
        assert (await call(session.code.run("40 + 2"))).result == "42"


async def test_an_unknown_language_fails_before_any_request(session: Any) -> None:
    run = await call(session.code.run("1", "fortran"))
    assert isinstance(run.error, InvalidParameterError) and run.request_id == ""
    assert "java" in run.error_message and "r" in run.error_message


@pytest.mark.parametrize(
    ("language", "stubborn", "define", "read"),
    [
        pytest.param(
            "java",
            "while (true) { try { Thread.sleep(50); } catch (Throwable ignored) { } }",
            "int gone = 1;",
            "gone",
            marks=needs_java,
        ),
        pytest.param(
            "r",
            "repeat tryCatch(Sys.sleep(0.05), interrupt = function(e) NULL)",
            "gone <- 1",
            "exists('gone')",
            marks=needs_r,
        ),
    ],
)
async def test_a_cell_that_ignores_the_stop_is_killed_and_the_next_call_starts_afresh(
    session: Any, language: str, stubborn: str, define: str, read: str
) -> None:
    assert (await call(session.code.run(define, language))).success
    started = time.monotonic()
    run = await call(session.code.run(stubborn, language, timeout_s=1))
    assert time.monotonic() - started < 15
    assert isinstance(run.error, ExecutionError) and run.error.name == "TimeoutError"
    assert "was killed, its state is lost" in run.error.value
    after = await call(session.code.run(read, language))
    if language == "java":  # a new JShell: the variable is gone
        assert isinstance(after.error, ExecutionError) and after.error.name == "CompilationError"
    else:
        assert after.success and after.result == "[1] FALSE"


@pytest.mark.parametrize(
    ("language", "exit_code"),
    [pytest.param("java", "System.exit(3);", marks=needs_java), pytest.param("r", "quit(status = 3)", marks=needs_r)],
)
async def test_a_runtime_that_exits_is_reported_and_started_again(session: Any, language: str, exit_code: str) -> None:
    run = await call(session.code.run(exit_code, language))
    assert isinstance(run.error, ExecutionError) and run.error.name == "RuntimeDied" and "status 3" in run.error.value
    assert (await call(session.code.run("6 * 7", language))).result in ("42", "[1] 42")
