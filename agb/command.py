"""``session.command``: run shell commands in the session (the ``shell`` tool)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from agb_api.facts import SHELL_TIMEOUT_MAX_MS, SHELL_TIMEOUT_MIN_MS
from agb_api.models import ShellArgs, ShellArgsEnvs, ShellOutput
from agb_api.types import UNSET, Unset

from ._face import Module
from ._flow import Flow, guarded
from ._tools import TOOL_TIMEOUT_MARGIN_S, ToolOutput, run_tool
from ._wire import as_int, check_int, check_text, loads_object, read_model, text
from .errors import InvalidParameterError, ToolError
from .results import CommandResult

__all__ = ["DEFAULT_COMMAND_TIMEOUT_MS"]

# 60 s, not the official client's 1 s: a `pip install` or a build takes seconds, and a 1 s default kills it
# half way, which users read as a broken sandbox. Pass a smaller timeout_ms for commands that must be quick.
DEFAULT_COMMAND_TIMEOUT_MS = 60_000


def _shell_output(output: ToolOutput) -> ShellOutput | None:
    """The output as a ``ShellOutput``, or None for plain text (early services). A failed call's output may
    lack `exit_code` (then `errorCode` carries it, or nothing does)."""
    obj = loads_object(output.text.strip())
    if obj is None:
        return None
    # The required fields, filled where absent (a missing exit code stays unknown: None).
    defaults = ShellOutput(stdout="", stderr="", exit_code=cast(int, None)).to_dict()
    shell = read_model(ShellOutput, {**defaults, **obj}, "shell", output.request_id)
    if not obj.keys() & defaults.keys() and isinstance(shell.error_code, Unset):
        return None  # a JSON object, but no field of ShellOutput: the command printed JSON (early services)
    return shell


def parse_shell(output: ToolOutput) -> CommandResult:
    """The result of a ``shell`` tool output: a ``ShellOutput`` document or plain text.

    A non-zero exit is ``success=False`` with a ``ToolError`` naming the code; stdout and stderr are kept.
    Plain text (early services) is the output of a successful command with an unknown exit code.
    """
    raw = output.text
    shell = _shell_output(output)
    stdout, stderr = (text(shell.stdout), text(shell.stderr)) if shell is not None else ("", "")
    trace_id = text(shell.trace_id) if shell is not None else ""
    exit_code = None if shell is None else _first_int(shell.exit_code, shell.error_code)
    rid = output.request_id
    if output.is_error:
        message = f"shell: {stderr.strip() or raw.strip() or output.message or 'the command failed'}"
        return CommandResult(
            success=False,
            error_message=message,
            request_id=rid,
            error=ToolError(message, request_id=rid),
            output=stdout + stderr if shell is not None else raw,
            exit_code=exit_code,
            stdout=stdout,
            stderr=stderr,
            trace_id=trace_id,
        )
    if shell is None:
        return CommandResult(success=True, request_id=rid, output=raw, stdout=raw)
    exit_code = 0 if exit_code is None else exit_code
    error = None
    if exit_code != 0:
        last = stderr.strip().splitlines()[-1:] if stderr.strip() else []
        error = ToolError(
            f"shell: command exited with code {exit_code}" + (f": {last[0]}" if last else ""), request_id=rid
        )
    return CommandResult(
        success=error is None,
        error_message="" if error is None else error.message,
        request_id=rid,
        error=error,
        output=stdout + stderr,
        exit_code=exit_code,
        stdout=stdout,
        stderr=stderr,
        trace_id=trace_id,
    )


def _first_int(*values: object) -> int | None:
    return next((v for v in map(as_int, values) if v is not None), None)


@guarded(CommandResult)
def execute(
    module: Module,
    command: str,
    timeout_ms: int = DEFAULT_COMMAND_TIMEOUT_MS,
    cwd: str | None = None,
    envs: Mapping[str, str] | None = None,
) -> Flow[CommandResult]:
    """Run `command` with ``/bin/bash -c``; ``success`` is ``exit_code == 0``.

    `timeout_ms` (default 60 000, up to 3 600 000) kills the command and its children when it runs longer;
    the official client's 1 000 ms default kills ordinary installs and builds, hence the longer default.
    The HTTP read timeout is set above it. `cwd` is the working directory, `envs` extra variables.
    """
    args = ShellArgs(
        command=check_text(command, "command"),
        timeout_ms=check_int(timeout_ms, "timeout_ms", SHELL_TIMEOUT_MIN_MS, SHELL_TIMEOUT_MAX_MS),
        cwd=UNSET if cwd is None else check_text(cwd, "cwd"),
        envs=UNSET if envs is None else _envs(envs),
    ).to_dict()
    output = yield from run_tool(module.session, "shell", args, read_timeout=timeout_ms / 1000 + TOOL_TIMEOUT_MARGIN_S)
    return parse_shell(output)


def _envs(envs: object) -> ShellArgsEnvs:
    if not isinstance(envs, Mapping) or not all(
        isinstance(k, str) and k and isinstance(v, str) for k, v in envs.items()
    ):
        raise InvalidParameterError("envs must be a dict of non-empty string names to string values")
    return ShellArgsEnvs.from_dict(dict(envs))
