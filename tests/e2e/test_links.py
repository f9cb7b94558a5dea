"""session.get_link and session.get_metrics end to end, on both faces: a server started in the background in
the session answers through its link, bad ports fail before any request, metrics come from the session."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from agb import InvalidParameterError, OperationResult, SessionMetrics, SessionMetricsResult, SessionNotFoundError
from agb.session_params import CreateSessionParams

from .helpers import call, fresh

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_background_server_answers_through_its_link(session: Any) -> None:
    start = "mkdir -p /tmp/site && echo served > /tmp/site/i.txt && nohup python3 -m http.server 30120 -d /tmp/site"
    started = await call(session.command.execute(start + " > /dev/null 2>&1 &", timeout_ms=5000))
    assert started.exit_code == 0
    link = None
    for _ in range(50):  # the server takes a moment to listen
        link = await call(session.get_link(port=30120))
        assert isinstance(link, OperationResult) and link.success, link.error_message
        if httpx.get(link.data + "i.txt").status_code == 200:
            break
        time.sleep(0.1)
    assert link is not None and httpx.get(link.data + "i.txt").text == "served\n"
    https = await call(session.get_link("https", 30120))
    assert https.success and https.data == link.data
    ws = await call(session.get_link(protocol_type="ws", port=30120))
    assert ws.success and ws.data.startswith("ws://")
    default = await call(session.get_link())
    assert default.success and ".30100." in default.data


async def test_bad_ports_and_protocols_fail_before_any_request(session: Any) -> None:
    for kwargs in ({"port": 80}, {"port": 30200}, {"port": "30100"}, {"protocol_type": "ftp"}):
        result = await call(session.get_link(**kwargs))
        assert not result.success and isinstance(result.error, InvalidParameterError), kwargs


async def test_a_link_of_a_deleted_session_or_another_key(agb: Any, other: Any) -> None:
    async with fresh(agb) as temp:
        url = (await call(temp.get_link(port=30100))).data
        foreign = other._session_cls(other, temp.session_id)
        refused = await call(foreign.get_link(port=30100))
        assert not refused.success and isinstance(refused.error, SessionNotFoundError)
        await call(temp.delete())
    assert httpx.get(url).status_code == 404
    gone = await call(temp.get_link(port=30100))
    assert not gone.success and isinstance(gone.error, SessionNotFoundError)


async def test_get_metrics(session: Any) -> None:
    await call(session.file.write("/tmp/m.bin", "y" * 200_000))
    result = await call(session.get_metrics())
    assert isinstance(result, SessionMetricsResult) and result.success, result.error_message
    metrics = result.unwrap()
    assert isinstance(metrics, SessionMetrics)
    assert metrics.cpu_count >= 1 and 0 <= metrics.cpu_used_pct <= 100
    assert 0 < metrics.mem_used < metrics.mem_total and 200_000 <= metrics.disk_used < metrics.disk_total
    assert metrics.timestamp and result.raw["timestamp"] == metrics.timestamp and result.request_id


async def test_the_vendor_code_image(agb: Any) -> None:
    async with fresh(agb, CreateSessionParams(image_id="agb-code-space-2")) as space:
        run = await call(space.code.run("import os\nos.environ['AGB_IMAGE']"))
        assert run.success and run.result == "'agb-code-space-2'"
        assert space.app_instance_id and space.resource_id and f"resourceId={space.resource_id}" in space.resource_url
