"""session.command.execute end to end: exit codes, output, cwd, envs and timeouts, on both faces."""

from __future__ import annotations

import time
from typing import Any

import pytest

from agb import CommandResult, InvalidParameterError, ToolError

from .helpers import call

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_successful_command(session: Any) -> None:
    result = await call(session.command.execute("echo hello; echo world"))
    assert isinstance(result, CommandResult)
    assert result.success and result.error is None and result.request_id
    assert result.exit_code == 0 and result.stdout == "hello\nworld\n" and result.stderr == ""
    assert result.output == "hello\nworld\n"
    assert result.unwrap() is result


async def test_a_failing_command_keeps_its_output_and_exit_code(session: Any) -> None:
    result = await call(session.command.execute("echo out; echo 'it broke' >&2; exit 3"))
    assert not result.success and isinstance(result.error, ToolError)
    assert result.exit_code == 3 and result.stdout == "out\n" and result.stderr == "it broke\n"
    assert result.output == "out\nit broke\n"
    assert "3" in result.error_message and "it broke" in result.error_message
    with pytest.raises(ToolError, match="code 3"):
        result.unwrap()


@pytest.mark.parametrize("code", [1, 2, 127, 255])
async def test_exit_codes(session: Any, code: int) -> None:
    result = await call(session.command.execute(f"exit {code}"))
    assert result.exit_code == code and not result.success


async def test_command_not_found(session: Any) -> None:
    result = await call(session.command.execute("no-such-command-here"))
    assert result.exit_code == 127 and "no-such-command-here" in result.stderr


async def test_working_directory(session: Any) -> None:
    assert (await call(session.command.execute("pwd"))).stdout == "/home/user\n"
    assert (await call(session.command.execute("pwd", cwd="/tmp"))).stdout == "/tmp\n"
    await call(session.command.execute("mkdir -p '/home/user/a dir'"))
    inside = await call(session.command.execute("pwd; ls", cwd="/home/user/a dir"))
    assert inside.stdout == "/home/user/a dir\n"
    missing = await call(session.command.execute("pwd", cwd="/home/user/does-not-exist"))
    assert not missing.success


async def test_environment_variables(session: Any) -> None:
    envs = {"GREETING": "hello wörld ✓", "EMPTY": "", "WITH_SPACES": "a b  c"}
    script = 'printf "%s|%s|%s" "$GREETING" "${EMPTY-unset}" "$WITH_SPACES"'
    result = await call(session.command.execute(script, envs=envs))
    assert result.success and result.stdout == "hello wörld ✓||a b  c"
    unset = await call(session.command.execute('printf "%s" "${GREETING-unset}"'))
    assert unset.stdout == "unset"  # variables are per call


async def test_a_timeout_kills_the_command_and_its_children(session: Any) -> None:
    started = time.monotonic()
    result = await call(session.command.execute("sleep 37 & sleep 37; echo never", timeout_ms=500))
    assert time.monotonic() - started < 10
    assert result.exit_code == 124 and not result.success and isinstance(result.error, ToolError)
    assert "never" not in result.stdout and "timeout" in result.stderr
    survivors = await call(
        session.command.execute("cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ' | grep -c 'sleep 3[7]' || true")
    )
    assert survivors.stdout.strip() == "0"


async def test_the_default_timeout_outlasts_a_second(session: Any) -> None:
    result = await call(session.command.execute("sleep 1.2; echo finished"))
    assert result.success and result.stdout == "finished\n"


async def test_execute_command_is_the_same_operation(session: Any) -> None:
    result = await call(session.command.execute_command("echo early-name", timeout_ms=5000))
    assert result.success and result.stdout == "early-name\n"
    assert session.command.execute_command.__name__ == "execute"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"command": ""},
        {"command": "   "},
        {"command": "true", "timeout_ms": 0},
        {"command": "true", "envs": {"": "x"}},
        {"command": "true", "cwd": ""},
    ],
)
async def test_bad_arguments_fail_before_any_request(session: Any, kwargs: dict[str, Any]) -> None:
    result = await call(session.command.execute(**kwargs))
    assert isinstance(result.error, InvalidParameterError) and result.request_id == ""
