"""The contract's image-family row (agb_contract/families.py) against agb_local, and against agb_local broken in
the two ways the row exists to catch: a listTools naming a tool outside the image's family, and a capability tool
that pretends to work where the backend has no such capability."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import agb_spec
from agb_contract.backend import Backend
from agb_contract.contract import Contract, load_spec
from agb_contract.families import check_families
from agb_contract.report import Report, Row
from agb_local.embedded import EmbeddedServer, start
from agb_local.service import AgbService, ToolReply

ROW = "image families and capabilities"


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    srv = start(pool_size=0)
    yield srv
    srv.stop()


def family_row(server: EmbeddedServer) -> Row:
    report = Report(url=server.endpoint, seed=0, max_examples=1)
    check_families(Contract(load_spec(None)), Backend(server.endpoint, server.api_key), report)
    return report.tools[ROW]


def test_agb_local_keeps_the_family_contract(server: EmbeddedServer) -> None:
    row = family_row(server)
    assert not row.failed, row.failures
    documented = agb_spec.documented_images()
    assert row.note == f"{len(documented)} images started"
    # Per image: the start, the shell call, and each capability tool agb_local does not list.
    every = sum(len(c.tools) for c in agb_spec.capabilities().values())
    assert row.cases == len(documented) * (2 + every)


def test_a_tool_outside_the_family_fails_the_row(server: EmbeddedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    original = AgbService.tool_descriptors

    def with_a_desktop_tool(self: AgbService) -> list[dict[str, Any]]:
        return [*original(self), {"name": "click_mouse", "description": "", "inputSchema": {}, "server": "x"}]

    monkeypatch.setattr(AgbService, "tool_descriptors", with_a_desktop_tool)
    row = family_row(server)
    finding = row.failures[("images", "listTools of a family")]
    assert "listTools code_latest" in finding.message and "outside its family ['click_mouse']" in finding.message


def test_a_pretended_capability_fails_the_row(server: EmbeddedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    original = AgbService.call_tool

    async def pretend(self: AgbService, owner: str, session_id: str, name: str, *args: Any, **kw: Any) -> ToolReply:
        if name == "system_screenshot":
            return ToolReply(False, "{}")
        return await original(self, owner, session_id, name, *args, **kw)

    monkeypatch.setattr(AgbService, "call_tool", pretend)
    row = family_row(server)
    finding = row.failures[("images", "an unlisted capability tool")]
    assert (
        finding.message.startswith("system_screenshot (not listed for ") and "must be a tool error" in finding.message
    )
