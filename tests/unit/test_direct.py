"""The session's direct-route fields, get_link and get_metrics on the wire (scripted replies, both faces)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from agb import InvalidParameterError, ServerError, SessionMetrics, SessionNotFoundError, ToolError

from .conftest import Wire, api_error, call, ok, query, tool, tool_args

TOOLS = [{"name": "run_code", "server": "codespace"}, {"name": "shell", "server": "codespace"}]
METRICS = {
    "cpu_count": 2,
    "cpu_used_pct": 12.5,
    "mem_total": 1000,
    "mem_used": 400,
    "disk_total": 5000,
    "disk_used": 100,
    "rx_rate_kbyte_per_s": 1.5,
    "tx_rate_kbyte_per_s": 0,
    "rx_used_kbyte": 3,
    "tx_used_kbyte": 4.25,
    "timestamp": "2026-12-01T09:00:00Z",
}


def created(**data: Any) -> httpx.Response:
    return ok({"sessionId": "s-1", "success": True, **data}, request_id="req-c")


@pytest.mark.parametrize("tool_list", [json.dumps(TOOLS), TOOLS])
async def test_create_and_get_keep_the_direct_route_fields(agb: Any, wire: Wire, tool_list: Any) -> None:
    fields = {"wsUrl": "wss://ws.example/s-1", "token": "tok-1", "linkUrl": "https://link.example/s-1"}
    wire.script(created(toolList=tool_list, **fields))
    session = (await call(agb.create())).session
    assert (session.ws_url, session.token, session.link_url) == (
        "wss://ws.example/s-1",
        "tok-1",
        "https://link.example/s-1",
    )
    assert [(t.name, t.server) for t in session.tool_list] == [("run_code", "codespace"), ("shell", "codespace")]
    assert "tok-1" not in repr(session)
    wire.script(ok({"sessionId": "s-1", "status": "RUNNING", "toolList": tool_list, **fields}))
    again = (await call(agb.get("s-1"))).session
    assert (again.ws_url, again.token) == ("wss://ws.example/s-1", "tok-1") and len(again.tool_list) == 2


async def test_a_backend_without_direct_routes_gives_empty_fields(agb: Any, wire: Wire) -> None:
    wire.script(created())
    session = (await call(agb.create())).session
    assert (session.ws_url, session.token, session.link_url, session.tool_list) == ("", "", "", [])


async def test_a_tool_list_that_is_not_an_array_is_a_malformed_reply(agb: Any, wire: Wire) -> None:
    wire.script(created(toolList='{"name": "x"}'))
    result = await call(agb.create())
    assert not result.success and isinstance(result.error, ServerError) and "toolList" in result.error_message


async def test_get_link_sends_the_query_and_returns_the_url(session: Any, wire: Wire) -> None:
    wire.script(ok({"url": "https://link/1"}, request_id="req-l"))
    link = await call(session.get_link("https", 30100))
    request = wire.last
    assert request.method == "GET" and request.url.path == "/internet/getLink"
    assert query(request) == [("sessionId", "s-1"), ("protocolType", "https"), ("port", "30100")]
    assert link.success and link.data == "https://link/1" and link.request_id == "req-l"
    wire.script(ok({"url": "https://link/2"}))
    assert (await call(session.get_link())).data == "https://link/2"
    assert query(wire.last) == [("sessionId", "s-1")]


async def test_get_link_failures(session: Any, wire: Wire) -> None:
    for kwargs in ({"port": 29999}, {"port": True}, {"protocol_type": "gopher"}):
        result = await call(session.get_link(**kwargs))
        assert isinstance(result.error, InvalidParameterError), kwargs
    wire.script(ok({"url": ""}))
    assert isinstance((await call(session.get_link())).error, ServerError)
    wire.script(api_error(404, "InvalidMcpSession.NotFound", "session s-1 not found"))
    assert isinstance((await call(session.get_link())).error, SessionNotFoundError)


async def test_get_metrics_reads_the_tool_output_through_its_model(session: Any, wire: Wire) -> None:
    wire.script(tool(json.dumps(METRICS)))
    result = await call(session.get_metrics())
    assert tool_args(wire.last) == {} and json.loads(wire.last.content)["name"] == "get_metrics"
    assert result.success and result.raw == METRICS
    assert result.unwrap() == SessionMetrics(
        cpu_count=2,
        cpu_used_pct=12.5,
        disk_total=5000,
        disk_used=100,
        mem_total=1000,
        mem_used=400,
        rx_rate_kbyte_per_s=1.5,
        tx_rate_kbyte_per_s=0.0,
        rx_used_kbyte=3.0,
        tx_used_kbyte=4.25,
        timestamp="2026-12-01T09:00:00Z",
    )


async def test_get_metrics_failures(session: Any, wire: Wire) -> None:
    wire.script(tool("unknown tool 'get_metrics'", is_error=True))
    failed = await call(session.get_metrics())
    assert isinstance(failed.error, ToolError) and "unknown tool" in failed.error_message
    wire.script(tool("not json"))
    assert isinstance((await call(session.get_metrics())).error, ServerError)
    wire.script(tool(json.dumps({k: v for k, v in METRICS.items() if k != "mem_total"})))
    missing = await call(session.get_metrics())
    assert isinstance(missing.error, ServerError) and "mem_total" in missing.error_message
