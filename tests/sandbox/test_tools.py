"""The sandbox runtime serves the spec's tools with the spec's semantics: the agent implements exactly the tools
of x-agb-tools, and run_code's language aliases are the spec's, resolved before the agent sees them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import agb_spec
from agb_local.sandbox import manager
from agb_local.sandbox.agent.context import AgentContext
from agb_local.sandbox.agent.server import Agent, _Writer


def test_the_agent_implements_exactly_the_tools_of_the_spec(tmp_path: Path) -> None:
    ctx = AgentContext(
        mode="none",
        home=str(tmp_path),
        tmp=str(tmp_path),
        runtime_dir=str(tmp_path / "run"),
        python=sys.executable,
        node=None,
        output_limit=1000,
        read_limit=1000,
        base_env={},
    )
    fd = os.open(os.devnull, os.O_WRONLY)
    try:
        agent = Agent(ctx, _Writer(fd))
        assert set(agent.tools) == set(agb_spec.tools()) == set(manager.TOOLS)
    finally:
        os.close(fd)


def test_the_quota_gate_and_remeasuring_follow_the_tool_flags() -> None:
    tools = agb_spec.tools()
    assert {name for name, tool in tools.items() if tool.writes} == manager.WRITING_TOOLS
    assert {name for name, tool in tools.items() if tool.read_only} == manager.READ_ONLY_TOOLS
    # delete_file frees space: it must work over the quota, and it is measured after.
    assert "delete_file" not in manager.WRITING_TOOLS and "delete_file" not in manager.READ_ONLY_TOOLS


def test_language_aliases_become_the_spec_names_before_the_agent() -> None:
    for alias, canonical in agb_spec.language_aliases().items():
        for spelled in (alias, f" {alias.upper()} "):
            assert manager._canonical_language({"code": "1", "language": spelled})["language"] == canonical
    unknown = {"code": "1", "language": "Cobol"}
    assert manager._canonical_language(unknown) is unknown  # left for the agent to refuse, as written
    assert manager._python_cell(manager._canonical_language({"language": "py"}))
    assert manager._python_cell({}) and not manager._python_cell(manager._canonical_language({"language": "js"}))
