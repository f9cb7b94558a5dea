"""Two agb_local bugs the contract runs found in the HTTP layer, pinned for both ways of serving.

* A request the spec allows could not be sent: `labels` may hold 8192 characters, which percent-encode to up
  to ~98 KB of URL, but httptools refuses URLs over 65535 bytes and uvicorn answered a plain-text 400
  ("Invalid HTTP request received.", not the envelope). agb_local now serves HTTP/1.1 with h11 and a 256 KiB
  request-head limit.
* The embedded server answered every request 40 ms late: its listening socket was created with protocol 0, so
  asyncio did not disable Nagle on accepted connections and each two-part reply waited for the client's delayed
  ACK. The socket is now created as IPPROTO_TCP.
"""

from __future__ import annotations

import json
import statistics
import time

import pytest
import requests

from agb_local.embedded import EmbeddedServer

from .conftest import Served

# The widest character (4 bytes in UTF-8, 12 once percent-encoded) filling the spec's maxLength of LabelsJson.
WIDEST_LABELS = json.dumps({"k": "😀" * (8192 - 10)}, ensure_ascii=False)


@pytest.fixture(params=["embedded", "served"])
def backend(request: pytest.FixtureRequest) -> tuple[str, str]:
    server = request.getfixturevalue(request.param)
    if isinstance(server, EmbeddedServer):
        return server.endpoint, server.api_key
    assert isinstance(server, Served)
    return server.url, server.api_key


def test_largest_labels_the_spec_allows_are_served(backend: tuple[str, str]) -> None:
    url, key = backend
    assert len(WIDEST_LABELS) <= 8192
    http = requests.Session()
    http.headers["authorization"] = f"Bearer {key}"
    r = http.post(f"{url}/mcp/createSession", json={})
    sid = r.json()["data"]["sessionId"]
    try:
        r = http.post(f"{url}/sdk/SetLabel", params={"sessionId": sid, "Labels": WIDEST_LABELS}, json={})
        assert len(r.request.url or "") > 65535
        assert r.status_code == 200, r.text[:300]
        assert r.json()["success"] is True
        r = http.get(f"{url}/sdk/ListSession", params={"labels": WIDEST_LABELS, "nextToken": "x" * 512})
        assert r.status_code == 200, r.text[:300]
        r = http.get(f"{url}/sdk/ListSession", params={"labels": WIDEST_LABELS})
        assert [s["sessionId"] for s in r.json()["data"]] == [sid]
        assert json.loads(http.get(f"{url}/sdk/GetLabel", params={"sessionId": sid}).json()["data"]["labels"]) == {
            "k": "😀" * (8192 - 10)
        }
    finally:
        http.post(f"{url}/mcp/releaseSession", json={"sessionId": sid})


def test_longer_labels_are_an_envelope_400(backend: tuple[str, str]) -> None:
    url, key = backend
    r = requests.get(
        f"{url}/sdk/ListSession",
        params={"labels": json.dumps({"k": "😀" * 8200}, ensure_ascii=False)},
        headers={"authorization": f"Bearer {key}"},
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["code"].startswith("InvalidParameter")


def test_replies_are_not_held_back_by_nagle(backend: tuple[str, str]) -> None:
    url, key = backend
    http = requests.Session()
    http.headers["authorization"] = f"Bearer {key}"
    for _ in range(5):
        http.get(f"{url}/sdk/ListSession")
    times = []
    for _ in range(30):
        started = time.perf_counter()
        http.post(f"{url}/mcp/getSessionInfo", json={"sessionId": "s-nothing"})
        times.append(time.perf_counter() - started)
    # Nagle against a delayed ACK costs 40 ms per reply, every time; a loopback reply takes ~1 ms, and a few
    # on a loaded machine, never a median of 30.
    assert statistics.median(times) < 0.03, f"median {statistics.median(times) * 1000:.1f} ms"
