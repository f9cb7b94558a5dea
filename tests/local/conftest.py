"""A live agb_local on loopback for the end-to-end tests of the HTTP API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agb_local.embedded import EmbeddedServer, start

OTHER_KEY = "akm-other-tenant-key-0000000000000000"


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    srv = start(extra_api_keys=(OTHER_KEY,), pool_size=1, max_sessions_per_key=40)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server: EmbeddedServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=server.endpoint, headers={"authorization": f"Bearer {server.api_key}"}, timeout=60
    ) as client:
        yield client


@pytest.fixture(scope="module")
def other(server: EmbeddedServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.endpoint, headers={"authorization": f"Bearer {OTHER_KEY}"}, timeout=60) as c:
        yield c


@pytest.fixture
def session_id(http: httpx.Client) -> Iterator[str]:
    sid = create(http)
    yield sid
    http.post("/mcp/releaseSession", json={"sessionId": sid})


def create(http: httpx.Client, **body: Any) -> str:
    params = {"imageId": body.pop("image_id")} if "image_id" in body else {}
    r = http.post("/mcp/createSession", params=params, json=body)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["success"] is True
    return str(data["sessionId"])


def tool(http: httpx.Client, sid: str, name: str, args: Any) -> tuple[bool, str]:
    import json

    raw = args if isinstance(args, str) else json.dumps(args)
    r = http.post("/mcp", params={"autoGenSession": "false"}, json={"sessionId": sid, "name": name, "args": raw})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True and body["message"] == ""
    data = body["data"]
    return bool(data["isError"]), "\n".join(c["text"] for c in data["content"] if c["type"] == "text")
