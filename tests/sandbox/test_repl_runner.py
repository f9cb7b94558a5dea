"""The agent's REPL runner (agent/repl.py) on its own, with real processes: a runtime that fails at start is
a prompt tool error saying how it ended and what it printed, and a runtime the machine lacks is named."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from agb_local.sandbox.agent.context import AgentContext
from agb_local.sandbox.agent.errors import ToolError
from agb_local.sandbox.agent.java import JavaRunner
from agb_local.sandbox.agent.repl import ReplRunner
from agb_local.sandbox.agent.rlang import RRunner


def context(tmp_path: Path) -> AgentContext:
    return AgentContext(
        mode="none",
        home=str(tmp_path),
        tmp=str(tmp_path),
        runtime_dir=str(tmp_path),
        python=sys.executable,
        node=None,
        output_limit=100_000,
        read_limit=100_000,
        base_env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )


class FailingRunner(ReplRunner):
    language = "Broken"

    def command(self, req_fd: int, resp_fd: int) -> list[str]:
        return ["/bin/sh", "-c", "echo 'cannot find its library' >&2; exit 7"]

    def interrupt(self, cell_id: int) -> None:
        raise AssertionError("nothing runs, nothing to stop")


def test_a_runtime_that_fails_at_start_is_a_prompt_tool_error(tmp_path: Path) -> None:
    runner = FailingRunner(context(tmp_path))
    started = time.monotonic()
    with pytest.raises(ToolError, match=r"^The Broken runtime did not start: it exited with status 7: cannot find"):
        runner.run("1", 10, threading.Event())
    assert time.monotonic() - started < 5 and not runner.started()


@pytest.mark.parametrize(("runner", "name"), [(JavaRunner, "Java"), (RRunner, "R")])
def test_a_runtime_the_machine_lacks_is_named(tmp_path: Path, runner: type[ReplRunner], name: str) -> None:
    with pytest.raises(ToolError, match=rf"^{name} is not available in this sandbox"):
        runner(context(tmp_path)).run("1", 10, threading.Event())


def test_a_start_that_fails_leaves_no_descriptor_open(tmp_path: Path) -> None:
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(3):
        with pytest.raises(ToolError):
            JavaRunner(context(tmp_path)).run("1", 10, threading.Event())
        with pytest.raises(ToolError):
            FailingRunner(context(tmp_path)).run("1", 10, threading.Event())
    assert len(os.listdir("/proc/self/fd")) == before
